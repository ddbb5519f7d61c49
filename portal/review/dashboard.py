"""The bureau dashboard: filings by status and kind, the oldest undecided, decisions per week.

Scoped exactly as the review queue (``access.scoped`` on ``Filing``: the jurisdiction, never
drafts). Three queries whatever the number of filings: one grouped sum of the running counts
(``filing_tally``, kept by filings/tally.py), the ten oldest submitted filings (with their
enterprises joined), and the last twelve weeks' decisions counted per ISO week of China
Standard Time, action and days waited (``ix_filing_event_created_action`` keeps that query to the
weeks shown; the weeks are ranges of UTC times, so the same SQL runs on SQLite and
PostgreSQL). The charts of the last twelve months are in ``trends`` and ``dashboard_charts``.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from .. import charts
from ..access import scope_clause, scoped
from ..extensions import db
from ..i18n import gettext as _
from ..labels import STATUS_LABELS
from ..models import Filing, FilingEvent, FilingKind, FilingRegionTally, utcnow
from ..rules.meetings import CHINA, CalendarUnknownError, working_days_between
from ..rules.workflow import Action, Status
from .ranges import china_day_diff, china_midnight_utc, per_range, range_number

WEEKS = 12
OLDEST = 10
DECISIONS = (Action.APPROVE, Action.RETURN, Action.REJECT)
# Statuses a bureau sees (drafts stay with the enterprise), in the order of the workflow.
STATUSES = tuple(s for s in Status if s is not Status.DRAFT)
KINDS = tuple(FilingKind)


# Pure helpers (tested without an app)


def week_start(day: date) -> date:
    """The Monday of *day*'s ISO week."""
    return day - timedelta(days=day.weekday())


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last *weeks* ISO weeks, oldest first, the current week last."""
    current = week_start(today)
    return [current - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


@dataclass
class Week:
    """One ISO week (Monday to Sunday, China Standard Time) and its decisions per action."""

    start: date
    counts: dict = field(default_factory=lambda: dict.fromkeys(DECISIONS, 0))

    @property
    def iso(self) -> tuple[int, int]:
        year, week, _ = self.start.isocalendar()
        return year, week

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def age(submitted_at: datetime, today: date) -> tuple[int, int | None]:
    """Calendar days and Chinese working days since submission (None beyond the calendar)."""
    submitted_on = submitted_at.astimezone(CHINA).date()
    try:
        working = working_days_between(submitted_on, today)
    except CalendarUnknownError:
        working = None
    return (today - submitted_on).days, working


nice_ceiling = charts.nice_ceiling
DECISION_COLOURS = {Action.APPROVE: charts.GREEN, Action.RETURN: charts.ORANGE,
                    Action.REJECT: charts.RED}
DECISION_STATUSES = {Action.APPROVE: Status.APPROVED, Action.RETURN: Status.RETURNED,
                     Action.REJECT: Status.REJECTED}


def bar_chart(weeks: list[Week], **layout) -> charts.BarChart:
    """One stacked bar per week: approved, returned, rejected from the bottom up, labelled
    with the ISO week number (``charts.bar_chart``; labels in the request's language)."""
    series = [charts.Series(a.value, str(STATUS_LABELS[DECISION_STATUSES[a]]),
                            DECISION_COLOURS[a]) for a in DECISIONS]
    return charts.bar_chart(
        [(str(w.iso[1]), _("Week %(week)s", week=w.iso[1]), {a.value: n for a, n in
                                                             w.counts.items()})
         for w in weeks], series, **layout)


# Queries


@dataclass
class Matrix:
    """Counts of filings per (status, kind) with row and column totals."""

    counts: dict

    def cell(self, status: Status, kind: FilingKind) -> int:
        return self.counts.get((status, kind), 0)

    def status_total(self, status: Status) -> int:
        return sum(n for (s, _), n in self.counts.items() if s == status)

    def kind_total(self, kind: FilingKind) -> int:
        return sum(n for (_, k), n in self.counts.items() if k == kind)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def status_kind_matrix(user) -> Matrix:
    """How many filings of each status and kind the user's bureau sees: one grouped query on
    the running counts per region (filings/tally.py), whatever the number of filings."""
    rows = db.session.execute(
        scoped(select(FilingRegionTally), user)
        .with_only_columns(FilingRegionTally.status, FilingRegionTally.kind,
                           func.sum(FilingRegionTally.n))
        .group_by(FilingRegionTally.status, FilingRegionTally.kind)
    )
    return Matrix({(Status(s), FilingKind(k)): int(n) for s, k, n in rows if n})


def oldest_undecided(user, limit: int = OLDEST) -> list[Filing]:
    """The *limit* filings waiting longest for the bureau's decision (status submitted)."""
    return list(db.session.scalars(
        scoped(select(Filing), user)
        .join(Filing.enterprise)
        .options(contains_eager(Filing.enterprise))
        .where(Filing.status == Status.SUBMITTED)
        .order_by(Filing.submitted_at, Filing.id)
        .limit(limit)
    ))


def decisions_and_times(user, today: date, weeks: int = WEEKS) -> tuple[list[Week], Counter]:
    """Approvals, returns and rejections per ISO week (China Standard Time), oldest first, and
    how long they waited: {China calendar days from submission to decision: decisions}.

    The decisions counted are the workflow events on filings in the jurisdiction, whoever in
    the bureau (or a bureau above it) took them. The database counts them per week, action
    and days waited, one part per week (``ranges.per_range``: each reads its week of
    ``ix_filing_event_created_action``), so the answer is a few rows a week however many
    decisions there were. The wait runs from the filing's latest submission; a decision
    followed by a later resubmission has none (its own submission time is no longer known).
    """
    starts = week_starts(today, weeks)
    edges = [china_midnight_utc(start) for start in starts]
    edges.append(china_midnight_utc(starts[-1] + timedelta(weeks=1)))
    waited = case((Filing.submitted_at <= FilingEvent.created_at,
                   china_day_diff(Filing.submitted_at, FilingEvent.created_at)))

    def part(n, start, end):
        return (
            select(range_number(n), FilingEvent.action, waited.label("days"), func.count())
            .select_from(FilingEvent)
            .join(Filing, FilingEvent.filing_id == Filing.id)
            .where(scope_clause(Filing, user),
                   FilingEvent.action.in_([a.value for a in DECISIONS]),
                   FilingEvent.created_at >= start, FilingEvent.created_at < end)
            .group_by(FilingEvent.action, waited)
        )

    result, days = [Week(start) for start in starts], Counter()
    for week, action, waited_days, n in db.session.execute(per_range(edges, part)):
        result[week].counts[Action(action)] += n
        if waited_days is not None:
            days[int(waited_days)] += n
    return result, days


def decisions_per_week(user, today: date, weeks: int = WEEKS) -> list[Week]:
    """The decisions of :func:`decisions_and_times`, per week."""
    return decisions_and_times(user, today, weeks)[0]


def today_in_china(now: datetime | None = None) -> date:
    """Today's date in China Standard Time."""
    return (now or utcnow()).astimezone(CHINA).date()
