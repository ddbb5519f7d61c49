"""Training meeting rules (直销员业务培训管理办法 Arts. 4, 7, 9, 10): pure, no Flask, no session.

:func:`check_meeting` takes the facts of one meeting (:class:`MeetingFacts`) and returns the
problems that block its submission. The lead time is counted from the day of submission in
China Standard Time, in calendar days or in Chinese working days (weekends and public holidays
skipped, make-up working days 调休 counted), as the bureau of the meeting's district chooses.
"""

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import chinese_calendar

from .premises import FORBIDDEN_FOR_MEETINGS, Premises
from .problems import Problem
from .workflow import Status

CHINA = ZoneInfo("Asia/Shanghai")
DEFAULT_LEAD_DAYS = 7  # TRAIN Art. 10: filed at least 7 days before the training


class CalendarUnknownError(Exception):
    """The working-day calendar does not cover *day*'s year (the package must be updated)."""

    def __init__(self, day: date, first_year: int, last_year: int):
        super().__init__(f"no working-day calendar for {day.year} ({first_year}-{last_year})")
        self.day = day
        self.first_year = first_year
        self.last_year = last_year


def known_years() -> tuple[int, int]:
    """The first and last year the chinese-calendar package has holiday data for."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


@functools.lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """Whether *day* is a working day in mainland China (调休 make-up days included).

    Remembered per day: chinese-calendar checks each date against its whole holiday table,
    which made counting the working days of a dashboard's oldest filings take tens of ms.

    :raise CalendarUnknownError: *day* lies in a year the calendar does not know yet.
    """
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarUnknownError(day, *known_years()) from None


def add_working_days(start: date, n: int) -> date:
    """The *n*-th working day after *start* (``start`` itself is not counted).

    :raise CalendarUnknownError: the count runs into a year the calendar does not know.
    """
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


@functools.lru_cache(maxsize=4096)
def working_days_between(start: date, end: date) -> int:
    """How many working days follow *start* up to and including *end* (0 if *end* ≤ *start*).

    Filed on a Friday and counted on the next Monday: 1 working day. Remembered per pair of
    dates (a day at a time over months took 0.1 ms a filing on every view of the
    dashboard's oldest filings); an unknown year is not remembered, it raises again.

    :raise CalendarUnknownError: a day in a year the calendar does not know.
    """
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def earliest_start(submitted_on: date, lead_days: int, in_working_days: bool) -> date:
    """The first day a meeting filed on *submitted_on* may start on.

    Either way the meeting may start on the *lead_days*-th day after the filing day: filed on
    1 October with 7 calendar days, it may start on 8 October.

    :raise CalendarUnknownError: working days that run into a year the calendar does not know.
    """
    if in_working_days:
        return add_working_days(submitted_on, lead_days)
    return submitted_on + timedelta(days=lead_days)


def china_date(moment: datetime) -> date:
    """The date in China Standard Time of an aware *moment*."""
    return moment.astimezone(CHINA).date()


@dataclass(frozen=True)
class LeadTime:
    """A bureau's lead-time rule: how many days, and whether they are working days."""

    days: int = DEFAULT_LEAD_DAYS
    in_working_days: bool = False


def check_lead_time(starts_at: datetime, submitted_at: datetime, lead: LeadTime) -> list[Problem]:
    """The meeting must start at least ``lead.days`` days after it is filed (TRAIN Art. 10)."""
    submitted_on = china_date(submitted_at)
    try:
        earliest = earliest_start(submitted_on, lead.days, lead.in_working_days)
    except CalendarUnknownError as unknown:
        return [Problem("lead_time_calendar_unknown", "TRAIN-10", "starts_at",
                        params={"days": lead.days, "year": unknown.day.year,
                                "last": unknown.last_year})]
    if china_date(starts_at) >= earliest:
        return []
    code = "lead_time_working_days" if lead.in_working_days else "lead_time_calendar_days"
    return [Problem(code, "TRAIN-10", "starts_at",
                    params={"days": lead.days, "earliest": earliest.isoformat()})]


def check_venue(premises: Premises, region_code: str, outlet_districts) -> list[Problem]:
    """Not in forbidden premises; only in a district holding an approved outlet (TRAIN Art. 9).

    TRAIN Art. 9 asks for training "in the areas where the enterprise has service outlets".
    The portal reads the area as the district (区/县): outlets are filed per district and a
    licence expects one in every urban district, so a meeting in a district without an
    approved outlet of the enterprise is refused, even when another district of the same city
    has one.
    """
    problems = []
    if premises in FORBIDDEN_FOR_MEETINGS:
        problems.append(Problem("meeting_premises_forbidden", "TRAIN-9", "venue_premises_type"))
    if region_code not in set(outlet_districts):
        problems.append(Problem("meeting_without_outlet", "TRAIN-9", "region_code"))
    return problems


def check_fee(fee: Decimal | None) -> list[Problem]:
    """Participants pay nothing (TRAIN Art. 7)."""
    if fee is not None and Decimal(fee) != 0:
        return [Problem("meeting_fee", "TRAIN-7", "fee", params={"fee": f"{Decimal(fee):.2f}"})]
    return []


@dataclass(frozen=True)
class TrainerFacts:
    """What the rule needs to know of a listed trainer."""

    name: str
    enterprise_id: int
    status: Status


def check_trainers(trainers, enterprise_id: int) -> list[Problem]:
    """At least one trainer; each an approved trainer filing of the same enterprise (TRAIN Art. 4).

    TRAIN Art. 4: persons whose trainer registration has not been filed may not train.
    """
    if not trainers:
        return [Problem("meeting_without_trainer", "TRAIN-4", "trainers")]
    return [
        Problem("trainer_not_approved", "TRAIN-4", "trainers", params={"name": t.name})
        for t in trainers
        if t.enterprise_id != enterprise_id or t.status is not Status.APPROVED
    ]


def check_schedule(starts_at: datetime, ends_at: datetime) -> list[Problem]:
    """The meeting ends after it starts."""
    if ends_at <= starts_at:
        return [Problem("meeting_ends_before_start", None, "ends_at")]
    return []


def check_attendance(expected: int | None, cap: int | None) -> list[Problem]:
    """An expected headcount of at least 1, and not above the bureau's cap when it has one."""
    if expected is None or expected < 1:
        return [Problem("attendance_required", None, "expected_attendance")]
    if cap is not None and expected > cap:
        return [Problem("attendance_over_cap", None, "expected_attendance",
                        params={"cap": cap, "expected": expected})]
    return []


@dataclass(frozen=True)
class MeetingFacts:
    """Everything the submission rules look at, gathered by the operations layer."""

    enterprise_id: int
    starts_at: datetime
    ends_at: datetime
    submitted_at: datetime
    premises: Premises
    region_code: str
    fee: Decimal | None
    expected_attendance: int | None
    trainers: tuple = ()
    outlet_districts: frozenset = frozenset()
    lead: LeadTime = field(default_factory=LeadTime)
    attendance_cap: int | None = None


def check_meeting(facts: MeetingFacts) -> list[Problem]:
    """Every problem that blocks the submission of a meeting, in the order of the form."""
    return [
        *check_schedule(facts.starts_at, facts.ends_at),
        *check_lead_time(facts.starts_at, facts.submitted_at, facts.lead),
        *check_venue(facts.premises, facts.region_code, facts.outlet_districts),
        *check_attendance(facts.expected_attendance, facts.attendance_cap),
        *check_trainers(facts.trainers, facts.enterprise_id),
        *check_fee(facts.fee),
    ]


def attendance_report_problems(status: Status, ends_at: datetime, now: datetime) -> list[Problem]:
    """Actual attendance is reported for an approved meeting once it has ended."""
    problems = []
    if status is not Status.APPROVED:
        problems.append(Problem("attendance_meeting_not_approved"))
    if ends_at > now:
        problems.append(Problem("attendance_before_end"))
    return problems
