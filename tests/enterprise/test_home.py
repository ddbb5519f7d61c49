"""The enterprise's home: what needs action, upcoming meetings, filings counted; scoped, bounded."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select, update

from portal.enterprise.overview import LIST_LIMIT
from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import (
    Enterprise,
    Filing,
    FilingKind,
    Meeting,
    MeetingKind,
    Role,
    User,
    utcnow,
)
from portal.rules.premises import Premises
from portal.rules.workflow import Action, Side, Status

from ..factories import USERNAMES, make_enterprise, make_outlet, make_trainer, make_user


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def make_meeting(enterprise, actor, starts_in: timedelta, status="approved", attendance=None,
                 title="业务培训会"):
    """A meeting filing of *enterprise* starting *starts_in* from now, lasting two hours."""
    starts = utcnow() + starts_in
    filing = filing_ops.create(FilingKind.MEETING, enterprise, "140502", title, actor)
    db.session.add(Meeting(
        filing=filing, kind=MeetingKind.BUSINESS_TRAINING, title=title, starts_at=starts,
        ends_at=starts + timedelta(hours=2), venue_premises_type=Premises.HOTEL,
        venue_name="晋城国际酒店", venue_address="晋城市城区泽州路1号", region_code="140502",
        expected_attendance=40, audience="直销员", fee=Decimal("0"), contact_name="联系人",
        contact_phone="13800000000", actual_attendance=attendance,
    ))
    db.session.flush()
    if status != "draft":
        filing_ops.apply(filing, Action.SUBMIT, actor, Side.ENTERPRISE)
    if status == "approved":
        filing_ops.apply(filing, Action.APPROVE, user("regulator"), Side.BUREAU)
    return filing


@pytest.fixture
def staff(world, client, login):
    login(USERNAMES["enterprise_staff"])
    return client


def home(client) -> str:
    response = client.get("/enterprise/?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_nothing_to_do_and_the_licence_facts(app, client, login):
    with app.app_context():
        enterprise = make_enterprise()
        make_user(Role.ENTERPRISE_STAFF, "lonely", enterprise=enterprise)
        db.session.commit()
        name = enterprise.name
    login("lonely")
    page = home(client)
    assert "Nothing needs your action right now." in page
    assert name in page and "Approved selling regions" in page
    assert "No training meetings in the next 14 days." in page


def test_returned_filings_show_the_bureau_reasons(staff, app, world):
    with app.app_context():
        filing = db.session.get(Filing, world.filing_a)
        filing_ops.apply(filing, Action.RETURN, user("regulator"), Side.BUREAU,
                         reasons=["房屋租赁合同已过期"], comment="请上传新合同")
        db.session.commit()
        number = filing.number
    page = home(staff)
    assert "Returned for correction (1)" in page
    assert number in page and "房屋租赁合同已过期" in page and "请上传新合同" in page
    assert f'href="/filings/{world.filing_a}"' in page


def test_drafts_are_listed_and_other_enterprises_rows_are_not(staff, app, world):
    with app.app_context():
        draft = db.session.get(Filing, world.draft_a)
        other = make_outlet(db.session.get(Enterprise, world.enterprise_b),
                            user(USERNAMES["enterprise2_staff"]), "140105", submit=False)
        db.session.commit()
        mine, theirs = draft.number, other.number
    page = home(staff)
    assert "Drafts not yet submitted (1)" in page
    assert mine in page and theirs not in page


def test_meetings_that_ended_without_attendance_need_a_report(staff, app, world):
    with app.app_context():
        enterprise = db.session.get(Enterprise, world.enterprise_a)
        actor = user(USERNAMES["enterprise_staff"])
        make_meeting(enterprise, actor, -timedelta(days=3), title="已结束未报告")
        make_meeting(enterprise, actor, -timedelta(days=4), attendance=38, title="已报告")
        make_meeting(enterprise, actor, -timedelta(days=5), status="submitted",
                     title="未审核已过期")
        make_meeting(enterprise, actor, timedelta(days=10), title="十天后")
        make_meeting(enterprise, actor, timedelta(days=3), status="submitted", title="三天后")
        make_meeting(enterprise, actor, timedelta(days=20), title="二十天后")
        other = db.session.get(Enterprise, world.enterprise_b)
        make_meeting(other, user(USERNAMES["enterprise2_staff"]), -timedelta(days=3),
                     title="别家会议")
        db.session.commit()
    page = home(staff)
    needs, upcoming = page.split('id="upcoming-heading"')
    assert "Meetings that ended without an attendance report" in needs
    assert "已结束未报告" in needs
    assert "已报告" not in needs and "未审核已过期" not in needs and "别家会议" not in page
    upcoming = upcoming.split('id="counts-heading"')[0]
    assert upcoming.index("三天后") < upcoming.index("十天后")
    assert "二十天后" not in upcoming and "已结束未报告" not in upcoming


def test_counts_by_kind_and_status_link_into_the_filings_list(staff, app, world):
    with app.app_context():
        enterprise = db.session.get(Enterprise, world.enterprise_a)
        actor = user(USERNAMES["enterprise_staff"])
        for _ in range(2):
            make_trainer(enterprise, actor, "approved", user("regulator"))
        make_trainer(enterprise, actor, "draft")
        db.session.commit()
    page = home(staff)
    assert '<a href="/filings/?kind=trainer&amp;status=approved">2</a>' in page
    assert '<a href="/filings/?kind=trainer&amp;status=draft">1</a>' in page
    assert '<a href="/filings/?kind=outlet&amp;status=submitted">1</a>' in page
    assert '<a href="/filings/?kind=outlet">Service outlet</a>' in page


def run_queries(app, fn) -> list[str]:
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return statements


def test_lists_are_bounded_and_the_query_count_does_not_grow(staff, app, world):
    def add(n):
        with app.app_context():
            enterprise = db.session.get(Enterprise, world.enterprise_a)
            actor = user(USERNAMES["enterprise_staff"])
            for _ in range(n):
                filing = make_outlet(enterprise, actor, "140502")
                filing_ops.apply(filing, Action.RETURN, user("regulator"), Side.BUREAU,
                                 reasons=["理由"])
                make_outlet(enterprise, actor, "140502", submit=False)
                make_meeting(enterprise, actor, -timedelta(days=2))
                make_meeting(enterprise, actor, timedelta(days=2))
            db.session.commit()

    add(2)
    home(staff)  # warm up: the first request opens connections and loads the regions
    few = run_queries(app, lambda: home(staff))
    add(LIST_LIMIT + 3)
    many = run_queries(app, lambda: home(staff))
    assert len(many) == len(few), "\n".join(many)
    page = home(staff)
    assert page.count("理由") == LIST_LIMIT
    assert f"Returned for correction ({LIST_LIMIT + 5})" in page
    assert 'href="/filings/?status=returned"' in page and 'href="/filings/?status=draft"' in page


def test_the_statements_are_built_once_per_scope_and_never_shared_across_it(app, world):
    from portal.access import built_per_scope

    built = []

    def build(user):
        built.append(user.username)
        return object()

    with app.app_context():
        staff, admin = user(USERNAMES["enterprise_staff"]), user(USERNAMES["enterprise_admin"])
        other = user(USERNAMES["enterprise2_staff"])
        first = built_per_scope("test.home", Filing, staff, build)
        assert built_per_scope("test.home", Filing, staff, build) is first
        assert built_per_scope("test.home", Filing, other, build) is not first
        assert built_per_scope("test.home", Filing, admin, build) is not first
        assert built == [staff.username, other.username, admin.username]


def test_returned_filings_come_latest_first_with_their_latest_reasons(staff, app, world):
    with app.app_context():
        enterprise = db.session.get(Enterprise, world.enterprise_a)
        actor, regulator = user(USERNAMES["enterprise_staff"]), user("regulator")
        first = make_outlet(enterprise, actor, "140502")
        second = make_outlet(enterprise, actor, "140502")
        filing_ops.apply(first, Action.RETURN, regulator, Side.BUREAU, reasons=["第一次理由"])
        filing_ops.apply(second, Action.RETURN, regulator, Side.BUREAU, reasons=["第二件理由"])
        filing_ops.apply(first, Action.RESUBMIT, actor, Side.ENTERPRISE)
        filing_ops.apply(first, Action.RETURN, regulator, Side.BUREAU, reasons=["再次退回理由"],
                         comment="请补充材料")
        db.session.commit()
        numbers = first.number, second.number
    returned = home(staff).split('id="returned-heading"')[1].split("</ul>")[0]
    assert returned.index(numbers[0]) < returned.index(numbers[1])  # returned last, first
    assert "再次退回理由" in returned and "请补充材料" in returned
    assert "第一次理由" not in returned and "第二件理由" in returned


def test_a_stale_status_copy_hides_a_meeting_and_recount_repairs_it(staff, app, world):
    """A meeting's copy of its filing's status changed behind the ORM's back (SQL by hand, a
    worker of the previous release between upgrade and restart): the home hides the meeting
    rather than listing it wrongly, `filings recount --check` reports it, `recount` repairs."""
    with app.app_context():
        enterprise = db.session.get(Enterprise, world.enterprise_a)
        actor = user(USERNAMES["enterprise_staff"])
        ended = make_meeting(enterprise, actor, -timedelta(days=3), title="已结束未报告").id
        withdrawn = make_meeting(enterprise, actor, -timedelta(days=4), status="submitted",
                                 title="待审核的会议").id
        db.session.commit()
        # The one approved meeting says "submitted"; the submitted one says "approved".
        for filing_id, copy in ((ended, Status.SUBMITTED), (withdrawn, Status.APPROVED)):
            db.session.execute(update(Meeting).where(Meeting.filing_id == filing_id)
                               .values(filing_status=copy))
        db.session.commit()
    page = home(staff)
    assert "已结束未报告" not in page and "待审核的会议" not in page
    runner = app.test_cli_runner()
    result = runner.invoke(args=["filings", "recount", "--check"])
    assert result.exit_code == 1 and "2 difference(s)" in result.output
    assert f"meeting {ended}: copy submitted, filing approved" in result.output
    assert runner.invoke(args=["filings", "recount"]).exit_code == 0
    assert runner.invoke(args=["filings", "recount", "--check"]).exit_code == 0
    page = home(staff)
    assert "已结束未报告" in page.split('id="upcoming-heading"')[0]
    assert "待审核的会议" not in page


def test_a_meeting_naming_its_filing_by_id_copies_its_status(app, world):
    with app.app_context():
        enterprise = db.session.get(Enterprise, world.enterprise_a)
        filing = make_meeting(enterprise, user(USERNAMES["enterprise_staff"]),
                              timedelta(days=30))  # approved
        db.session.commit()
        db.session.delete(db.session.get(Meeting, filing.id))
        db.session.flush()
        starts = utcnow() + timedelta(days=30)
        db.session.add(Meeting(
            filing_id=filing.id, kind=MeetingKind.BUSINESS_TRAINING, title="按编号",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2), venue_premises_type=Premises.HOTEL,
            venue_name="晋城国际酒店", venue_address="晋城市城区泽州路1号", region_code="140502",
            expected_attendance=40, audience="直销员", fee=Decimal("0"), contact_name="联系人",
            contact_phone="13800000000"))
        db.session.commit()
        meeting = db.session.get(Meeting, filing.id)
        assert meeting.filing_status is Status.APPROVED
        assert meeting.enterprise_id == world.enterprise_a
