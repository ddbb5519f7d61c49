"""The annual work report (/reports/annual, .pdf, .xlsx): figures counted here from the seeded
rows, the previous period of equal length and the change, the period form, the PDF and the
spreadsheet, one bureau's figures only, a bounded number of queries."""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.inspections.items import load_check_items
from portal.models import (
    Bureau,
    Enterprise,
    Filing,
    FilingEvent,
    NoticeStatus,
    Role,
    Verdict,
)
from portal.reports.figures import Period, add_years, period_problem
from portal.rules.meetings import CHINA
from portal.rules.workflow import Status

from ..factories import make_bureau, make_trainer, make_user
from ..meetings.helpers import china
from ..review.conftest import signed_in
from ..review.test_queue import count_queries
from .builders import completed_check, event, notice_in, supervised_meeting, user

PERIOD = "start=2026-01-01&end=2026-06-30"  # 181 days; the previous: 4 July – 31 December 2025
P, F = Verdict.PASS, Verdict.FAIL


@pytest.fixture
def seeded(app, world):
    """Bureau 1's work in the first half of 2026 and the second half of 2025, bureau 2's too."""
    with app.app_context():
        load_check_items()
        b1, b2 = db.session.get(Bureau, world.bureau1), db.session.get(Bureau, world.bureau2)
        a = db.session.get(Enterprise, world.enterprise_a)
        regulator, regulator2, staff = user("regulator"), user("regulator2"), user("ent-staff")
        trainer = make_trainer(a, staff, "submitted")
        outlet = world.filing_a
        for action, at in [("submit", china(2026, 1, 1, 0, 0)),  # the first minute counts
                           ("approve", china(2026, 3, 2)), ("resubmit", china(2026, 3, 9)),
                           ("return", china(2026, 3, 20)), ("amend", china(2026, 6, 30, 23, 59)),
                           ("approve", china(2026, 7, 1, 0, 0)),  # after the period
                           ("submit", china(2025, 12, 31, 23, 59)),  # previous period
                           ("approve", china(2025, 11, 3)),
                           ("submit", china(2025, 7, 3, 23, 0))]:  # before both
            event(outlet, action, at, regulator)
        event(trainer.id, "submit", china(2026, 4, 1), staff)
        event(trainer.id, "reject", china(2026, 4, 8), regulator)
        event(trainer.id, "withdraw", china(2026, 4, 9), regulator)  # not a decision
        for n in range(3):
            event(world.filing_b, "submit", china(2026, 2, 1 + n), user("ent2-staff"))
        # Meetings: two filed this half year, one supervised now and one last year.
        first = supervised_meeting(a, staff, regulator, marked_at=china(2026, 2, 3),
                                   completed_at=china(2026, 2, 20))
        second = supervised_meeting(a, staff, regulator, done=False, marked_at=china(2026, 5, 5))
        supervised_meeting(a, staff, regulator, marked_at=china(2025, 9, 1),
                           completed_at=china(2025, 9, 2))
        event(first.meeting_id, "submit", china(2026, 1, 20), staff)
        event(second.meeting_id, "submit", china(2026, 4, 20), staff)
        # Spot checks: two drawn and completed this half year (one published), one last year.
        completed_check(b1, regulator, {"A01": F, "A02": F, "A03": P}, china(2026, 3, 1),
                        published_at=china(2026, 4, 1), drawn_at=china(2026, 2, 1))
        completed_check(b1, regulator, {"A01": P, "A05": F}, china(2026, 5, 1),
                        drawn_at=china(2026, 4, 1))
        completed_check(b1, regulator, {"A01": F}, china(2025, 10, 1),
                        drawn_at=china(2025, 9, 1))
        completed_check(b2, regulator2, {"A01": F}, china(2026, 3, 1), drawn_at=china(2026, 2, 1))
        # Notices: three issued this half year (one corrected, one escalated), one last year.
        notice_in(b1, a, regulator, NoticeStatus.CORRECTED, issued_at=china(2026, 1, 5),
                  closed_at=china(2026, 2, 5))
        notice_in(b1, a, regulator, NoticeStatus.ESCALATED, issued_at=china(2026, 2, 5),
                  escalated_at=china(2026, 6, 1))
        notice_in(b1, a, regulator, NoticeStatus.SERVED, issued_at=china(2026, 6, 30, 12))
        notice_in(b1, a, regulator, NoticeStatus.CORRECTED, issued_at=china(2025, 8, 5),
                  closed_at=china(2025, 12, 5))
        db.session.commit()


def figures_of(html: str) -> dict[str, list[str]]:
    """{figure key: [this period, previous, change, change %]} of the page's tables."""
    return {key: [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                      row)]
            for key, row in re.findall(r'<tr data-figure="([a-z_]+)">(.*?)</tr>', html, re.S)}


def counted_events(prefix: str, period: Period) -> dict[str, int]:
    """Events on filings in the area within *period*, counted here from every row."""
    counts: dict[str, int] = {}
    for e in db.session.scalars(select(FilingEvent)):
        filing = db.session.get(Filing, e.filing_id)
        day = e.created_at.astimezone(CHINA).date()
        if (filing.region_code.startswith(prefix) and filing.status is not Status.DRAFT
                and period.start <= day <= period.end):
            counts[e.action] = counts.get(e.action, 0) + 1
    return counts


def report_page(client, query=PERIOD, lang="en"):
    return client.get(f"/reports/annual?{query}&lang={lang}")


def test_the_figures_match_the_rows_and_the_previous_period(app, world, seeded):
    response = report_page(signed_in(app, "regulator"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    shown = figures_of(page)
    with app.app_context():
        now = counted_events("1405", Period(date(2026, 1, 1), date(2026, 6, 30)))
        before = counted_events("1405", Period(date(2025, 7, 4), date(2025, 12, 31)))
    received = sum(now.get(a, 0) for a in ("submit", "resubmit", "amend"))
    received_before = sum(before.get(a, 0) for a in ("submit", "resubmit", "amend"))
    assert (received, received_before) == (6, 1)
    assert shown["received"] == ["6", "1", "+5", "+500%"]
    decided = sum(now.get(a, 0) for a in ("approve", "return", "reject"))
    assert decided == 3 and before.get("approve") == 1
    assert shown["decided"] == ["3", "1", "+2", "+200%"]
    assert shown["approved"] == ["1", "1", "0", "0%"]
    assert shown["returned"] == ["1", "0", "+1", "—"]  # no previous figure: no per cent
    assert shown["rejected"] == ["1", "0", "+1", "—"]
    assert shown["meetings_filed"] == ["2", "0", "+2", "—"]
    assert shown["supervisions_planned"] == ["2", "1", "+1", "+100%"]
    assert shown["meetings_supervised"] == ["1", "1", "0", "0%"]
    assert shown["checks_planned"] == ["2", "1", "+1", "+100%"]
    assert shown["checks_done"] == ["2", "1", "+1", "+100%"]
    assert shown["checks_published"] == ["1", "0", "+1", "—"]
    assert shown["items_failed"] == ["3", "1", "+2", "+200%"]
    assert shown["notices_issued"] == ["3", "1", "+2", "+200%"]
    assert shown["notices_corrected"] == ["1", "1", "0", "0%"]
    assert shown["notices_escalated"] == ["1", "0", "+1", "—"]
    assert "From January 1, 2026 to June 30, 2026 (181 days)" in page
    assert "July 4, 2025 to December 31, 2025" in page
    # Failed items by category: Licensing 1 (previous 1), Service outlets 1, A05's category 1.
    failed = dict(re.findall(r'<tr data-category="([^"]+)"><th scope="row">[^<]*</th>'
                             r'<td class="text-end">(\d+)</td>', page))
    assert failed["经营资质"] == "1" and failed["服务网点"] == "1"
    assert sum(int(n) for n in failed.values()) == 3
    kinds = re.findall(r'<tr data-kind="(\d)"><th scope="row">([^<]+)</th><td class="text-end">'
                       r'(\d+) <span class="previous">\((\d+)\)', page)
    assert [(label, n, prev) for _, label, n, prev in kinds] == [
        ("Service outlet", "3", "1"), ("Trainer", "1", "0"), ("Training meeting", "2", "0"),
        ("Return and exchange policy", "0", "0")]
    assert page.count('<svg class="chart" role="img"') == 3


def test_bureau_2_sees_only_its_own_figures(app, world, seeded):
    page = report_page(signed_in(app, "regulator2")).get_data(as_text=True)
    shown = figures_of(page)
    assert shown["received"] == ["3", "0", "+3", "—"]
    assert shown["decided"][0] == "0" and shown["notices_issued"][0] == "0"
    assert shown["checks_done"] == ["1", "0", "+1", "—"]
    assert shown["items_failed"][0] == "1"
    assert shown["meetings_supervised"] == ["0", "0", "0", "—"]


def test_the_default_period_is_this_year_to_date(app, world):
    page = signed_in(app, "regulator").get("/reports/annual?lang=en").get_data(as_text=True)
    from portal.review.dashboard import today_in_china

    today = today_in_china()
    assert f'value="{today.year}-01-01"' in page and f'value="{today.isoformat()}"' in page
    assert 'data-figure="received"' in page


@pytest.mark.parametrize(("query", "message"), [
    ("start=2026-06-30&end=2026-01-01", "The end of the period lies before its start."),
    ("start=2023-01-01&end=2026-01-01", "A report covers at most 3 years."),
    ("start=2026-13-01&end=2026-01-01", "Not a valid date value."),
    ("start=&end=2026-01-01", "This field is required."),
])
def test_a_wrong_period_is_refused_and_what_was_typed_stays(app, world, query, message):
    client = signed_in(app, "regulator")
    for url in ("/reports/annual", "/reports/annual.pdf", "/reports/annual.xlsx"):
        response = client.get(f"{url}?{query}&lang=en")
        assert response.status_code == 400, url
        page = response.get_data(as_text=True)
        assert message in page and 'data-figure="received"' not in page
        start, end = re.findall(r"=([^&]*)", query)
        assert f'value="{start}"' in page and f'value="{end}"' in page


def test_the_period_errors_are_translated(app, world):
    page = report_page(signed_in(app, "regulator"), "start=2026-13-01&end=2026-01-01",
                       lang="zh").get_data(as_text=True)
    assert "不是有效的日期值" in page


def test_the_period_rules():
    assert period_problem(date(2026, 1, 2), date(2026, 1, 1)) == "reversed"
    assert period_problem(date(2026, 1, 1), date(2026, 1, 1)) is None
    assert period_problem(date(2023, 1, 2), date(2026, 1, 1)) is None  # three years exactly
    assert period_problem(date(2023, 1, 1), date(2026, 1, 1)) == "too_long"
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    assert period.previous() == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert Period.year_to_date(date(2026, 3, 5)) == Period(date(2026, 1, 1), date(2026, 3, 5))


def translated(app, text: str, lang: str) -> str:
    """*text* as the catalogue of *lang* gives it (English until the catalogue has it)."""
    from flask_babel import gettext

    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text)


def test_the_pdf_is_chinese_with_the_title_bureau_and_figures(app, world, seeded):
    response = signed_in(app, "regulator").get(f"/reports/annual.pdf?{PERIOD}&lang=zh")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "annual-report-20260101-20260630.pdf" in response.headers["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    compact = re.sub(r"\s+", "", text)
    with app.app_context():
        bureau = db.session.get(Bureau, world.bureau1).name_zh
    assert bureau in compact
    assert re.sub(r"\s+", "", translated(app, "Annual work report", "zh")) in compact
    assert "2026年1月1日" in compact and "2026年6月30日" in compact
    assert "+500%" in compact and "+200%" in compact


def test_the_spreadsheet_holds_the_figures(app, world, seeded):
    response = signed_in(app, "regulator").get(f"/reports/annual.xlsx?{PERIOD}&lang=en")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Summary", "Filings by kind", "Failed items"]
    summary = {row[0]: row[1:] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Filings received (submissions, resubmissions and amendments)"][:4] == (
        6, 1, 5, 5)
    assert summary["Spot checks completed"][:4] == (2, 1, 1, 1)
    assert summary["Check items failed"][:4] == (3, 1, 2, 2)
    assert summary["This period"][0] == "January 1, 2026 to June 30, 2026"
    kinds = list(book["Filings by kind"].iter_rows(values_only=True))
    assert kinds[1][:5] == ("Service outlet", 3, 1, 1, 0)
    failed = {row[0]: row[1:] for row in book["Failed items"].iter_rows(min_row=2,
                                                                        values_only=True)}
    assert failed["Licensing"] == (1, 1, 0)


def test_formula_like_names_are_escaped_in_the_spreadsheet(app, world):
    with app.app_context():
        bureau = make_bureau("140200", name="=HYPERLINK(\"http://x\")局")
        make_user(Role.REGULATOR, "regulator-formula", bureau=bureau)
        db.session.commit()
    response = signed_in(app, "regulator-formula").get("/reports/annual.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]  # the summary
    assert sheet["B1"].value.startswith("'=")


def test_the_report_issues_a_bounded_number_of_queries(app, world, seeded):
    client = signed_in(app, "regulator")
    url = f"/reports/annual?{PERIOD}"
    few = count_queries(app, client, url)
    with app.app_context():
        b1 = db.session.get(Bureau, world.bureau1)
        a = db.session.get(Enterprise, world.enterprise_a)
        regulator = user("regulator")
        for n in range(5):
            event(world.filing_a, "approve", china(2026, 2, 1 + n), regulator)
            completed_check(b1, regulator, {"A01": F, "A06": F}, china(2026, 2, 1 + n))
            notice_in(b1, a, regulator, NoticeStatus.CORRECTED, issued_at=china(2026, 2, 1),
                      closed_at=china(2026, 3, 1 + n))
        db.session.commit()
    assert count_queries(app, client, url) == few
    assert few <= 16


def test_only_regulators_open_the_report(app, world):
    for username in ("admin", "inspector", "ent-admin"):
        client = signed_in(app, username)
        for url in ("/reports/annual", "/reports/annual.pdf", "/reports/annual.xlsx"):
            assert client.get(url).status_code == 403
