"""The bureau dashboard's charts: the numbers of ``trends`` as ``charts`` geometry, labelled in
the request's language (month names and numbers by Babel). Four statements in all.

:func:`statistics` renders them with the decisions per week and keeps the result a few minutes
(``DASHBOARD_STATISTICS_SECONDS``) per bureau and language: counting twelve months of a
jurisdiction and drawing six charts took about 80 ms at 100,000 filings, on the page every
regulator opens first. The page says when the figures were counted.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from babel.dates import format_skeleton
from flask import current_app, render_template
from flask_babel import format_date, format_decimal, format_percent, get_locale
from markupsafe import Markup

from .. import charts
from ..i18n import current_language, format_number, localized
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..kept import kept
from ..labels import STATUS_LABELS
from ..models import utcnow
from ..rules.workflow import Status
from . import dashboard, trends
from .ranges import china_midnight_utc

STATUS_COLOURS = {Status.APPROVED: charts.GREEN, Status.SUBMITTED: charts.BLUE,
                  Status.RETURNED: charts.ORANGE, Status.REJECTED: charts.RED,
                  Status.WITHDRAWN: charts.GREY}
NOTICE_STATE_LABELS = {
    "open": _l("In progress"),
    "overdue": _l("Overdue"),
    "closed": _l("Closed (corrected)"),
    "escalated": _l("Escalated"),
}
NOTICE_STATE_COLOURS = {"open": charts.BLUE, "overdue": charts.RED, "closed": charts.GREEN,
                        "escalated": charts.INDIGO}


def month_label(day: date) -> str:
    """The month's short name under a bar ("1月", "Jan")."""
    return format_date(day, "MMM")


def month_title(day: date) -> str:
    """The month with its year ("2026年1月", "Jan 2026")."""
    return format_skeleton("yMMM", day, locale=get_locale())


def bucket_label(low: int, high: int | None) -> str:
    """A bucket of DAY_BUCKETS in words."""
    if high is None:
        return _("Over %(days)s days", days=format_number(low - 1))
    if low == high == 0:
        return _("Same day")
    return _("%(low)s–%(high)s days", low=format_number(low), high=format_number(high))


def percent(value: float | None) -> str:
    return "—" if value is None else format_percent(value)


def filings_chart(months: list) -> charts.BarChart:
    series = [charts.Series(s.value, str(STATUS_LABELS[s]), STATUS_COLOURS[s])
              for s in trends.MONTH_STATUSES]
    return charts.bar_chart(
        [(month_label(m.start), month_title(m.start), {s.value: n for s, n in m.counts.items()})
         for m in months], series)


def meetings_chart(months: list) -> charts.BarChart:
    series = [charts.Series("supervised", _("Supervised on site"), charts.TEAL),
              charts.Series("other", _("Not supervised"), charts.GREY)]
    return charts.bar_chart(
        [(month_label(m.start), month_title(m.start),
          {"supervised": m.supervised, "other": m.meetings - m.supervised}) for m in months],
        series)


def pass_rate_chart(rates: list) -> charts.HBarChart:
    return charts.horizontal_bars(
        [(localized(r, "category"), r.rate, percent(r.rate)) for r in rates],
        colour=charts.GREEN, percent=True)


def notices_chart(states: dict) -> charts.HBarChart:
    return charts.horizontal_bars(
        [(str(NOTICE_STATE_LABELS[s]), states[s], format_number(states[s]),
          NOTICE_STATE_COLOURS[s]) for s in trends.NOTICE_STATES], label_width=140)


def decision_time_chart(times) -> charts.BarChart:
    series = [charts.Series("decisions", _("Decisions"), charts.BLUE)]
    return charts.bar_chart(
        [(bucket_label(*b), bucket_label(*b), {"decisions": n}) for b, n in times.buckets()],
        series, legend=False)


@dataclass
class Trends:
    """Everything the dashboard's chart section shows."""

    months: list
    filings: list
    meetings: list
    rates: list
    notices: dict
    times: trends.DecisionTimes
    filings_chart: charts.BarChart
    meetings_chart: charts.BarChart
    pass_rate_chart: charts.HBarChart
    notices_chart: charts.HBarChart
    decision_time_chart: charts.BarChart


def build(user, today: date, waited: Counter) -> Trends:
    """The last twelve months (this one included) of the user's bureau, in four queries;
    *waited* is the days to decision of the weeks shown (``dashboard.decisions_and_times``)."""
    months = trends.month_starts(today)
    start, end = china_midnight_utc(months[0]), china_midnight_utc(trends.add_months(today, 1))
    filings = trends.filings_by_month(user, today)
    meetings = trends.meetings_by_month(user, today)
    rates = trends.pass_rates(user, start, end)
    notices = trends.notice_states(user, today)
    times = trends.DecisionTimes(waited)
    return Trends(months, filings, meetings, rates, notices, times, filings_chart(filings),
                  meetings_chart(meetings), pass_rate_chart(rates), notices_chart(notices),
                  decision_time_chart(times))


def statistics(user, today: date) -> Markup:
    """The dashboard's decisions per week and charts of the last twelve months, rendered for
    *user*'s bureau in the request's language; kept ``DASHBOARD_STATISTICS_SECONDS`` in this
    process (per bureau, jurisdiction, language and China day), then counted again."""
    seconds = current_app.config["DASHBOARD_STATISTICS_SECONDS"]

    def render() -> Markup:
        weeks, waited = dashboard.decisions_and_times(user, today)
        # An autoescaped template of ours: its output is HTML already.
        return Markup(render_template(  # noqa: S704
            "review/_statistics.html", weeks=weeks, chart=dashboard.bar_chart(weeks),
            decisions=dashboard.DECISIONS, trends=build(user, today, waited),
            month_title=month_title, percent=percent, counted_at=utcnow(),
            kept_minutes=format_decimal(round(seconds / 60, 1)) if seconds else None,
        ))

    key = (user.bureau_id, user.bureau.jurisdiction_prefix, current_language(), today)
    return kept("dashboard_statistics", key, seconds, render)
