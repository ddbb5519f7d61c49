"""Files the outlet import hands out: the blank templates (CSV, XLSX) and the error report.

The templates are bilingual: row 1 holds the Chinese headings, row 2 the English ones, row 3
an example whose first cell starts with ``#``; the import skips rows 2 and 3 (see
:mod:`.tables`). The same template serves both languages, so a file filled in by anyone
imports anywhere. The XLSX template adds a second sheet listing premises types and the
enterprise's districts with their codes.

The error report is not stored anywhere: the result page carries the problems in a signed,
compressed token, and posting it back renders the CSV in the reader's language.
"""

import csv
import io

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer

from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..labels import PREMISES_LABELS
from ..legal import cite
from ..rules.premises import FORBIDDEN_FOR_OUTLETS, Premises
from ..rules.regions import is_within, prefix_of
from .importer import Districts, RowError, approved_codes, error_message
from .tables import COLUMNS, COMMENT_MARK, column_label, headings

ZH, EN = "zh_Hans_CN", "en"
EXAMPLE_NOTE = _l("Example, skipped on import")
# Cells a spreadsheet would run as a formula; the report prefixes them with ' so it never does.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REPORT_SALT = "outlet-import-report"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _in(locale: str, text) -> str:
    with force_locale(locale):
        return str(text)


def _both(text) -> str:
    return f"{_in(ZH, text)} {_in(EN, text)}"


def example_district(enterprise, districts: Districts) -> str | None:
    """A district inside the enterprise's approved regions, for the example row."""
    prefixes = [prefix_of(code) for code in approved_codes(enterprise)]
    inside = [r.code for r in districts.districts if any(is_within(r.code, p) for p in prefixes)]
    return (inside or [r.code for r in districts.districts] or [None])[0]


def template_rows(enterprise) -> list[list[str]]:
    """The three rows every template starts with: Chinese and English headings, an example."""
    districts = Districts(enterprise)
    code = example_district(enterprise, districts)
    note = f"{COMMENT_MARK} {_both(EXAMPLE_NOTE)}"
    example = [note, _in(ZH, PREMISES_LABELS[Premises.SHOP]), code or "",
               f"{districts.full_name(code) if code else ''}示范路100号", "张三",
               "13800001111", "周一至周六 9:00-18:00"]
    return [headings(ZH), headings(EN), example]


def guide(enterprise) -> dict:
    """What the import page lists: the columns in both languages, premises types, districts."""
    districts = Districts(enterprise)
    prefixes = [prefix_of(code) for code in approved_codes(enterprise)]
    return {
        "columns": list(zip([c.key for c in COLUMNS], headings(ZH), headings(EN), strict=True)),
        "premises": [(p.value, _in(ZH, label), _in(EN, label), p not in FORBIDDEN_FOR_OUTLETS)
                     for p, label in PREMISES_LABELS.items()],
        "districts": [(r.code, districts.full_name(r.code), districts.full_name(r.code, False),
                       any(is_within(r.code, p) for p in prefixes)) for r in districts.districts],
    }


def _csv_bytes(rows) -> bytes:
    """CSV in UTF-8 with a BOM, which Excel needs to show Chinese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def template_csv(enterprise) -> bytes:
    return _csv_bytes(template_rows(enterprise))


def _codes_sheet(sheet, enterprise, bold) -> None:
    """Premises types and the districts of the licence's provinces, with the codes accepted."""
    listed = guide(enterprise)
    yes_no = {True: _both(_l("Yes")), False: _both(_l("No"))}
    sheet.append([_both(_l("Type of premises"))])
    sheet.append(["code", "中文", "English", _both(_l("Allowed for outlets"))])
    for code, zh, en, allowed in listed["premises"]:
        sheet.append([code, zh, en, yes_no[allowed]])
    sheet.append([])
    sheet.append([_both(_l("District"))])
    sheet.append(["code", "中文", "English", _both(_l("In the approved regions"))])
    for code, zh, en, approved in listed["districts"]:
        sheet.append([code, zh, en, yes_no[approved]])
    for row in (1, 2, len(listed["premises"]) + 4, len(listed["premises"]) + 5):
        for cell in sheet[row]:
            cell.font = bold
    for letter, width in zip("ABCD", (20, 24, 32, 28), strict=True):
        sheet.column_dimensions[letter].width = width


def template_xlsx(enterprise) -> bytes:
    """The template as an Excel workbook; every column formatted as text, so codes and phone
    numbers keep their digits."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _in(ZH, _l("Service outlets"))[:31]
    bold, grey = Font(bold=True), Font(italic=True, color="777777")
    for row in template_rows(enterprise):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = bold
    for cell in [*sheet[2], *sheet[3]]:
        cell.font = grey
    widths = (28, 18, 14, 40, 14, 16, 24)
    for index, width in enumerate(widths[: len(COLUMNS)]):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = width
        sheet.column_dimensions[letter].number_format = "@"
        for cell in sheet[letter]:
            cell.number_format = "@"
    sheet.freeze_panes = "A3"
    _codes_sheet(workbook.create_sheet(_in(ZH, _l("Codes"))[:31]), enterprise, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the error report -----------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=REPORT_SALT)


def report_token(errors: list[RowError], user, filename: str) -> str:
    """The problems, signed for *user* alone, to carry in the result page's download form."""
    payload = {
        "u": user.id,
        "f": filename,
        "e": [[e.row, e.column, e.value, e.code, e.basis, e.params] for e in errors],
    }
    return _serializer().dumps(payload)


def read_report_token(token: str, user) -> tuple[str, list[RowError]] | None:
    """(file name, problems) from a token made for *user*, or None for any other token."""
    try:
        payload = _serializer().loads(token or "")
        if payload["u"] != user.id:
            return None
        return str(payload["f"]), [RowError(*entry) for entry in payload["e"]]
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def _inert(value: str) -> str:
    """A cell a spreadsheet shows as typed, never as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def report_csv(errors: list[RowError]) -> bytes:
    """The problems as CSV in the current language: row, column, value, problem, legal basis."""
    rows = [[_("Row"), _("Column"), _("Value"), _("Problem"), _("Legal basis")]]
    for error in errors:
        rows.append([str(error.row), column_label(error.column), _inert(error.value),
                     error_message(error), cite(error.basis)])
    return _csv_bytes(rows)
