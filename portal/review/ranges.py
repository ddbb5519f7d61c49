"""Time ranges in China Standard Time for counting in SQL, the same on SQLite and PostgreSQL.

Days, weeks and months begin at a China midnight, computed here in Python as UTC moments
(timestamps are stored as naive UTC). A count per range is one statement of one small
``SELECT … GROUP BY`` per range glued with UNION ALL: each part reads only its range of an
indexed time column, and no row has to be numbered by a long CASE (which cost more than the
index scan itself: 20 ms against 3 ms for a year of 100,000 filings).
"""

from datetime import UTC, date, datetime, time

from sqlalchemy import Integer, literal_column, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..rules.meetings import CHINA


def china_midnight_utc(day: date) -> datetime:
    """The UTC moment at which *day* begins in China Standard Time."""
    return datetime.combine(day, time(), CHINA).astimezone(UTC)


def per_range(edges: list[datetime], part):
    """One statement: ``part(n, start, end)`` for each range [edges[n], edges[n + 1]), glued
    by UNION ALL. *part* returns a select whose first column is ``range_number(n)``."""
    return union_all(*[part(n, edges[n], edges[n + 1]) for n in range(len(edges) - 1)])


def range_number(n: int):
    """The range's number as a constant column (rendered inline, so GROUP BY needs no bind)."""
    return literal_column(str(int(n)), Integer).label("n")


class china_day_diff(FunctionElement):
    """Calendar days in China Standard Time from the first timestamp's day to the second's
    (stored as naive UTC; China has no daylight saving, so the offset is always +8 hours)."""

    type = Integer()
    inherit_cache = True
    name = "china_day_diff"


@compiles(china_day_diff, "sqlite")
def _day_diff_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return (f"CAST(julianday(date({end}, '+8 hours')) "
            f"- julianday(date({start}, '+8 hours')) AS INTEGER)")


@compiles(china_day_diff)
def _day_diff_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return (f"(CAST({end} + INTERVAL '8 hours' AS DATE)"
            f" - CAST({start} + INTERVAL '8 hours' AS DATE))")
