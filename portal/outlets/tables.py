"""Read an uploaded outlet list (CSV or XLSX) into rows of text, the type decided by content.

The layout the import expects (and the templates follow): the first non-blank row holds the
column headings, in Chinese or English or as the fields' code names, so columns may come in
any order and extra columns are ignored. Rows after it that repeat the headings (the
template's English row), rows whose first cell starts with ``#`` (the template's example row)
and blank rows are skipped. Row numbers are the spreadsheet's own, counting every row.

Cells are only ever text: ``=1+1`` stays ``=1+1``. Workbooks are read with cached values
(``data_only``), so no formula is evaluated here either.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import force_locale

from ..i18n import lazy_gettext as _l
from ..models import Outlet

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format
# Other binary files people pick by mistake; refused before any attempt to read them as text.
BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc")
# A worksheet of a few thousand rows unpacks to a few MB; far more is a zip bomb, not a list.
MAX_UNPACKED_XML_BYTES = 64 * 1024 * 1024
COMMENT_MARK = "#"
LOCALES = ("zh_Hans_CN", "en")


@dataclass(frozen=True)
class Column:
    key: str  # the Outlet attribute
    label: object  # lazy translated heading
    max_length: int


def _length(attribute: str) -> int:
    return Outlet.__table__.c[attribute].type.length


COLUMNS = (
    Column("name", _l("Outlet name"), _length("name")),
    Column("premises_type", _l("Type of premises"), 64),
    Column("region_code", _l("District"), 64),
    Column("address", _l("Address"), _length("address")),
    Column("person_in_charge", _l("Person in charge"), _length("person_in_charge")),
    Column("phone", _l("Phone"), _length("phone")),
    Column("opening_hours", _l("Opening hours"), _length("opening_hours")),
)
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}
MAX_LENGTHS = {column.key: column.max_length for column in COLUMNS}

REFUSALS = {
    "not_table": _l("This file is neither a CSV file nor an Excel workbook (.xlsx); this is "
                    "checked by its content, not its name."),
    "xls": _l("This is an Excel 97–2003 workbook (.xls). Save it as an Excel workbook (.xlsx) "
              "or as CSV and upload it again."),
    "unreadable": _l("The Excel workbook could not be read. Open it in Excel, save it again as "
                     ".xlsx and upload it again."),
    "no_header": _l("The first row must hold the column headings of the template."),
    "missing_columns": _l("These columns are missing: %(columns)s. Start from the template."),
    "duplicate_column": _l("The column %(column)s appears more than once."),
    "no_rows": _l("The file holds no outlets: fill in one outlet per row below the headings."),
    "too_many_rows": _l("The file holds more than %(max)s outlets. Split it into files of at "
                        "most %(max)s rows and import them one after the other."),
}


class FileRefused(Exception):
    """The whole file is refused (type, layout or size); ``code`` is a key of REFUSALS."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self) -> str:
        return str(REFUSALS[self.code]) % self.params


def column_label(key: str | None) -> str:
    """The translated heading of the column *key* (empty for none)."""
    return str(COLUMN_LABELS[key]) if key in COLUMN_LABELS else ""


def headings(locale: str) -> list[str]:
    """The column headings in *locale* (``zh_Hans_CN`` or ``en``)."""
    with force_locale(locale):
        return [str(column.label) for column in COLUMNS]


def clean(value) -> str:
    """A cell as one line of text: whole numbers without ``.0``, spaces collapsed, no controls."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number or code Excel stored as a number
    if isinstance(value, datetime):
        value = value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, time):
        value = value.strftime("%H:%M")
    elif isinstance(value, date):
        value = value.isoformat()
    text = "".join(ch for ch in str(value) if unicodedata.category(ch) != "Cc" or ch.isspace())
    return " ".join(text.split())


def _decode(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

    :raise FileRefused: bytes that are no text (undecodable, or holding NUL characters).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        # Excel on Chinese Windows saves "CSV" in the ANSI code page: GBK, a part of GB18030.
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise FileRefused("not_table")


def _csv_rows(data: bytes):
    """(row number, cells) of a CSV file; the delimiter is the first line's comma, tab or ;."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [clean(cell) for cell in cells]
    except csv.Error as error:
        raise FileRefused("not_table") from error


def _xlsx_rows(data: bytes):
    """(row number, cells) of the first worksheet of an XLSX workbook, cached values only.

    :raise FileRefused: not a workbook, too large when unpacked, or unreadable.
    """
    import openpyxl  # only the import needs it, and it is not small

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRefused("not_table") from error
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise FileRefused("not_table")
    if sum(e.file_size for e in entries if e.filename.endswith((".xml", ".rels"))) > \
            MAX_UNPACKED_XML_BYTES:
        raise FileRefused("unreadable")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook fails in many ways; none may become a 500
        raise FileRefused("unreadable") from error
    try:
        if not workbook.worksheets:
            raise FileRefused("no_rows")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored size may be wrong: read what is there
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [clean(value) for value in values]
    except FileRefused:
        raise
    except Exception as error:
        raise FileRefused("unreadable") from error
    finally:
        workbook.close()


def table_rows(data: bytes):
    """(row number, cells) of an uploaded CSV or XLSX file, its type decided by its content.

    :raise FileRefused: neither, or unreadable (possibly only while iterating).
    """
    if data.startswith(ZIP_MAGIC):
        return _xlsx_rows(data)
    if data.startswith(OLE2_MAGIC):
        raise FileRefused("xls")
    if not data or data.startswith(BINARY_MAGIC):
        raise FileRefused("not_table")
    return _csv_rows(data)


def _heading_key(text: str) -> str:
    """A heading reduced for matching: no hints in brackets, no spaces, marks or case."""
    text = re.sub(r"[（(].*?[)）]", "", text)
    return re.sub(r"[\s*＊:：]", "", text).casefold()


def _heading_aliases() -> dict[str, str]:
    """Every accepted heading (Chinese, English, code name) -> column key."""
    aliases = {_heading_key(column.key): column.key for column in COLUMNS}
    for locale in LOCALES:
        for heading, column in zip(headings(locale), COLUMNS, strict=True):
            aliases[_heading_key(heading)] = column.key
    return aliases


def _map_header(cells: list[str], aliases: dict[str, str]) -> dict[str, int]:
    """Column key -> position in the row, from the heading row.

    :raise FileRefused: no heading recognised, a column twice, or columns missing.
    """
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = aliases.get(_heading_key(cell))
        if key is None:
            continue  # extra columns (notes, a running number …) are allowed and ignored
        if key in positions:
            raise FileRefused("duplicate_column", column=cell)
        positions[key] = index
    if not positions:
        raise FileRefused("no_header")
    missing = [column_label(c.key) for c in COLUMNS if c.key not in positions]
    if missing:
        raise FileRefused("missing_columns", columns=", ".join(missing))
    return positions


def read_rows(data: bytes, max_rows: int) -> list[tuple[int, dict[str, str]]]:
    """The outlet rows of a file as (spreadsheet row number, {column key: text}).

    :raise FileRefused: see :func:`table_rows` and :func:`_map_header`; no rows; more than
        *max_rows* rows (reading stops there).
    """
    aliases = _heading_aliases()
    positions = None
    rows = []
    for number, cells in table_rows(data):
        if positions is None:
            if any(cells):
                positions = _map_header(cells, aliases)
            continue
        values = {key: cells[i] if i < len(cells) else "" for key, i in positions.items()}
        first = next((cell for cell in cells if cell), "")
        if not any(values.values()) or first.startswith(COMMENT_MARK):
            continue
        if all(aliases.get(_heading_key(text)) == key for key, text in values.items() if text):
            continue  # the headings again, e.g. the template's English row
        rows.append((number, values))
        if len(rows) > max_rows:
            raise FileRefused("too_many_rows", max=max_rows)
    if not rows:
        raise FileRefused("no_header" if positions is None else "no_rows")
    return rows
