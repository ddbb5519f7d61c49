"""The annual report as an XLSX workbook: the summary, filings by kind, failed items by category.

Small sheets, so an ordinary (not write-only) openpyxl workbook, which lets the change in per
cent carry a percentage format. Text cells a spreadsheet would take for a formula are escaped
as in the queue export (``review.export.cell_text``).
"""

import io

from flask_babel import format_date
from openpyxl import Workbook
from openpyxl.styles import Font

from ..i18n import gettext as _
from ..i18n import localized
from ..review.export import cell_text
from .figures import Figure, Report
from .presentation import DECISION_KEYS, kind_rows, rows_of

BOLD = Font(bold=True)


def _figure_cells(figure: Figure) -> list:
    return [figure.current, figure.previous, figure.change, figure.change_ratio]


def _header(sheet, row: list) -> None:
    sheet.append([cell_text(c) for c in row])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _period(report: Report) -> tuple[str, str]:
    def span(period):
        return _("%(start)s to %(end)s", start=format_date(period.start, "long"),
                 end=format_date(period.end, "long"))
    return span(report.period), span(report.previous)


def xlsx_bytes(report: Report, bureau) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    current, previous = _period(report)
    summary.append([cell_text(_("Annual work report")), cell_text(localized(bureau))])
    summary.append([cell_text(_("This period")), cell_text(current)])
    summary.append([cell_text(_("Previous period")), cell_text(previous)])
    summary.append([])
    columns = [_("Figure"), _("This period"), _("Previous period"), _("Change"),
               _("Change (per cent)")]
    _header(summary, columns)
    for title, rows in rows_of(report):
        summary.append([cell_text(title)])
        summary[summary.max_row][0].font = BOLD
        for _key, label, figure in rows:
            summary.append([cell_text(label), *_figure_cells(figure)])
            summary[summary.max_row][4].number_format = "0.0%"
    summary.column_dimensions["A"].width = 60
    for letter in "BCDE":
        summary.column_dimensions[letter].width = 16

    kinds = book.create_sheet(_("Filings by kind")[:31])
    measures = [("received", _("Received")), *[(k, str(label)) for k, label in DECISION_KEYS]]
    names = [label for _key, label in measures]
    _header(kinds, [_("Kind"), *[_("%(figure)s, this period", figure=n) for n in names],
                    *[_("%(figure)s, previous period", figure=n) for n in names]])
    for label, figures in kind_rows(report):
        kinds.append([cell_text(label), *[figures[key].current for key, _label in measures],
                      *[figures[key].previous for key, _label in measures]])
    kinds.column_dimensions["A"].width = 28

    failed = book.create_sheet(_("Failed items")[:31])
    _header(failed, [_("Category"), _("This period"), _("Previous period"), _("Change")])
    for category in report.failed:
        failed.append([cell_text(localized(category, "category")), category.counts[1],
                       category.counts[0], category.counts[1] - category.counts[0]])
    failed.column_dimensions["A"].width = 36

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
