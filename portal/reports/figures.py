"""The annual work report's figures (年度工作总结): what a bureau did in a period, beside the
previous period of equal length.

Scoped like the dashboard (``access.scope_clause``: filings in the jurisdiction, the bureau's
supervisions, checks and notices). Both periods are counted by the same query: the three
China midnights (previous start, current start, the day after the current end) are computed
in Python, and each row is numbered 0 (previous) or 1 (current) by a CASE, or counted by
per-period conditional sums where a row has several dates. Seven queries whatever the
period or the number of rows.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select

from ..access import scope_clause
from ..extensions import db
from ..models import (
    Check,
    CheckItem,
    CheckPlan,
    CheckResult,
    Filing,
    FilingEvent,
    FilingKind,
    Notice,
    NoticeStatus,
    Supervision,
    Verdict,
)
from ..review.ranges import china_midnight_utc
from ..review.trends import DONE_CHECKS, bucket, decision_times
from ..rules.workflow import Action

MAX_YEARS = 3
RECEIVED = (Action.SUBMIT, Action.RESUBMIT, Action.AMEND)
DECIDED = (Action.APPROVE, Action.RETURN, Action.REJECT)
KINDS = tuple(FilingKind)


def add_years(day: date, years: int) -> date:
    """The same day *years* later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    """From *start* to *end*, both days included, in China Standard Time."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of equal length that ends the day before this one starts."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @classmethod
    def year_to_date(cls, today: date) -> "Period":
        """1 January of *today*'s year to *today*: the report's default."""
        return cls(date(today.year, 1, 1), today)


def period_problem(start: date, end: date) -> str | None:
    """Why a period cannot be reported on: ``reversed`` or ``too_long``; None when fine."""
    if end < start:
        return "reversed"
    if end >= add_years(start, MAX_YEARS):
        return "too_long"
    return None


@dataclass
class Figure:
    """One number of the report in this period and the previous one."""

    key: str
    current: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def change_ratio(self) -> float | None:
        """The change as a fraction of the previous figure; None when that was 0."""
        if self.change is None or not self.previous:
            return None
        return self.change / self.previous


@dataclass
class FailedCategory:
    category_zh: str
    category_en: str
    position: int
    counts: list = field(default_factory=lambda: [0, 0])  # previous, current


@dataclass
class Report:
    """All figures of a bureau for a period; ``figures`` by key, ``by_kind`` per filing kind."""

    period: Period
    previous: Period
    figures: dict
    by_kind: dict  # kind -> {"received": Figure, "approve": …, "return": …, "reject": …}
    failed: list  # FailedCategory, the catalogue's order

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]


def _in(column, edges, n):
    return and_(column >= edges[n], column < edges[n + 1])


def _count_in(column, edges, n):
    return func.coalesce(func.sum(case((_in(column, edges, n), 1), else_=0)), 0)


def _filing_events(user, edges) -> dict:
    """{(period, kind, action): n} of the submissions and decisions on filings in the area."""
    rows = (
        select(bucket(FilingEvent.created_at, edges).label("period"),
               Filing.kind.label("kind"), FilingEvent.action.label("action"))
        .select_from(FilingEvent)
        .join(Filing, FilingEvent.filing_id == Filing.id)
        .where(scope_clause(Filing, user),
               FilingEvent.action.in_([a.value for a in RECEIVED + DECIDED]),
               FilingEvent.created_at >= edges[0], FilingEvent.created_at < edges[-1])
        .subquery()
    )
    return {(period, FilingKind(kind), Action(action)): n for period, kind, action, n in
            db.session.execute(select(rows.c.period, rows.c.kind, rows.c.action, func.count())
                               .group_by(rows.c.period, rows.c.kind, rows.c.action))}


def _sums(stmt) -> list[int]:
    return [int(n or 0) for n in db.session.execute(stmt).one()]


def _supervisions(user, edges) -> list[int]:
    """Supervisions marked (planned) and completed, previous then current."""
    return _sums(
        select(*[_count_in(c, edges, n) for c in (Supervision.marked_at,
                                                   Supervision.completed_at) for n in (0, 1)])
        .where(scope_clause(Supervision, user),
               or_(and_(Supervision.marked_at >= edges[0], Supervision.marked_at < edges[-1]),
                   and_(Supervision.completed_at >= edges[0],
                        Supervision.completed_at < edges[-1])))
    )


def _checks(user, edges) -> list[int]:
    """Checks drawn (planned), completed and published: previous and current each."""
    drawn, done, published = CheckPlan.drawn_at, Check.completed_at, Check.published_at
    return _sums(
        select(*[_count_in(c, edges, n) for c in (drawn, done, published) for n in (0, 1)])
        .select_from(Check)
        .join(CheckPlan, CheckPlan.id == Check.plan_id)
        .where(scope_clause(Check, user),
               or_(*[and_(c >= edges[0], c < edges[-1]) for c in (drawn, done, published)]))
    )


def _failed(user, edges) -> list[FailedCategory]:
    """Items failed per check-item category in the checks completed in each period."""
    failed = (
        select(bucket(Check.completed_at, edges).label("period"),
               CheckItem.category_zh.label("zh"), CheckItem.category_en.label("en"),
               CheckItem.position.label("position"))
        .select_from(CheckResult)
        .join(Check, Check.id == CheckResult.check_id)
        .join(CheckItem, CheckItem.id == CheckResult.item_id)
        .where(scope_clause(Check, user), Check.status.in_(DONE_CHECKS),
               CheckResult.verdict == Verdict.FAIL,
               Check.completed_at >= edges[0], Check.completed_at < edges[-1])
        .subquery()
    )
    rows = db.session.execute(
        select(failed.c.period, failed.c.zh, failed.c.en, func.min(failed.c.position),
               func.count()).group_by(failed.c.period, failed.c.zh, failed.c.en)
    )
    categories: dict = {}
    for period, zh, en, position, n in rows:
        entry = categories.setdefault((zh, en), FailedCategory(zh, en, position))
        entry.position = min(entry.position, position)
        entry.counts[period] += n
    return sorted(categories.values(), key=lambda c: (c.position, c.category_zh))


def _notices(user, edges) -> list[int]:
    """Notices issued, corrected (closed) and escalated: previous and current each."""
    columns = (Notice.issued_at, Notice.closed_at, Notice.escalated_at)
    closed = Notice.status == NoticeStatus.CORRECTED
    return _sums(
        select(_count_in(Notice.issued_at, edges, 0), _count_in(Notice.issued_at, edges, 1),
               func.coalesce(func.sum(case((and_(closed, _in(Notice.closed_at, edges, 0)), 1),
                                           else_=0)), 0),
               func.coalesce(func.sum(case((and_(closed, _in(Notice.closed_at, edges, 1)), 1),
                                           else_=0)), 0),
               _count_in(Notice.escalated_at, edges, 0), _count_in(Notice.escalated_at, edges, 1))
        .where(scope_clause(Notice, user),
               or_(*[and_(c >= edges[0], c < edges[-1]) for c in columns]))
    )


def build(user, period: Period) -> Report:
    """The report of *user*'s bureau for *period*, with the previous period beside it."""
    previous = period.previous()
    edges = [china_midnight_utc(previous.start), china_midnight_utc(period.start),
             china_midnight_utc(period.end + timedelta(days=1))]
    events = _filing_events(user, edges)

    def events_of(actions, kinds=KINDS) -> Figure:
        return Figure("", *[sum(events.get((p, k, a), 0) for k in kinds for a in actions)
                            for p in (1, 0)])

    by_kind = {kind: {"received": events_of(RECEIVED, [kind]),
                      **{a.value: events_of([a], [kind]) for a in DECIDED},
                      "decided": events_of(DECIDED, [kind])} for kind in KINDS}
    marked_prev, marked, done_prev, done = _supervisions(user, edges)
    drawn_prev, drawn, completed_prev, completed, published_prev, published = _checks(user, edges)
    issued_prev, issued, corrected_prev, corrected, escalated_prev, escalated = _notices(
        user, edges)
    failed = _failed(user, edges)
    times = [decision_times(user, edges[n], edges[n + 1]) for n in (1, 0)]
    figures = {
        "received": events_of(RECEIVED),
        "decided": events_of(DECIDED),
        "approved": events_of([Action.APPROVE]),
        "returned": events_of([Action.RETURN]),
        "rejected": events_of([Action.REJECT]),
        "median_days": Figure("", times[0].median, times[1].median),
        "meetings_filed": events_of([Action.SUBMIT], [FilingKind.MEETING]),
        "supervisions_planned": Figure("", marked, marked_prev),
        "meetings_supervised": Figure("", done, done_prev),
        "checks_planned": Figure("", drawn, drawn_prev),
        "checks_done": Figure("", completed, completed_prev),
        "checks_published": Figure("", published, published_prev),
        "items_failed": Figure("", sum(c.counts[1] for c in failed),
                               sum(c.counts[0] for c in failed)),
        "notices_issued": Figure("", issued, issued_prev),
        "notices_corrected": Figure("", corrected, corrected_prev),
        "notices_escalated": Figure("", escalated, escalated_prev),
    }
    for key, figure in figures.items():
        figure.key = key
    return Report(period, previous, figures, by_kind, failed)
