"""The bureau dashboard's charts: filings and meetings per month, spot-check pass rates,
notices by state and the time filings wait for a decision.

Scoped as the rest of the dashboard (``access.scope_clause``). Each figure is one
statement whatever the number of rows: months are ranges of UTC times between two China
midnights computed here in Python, counted by one small grouped part per month glued with
UNION ALL (``ranges.per_range``; one SQL for SQLite and PostgreSQL) over indexed columns
(``ix_filing_status_submitted``, ``ix_filing_kind_status_submitted``,
``ix_notice_bureau_status``). The time to decision comes with the weekly decisions
(``dashboard.decisions_and_times``). The annual report (portal/reports/) reuses the helpers
and the pass-rate and decision-time queries.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, func, select

from ..access import scope_clause
from ..extensions import db
from ..models import (
    Check,
    CheckItem,
    CheckResult,
    CheckStatus,
    Filing,
    FilingEvent,
    FilingKind,
    Notice,
    NoticeStatus,
    Supervision,
    SupervisionStatus,
    Verdict,
)
from ..rules.workflow import Status
from .dashboard import DECISIONS
from .ranges import china_day_diff, china_midnight_utc, per_range, range_number

MONTHS = 12
# The statuses a month's filings stand in, in the order the bars stack them.
MONTH_STATUSES = (Status.APPROVED, Status.SUBMITTED, Status.RETURNED, Status.REJECTED,
                  Status.WITHDRAWN)
# Meetings that count as filed: submitted or approved (not returned, rejected, withdrawn).
FILED_MEETINGS = (Status.SUBMITTED, Status.APPROVED)
DONE_CHECKS = (CheckStatus.COMPLETED, CheckStatus.PUBLISHED)
NOTICE_STATES = ("open", "overdue", "closed", "escalated")
# Days from submission to decision, in the distribution's buckets: (first day, last day).
DAY_BUCKETS = ((0, 0), (1, 3), (4, 7), (8, 15), (16, 30), (31, 60), (61, None))


# Pure helpers


def add_months(day: date, months: int) -> date:
    """The first of the month *months* after (or before) *day*'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first days of the last *months* months, oldest first, the current month last."""
    return [add_months(today, -n) for n in range(months - 1, -1, -1)]


def bounds(starts: list[date], end: date) -> list[datetime]:
    """The UTC moments at which each day of *starts*, and then *end*, begin in China."""
    return [china_midnight_utc(day) for day in [*starts, end]]


def bucket(column, edges: list[datetime]):
    """A CASE numbering the range of *edges* (0, 1, …) *column* lies in (callers keep
    *column* within the first and last edge)."""
    return case(*[(column < edges[n + 1], n) for n in range(len(edges) - 1)])


def median(counts: Counter) -> float | None:
    """The median of values given as {value: how many times}, None when there are none."""
    total = sum(counts.values())
    if not total:
        return None
    middle, seen, lower = (total - 1) // 2, 0, None
    for value in sorted(counts):
        seen += counts[value]
        if lower is None and seen > middle:
            lower = value
        if seen > total // 2:
            return (lower + value) / 2 if total % 2 == 0 else float(lower)
    return float(lower)  # pragma: no cover  (the loop always returns)


# Results


@dataclass
class Month:
    """One month (China Standard Time) and its counts per key."""

    start: date
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class MeetingMonth:
    start: date
    meetings: int = 0
    supervised: int = 0

    @property
    def share(self) -> float | None:
        """The share supervised on site (0–1), None without meetings."""
        return self.supervised / self.meetings if self.meetings else None


@dataclass
class CategoryRate:
    """Verdicts of one check-item category: passed, failed, not applicable."""

    category_zh: str
    category_en: str
    position: int
    passed: int = 0
    failed: int = 0
    not_applicable: int = 0

    @property
    def judged(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        """Passed of the items passed or failed (0–1); None when none was judged."""
        return self.passed / self.judged if self.judged else None


@dataclass
class DecisionTimes:
    """Days from submission to decision: {days: decisions}."""

    days: Counter

    @property
    def count(self) -> int:
        return sum(self.days.values())

    @property
    def median(self) -> float | None:
        return median(self.days)

    def buckets(self) -> list[tuple[tuple[int, int | None], int]]:
        """(bucket, decisions) for each of DAY_BUCKETS."""
        return [((low, high), sum(n for d, n in self.days.items()
                                  if d >= low and (high is None or d <= high)))
                for low, high in DAY_BUCKETS]


# Queries


def filings_by_month(user, today: date, months: int = MONTHS) -> list[Month]:
    """Filings per month of their (latest) submission, counted by the status they are in now.

    One statement, a part per month (``ranges.per_range``), each a covering range scan of
    ``ix_filing_status_submitted`` (status, submission time, region)."""
    starts = month_starts(today, months)
    edges = bounds(starts, add_months(today, 1))

    def part(n, start, end):
        return (select(range_number(n), Filing.status, func.count())
                .where(scope_clause(Filing, user), Filing.submitted_at >= start,
                       Filing.submitted_at < end)
                .group_by(Filing.status))

    result = [Month(start, dict.fromkeys(MONTH_STATUSES, 0)) for start in starts]
    for month, status, n in db.session.execute(per_range(edges, part)):
        status = Status(status)
        result[month].counts[status] = result[month].counts.get(status, 0) + n
    return result


def supervised_meeting_ids(user):
    """The meetings the user's bureau has supervised on site (the record completed)."""
    return select(Supervision.meeting_id).where(
        scope_clause(Supervision, user), Supervision.status == SupervisionStatus.DONE)


def meetings_by_month(user, today: date, months: int = MONTHS) -> list[MeetingMonth]:
    """Training meetings filed per month (their latest submission; submitted or approved now),
    and how many of them the bureau supervised on site.

    One statement, a part per month, each a covering range scan of
    ``ix_filing_kind_status_submitted`` (the filing id in it answers "supervised")."""
    starts = month_starts(today, months)
    edges = bounds(starts, add_months(today, 1))
    supervised = Filing.id.in_(supervised_meeting_ids(user))

    def part(n, start, end):
        return (select(range_number(n), func.count(),
                       func.coalesce(func.sum(case((supervised, 1), else_=0)), 0))
                .select_from(Filing)
                .where(scope_clause(Filing, user), Filing.kind == FilingKind.MEETING,
                       Filing.status.in_(FILED_MEETINGS), Filing.submitted_at >= start,
                       Filing.submitted_at < end))

    result = [MeetingMonth(start) for start in starts]
    for month, n, done in db.session.execute(per_range(edges, part)):
        result[month].meetings, result[month].supervised = n, int(done or 0)
    return result


def pass_rates(user, start: datetime, end: datetime) -> list[CategoryRate]:
    """Verdicts per check-item category of the bureau's checks completed in [start, end),
    in the catalogue's order. One grouped query."""
    rows = db.session.execute(
        select(CheckItem.category_zh, CheckItem.category_en, CheckResult.verdict,
               func.count(), func.min(CheckItem.position))
        .select_from(CheckResult)
        .join(Check, Check.id == CheckResult.check_id)
        .join(CheckItem, CheckItem.id == CheckResult.item_id)
        .where(scope_clause(Check, user), Check.status.in_(DONE_CHECKS),
               Check.completed_at >= start, Check.completed_at < end)
        .group_by(CheckItem.category_zh, CheckItem.category_en, CheckResult.verdict)
    )
    categories: dict = {}
    for zh, en, verdict, n, position in rows:
        rate = categories.setdefault((zh, en), CategoryRate(zh, en, position))
        rate.position = min(rate.position, position)
        attribute = {Verdict.PASS: "passed", Verdict.FAIL: "failed",
                     Verdict.NOT_APPLICABLE: "not_applicable"}[Verdict(verdict)]
        setattr(rate, attribute, getattr(rate, attribute) + n)
    return sorted(categories.values(), key=lambda r: (r.position, r.category_zh))


def notice_states(user, today: date) -> dict[str, int]:
    """The bureau's notices by state: open (issued, served in time, reported), overdue
    (served, deadline before *today*), closed (corrected) and escalated. One grouped query."""
    overdue = and_(Notice.status == NoticeStatus.SERVED, Notice.deadline < today)
    rows = select(case(
        (overdue, "overdue"),
        (Notice.status == NoticeStatus.CORRECTED, "closed"),
        (Notice.status == NoticeStatus.ESCALATED, "escalated"),
        else_="open",
    ).label("state")).where(scope_clause(Notice, user)).subquery()
    result = dict.fromkeys(NOTICE_STATES, 0)
    for state, n in db.session.execute(
        select(rows.c.state, func.count()).group_by(rows.c.state)
    ):
        result[state] = n
    return result


def decision_times(user, start: datetime, end: datetime) -> DecisionTimes:
    """Days (China calendar days) from submission to decision for the approvals, returns and
    rejections made in [start, end) on filings in the jurisdiction.

    The submission is the filing's latest (``submitted_at``); a decision followed by a later
    resubmission is left out, as its own submission time is no longer known. One grouped
    query on ``ix_filing_event_created_action``, one row per distinct number of days.
    """
    days = china_day_diff(Filing.submitted_at, FilingEvent.created_at)
    rows = (
        select(days.label("days"))
        .select_from(FilingEvent)
        .join(Filing, FilingEvent.filing_id == Filing.id)
        .where(scope_clause(Filing, user),
               FilingEvent.action.in_([a.value for a in DECISIONS]),
               FilingEvent.created_at >= start, FilingEvent.created_at < end,
               Filing.submitted_at <= FilingEvent.created_at)
        .subquery()
    )
    counts = Counter({int(d): n for d, n in db.session.execute(
        select(rows.c.days, func.count()).group_by(rows.c.days))})
    return DecisionTimes(counts)

