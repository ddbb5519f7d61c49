"""A consumer's return window (DSR Art. 25) for the public helper. Pure.

A consumer may return an unopened product within 30 days of purchase, and the refund or
exchange follows within 7 days of the request (DSR Art. 25; the numbers are the POLICY_*
settings, and an enterprise's own policy may give more). Periods are counted as the Civil Code
counts them: the day of purchase (or of the request) is not counted (Art. 201), and a period
whose last day is a rest day — a weekend or public holiday on the Chinese calendar, make-up
working days (调休) being working days — ends on the next working day (Art. 203). Beyond the
years the calendar package knows, the nominal last day is given and flagged.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from .meetings import CalendarUnknownError, is_working_day


class ReturnDateError(ValueError):
    """The dates cannot be right; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PeriodEnd:
    """The last day of a period, and the nominal day it was moved from (a rest day)."""

    day: date
    moved_from: date | None = None
    calendar_known: bool = True


@dataclass(frozen=True)
class ReturnWindow:
    purchased_on: date
    requested_on: date
    window_days: int
    refund_days: int
    last_day: PeriodEnd
    refund_by: PeriodEnd

    @property
    def in_time(self) -> bool:
        """Whether a return asked for on ``requested_on`` is within the window."""
        return self.requested_on <= self.last_day.day

    @property
    def days_left(self) -> int:
        """Calendar days from the request day to the last day (negative when late)."""
        return (self.last_day.day - self.requested_on).days


def period_end(start: date, days: int) -> PeriodEnd:
    """The last day of a period of *days* days from *start* (not counted), moved past rest
    days (Civil Code Arts. 201, 203)."""
    nominal = day = start + timedelta(days=days)
    try:
        while not is_working_day(day):
            day += timedelta(days=1)
    except CalendarUnknownError:
        return PeriodEnd(nominal, calendar_known=False)
    return PeriodEnd(day, moved_from=nominal if day != nominal else None)


def return_window(purchased_on: date, requested_on: date, today: date, *,
                  window_days: int = 30, refund_days: int = 7) -> ReturnWindow:
    """The last day to return a product bought on *purchased_on*, and the day by which a
    refund asked for on *requested_on* is due.

    :raise ReturnDateError: ``purchase_in_future`` (after *today*) or
        ``request_before_purchase``.
    """
    if purchased_on > today:
        raise ReturnDateError("purchase_in_future")
    if requested_on < purchased_on:
        raise ReturnDateError("request_before_purchase")
    return ReturnWindow(
        purchased_on=purchased_on, requested_on=requested_on, window_days=window_days,
        refund_days=refund_days, last_day=period_end(purchased_on, window_days),
        refund_by=period_end(requested_on, refund_days),
    )
