"""What the enterprise's home page shows: its licence facts, what needs action, and its
filings counted.

Every query starts from ``scoped(select(...), user)``; each list is bounded and loads what it
shows, as plain rows of the columns it shows, in one query, however many filings the
enterprise has. The counts come from the running counts (``filing_tally``,
filings/tally.py), not from counting the enterprise's filings.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased, joinedload

from ..access import built_per_scope, scoped
from ..extensions import db
from ..models import (
    Enterprise,
    EnterpriseRegion,
    Filing,
    FilingEvent,
    FilingKind,
    FilingTally,
    Meeting,
    Region,
    utcnow,
)
from ..rules.workflow import Action, Status

LIST_LIMIT = 10  # rows per list on the home page; the full lists are on the filings page
UPCOMING_DAYS = 14

# What the licence facts (templates/enterprise/_facts.html) show, as ENTERPRISE_FACTS_OPTIONS
# (models/organisation.py) but with the approved regions joined in: one statement, not two.
FACTS_OPTIONS = (
    joinedload(Enterprise.region).joinedload(Region.parent),
    joinedload(Enterprise.approved_regions).joinedload(EnterpriseRegion.region)
    .joinedload(Region.parent),
)


@dataclass
class Overview:
    returned: list  # rows: id, number, title, kind, decided_at, reasons, comment (of its
    #                 latest "return" event; None without one)
    drafts: list  # rows: id, number, title, kind, updated_at
    attendance_due: list  # rows: id, number, title, ends_at (approved, ended, not reported)
    upcoming: list  # rows: id, title, starts_at, venue_name, status (submitted or approved,
    #                 starting within UPCOMING_DAYS)
    counts: dict = field(default_factory=dict)  # (kind, status) -> number
    upcoming_days: int = UPCOMING_DAYS

    @property
    def needs_action(self) -> bool:
        return bool(self.returned or self.drafts or self.attendance_due)

    def count(self, kind=None, status=None) -> int:
        """Filings of *kind* and/or *status* (None: any)."""
        return sum(n for (k, s), n in self.counts.items()
                   if (kind is None or k == kind) and (status is None or s == status))


def _returned(user):
    """The latest returned filings with the reasons and comment of their latest "return"
    event: the page of filings first, then its events (a join per row of the page, not per
    returned filing of the enterprise)."""
    page = (scoped(select(Filing), user)
            .with_only_columns(Filing.id, Filing.number, Filing.title, Filing.kind,
                               Filing.decided_at)
            .where(Filing.status == Status.RETURNED)
            .order_by(Filing.decided_at.desc(), Filing.id.desc()).limit(LIST_LIMIT)
            .subquery())
    earlier = aliased(FilingEvent)
    latest = (select(func.max(earlier.id))
              .where(earlier.filing_id == page.c.id, earlier.action == Action.RETURN.value)
              .scalar_subquery())
    return (select(page.c.id, page.c.number, page.c.title, page.c.kind, page.c.decided_at,
                   FilingEvent.reasons, FilingEvent.comment)
            .outerjoin(FilingEvent, FilingEvent.id == latest)
            .order_by(page.c.decided_at.desc(), page.c.id.desc()))


def _meetings(user, *columns, conditions, order):
    """The first meetings of the user's enterprise by *order*. The meeting's own copy of the
    enterprise lets the database walk an index of the enterprise's meetings in that order
    (``ix_meeting_enterprise_starts``, ``ix_meeting_attendance_due``) and stop after a page,
    instead of joining every meeting filing of the enterprise and sorting them. The walk
    reads ids only (the filings' status from an index on SQLite): the meetings that ended
    without an attendance report include every rejected, withdrawn or never submitted one,
    which it must pass; the page's meetings are read afterwards."""
    page = (scoped(select(Filing), user)
            .with_only_columns(Meeting.filing_id.label("id"))
            .select_from(Filing)
            .join(Meeting, Meeting.filing_id == Filing.id)
            .where(Meeting.enterprise_id == user.enterprise_id,
                   Filing.kind == FilingKind.MEETING, *conditions)
            .order_by(order, Meeting.filing_id)
            .limit(LIST_LIMIT)
            .subquery())
    return (scoped(select(Filing), user)
            .with_only_columns(*columns)
            .join(page, page.c.id == Filing.id)
            .join(Meeting, Meeting.filing_id == Filing.id)
            .order_by(order, Meeting.filing_id))


def _build(user) -> dict:
    """The overview's statements for *user*; the time is a parameter (``now``, ``soon``)."""
    now, soon = bindparam("now"), bindparam("soon")
    return {
        "enterprise": scoped(select(Enterprise), user)
        .where(Enterprise.id == user.enterprise_id).options(*FACTS_OPTIONS),
        "returned": _returned(user),
        "drafts": (scoped(select(Filing), user)
                   .with_only_columns(Filing.id, Filing.number, Filing.title, Filing.kind,
                                      Filing.updated_at)
                   .where(Filing.status == Status.DRAFT)
                   .order_by(Filing.updated_at.desc(), Filing.id.desc()).limit(LIST_LIMIT)),
        "attendance_due": _meetings(
            user, Filing.id, Filing.number, Meeting.title, Meeting.ends_at,
            conditions=(Filing.status == Status.APPROVED, Meeting.ends_at < now,
                        Meeting.actual_attendance.is_(None)),
            order=Meeting.ends_at,
        ),
        "upcoming": _meetings(
            user, Filing.id, Meeting.title, Meeting.starts_at, Meeting.venue_name,
            Filing.status,
            conditions=(Filing.status.in_([Status.SUBMITTED, Status.APPROVED]),
                        Meeting.starts_at >= now, Meeting.starts_at < soon),
            order=Meeting.starts_at,
        ),
        "counts": (scoped(select(FilingTally), user)
                   .with_only_columns(FilingTally.kind, FilingTally.status,
                                      func.sum(FilingTally.n))
                   .group_by(FilingTally.kind, FilingTally.status)),
    }


def _statements(user) -> dict:
    return built_per_scope("enterprise.overview", Filing, user, _build)


def licence_facts(user) -> Enterprise | None:
    """The enterprise of *user* with what its licence facts show, or None (outside the
    user's scope)."""
    return db.session.execute(_statements(user)["enterprise"]).unique().scalar_one_or_none()


def overview(user, now=None) -> Overview:
    """The home page's lists and counts for an enterprise *user* at *now* (default: now)."""
    now = now or utcnow()
    statements = _statements(user)

    def rows(name, **params):
        return db.session.execute(statements[name], params).all()

    return Overview(
        returned=rows("returned"),
        drafts=rows("drafts"),
        attendance_due=rows("attendance_due", now=now),
        upcoming=rows("upcoming", now=now, soon=now + timedelta(days=UPCOMING_DAYS)),
        counts={(kind, status): int(n) for kind, status, n in rows("counts") if n},
    )
