"""The bureau dashboard: filings by status and kind, the oldest undecided, decisions per week.

Scoped exactly as the review queue (``access.scoped`` on ``Filing``: the jurisdiction, never
drafts). Three queries whatever the number of filings: one grouped sum of the running counts
(``filing_tally``, kept by filings/tally.py), the ten oldest submitted filings (with their
enterprises joined), and the last twelve weeks' decisions counted per ISO week of China
Standard Time and action (``ix_filing_event_created_at`` keeps that query to the weeks shown;
the weeks are ranges of UTC times, so the same SQL runs on SQLite and PostgreSQL).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from ..access import scope_clause, scoped
from ..extensions import db
from ..models import Filing, FilingEvent, FilingKind, FilingTally, utcnow
from ..rules.meetings import CHINA, CalendarUnknownError, working_days_between
from ..rules.workflow import Action, Status

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


def china_midnight_utc(day: date) -> datetime:
    """The UTC moment at which *day* begins in China Standard Time."""
    return datetime.combine(day, time(), CHINA).astimezone(UTC)


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


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50 … that is at least *value* (at least 5)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= max(value, 5):
                return step * factor
        step *= 10


@dataclass(frozen=True)
class Bar:
    """One segment of a stacked bar, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    action: str
    count: int


@dataclass
class Chart:
    """Geometry of the stacked bar chart (drawn by templates/review/_chart.html)."""

    width: int
    height: int
    top: int
    left: int
    bottom: int
    maximum: int
    bars: list = field(default_factory=list)  # (Week, x of the bar's centre, [Bar])
    ticks: list = field(default_factory=list)  # (value, y)

    @property
    def baseline(self) -> int:
        return self.height - self.bottom


def bar_chart(weeks: list[Week], width=640, height=240, left=40, top=12, bottom=28) -> Chart:
    """Lay out one stacked bar per week: approved, returned, rejected from the bottom up."""
    maximum = nice_ceiling(max((w.total for w in weeks), default=0))
    chart = Chart(width, height, top, left, bottom, maximum)
    plot_height = height - top - bottom
    slot = (width - left) / max(len(weeks), 1)
    bar_width = slot * 0.6
    for value in (0, maximum // 2, maximum):
        chart.ticks.append((value, chart.baseline - plot_height * value / maximum))
    for n, week in enumerate(weeks):
        x = left + slot * n + (slot - bar_width) / 2
        y = chart.baseline
        segments = []
        for action in DECISIONS:
            count = week.counts[action]
            if count:
                h = plot_height * count / maximum
                y -= h
                segments.append(Bar(round(x, 1), round(y, 1), round(bar_width, 1), round(h, 1),
                                    action.value, count))
        chart.bars.append((week, round(x + bar_width / 2, 1), segments))
    return chart


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
    the running counts (filings/tally.py), whatever the number of filings."""
    rows = db.session.execute(
        scoped(select(FilingTally), user)
        .with_only_columns(FilingTally.status, FilingTally.kind, func.sum(FilingTally.n))
        .group_by(FilingTally.status, FilingTally.kind)
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


def decisions_per_week(user, today: date, weeks: int = WEEKS) -> list[Week]:
    """Approvals, returns and rejections per ISO week (China Standard Time), oldest first.

    The decisions counted are the workflow events on filings in the jurisdiction, whoever in
    the bureau (or a bureau above it) took them. The database counts them per week and
    action: each week is the range between two China midnights in UTC, numbered by a CASE,
    so the answer is at most three rows a week however many decisions there were.
    """
    starts = week_starts(today, weeks)
    bounds = [china_midnight_utc(start) for start in starts]
    bounds.append(china_midnight_utc(starts[-1] + timedelta(weeks=1)))
    week_no = case(*[(FilingEvent.created_at < bounds[n + 1], n) for n in range(weeks)])
    events = (
        select(week_no.label("week"), FilingEvent.action.label("action"))
        .join(Filing, FilingEvent.filing_id == Filing.id)
        .where(
            scope_clause(Filing, user),
            FilingEvent.action.in_([a.value for a in DECISIONS]),
            FilingEvent.created_at >= bounds[0],
            FilingEvent.created_at < bounds[-1],
        )
        .subquery()
    )
    result = [Week(start) for start in starts]
    for week, action, n in db.session.execute(
        select(events.c.week, events.c.action, func.count())
        .group_by(events.c.week, events.c.action)
    ):
        result[week].counts[Action(action)] += n
    return result


def today_in_china(now: datetime | None = None) -> date:
    """Today's date in China Standard Time."""
    return (now or utcnow()).astimezone(CHINA).date()
