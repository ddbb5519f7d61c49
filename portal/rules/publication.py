"""When a completed spot check's results must be public (一公开): 20 working days (PROC Art. 22)."""

from datetime import date, datetime

from .meetings import CalendarUnknownError, add_working_days, china_date

PUBLISH_WITHIN_WORKING_DAYS = 20


def publication_due(completed_at: datetime,
                    within: int = PUBLISH_WITHIN_WORKING_DAYS) -> date:
    """The last day to publish a check completed at *completed_at*: the *within*-th Chinese
    working day after the completion day (China Standard Time).

    :raise CalendarUnknownError: the count runs into a year the calendar does not know.
    """
    return add_working_days(china_date(completed_at), within)


def due_or_none(completed_at: datetime | None) -> date | None:
    """:func:`publication_due`, or None when not completed or beyond the calendar's years."""
    if completed_at is None:
        return None
    try:
        return publication_due(completed_at)
    except CalendarUnknownError:
        return None


def is_overdue(due: date | None, today: date) -> bool:
    """Whether the day to publish has passed (publishing on the due day is in time)."""
    return due is not None and today > due
