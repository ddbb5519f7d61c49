"""Every list page issues the same number of SQL statements with 5 rows as with 60 (no N+1).

Statements are counted with a ``before_cursor_execute`` listener on the engine. The page size
is 25 in tests, so the larger world fills whole pages and has more pages after them.
"""

from datetime import timedelta

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.kept import forget_until_changed
from portal.models import Enterprise, Filing, utcnow
from portal.rules.workflow import Status

from ..factories import make_flag, make_outlet, make_policy, make_trainer
from ..meetings.helpers import make_meeting
from .conftest import signed_in, user

REGULATOR_PAGES = [
    "/review/queue",
    "/review/queue?status=all",
    "/review/queue?status=all&sort=newest",
    "/review/queue?status=all&kind=meeting",
    "/review/queue?status=approved&region=140502",
    "/review/queue?status=all&warnings=1",
    "/review/queue?status=all&flagged=1",
    "/review/queue?status=all&q=WD",
    "/review/enterprises",
]
ENTERPRISE_PAGES = [
    "/filings/",
    "/filings/?status=approved",
    "/enterprise/",
    "/enterprise/trainers/",
    "/enterprise/meetings/",
    "/enterprise/meetings/?when=past",
    "/enterprise/policies/",
    "/enterprise/meetings/new",
]


def add_rows(app, world, count: int) -> None:
    """*count* more filings of enterprise A of each kind, in several states, some flagged."""
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        staff, regulator = user("ent-staff"), user("regulator")
        for n in range(count):
            outlet = make_outlet(a, staff, "140502" if n % 2 else "140525")
            outlet.warning_count = n % 3
            if n % 4 == 0:
                make_flag(outlet, regulator)
            make_trainer(a, staff, status="approved" if n % 2 else "submitted",
                         regulator=regulator)
            make_meeting(a, staff, regulator, status=Status.SUBMITTED if n % 2 else Status.APPROVED,
                         starts_at=utcnow() + timedelta(days=3 + n))
            make_policy(a, staff, status="submitted", regulator=regulator, document=None)
        db.session.commit()


def page_and_statements(app, client, url: str) -> tuple[str, list[str]]:
    """GET *url* (it must answer 200): the page's text and the SQL statements it issued."""
    seen = []

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200, url
    return response.get_data(as_text=True), seen


def statements(app, client, url: str) -> list[str]:
    return page_and_statements(app, client, url)[1]


def counts(app, pages) -> dict[str, int]:
    regulator, enterprise = signed_in(app, "regulator"), signed_in(app, "ent-admin")
    return {url: len(statements(app, regulator if url.startswith("/review") else enterprise,
                                url)) for url in pages}


@pytest.fixture
def few_and_many(app, world):
    add_rows(app, world, 5)
    counts(app, REGULATOR_PAGES + ENTERPRISE_PAGES)  # what a process keeps is kept now
    forget_until_changed(app)  # but the pages kept until a change are rendered: they count
    few = counts(app, REGULATOR_PAGES + ENTERPRISE_PAGES)
    add_rows(app, world, 55)
    counts(app, REGULATOR_PAGES + ENTERPRISE_PAGES)  # what changed with the rows is kept anew
    forget_until_changed(app)
    many = counts(app, REGULATOR_PAGES + ENTERPRISE_PAGES)
    with app.app_context():
        assert db.session.query(Filing).count() > 60 * 4
    return few, many


def test_list_pages_issue_as_many_statements_for_60_rows_as_for_5(few_and_many):
    few, many = few_and_many
    assert {url: many[url] - few[url] for url in many if many[url] != few[url]} == {}


def test_the_queue_takes_a_handful_of_statements(few_and_many):
    _few, many = few_and_many
    # BEGIN, the signed-in user (with bureau and unread count), the page with its enterprises,
    # meeting starts and open flags, the counts (and the enterprise named in the filter); the
    # district choices are kept per jurisdiction, so read once in a while.
    for url in REGULATOR_PAGES:
        if url.startswith("/review/queue"):
            assert many[url] <= 5, url


def test_the_meeting_pages_take_a_handful_of_statements(few_and_many):
    _few, many = few_and_many
    # BEGIN, the signed-in user (with enterprise and unread count), both tabs counted in one
    # statement, the tab's page (a statement with its filings and districts).
    assert many["/enterprise/meetings/"] <= 4
    assert many["/enterprise/meetings/?when=past"] <= 4
    # BEGIN, the user (with the enterprise), its approved regions and what its trainers'
    # choices depend on; the choices themselves (read again when that changed) and the
    # districts of its provinces are kept by the process.
    assert many["/enterprise/meetings/new"] <= 4


def test_the_enterprise_home_and_the_policy_versions_take_a_handful_of_statements(few_and_many):
    _few, many = few_and_many
    # BEGIN, the signed-in user, the enterprise with its licence facts and approved regions,
    # the four lists in one (returned filings with their reasons, drafts, meetings whose
    # attendance is due, upcoming meetings), the counts (from the running counts).
    assert many["/enterprise/"] <= 5
    # BEGIN, the user, the page of versions with their number and the current one's id (and
    # the current version itself when it is on another page).
    assert many["/enterprise/policies/"] <= 4


def test_the_licence_facts_take_as_many_statements_for_12_regions_as_for_2(app, world):
    """The enterprise home and the regulator's and administrator's enterprise pages load the
    approved regions with their cities (ENTERPRISE_FACTS_OPTIONS), not one by one."""
    from datetime import date

    from portal.models import EnterpriseRegion, Region

    pages = {"ent-admin": ["/enterprise/"],
             "regulator": [f"/review/enterprises/{world.enterprise_a}"],
             "admin": [f"/admin/enterprises/{world.enterprise_a}"]}

    def statement_counts():
        return {url: len(statements(app, signed_in(app, who), url))
                for who, urls in pages.items() for url in urls}

    with app.app_context():
        districts = db.session.scalars(
            db.select(Region.code).where(Region.code.like("14%"), Region.level == 3)
            .order_by(Region.code)).all()
        have = set(db.session.scalars(db.select(EnterpriseRegion.region_code).where(
            EnterpriseRegion.enterprise_id == world.enterprise_a)))
        new = [code for code in districts if code not in have]
        db.session.add_all(EnterpriseRegion(enterprise_id=world.enterprise_a, region_code=code,
                                            approved_on=date(2026, 1, 5)) for code in new[:1])
        db.session.commit()
    few = statement_counts()
    with app.app_context():
        db.session.add_all(EnterpriseRegion(enterprise_id=world.enterprise_a, region_code=code,
                                            approved_on=date(2026, 1, 5)) for code in new[1:11])
        db.session.commit()
        assert len(new) >= 11
    assert statement_counts() == few


def test_no_list_shows_more_than_a_page_of_rows(app, few_and_many):
    import re

    page_size = app.config["PAGE_SIZE"]
    regulator, enterprise = signed_in(app, "regulator"), signed_in(app, "ent-admin")
    for url in REGULATOR_PAGES + ENTERPRISE_PAGES:
        html = (regulator if url.startswith("/review") else enterprise).get(url).get_data(
            as_text=True)
        for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S):
            assert body.count("<tr") <= page_size, url
