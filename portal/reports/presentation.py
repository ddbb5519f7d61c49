"""The annual report's words and pictures: labels, sections, change texts and charts, shared by
the page, the PDF and the spreadsheet."""

from flask_babel import format_decimal

from .. import charts
from ..i18n import format_number, localized
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..labels import KIND_LABELS, STATUS_LABELS
from .figures import KINDS, Figure, Report

FIGURE_LABELS = {
    "received": _l("Filings received (submissions, resubmissions and amendments)"),
    "decided": _l("Filings decided"),
    "approved": _l("Approved"),
    "returned": _l("Returned for correction"),
    "rejected": _l("Rejected"),
    "median_days": _l("Median days from submission to decision"),
    "meetings_filed": _l("Training meetings filed"),
    "supervisions_planned": _l("Meetings marked for on-site supervision"),
    "meetings_supervised": _l("Meetings supervised on site (record completed)"),
    "checks_planned": _l("Spot checks drawn (planned)"),
    "checks_done": _l("Spot checks completed"),
    "checks_published": _l("Spot-check results published"),
    "items_failed": _l("Check items failed"),
    "notices_issued": _l("Rectification notices issued"),
    "notices_corrected": _l("Notices closed as corrected"),
    "notices_escalated": _l("Notices escalated"),
}
SECTIONS = (
    (_l("Filings and review"), ("received", "decided", "approved", "returned", "rejected",
                                "median_days")),
    (_l("Training meetings"), ("meetings_filed", "supervisions_planned", "meetings_supervised")),
    (_l("Double-random spot checks"), ("checks_planned", "checks_done", "checks_published",
                                       "items_failed")),
    (_l("Rectification notices"), ("notices_issued", "notices_corrected", "notices_escalated")),
)
DECISION_KEYS = (("approve", STATUS_LABELS["approved"]), ("return", STATUS_LABELS["returned"]),
                 ("reject", STATUS_LABELS["rejected"]))


def number(value) -> str:
    """A figure as text ("—" when there is none, e.g. a median without decisions)."""
    if value is None:
        return "—"
    return format_number(value) if float(value).is_integer() else format_decimal(value, "#,##0.#")


def change_text(figure: Figure) -> str:
    """The absolute change with its sign ("+3", "-2", "0")."""
    if figure.change is None:
        return "—"
    if not figure.change:
        return format_number(0)
    return format_decimal(figure.change, "+#,##0.#;-#,##0.#")


def change_percent(figure: Figure) -> str:
    """The change in per cent of the previous figure ("+12.5%"); "—" when that was 0."""
    ratio = figure.change_ratio
    if ratio is None:
        return "—"
    if not ratio:
        return format_number(0) + "%"
    return format_decimal(ratio * 100, "+#,##0.#;-#,##0.#") + "%"


def rows_of(report: Report):
    """(section title, [(key, label, figure)]) in the report's order."""
    return [(str(title), [(key, str(FIGURE_LABELS[key]), report[key]) for key in keys])
            for title, keys in SECTIONS]


def kind_rows(report: Report):
    """(kind label, {"received": Figure, "approve": …}) for each filing kind."""
    return [(str(KIND_LABELS[kind]), report.by_kind[kind]) for kind in KINDS]


def _this_and_previous():
    return [charts.Series("current", _("This period"), charts.BLUE),
            charts.Series("previous", _("Previous period"), charts.GREY)]


def received_chart(report: Report) -> charts.BarChart:
    """Filings received per kind, this period beside the previous one."""
    return charts.bar_chart(
        [(label, label, {"current": f["received"].current, "previous": f["received"].previous})
         for label, f in kind_rows(report)], _this_and_previous(), grouped=True, height=220)


def decisions_chart(report: Report) -> charts.BarChart:
    """Decisions by outcome, this period beside the previous one."""
    figures = {"approve": report["approved"], "return": report["returned"],
               "reject": report["rejected"]}
    return charts.bar_chart(
        [(str(label), str(label), {"current": figures[key].current,
                                   "previous": figures[key].previous})
         for key, label in DECISION_KEYS], _this_and_previous(), grouped=True, height=220)


def failed_chart(report: Report) -> charts.HBarChart:
    """Check items failed per category in this period."""
    return charts.horizontal_bars(
        [(localized(c, "category"), c.counts[1], format_number(c.counts[1]))
         for c in report.failed], colour=charts.RED)
