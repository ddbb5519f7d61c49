"""What the enterprise's home page shows: what needs action, and its filings counted.

Every query starts from ``scoped(select(Filing), user)``; each list is bounded and loads what
it shows in a fixed number of queries, however many filings the enterprise has.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from ..access import scoped
from ..extensions import db
from ..models import Filing, FilingEvent, FilingKind, Meeting, utcnow
from ..rules.workflow import Action, Status

LIST_LIMIT = 10  # rows per list on the home page; the full lists are on the filings page
UPCOMING_DAYS = 14


@dataclass
class Overview:
    returned: list  # (filing, its latest "return" event or None)
    drafts: list  # filings
    attendance_due: list  # (filing, meeting): approved, ended, no attendance reported
    upcoming: list  # (filing, meeting): submitted or approved, starting within UPCOMING_DAYS
    counts: dict = field(default_factory=dict)  # (kind, status) -> number
    upcoming_days: int = UPCOMING_DAYS

    @property
    def needs_action(self) -> bool:
        return bool(self.returned or self.drafts or self.attendance_due)

    def count(self, kind=None, status=None) -> int:
        """Filings of *kind* and/or *status* (None: any)."""
        return sum(n for (k, s), n in self.counts.items()
                   if (kind is None or k == kind) and (status is None or s == status))


def _latest_returns(filings) -> dict[int, FilingEvent]:
    """The latest "return" event of each filing, in one query."""
    if not filings:
        return {}
    events = db.session.scalars(
        select(FilingEvent)
        .where(FilingEvent.filing_id.in_([f.id for f in filings]),
               FilingEvent.action == Action.RETURN.value)
        .order_by(FilingEvent.id)
    )
    return {event.filing_id: event for event in events}  # later events overwrite earlier


def _meetings(user, *conditions, order):
    """The first meetings of the user's enterprise by *order*. The meeting's own copy of the
    enterprise lets the database walk an index of the enterprise's meetings in that order
    (``ix_meeting_enterprise_starts``, ``ix_meeting_attendance_due``) and stop after a page,
    instead of joining every meeting filing of the enterprise and sorting them."""
    stmt = (scoped(select(Filing, Meeting), user)
            .join(Meeting, Meeting.filing_id == Filing.id)
            .where(Meeting.enterprise_id == user.enterprise_id,
                   Filing.kind == FilingKind.MEETING, *conditions)
            .order_by(order, Meeting.filing_id)
            .limit(LIST_LIMIT))
    return db.session.execute(stmt).all()


def overview(user, now=None) -> Overview:
    """The home page's lists and counts for an enterprise *user* at *now* (default: now)."""
    now = now or utcnow()
    returned = db.session.scalars(
        scoped(select(Filing), user).where(Filing.status == Status.RETURNED)
        .order_by(Filing.decided_at.desc(), Filing.id.desc()).limit(LIST_LIMIT)
    ).all()
    reasons = _latest_returns(returned)
    drafts = db.session.scalars(
        scoped(select(Filing), user).where(Filing.status == Status.DRAFT)
        .order_by(Filing.updated_at.desc(), Filing.id.desc()).limit(LIST_LIMIT)
    ).all()
    attendance_due = _meetings(
        user, Filing.status == Status.APPROVED, Meeting.ends_at < now,
        Meeting.actual_attendance.is_(None), order=Meeting.ends_at,
    )
    upcoming = _meetings(
        user, Filing.status.in_([Status.SUBMITTED, Status.APPROVED]),
        Meeting.starts_at >= now, Meeting.starts_at < now + timedelta(days=UPCOMING_DAYS),
        order=Meeting.starts_at,
    )
    counts = db.session.execute(
        scoped(select(Filing), user)
        .with_only_columns(Filing.kind, Filing.status, func.count())
        .group_by(Filing.kind, Filing.status)
    ).all()
    return Overview(
        returned=[(f, reasons.get(f.id)) for f in returned],
        drafts=list(drafts),
        attendance_due=[tuple(row) for row in attendance_due],
        upcoming=[tuple(row) for row in upcoming],
        counts={(kind, status): n for kind, status, n in counts},
    )
