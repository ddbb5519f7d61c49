"""The bureau dashboard (/review/): counts by status and kind, the oldest undecided filings,
decisions per ISO week in China Standard Time, scope and bounded queries."""

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import Enterprise, Filing, FilingEvent, Role, utcnow
from portal.review import dashboard
from portal.review.dashboard import Week, bar_chart, nice_ceiling, week_starts
from portal.rules.workflow import Action, Side, Status

from ..factories import (
    make_bureau,
    make_enterprise,
    make_outlet,
    make_policy,
    make_trainer,
    make_user,
)
from ..meetings.helpers import walk
from .conftest import signed_in, user
from .test_queue import count_queries


def cells(html: str) -> dict[str, int]:
    """{"status-kind": number} of the status × kind matrix."""
    return {key: int(value.replace(",", "")) for key, value in
            re.findall(r'data-cell="([a-z_-]+)">(?:<strong>)?([\d,]+)<', html)}


def weeks_table(html: str) -> dict[str, list[int]]:
    """{Monday (ISO date): [approved, returned, rejected, total]} of the table of weeks."""
    rows = {}
    for monday, body in re.findall(r'<tr data-week="([\d-]+)">(.*?)</tr>', html, re.S):
        rows[monday] = [int(n) for n in re.findall(r"<td>(?:<strong>)?([\d,]+)<", body)]
    return rows


def dashboard_page(client) -> str:
    response = client.get("/review/?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def busy_world(app, world):
    """Filings of every kind in several states for both enterprises (both bureaus)."""
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        b = db.session.get(Enterprise, world.enterprise_b)
        staff, regulator = user("ent-staff"), user("regulator")
        staff2, regulator2 = user("ent2-staff"), user("regulator2")
        for status in (Status.APPROVED, Status.RETURNED, Status.REJECTED, Status.WITHDRAWN,
                       Status.APPROVED, Status.DRAFT):
            walk(make_outlet(a, staff, "140525", submit=False), status, staff, regulator)
        for status in ("submitted", "approved", "approved", "returned"):
            make_trainer(a, staff, status, regulator)
        make_policy(a, staff, "rejected", regulator)
        make_policy(a, staff, "submitted", regulator)
        for status in (Status.APPROVED, Status.APPROVED, Status.RETURNED):
            walk(make_outlet(b, staff2, "140105", submit=False), status, staff2, regulator2)
        make_trainer(b, staff2, "rejected", regulator2)
        db.session.commit()


def expected_cells(app, prefix: str) -> dict[str, int]:
    """The matrix computed independently: every filing, filtered and counted in Python."""
    with app.app_context():
        seen = [f for f in db.session.scalars(select(Filing))
                if f.region_code.startswith(prefix) and f.status is not Status.DRAFT]
    counts = Counter(f"{f.status.value}-{f.kind.value}" for f in seen)
    for f in seen:
        counts[f"{f.status.value}-total"] += 1
        counts[f"total-{f.kind.value}"] += 1
        counts["total-total"] += 1
    return counts


def test_the_matrix_matches_counts_computed_from_the_rows(app, world, busy_world):
    page = dashboard_page(signed_in(app, "regulator"))
    shown = cells(page)
    expected = expected_cells(app, "1405")
    assert len(shown) == 5 * 4 + 5 + 4 + 1  # statuses × kinds, row and column totals, total
    assert {k: v for k, v in shown.items() if v} == dict(expected)
    assert shown["approved-outlet"] == 2 and shown["submitted-trainer"] == 1
    assert shown["submitted-outlet"] == 1  # the world's filing_a; its draft is not counted
    assert shown["total-total"] == 12
    assert "draft" not in " ".join(shown)


def test_each_cell_links_into_the_queue_with_its_filters(app, world, busy_world):
    client = signed_in(app, "regulator")
    page = dashboard_page(client)
    assert ('href="/review/queue?status=approved&amp;kind=outlet" '
            'data-cell="approved-outlet"') in page
    assert 'href="/review/queue?status=all&amp;kind=trainer" data-cell="total-trainer"' in page
    assert 'href="/review/queue?status=returned" data-cell="returned-total"' in page
    # The queue the cell opens counts the same filings.
    queue = client.get("/review/queue?lang=en&status=approved&kind=outlet").get_data(as_text=True)
    assert 'Approved <span class="badge text-bg-light">2</span>' in queue


def test_another_bureau_sees_nothing_of_bureau_1(app, world, busy_world):
    with app.app_context():
        regulator = user("regulator")
        db.session.add(FilingEvent(filing_id=world.filing_a, action="approve",
                                   from_status="submitted", to_status="approved", revision=0,
                                   actor_id=regulator.id, actor_name="regulator",
                                   created_at=utcnow()))
        db.session.commit()
        a_number = db.session.get(Filing, world.filing_a).number
    page = dashboard_page(signed_in(app, "regulator2"))
    assert {k: v for k, v in cells(page).items() if v} == dict(expected_cells(app, "1401"))
    assert cells(page)["total-total"] == 5
    assert a_number not in page
    # Bureau 2's decisions only: 2 approvals, a return and a rejection, all this week.
    this_week = weeks_table(page)[dashboard.week_start(dashboard.today_in_china()).isoformat()]
    assert this_week == [2, 1, 1, 4]
    mine = weeks_table(dashboard_page(signed_in(app, "regulator")))
    assert sum(row[3] for row in mine.values()) == 10  # bureau 1: 9 + the event added here


def test_an_empty_bureau_renders(app, world):
    with app.app_context():
        bureau = make_bureau("140200")  # 大同: no enterprise, no filing
        make_user(Role.REGULATOR, "regulator-datong", bureau=bureau)
        db.session.commit()
    page = dashboard_page(signed_in(app, "regulator-datong"))
    assert set(cells(page).values()) == {0}
    assert "No filing is waiting for a decision." in page
    rows = weeks_table(page)
    assert len(rows) == 12 and all(row == [0, 0, 0, 0] for row in rows.values())
    assert 'role="img" aria-label="Decisions per week, the last 12 weeks"' in page
    assert '<figcaption class="h6" id="weeks-chart-caption">' in page


def test_the_oldest_undecided_filings_come_first_with_their_age(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        staff = user("ent-staff")
        filings = [make_outlet(a, staff, "140502") for _ in range(12)]
        # Submitted on successive days from 1 October 2025 (National Day holidays) on.
        for n, filing in enumerate(filings):
            filing.submitted_at = datetime(2025, 9, 30, 16, 30, tzinfo=UTC) + timedelta(days=n)
        returned = make_outlet(a, staff, "140502", submit=False)
        walk(returned, Status.RETURNED, staff, user("regulator"))
        returned.submitted_at = datetime(2020, 1, 1, tzinfo=UTC)
        db.session.commit()
        numbers = [f.number for f in filings]
        returned_number = returned.number
        world_a = db.session.get(Filing, world.filing_a).number
    page = dashboard_page(signed_in(app, "regulator"))
    section = page[page.index("oldest-heading"):page.index("weeks-heading")]
    shown = re.findall(r">((?:WD)-\d{4}-\d{6})<", section)
    assert shown == numbers[:10]  # oldest first, ten of them
    assert world_a not in section and returned_number not in section  # returned: not undecided
    assert cells(page)["submitted-total"] == 13


def test_age_counts_calendar_and_chinese_working_days():
    # 16:30 UTC on 30 September is 1 October 00:30 in China: National Day, 1–8 October 2025.
    submitted = datetime(2025, 9, 30, 16, 30, tzinfo=UTC)
    assert dashboard.age(submitted, date(2025, 10, 9)) == (8, 1)
    assert dashboard.age(submitted, date(2025, 10, 11)) == (10, 3)  # Sat 11 Oct: make-up day
    assert dashboard.age(datetime(2025, 10, 10, 2, tzinfo=UTC), date(2025, 10, 10)) == (0, 0)
    # Beyond the years the calendar knows: calendar days only.
    assert dashboard.age(datetime(2025, 12, 1, tzinfo=UTC), date(2099, 1, 1))[1] is None


def test_weeks_are_iso_weeks_in_china_standard_time():
    starts = week_starts(date(2026, 11, 23))  # a Monday
    assert len(starts) == 12 and starts[-1] == date(2026, 11, 23)
    assert starts[0] == date(2026, 9, 7) and all(s.weekday() == 0 for s in starts)
    assert week_starts(date(2026, 11, 29))[-1] == date(2026, 11, 23)  # Sunday: same week

    # Monday 23 November begins in China at 16:00 UTC on Sunday the 22nd.
    assert dashboard.china_midnight_utc(date(2026, 11, 23)) == datetime(2026, 11, 22, 16, 0,
                                                                        tzinfo=UTC)
    assert Week(date(2026, 11, 23)).iso == (2026, 48)


def test_decisions_are_bucketed_across_the_local_midnight_in_the_database(app, world):
    today = dashboard.today_in_china()
    monday = dashboard.week_start(today)
    midnight = dashboard.china_midnight_utc(monday)  # Sunday 16:00 UTC
    with app.app_context():
        regulator = user("regulator")

        def decision(action, at):
            db.session.add(FilingEvent(filing_id=world.filing_a, action=action,
                                       from_status="submitted", to_status="approved",
                                       revision=0, actor_id=regulator.id,
                                       actor_name="regulator", created_at=at))

        decision("approve", midnight - timedelta(seconds=1))  # last week, in China
        decision("reject", midnight)  # this week
        decision("return", midnight + timedelta(hours=7, minutes=59))  # still Monday
        decision("approve", dashboard.china_midnight_utc(monday - timedelta(weeks=11)))
        decision("approve", dashboard.china_midnight_utc(monday - timedelta(weeks=11))
                 - timedelta(seconds=1))  # the 13th week back: not shown
        decision("submit", midnight)  # not a decision
        decision("approve", dashboard.china_midnight_utc(monday + timedelta(weeks=1)))  # ahead
        db.session.commit()
        weeks = dashboard.decisions_per_week(regulator, today)
    by_start = {w.start: w for w in weeks}
    assert by_start[monday].counts == {Action.APPROVE: 0, Action.RETURN: 1, Action.REJECT: 1}
    assert by_start[monday - timedelta(weeks=1)].counts[Action.APPROVE] == 1
    assert weeks[0].start == monday - timedelta(weeks=11) and weeks[0].total == 1
    assert sum(w.total for w in weeks) == 4
    page = dashboard_page(signed_in(app, "regulator"))
    assert weeks_table(page)[monday.isoformat()] == [0, 1, 1, 2]


def test_the_chart_draws_what_the_table_says(app):
    starts = week_starts(date(2026, 11, 23), 3)
    weeks = [Week(starts[0]), Week(starts[1], {Action.APPROVE: 3, Action.RETURN: 2,
                                               Action.REJECT: 1}), Week(starts[2])]
    with app.test_request_context("/?lang=en"):
        chart = bar_chart(weeks)
    assert chart.maximum == 10
    empty, full, _ = (column.segments for column in chart.columns)
    assert empty == []
    assert [(b.series.key, b.value) for b in full] == [("approve", 3), ("return", 2),
                                                       ("reject", 1)]
    assert [b.series.label for b in full] == ["Approved", "Returned for correction", "Rejected"]
    assert [c.label for c in chart.columns] == ["46", "47", "48"] and chart.columns[1].total == 6
    plot = chart.baseline - chart.top
    assert full[0].y + full[0].height == chart.baseline  # stacked from the baseline up
    assert full[1].y + full[1].height == pytest.approx(full[0].y)
    assert sum(b.height for b in full) == pytest.approx(plot * 6 / 10, abs=0.3)
    assert [nice_ceiling(n) for n in (0, 4, 6, 11, 21, 60, 101)] == [5, 5, 10, 20, 50, 100, 200]


def test_the_dashboard_issues_a_bounded_number_of_queries(app, world):
    client = signed_in(app, "regulator")

    def add(count):
        with app.app_context():
            staff, regulator = user("ent-staff"), user("regulator")
            for n in range(count):
                enterprise = make_enterprise(seat="140502", approved=("140500",))
                filing = make_outlet(enterprise, staff, "140502")
                if n % 2:
                    filing_ops.apply(filing, Action.APPROVE, regulator, Side.BUREAU)
            db.session.commit()

    add(2)
    few = count_queries(app, client, "/review/")
    add(20)
    assert count_queries(app, client, "/review/") == few
    assert few <= 15  # the session's and the page's 8, and one per chart of the months


def test_only_regulators_open_the_dashboard(app, world):
    for username in ("admin", "inspector", "ent-admin"):
        assert signed_in(app, username).get("/review/").status_code == 403


def test_the_statistics_are_kept_for_the_configured_time_and_say_when_counted(
        app, world, monkeypatch):
    """With DASHBOARD_STATISTICS_SECONDS the weeks and charts are counted once per bureau and
    language in that time (the page says when); the status matrix stays live; another bureau
    never gets bureau 1's figures; after the time they are counted again."""
    from portal import kept

    monkeypatch.setitem(app.config, "DASHBOARD_STATISTICS_SECONDS", 300)
    app.extensions.pop("portal.kept.dashboard_statistics", None)
    clock = [1000.0]
    monkeypatch.setattr(kept, "monotonic", lambda: clock[0])
    monday = dashboard.week_start(dashboard.today_in_china()).isoformat()
    client = signed_in(app, "regulator")
    first = dashboard_page(client)
    assert "they are counted again after 5 minutes" in first
    before = weeks_table(first)[monday]
    with app.app_context():
        filing = db.session.get(Filing, world.filing_a)
        matrix_before = cells(first)
        filing_ops.apply(filing, Action.APPROVE, user("regulator"), Side.BUREAU)
        db.session.commit()
    clock[0] += 299
    kept = dashboard_page(client)
    assert weeks_table(kept)[monday] == before  # counted five minutes ago at most
    assert cells(kept) != matrix_before  # the matrix is live
    other = dashboard_page(signed_in(app, "regulator2"))
    assert sum(sum(row[:3]) for row in weeks_table(other).values()) == 0
    clock[0] += 2
    again = dashboard_page(client)
    assert weeks_table(again)[monday] == [before[0] + 1, before[1], before[2], before[3] + 1]
    assert app.extensions["portal.kept.dashboard_statistics"]  # kept per bureau and language
    app.extensions.pop("portal.kept.dashboard_statistics", None)
