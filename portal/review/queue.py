"""The review queue: every kind of filing in the jurisdiction, filtered, sorted and counted.

Built to stay fast at hundreds of thousands of filings (bench/queue_bench.py measures it):

* Keyset pagination: a page starts after (or ends before) a cursor, the (submitted_at, id) of
  a row, so the 1000th page costs what the first does; ``?after=`` / ``?before=`` links are
  bookmarkable. No OFFSET, no page numbers.
* Counts per status: read from the running counts (``filing_tally``, filings/tally.py) when
  the filters are only kind, region and enterprise, so they are exact and cost a few rows;
  for flagged filings, exact from the open flags (grouped by status); with a search, dates or
  warnings they count at most :data:`COUNT_CAP` + 1 rows each ("1,000+"), so they never scan
  the whole jurisdiction.
* Indexes that start with the filters' equality columns and continue with the order
  (models/filings.py); the jurisdiction is a range of region codes (access.py), which every
  database can check inside those indexes.
* A fixed number of queries: one for the page (with its meeting start times and open flags),
  one for all counts (tests/review/test_query_counts.py). The enterprises' names come from the
  names each process keeps while the catalogue stamp vouches for them
  (:func:`enterprise_names`), not from a join: the join looked up an enterprise for each of
  the page's rows, a third of the page statement's time on PostgreSQL.
"""

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import abort, current_app
from sqlalchemy import func, literal_column, or_, select, tuple_
from werkzeug.local import LocalProxy

from ..access import built_statement, scope_key, scoped
from ..extensions import db
from ..kept import kept, per_catalogue
from ..models import (
    Enterprise,
    Filing,
    FilingFlag,
    FilingKind,
    FilingRegionTally,
    FilingTally,
    Meeting,
    Region,
    utcnow,
)
from ..rules.regions import code_range, prefix_of
from ..rules.workflow import Status
from ..widgets import iso_date
from .flags import HAS_OPEN_FLAG

MAX_PER_PAGE = 100
# Counts per status stop at this many rows and show "1,000+": exact totals would scan the
# whole jurisdiction on every page view.
COUNT_CAP = 1000
# Statuses the queue shows (drafts belong to the enterprise), in the order of the tabs.
SHOWN = tuple(s for s in Status if s is not Status.DRAFT)
CURSOR_FORMAT = "%Y%m%d%H%M%S%f"
# Meetings starting within this time and still undecided are marked in the queue.
SOON = timedelta(days=7)
UNDECIDED = frozenset({Status.SUBMITTED, Status.RETURNED})
SORTS = {"oldest", "newest"}
ALL = "all"
STATUSES = {s.value for s in Status} | {ALL}
# The query arguments the filters read (Filters.from_args): what export links and redirects
# carry on. Anything else a query string holds is dropped, never handed to url_for (where
# "endpoint", "_external" or "fmt" would be read as its own arguments).
FILTER_ARGS = ("kind", "status", "region", "enterprise", "from", "to", "q", "sort", "warnings",
               "flagged")


def filter_args(args) -> dict[str, str]:
    """The filters' arguments in *args* (the first of repeated ones, as the filters read)."""
    return {key: args[key] for key in FILTER_ARGS if key in args}


def _local_midnight_utc(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(), zone).astimezone(ZoneInfo("UTC"))


@dataclass
class Filters:
    """The queue's filters as read from the query string; invalid values are ignored."""

    kind: str = ""
    status: str = Status.SUBMITTED.value  # "all" for every status
    region: str = ""  # a division code; its area (prefix) is filtered
    enterprise: int | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    q: str = ""
    sort: str = "oldest"
    warnings: bool = False  # only filings submitted with rule warnings
    flagged: bool = False  # only filings with an open flag

    @classmethod
    def from_args(cls, args) -> "Filters":
        kind = args.get("kind", "")
        status = args.get("status", Status.SUBMITTED.value)
        region = args.get("region", "").strip()
        enterprise = args.get("enterprise", "")
        sort = args.get("sort", "oldest")
        return cls(
            kind=kind if kind in {k.value for k in FilingKind} else "",
            status=status if status in STATUSES else Status.SUBMITTED.value,
            # isascii: str.isdigit() also accepts digits such as ² or ٣, which int() refuses.
            region=region if region.isascii() and region.isdigit() and len(region) == 6 else "",
            enterprise=(int(enterprise) if enterprise.isascii() and enterprise.isdigit()
                        and len(enterprise) < 18 else None),
            submitted_from=iso_date(args.get("from")),
            submitted_to=iso_date(args.get("to")),
            q=args.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "oldest",
            warnings=args.get("warnings") == "1",
            flagged=args.get("flagged") == "1",
        )

    @property
    def key(self) -> tuple:
        """The filters as a tuple, for keys of what is kept (dataclasses.astuple copies each
        value deeply, at ten times the cost)."""
        return tuple([getattr(self, name) for name in _FILTER_FIELDS])

    @property
    def counted_by_tally(self) -> bool:
        """Whether the running counts answer these filters (no search, dates, warnings or
        flags, which they do not record)."""
        return not (self.q or self.submitted_from or self.submitted_to or self.warnings
                    or self.flagged)

    def region_clause(self, column):
        """*column* inside the chosen region. A district is one code, which the indexes use
        directly; a range beside the jurisdiction's range could make SQLite search the wider
        one (the jurisdiction's running counts, thousands of rows, for one district)."""
        prefix = prefix_of(self.region)
        if len(prefix) == 6:
            return column == prefix
        return column.between(*code_range(prefix))

    def apply(self, stmt, *, with_status: bool = True):
        """Narrow *stmt* (a select joining Filing and Enterprise) to the filters."""
        if self.kind:
            stmt = stmt.where(Filing.kind == FilingKind(self.kind))
        if with_status and self.status != ALL:
            stmt = stmt.where(Filing.status == Status(self.status))
        if self.region:
            stmt = stmt.where(self.region_clause(Filing.region_code))
        if self.enterprise is not None:
            stmt = stmt.where(Filing.enterprise_id == self.enterprise)
        if self.submitted_from:
            stmt = stmt.where(Filing.submitted_at >= _local_midnight_utc(self.submitted_from))
        if self.submitted_to:
            end = _local_midnight_utc(self.submitted_to + timedelta(days=1))
            stmt = stmt.where(Filing.submitted_at < end)
        if self.warnings:
            # A literal 0, not a parameter: only then do SQLite and PostgreSQL (whose prepared
            # statements plan without the values) see that the partial indexes of warned
            # filings (models.filings.WARNED) hold every row asked for.
            stmt = stmt.where(Filing.warning_count > literal_column("0"))
        if self.flagged:
            # IN, not EXISTS: the database can start from the few open flags instead of
            # testing every filing of the jurisdiction.
            stmt = stmt.where(Filing.id.in_(select(FilingFlag.filing_id).where(
                FilingFlag.cleared_at.is_(None))))
        if self.q:
            like = f"%{self.q}%"
            stmt = stmt.where(or_(Filing.number.ilike(like), Enterprise.name.ilike(like)))
        return stmt


_FILTER_FIELDS = tuple(f.name for f in fields(Filters))


def ordered(stmt, filters: Filters):
    """*stmt* in the queue's order: by submission time (oldest or newest first), then id."""
    if filters.sort == "newest":
        return stmt.order_by(Filing.submitted_at.desc(), Filing.id.desc())
    return stmt.order_by(Filing.submitted_at, Filing.id)


def cursor_of(filing) -> str:
    """The position of *filing* in the queue's order, for ``?after=`` and ``?before=``."""
    return f"{filing.submitted_at.astimezone(UTC):{CURSOR_FORMAT}}-{filing.id}"


def parse_cursor(value: str) -> tuple[datetime, int]:
    """(submitted_at, id) from a cursor made by :func:`cursor_of`.

    :raise ValueError: anything else.
    """
    stamp, _, ident = value.partition("-")
    if len(stamp) != 20 or not stamp.isdigit() or not ident.isdigit() or len(ident) > 12:
        raise ValueError(f"not a queue cursor: {value!r}")
    return datetime.strptime(stamp, CURSOR_FORMAT).replace(tzinfo=UTC), int(ident)


# What a row of the queue shows. Plain rows, not Filing objects: building 50 ORM objects with
# their enterprises cost more than the query itself. With each row come its meeting's start
# (primary-key lookups) and whether it has an open flag (an index of the flags by filing):
# one statement instead of three. The enterprise's name is looked up in enterprise_names().
# PAGE_FIELDS names the columns in order (a test checks), for the page's writer, which
# unpacks each row at once (review.views.queue_rows).
PAGE_COLUMNS = (
    Filing.id, Filing.number, Filing.kind, Filing.title, Filing.status, Filing.submitted_at,
    Filing.enterprise_id, Filing.warning_count, Meeting.starts_at,
    HAS_OPEN_FLAG.label("has_open_flag"),
)
PAGE_FIELDS = ("id", "number", "kind", "title", "status", "submitted_at", "enterprise_id",
               "warning_count", "starts_at", "has_open_flag")


def enterprise_names(wanted) -> dict[int, str]:
    """The names of the enterprises with the ids *wanted*, from every enterprise's name, which
    the process keeps while the catalogue stamp says no enterprise changed
    (``models.catalogues.KEPT_CATALOGUES``; ``portal.kept.per_catalogue``): a few hundred at
    most, the licensed direct-selling enterprises of the whole country. Names are public (the
    disclosure pages list them); callers ask only for those of rows in scope. An enterprise
    committed after the request read the stamp (its filings may already be on the page) is
    read at once."""
    names = per_catalogue("enterprise_names", None, lambda: dict(
        db.session.execute(select(Enterprise.id, Enterprise.name)).all()))
    missing = set(wanted).difference(names)
    if missing:
        names = {**names, **dict(db.session.execute(
            select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(missing))).all())}
    return names


@dataclass
class KeysetPage:
    """One page of the queue (rows of :data:`PAGE_COLUMNS`) and whether there are rows before
    and after it."""

    items: list
    has_prev: bool
    has_next: bool

    # Cached: the pagination asks for each twice (whether to link, and where to).
    @cached_property
    def prev_cursor(self) -> str | None:
        return cursor_of(self.items[0]) if self.has_prev and self.items else None

    @cached_property
    def next_cursor(self) -> str | None:
        return cursor_of(self.items[-1]) if self.has_next and self.items else None


@dataclass
class Queue:
    page: KeysetPage
    counts: dict  # status -> number of rows (at most cap + 1 when there is a cap)
    cap: int | None = COUNT_CAP  # None: the counts are exact (from the running counts)

    @property
    def total(self) -> int:
        """Filings in every shown status, each count limited to the cap."""
        if self.cap is None:
            return sum(self.counts.values())
        return sum(min(n, self.cap) for n in self.counts.values())

    @property
    def total_is_capped(self) -> bool:
        return self.cap is not None and any(n > self.cap for n in self.counts.values())


def _page_statement(filters: Filters, user, page_size: int, after: str | None,
                    before: str | None):
    """The statement of one page: *page_size* + 1 rows of :data:`PAGE_COLUMNS` after the
    cursor *after*, or before *before* (in reverse order).

    Flagged filings only are found in two steps: the page's filings first, from the open
    flags (a few hundred in all), then their meetings. In one step the
    database joined every flagged filing of the jurisdiction to its enterprise and meeting
    before sorting and keeping a page, and once it planned the prepared statement generically
    it did so with a scan of the enterprises for each (about 4 ms against 1 on PostgreSQL).
    Other filters walk an index in the page's order and stop after a page, joining as they go.

    :raise 404: a malformed cursor.
    """
    two_steps = filters.flagged
    stmt = scoped(select(Filing), user)
    if filters.q:  # the search also matches enterprise names
        stmt = stmt.join(Filing.enterprise)
    stmt = filters.apply(stmt)
    if two_steps:
        stmt = stmt.with_only_columns(Filing.id, Filing.submitted_at)
    else:
        stmt = (stmt.outerjoin(Meeting, Meeting.filing_id == Filing.id)
                .with_only_columns(*PAGE_COLUMNS))
    newest = filters.sort == "newest"
    key = tuple_(Filing.submitted_at, Filing.id)
    forward = (Filing.submitted_at.desc(), Filing.id.desc()) if newest else (
        Filing.submitted_at, Filing.id)
    backward = (Filing.submitted_at, Filing.id) if newest else (
        Filing.submitted_at.desc(), Filing.id.desc())
    order = forward
    try:
        if before:
            position = parse_cursor(before)
            stmt = stmt.where(key > position if newest else key < position)
            order = backward
        elif after:
            position = parse_cursor(after)
            stmt = stmt.where(key < position if newest else key > position)
    except ValueError:
        abort(404)
    stmt = stmt.order_by(*order).limit(page_size + 1)
    if not two_steps:
        return stmt
    page = stmt.subquery("page")
    return (select(*PAGE_COLUMNS).select_from(Filing)
            .join(page, page.c.id == Filing.id)
            .outerjoin(Meeting, Meeting.filing_id == Filing.id)
            .order_by(*order))


def _page(stmt, filters: Filters, page_size: int, after: str | None,
          before: str | None) -> KeysetPage:
    """The rows of the page statement *stmt* and whether there are rows before and after."""
    rows = db.session.connection().execute(stmt).all()
    if before:
        return KeysetPage(rows[:page_size][::-1], has_prev=len(rows) > page_size,
                          has_next=True)
    return KeysetPage(rows[:page_size], has_prev=bool(after), has_next=len(rows) > page_size)


def _counts(filters: Filters, user) -> dict:
    """The counts per status: exact from the running counts when they can answer, exact from
    the open flags when only flagged filings are asked for, else capped."""
    if filters.counted_by_tally:
        tally = FilingRegionTally if filters.enterprise is None else FilingTally
        stmt = built_statement(
            ("exact", scope_key(tally, user), filters.kind, filters.region, filters.enterprise),
            lambda: _exact_counts_statement(filters, user))
    elif filters.flagged:
        stmt = built_statement(("flagged", scope_key(Filing, user), filters.key),
                               lambda: _flagged_counts_statement(filters, user))
    else:
        stmt = built_statement(("capped", scope_key(Filing, user), filters.key),
                               lambda: _capped_counts_statement(filters, user))
        return dict(zip(SHOWN, db.session.connection().execute(stmt).one(), strict=True))
    counts = dict.fromkeys(SHOWN, 0)
    counts.update({Status(status): int(n) for status, n in db.session.connection().execute(stmt)
                   if Status(status) in counts})
    return counts


def _flagged_counts_statement(filters: Filters, user):
    """The number of flagged filings per status the other filters select, exactly, in one
    grouped statement that starts from the open flags (a few hundred, however many filings
    there are): counting each status up to the cap instead walked every filing of the status
    in the jurisdiction to find its flagged ones (2 ms on PostgreSQL at 100,000 filings)."""
    base = scoped(select(Filing), user)
    if filters.q:
        base = base.join(Filing.enterprise)
    return (filters.apply(base, with_status=False)
            .with_only_columns(Filing.status, func.count(Filing.id)).group_by(Filing.status))


def _exact_counts_statement(filters: Filters, user):
    """The number of filings per status from the running counts (filings/tally.py): one small
    grouped query, possible when the filters are only kind, region and enterprise. Without an
    enterprise the counts per region (a few dozen rows) answer."""
    tally = FilingRegionTally if filters.enterprise is None else FilingTally
    stmt = scoped(select(tally), user).with_only_columns(
        tally.status, func.sum(tally.n)).group_by(tally.status)
    if filters.kind:
        stmt = stmt.where(tally.kind == FilingKind(filters.kind))
    if filters.region:
        stmt = stmt.where(filters.region_clause(tally.region_code))
    if filters.enterprise is not None:
        stmt = stmt.where(FilingTally.enterprise_id == filters.enterprise)
    return stmt


def _capped_counts_statement(filters: Filters, user):
    """The number of filings per status the other filters select, each at most
    :data:`COUNT_CAP` + 1, in one statement."""
    base = scoped(select(Filing.id), user)
    if filters.q:
        base = base.join(Filing.enterprise)
    base = filters.apply(base, with_status=False)
    return select(*(
        select(func.count()).select_from(
            base.where(Filing.status == status).limit(COUNT_CAP + 1).subquery()
        ).scalar_subquery()
        for status in SHOWN
    ))


def build(filters: Filters, user, page_size: int, after: str | None = None,
          before: str | None = None) -> Queue:
    """The page of the queue the filters select, the counts per status and meeting starts.

    :raise 404: a malformed cursor.
    """
    page_size = min(page_size, MAX_PER_PAGE)
    if isinstance(user, LocalProxy):  # current_user: look it up once
        user = user._get_current_object()
    key = (scope_key(Filing, user), filters.key, page_size, after, before)
    page = _page(built_statement(("page", *key), lambda: _page_statement(
        filters, user, page_size, after, before)), filters, page_size, after, before)
    return Queue(page=page, counts=_counts(filters, user),
                 cap=None if filters.counted_by_tally or filters.flagged else COUNT_CAP)


def time_left(status: Status, starts_at: datetime | None, now: datetime | None = None):
    """Time until an undecided meeting (a filing in *status*) starts, when that is within
    :data:`SOON`; else None."""
    if starts_at is None or status not in UNDECIDED:
        return None
    left = starts_at - (now or utcnow())
    return left if timedelta(0) <= left <= SOON else None


class RegionChoice(NamedTuple):
    """A division offered by a region filter (read as a Region is: code, level, names)."""

    code: str
    level: int
    name_zh: str
    name_en: str


# Division codes change when `flask regions load` brings a new GB/T 2260 edition (a few times a
# decade), so each process keeps a jurisdiction's choices this long instead of reading them on
# every page of the queue.
REGION_CHOICES_SECONDS = 600


def region_choices(user) -> list[RegionChoice]:
    """Cities and districts inside the user's jurisdiction, for the region filter."""
    prefix = user.bureau.jurisdiction_prefix
    return kept("region_choices", prefix, REGION_CHOICES_SECONDS, lambda: [
        RegionChoice(*row) for row in db.session.execute(
            select(Region.code, Region.level, Region.name_zh, Region.name_en)
            .where(Region.code.between(*code_range(prefix)), Region.level >= 2)
            .order_by(Region.code))
    ])
