"""The review queue: every kind of filing in the jurisdiction, filtered, sorted and counted.

Queries stay bounded whatever the number of rows: one for the page, one for its total, one for
the counts per status, one for the start times of the page's meetings, one for its open flags.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager

from ..access import scoped
from ..extensions import db
from ..models import Enterprise, Filing, FilingFlag, FilingKind, Meeting, Region, utcnow
from ..rules.regions import prefix_of
from ..rules.workflow import Status
from .flags import open_flag_filings

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000  # deeper pages cannot exist; larger numbers would overflow the database
# Meetings starting within this time and still undecided are marked in the queue.
SOON = timedelta(days=7)
UNDECIDED = frozenset({Status.SUBMITTED, Status.RETURNED})
SORTS = {"oldest", "newest"}
ALL = "all"
STATUSES = {s.value for s in Status} | {ALL}


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


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
            region=region if region.isdigit() and len(region) == 6 else "",
            enterprise=int(enterprise) if enterprise.isdigit() and len(enterprise) < 18 else None,
            submitted_from=_date(args.get("from", "")),
            submitted_to=_date(args.get("to", "")),
            q=args.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "oldest",
            warnings=args.get("warnings") == "1",
            flagged=args.get("flagged") == "1",
        )

    def apply(self, stmt, *, with_status: bool = True):
        """Narrow *stmt* (a select joining Filing and Enterprise) to the filters."""
        if self.kind:
            stmt = stmt.where(Filing.kind == FilingKind(self.kind))
        if with_status and self.status != ALL:
            stmt = stmt.where(Filing.status == Status(self.status))
        if self.region:
            stmt = stmt.where(Filing.region_code.like(prefix_of(self.region) + "%"))
        if self.enterprise is not None:
            stmt = stmt.where(Filing.enterprise_id == self.enterprise)
        if self.submitted_from:
            stmt = stmt.where(Filing.submitted_at >= _local_midnight_utc(self.submitted_from))
        if self.submitted_to:
            end = _local_midnight_utc(self.submitted_to + timedelta(days=1))
            stmt = stmt.where(Filing.submitted_at < end)
        if self.warnings:
            stmt = stmt.where(Filing.warning_count > 0)
        if self.flagged:
            stmt = stmt.where(select(FilingFlag.id).where(
                FilingFlag.filing_id == Filing.id, FilingFlag.cleared_at.is_(None)
            ).exists())
        if self.q:
            like = f"%{self.q}%"
            stmt = stmt.where(or_(Filing.number.ilike(like), Enterprise.name.ilike(like)))
        return stmt


def ordered(stmt, filters: Filters):
    """*stmt* in the queue's order: by submission time (oldest or newest first), then id."""
    if filters.sort == "newest":
        return stmt.order_by(Filing.submitted_at.desc(), Filing.id.desc())
    return stmt.order_by(Filing.submitted_at, Filing.id)


@dataclass
class Queue:
    page: object
    counts: dict
    starts: dict = field(default_factory=dict)  # filing id -> meeting start, for the page
    flagged: set = field(default_factory=set)  # ids of the page's filings with an open flag


def build(filters: Filters, user, page_size: int, page_number: int = 1) -> Queue:
    """The page of the queue the filters select, the counts per status and meeting starts.

    :raise 404: *page_number* outside 1 … :data:`MAX_PAGE` or past the last page.
    """
    if not 1 <= page_number <= MAX_PAGE:
        abort(404)
    base = scoped(select(Filing), user).join(Filing.enterprise)
    stmt = ordered(filters.apply(base), filters).options(contains_eager(Filing.enterprise))
    page = db.paginate(stmt, page=page_number, per_page=page_size, max_per_page=MAX_PER_PAGE)
    counts = dict(
        db.session.execute(
            filters.apply(base, with_status=False)
            .with_only_columns(Filing.status, func.count())
            .group_by(Filing.status)
        ).all()
    )
    meeting_ids = [f.id for f in page.items if f.kind is FilingKind.MEETING]
    starts = {}
    if meeting_ids:
        starts = dict(db.session.execute(
            select(Meeting.filing_id, Meeting.starts_at).where(Meeting.filing_id.in_(meeting_ids))
        ).all())
    flagged = open_flag_filings([f.id for f in page.items])
    return Queue(page=page, counts=counts, starts=starts, flagged=flagged)


def time_left(filing: Filing, starts_at: datetime | None, now: datetime | None = None):
    """Time until an undecided meeting starts, when that is within :data:`SOON`; else None."""
    if starts_at is None or filing.status not in UNDECIDED:
        return None
    left = starts_at - (now or utcnow())
    return left if timedelta(0) <= left <= SOON else None


def region_choices(user) -> list[Region]:
    """Cities and districts inside the user's jurisdiction, for the region filter."""
    prefix = user.bureau.jurisdiction_prefix
    return list(db.session.scalars(
        select(Region).where(Region.code.like(prefix + "%"), Region.level >= 2)
        .order_by(Region.code)
    ))
