"""The review queue as a spreadsheet: the rows the current filters select, every page of them.

CSV is written as it is read (UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it
correctly); XLSX is built with openpyxl's write-only workbook. Both stream from the database in
chunks, so memory stays flat. Cells that a spreadsheet would take for a formula are escaped.
"""

import csv
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_datetime
from openpyxl import Workbook
from sqlalchemy import func, select

from ..access import scoped
from ..extensions import db
from ..i18n import current_language
from ..i18n import lazy_gettext as _l
from ..labels import KIND_LABELS, STATUS_LABELS
from ..models import Enterprise, Filing, Region
from .flags import HAS_OPEN_FLAG
from .queue import Filters, ordered

CHUNK = 1000
COLUMNS = (
    _l("Number"), _l("Kind"), _l("Title"), _l("Enterprise"), _l("Unified social credit code"),
    _l("Division code"), _l("Division"), _l("Status"), _l("Version"), _l("Submitted on"),
    _l("Decided on"), _l("Rule warnings"), _l("Flagged"),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def count(filters: Filters, user) -> int:
    """How many rows an export with *filters* would hold."""
    stmt = filters.apply(scoped(select(Filing), user).join(Filing.enterprise))
    return db.session.scalar(stmt.with_only_columns(func.count(Filing.id)))


def rows(filters: Filters, user) -> Iterator[tuple]:
    """The selected filings as tuples of plain values (times aware, in UTC), in queue order.

    The query is built at once (it reads the user's scope); it runs when iteration starts,
    so a streamed response reads it after the view's hooks have committed.
    """
    region_name = Region.name_en if current_language() == "en" else Region.name_zh
    stmt = ordered(filters.apply(
        scoped(select(Filing), user).join(Filing.enterprise).join(Filing.region)
    ), filters).with_only_columns(
        Filing.number, Filing.kind, Filing.title, Enterprise.name, Enterprise.credit_code,
        Filing.region_code, func.coalesce(region_name, Region.name_zh), Filing.status,
        Filing.revision, Filing.submitted_at, Filing.decided_at, Filing.warning_count,
        HAS_OPEN_FLAG,
    )
    stmt = stmt.execution_options(yield_per=CHUNK)

    def read():
        yield from db.session.execute(stmt)

    return read()


def cell_text(value) -> str:
    """A cell as text; a leading formula character is neutralised (CSV/formula injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _local(moment, pattern="yyyy-MM-dd HH:mm") -> str:
    return format_datetime(moment, pattern) if moment else ""


def _labels(row) -> list:
    (number, kind, title, enterprise, code, region_code, region, status, revision,
     submitted, decided, warnings, flagged) = row
    return [
        number, str(KIND_LABELS[kind]), title, enterprise, code, region_code, region,
        str(STATUS_LABELS[status]), revision, submitted, decided, warnings,
        str(_l("yes")) if flagged else "",
    ]


def csv_chunks(filters: Filters, user) -> Iterator[str]:
    """The CSV file in pieces, header first (the query starts before the first piece)."""
    return _csv_chunks(rows(filters, user))


def _csv_chunks(selected) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(c) for c in COLUMNS])
    for n, row in enumerate(selected, 1):
        cells = _labels(row)
        cells[9], cells[10] = _local(cells[9]), _local(cells[10])
        writer.writerow([cell_text(c) for c in cells])
        if n % CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(filters: Filters, user) -> bytes:
    """The XLSX workbook: one sheet, a header row, times as local date-times."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_l("Review queue"))[:31])
    sheet.append([str(c) for c in COLUMNS])
    for row in rows(filters, user):
        cells = _labels(row)
        for i in (9, 10):  # Excel has no time zones: local wall time, without tzinfo
            cells[i] = cells[i].astimezone(zone).replace(tzinfo=None) if cells[i] else None
        sheet.append([c if isinstance(c, int) or c is None or i in (9, 10) else cell_text(c)
                      for i, c in enumerate(cells)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
