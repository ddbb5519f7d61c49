"""The dashboard's charts of the last twelve months (review/trends.py, dashboard_charts.py) and
the chart geometry (portal/charts.py): SVG present, tables with numbers counted here from the
rows, scope, a bounded number of queries."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal import charts
from portal.extensions import db
from portal.inspections.items import load_check_items
from portal.models import (
    Bureau,
    Check,
    CheckItem,
    CheckResult,
    CheckStatus,
    Enterprise,
    Filing,
    FilingKind,
    NoticeStatus,
    Role,
    Supervision,
    SupervisionStatus,
    Verdict,
    utcnow,
)
from portal.review import dashboard, trends
from portal.rules.meetings import CHINA
from portal.rules.workflow import Status

from ..factories import make_bureau, make_outlet, make_user
from ..reports.builders import completed_check, notice_in, supervised_meeting, user
from .conftest import signed_in
from .test_dashboard import busy_world  # noqa: F401  (fixture)
from .test_queue import count_queries

P, F, NA = Verdict.PASS, Verdict.FAIL, Verdict.NOT_APPLICABLE


def page_of(app, username: str) -> str:
    response = signed_in(app, username).get("/review/?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def table(html: str, table_id: str, key: str) -> dict[str, list[str]]:
    """{data-<key> of each row: [cell texts]} of the table *table_id*."""
    body = html[html.index(f'id="{table_id}"'):]
    body = body[:body.index("</table>")]
    return {k: [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row)]
            for k, row in re.findall(rf'<tr data-{key}="([^"]+)">(.*?)</tr>', body, re.S)}


def this_month() -> str:
    return dashboard.today_in_china().replace(day=1).isoformat()


@pytest.fixture
def activity(app, world, busy_world):  # noqa: F811
    """Busy bureau 1 (the filings of busy_world), plus meetings, checks and notices."""
    with app.app_context():
        load_check_items()
        b1, b2 = db.session.get(Bureau, world.bureau1), db.session.get(Bureau, world.bureau2)
        a = db.session.get(Enterprise, world.enterprise_a)
        b = db.session.get(Enterprise, world.enterprise_b)
        regulator, regulator2, staff = user("regulator"), user("regulator2"), user("ent-staff")
        now = utcnow()
        supervised_meeting(a, staff, regulator)
        supervised_meeting(a, staff, regulator, done=False)
        supervised_meeting(b, user("ent2-staff"), regulator2, region_code="140105")
        completed_check(b1, regulator, {"A01": P, "A02": F, "A03": P, "A04": NA}, now)
        completed_check(b1, regulator, {"A01": F, "A02": P, "A03": P}, now,
                        published_at=now)
        completed_check(b1, regulator, {"A01": F}, None)  # not completed: not counted
        completed_check(b2, regulator2, {"A01": F, "A02": F}, now)
        today = dashboard.today_in_china()
        notice_in(b1, a, regulator, NoticeStatus.SERVED, deadline=today - timedelta(days=1))
        notice_in(b1, a, regulator, NoticeStatus.SERVED, deadline=today)
        notice_in(b1, a, regulator, NoticeStatus.CORRECTED, closed_at=now)
        notice_in(b1, a, regulator, NoticeStatus.ESCALATED, escalated_at=now)
        notice_in(b1, a, regulator, NoticeStatus.REPORTED)
        # Waited five days before the decision (the event is now, the submission earlier).
        approved = db.session.scalars(select(Filing).where(
            Filing.status == Status.APPROVED, Filing.region_code.like("1405%"))).first()
        approved.submitted_at = now - timedelta(days=5)
        db.session.commit()


def expected_months(prefix: str) -> Counter:
    """This month's filings by status, counted from every filing."""
    start = dashboard.china_midnight_utc(dashboard.today_in_china().replace(day=1))
    return Counter(f.status for f in db.session.scalars(select(Filing))
                   if f.region_code.startswith(prefix) and f.status is not Status.DRAFT
                   and f.submitted_at and f.submitted_at >= start)


def test_the_charts_show_the_busy_bureaus_numbers(app, world, activity):
    page = page_of(app, "regulator")
    for figure in ("filings-by-month", "meetings-by-month", "pass-rates", "notice-states",
                   "decision-times"):
        section = page[page.index(f'<figure class="chart-figure" id="{figure}"'):]
        section = section[:section.index("</figure>")]
        assert '<svg class="chart" role="img" aria-label="' in section, figure
        assert "<figcaption" in section and "<table" in section and "<rect" in section
        assert "<script" not in section and "style=" not in section

    with app.app_context():
        months = expected_months("1405")
        meetings = [f for f in db.session.scalars(select(Filing).where(
            Filing.kind == FilingKind.MEETING)) if f.region_code.startswith("1405")]
        done = {s.meeting_id for s in db.session.scalars(select(Supervision)) if
                s.status is SupervisionStatus.DONE and s.bureau_id == world.bureau1}
        verdicts = Counter()
        for result in db.session.scalars(select(CheckResult)):
            check = db.session.get(Check, result.check_id)
            if check.plan.bureau_id == world.bureau1 and check.status is not CheckStatus.ASSIGNED:
                verdicts[(db.session.get(CheckItem, result.item_id).category_en,
                          result.verdict)] += 1
    row = table(page, "filings-month-table", "month")[this_month()]
    statuses = trends.MONTH_STATUSES
    assert [int(n) for n in row] == [months[s] for s in statuses] + [sum(months.values())]
    # busy_world's 11 in bureau 1, the world's filing_a and two meetings (one filing may have
    # moved to last month: its submission was set five days back).
    assert sum(months.values()) >= 13

    assert table(page, "meetings-month-table", "month")[this_month()] == [
        str(len(meetings)), str(len([m for m in meetings if m.id in done])), "50%"]

    rates = table(page, "pass-rate-table", "category")
    licensing = [verdicts[("Licensing", v)] for v in (P, F, NA)]
    assert licensing == [1, 1, 0]
    assert rates["经营资质"] == ["1", "1", "0", "50%"]
    assert rates["服务网点"] == ["3", "1", "0", "75%"]  # A02 and A03 are service outlets
    assert rates["直销员与培训"] == ["0", "0", "1", "—"]  # not applicable only: no rate

    assert {k: int(v[0]) for k, v in table(page, "notice-state-table", "state").items()} == {
        "open": 2, "overdue": 1, "closed": 1, "escalated": 1}

    times = table(page, "decision-time-table", "bucket")
    assert sum(int(v[0]) for v in times.values()) == 9  # bureau 1's decisions, all this week
    assert times["2"] == ["1"]  # 4–7 days: the one submitted five days before
    assert times["0"] == ["8"]
    assert "Median: 0 days over 9 decisions" in page


def test_an_empty_bureau_draws_empty_charts(app, world):
    with app.app_context():
        bureau = make_bureau("140200")
        make_user(Role.REGULATOR, "regulator-datong", bureau=bureau)
        db.session.commit()
    page = page_of(app, "regulator-datong")
    assert page.count('<svg class="chart" role="img"') == 5  # weeks, months, meetings, …
    assert set(sum(table(page, "filings-month-table", "month").values(), [])) == {"0"}
    assert len(table(page, "meetings-month-table", "month")) == 12
    assert "No spot check was completed in these months." in page
    assert {v[0] for v in table(page, "notice-state-table", "state").values()} == {"0"}
    assert "No decision in the last 12 weeks." in page


def test_bureau_2_sees_only_its_own(app, world, activity):
    page = page_of(app, "regulator2")
    with app.app_context():
        months = expected_months("1401")
    row = table(page, "filings-month-table", "month")[this_month()]
    assert int(row[-1]) == sum(months.values()) == 6  # 5 filings and B's meeting
    assert table(page, "meetings-month-table", "month")[this_month()] == ["1", "1", "100%"]
    rates = table(page, "pass-rate-table", "category")
    assert rates == {"经营资质": ["0", "1", "0", "0%"], "服务网点": ["0", "1", "0", "0%"]}
    # Bureau 2 has the world's notice only (issued): open.
    assert {k: int(v[0]) for k, v in table(page, "notice-state-table", "state").items()} == {
        "open": 1, "overdue": 0, "closed": 0, "escalated": 0}


def test_the_charts_add_a_fixed_number_of_queries(app, world):
    client = signed_in(app, "regulator")
    with app.app_context():
        load_check_items()
        db.session.commit()

    def add(count):
        with app.app_context():
            b1 = db.session.get(Bureau, world.bureau1)
            a = db.session.get(Enterprise, world.enterprise_a)
            regulator, staff = user("regulator"), user("ent-staff")
            for _ in range(count):
                make_outlet(a, staff, "140502")
                supervised_meeting(a, staff, regulator)
                completed_check(b1, regulator, {"A01": P, "A02": F}, utcnow())
                notice_in(b1, a, regulator, NoticeStatus.CORRECTED, closed_at=utcnow())
            db.session.commit()

    add(1)
    few = count_queries(app, client, "/review/")
    add(6)
    assert count_queries(app, client, "/review/") == few


# The pure parts


def test_months_are_calendar_months_in_china_standard_time():
    assert trends.month_starts(date(2026, 3, 31), 4) == [
        date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert trends.add_months(date(2026, 12, 15), 1) == date(2027, 1, 1)
    edges = trends.bounds([date(2026, 1, 1)], date(2026, 2, 1))
    assert [e.astimezone(CHINA).hour for e in edges] == [0, 0]
    assert edges[0].hour == 16 and edges[0].day == 31  # 31 December, 16:00 UTC


def test_the_median_of_counted_values():
    assert trends.median(Counter()) is None
    assert trends.median(Counter({3: 1})) == 3
    assert trends.median(Counter({1: 2, 5: 2})) == 3  # 1, 1, 5, 5
    assert trends.median(Counter({0: 8, 5: 1})) == 0
    times = trends.DecisionTimes(Counter({0: 2, 2: 1, 9: 1, 100: 1}))
    assert [n for _, n in times.buckets()] == [2, 1, 0, 1, 0, 0, 1]


def test_stacked_and_grouped_bars_and_percentage_bars():
    series = [charts.Series("a", "A", charts.GREEN), charts.Series("b", "B", charts.RED)]
    stacked = charts.bar_chart([("x", "X", {"a": 3, "b": 4}), ("y", "Y", {})], series)
    assert stacked.maximum == 10 and [len(c.segments) for c in stacked.columns] == [2, 0]
    lower, upper = stacked.columns[0].segments
    assert lower.y + lower.height == stacked.baseline
    assert upper.y + upper.height == pytest.approx(lower.y)
    assert [e.series.key for e in stacked.legend] == ["a", "b"]

    grouped = charts.bar_chart([("x", "X", {"a": 3, "b": 4})], series, grouped=True)
    left, right = grouped.columns[0].segments
    assert grouped.maximum == 5 and left.x < right.x
    assert left.y + left.height == right.y + right.height == grouped.baseline

    bars = charts.horizontal_bars([("很长的类别名称" * 5, 0.5, "50%"), ("B", None, "—")],
                                  percent=True)
    assert bars.rows[0].length == pytest.approx(bars.plot_width / 2, abs=0.1)
    assert bars.rows[1].length == 0 and bars.rows[0].label.endswith("…")
    assert charts.text_width(bars.rows[0].label) <= 200 - 8
