"""Rectification notices (PROC Arts. 62, 81–82): numbers, provisions and deadlines. Pure.

The provisions a notice cites are data (``models.LegalProvision``, ``notices.provisions``).
Numbers: bureau abbreviation + 责改 + 〔year〕 + sequence + 号, e.g. 晋市监责改〔2026〕12号.
Deadlines: a date after the day of issue, or N Chinese working days counted from the day of
service (``rules.meetings.add_working_days``: weekends and holidays skipped, make-up working
days counted; a count that runs beyond the calendar package's years is an error, not a guess).
"""

from datetime import date

from .meetings import CalendarUnknownError, add_working_days

MAX_WORKING_DAYS = 60  # the longest period a notice may give, in working days


def number(short_name: str, year: int, sequence: int) -> str:
    """The notice number, e.g. ``晋市监责改〔2026〕12号``."""
    return f"{short_name}责改〔{year}〕{sequence}号"


def deadline_problem(deadline: date | None, working_days: int | None,
                     issued_on: date) -> str | None:
    """Why this deadline cannot be set (a message code), or None.

    Exactly one of a date after the day of issue, or 1 to MAX_WORKING_DAYS working days.
    """
    if (deadline is None) == (working_days is None):
        return "deadline_one_of"
    if deadline is not None and deadline <= issued_on:
        return "deadline_not_after_issue"
    if working_days is not None and not 1 <= working_days <= MAX_WORKING_DAYS:
        return "working_days_out_of_range"
    return None


def deadline_from_service(served_on: date, working_days: int) -> date | None:
    """The deadline N working days after the day of service; None beyond the calendar."""
    try:
        return add_working_days(served_on, working_days)
    except CalendarUnknownError:
        return None
