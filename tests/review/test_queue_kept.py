"""The review queue's list kept until anything changes (review.views.queue_list,
portal.kept.until_changed).

A regulator's queue page was rendered afresh on every request (its page and count statements,
fifty rows, the tabs and filter form). Now each process keeps the rendered list per user, query
string and language while the audit log's last event, read with the signed-in user, stays
where it was, and a minute at most. These tests require every change made through the portal
(a decision, a new submission, a flag, an edit) to show on the very next view, by anyone,
and a view of an unchanged queue to read no filings at all.
"""

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, text

from portal import kept
from portal.extensions import db
from portal.models import AuditEvent, Bureau, Enterprise, Filing, Role, utcnow
from portal.rules.workflow import Status

from ..factories import make_outlet, make_user
from ..meetings.helpers import make_meeting
from .conftest import signed_in, user, version_on
from .test_query_counts import page_and_statements

QUEUE = "/review/queue?lang=en"


def read_filings(app, client, url=QUEUE) -> tuple[str, bool]:
    """The page's text and whether any of its statements read the filings."""
    page, seen = page_and_statements(app, client, url)
    return page, any(re.search(r"\bFROM \"?filing\"?\b", s) for s in seen)


def rows(page: str) -> str:
    """The queue's table rows ("" when it lists nothing)."""
    return page.partition("<tbody>")[2].partition("</tbody>")[0]


def number_of(app, filing_id) -> str:
    with app.app_context():
        return db.session.get(Filing, filing_id).number


def test_an_unchanged_queue_is_not_read_again(app, world):
    regulator = signed_in(app, "regulator")
    page, read = read_filings(app, regulator)
    assert read and number_of(app, world.filing_a) in page
    again, read = read_filings(app, regulator)
    assert not read and again == page
    # Another page, filter or language is another list.
    assert read_filings(app, regulator, QUEUE + "&status=all")[1]
    assert read_filings(app, regulator, "/review/queue?lang=zh")[1]


def test_a_decision_shows_on_the_next_view(app, world, reasons):
    regulator = signed_in(app, "regulator")
    number = number_of(app, world.filing_a)
    assert number in read_filings(app, regulator)[0]
    filing_page = regulator.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    assert regulator.post(f"/review/filings/{world.filing_a}/approve", data={
        "version": version_on(filing_page, "approve")}).status_code == 302
    page, read = read_filings(app, regulator)
    assert read and number not in rows(page)  # the flash message names it
    assert number in rows(read_filings(app, regulator, QUEUE + "&status=approved")[0])


def test_a_new_submission_shows_on_the_next_view(app, world):
    """A change made by another user (in another process, as far as the list knows)."""
    with app.app_context():
        staff = user("ent-staff")
        draft = make_outlet(db.session.get(Enterprise, world.enterprise_a), staff, "140502",
                            submit=False)
        db.session.commit()
        draft_id = draft.id
    # Both signed in before the first view.
    regulator, enterprise = signed_in(app, "regulator"), signed_in(app, "ent-staff")
    form = enterprise.get(f"/filings/{draft_id}?lang=en").get_data(as_text=True)
    page, read = read_filings(app, regulator)
    assert read and number_of(app, draft_id) not in rows(page)
    assert not read_filings(app, regulator)[1]  # kept now
    token = re.search(r'name="version" value="(\d+)"', form)
    response = enterprise.post(f"/filings/{draft_id}/submit",
                               data={"version": token.group(1) if token else ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with app.app_context():
        assert db.session.get(Filing, draft_id).status is Status.SUBMITTED
    page, read = read_filings(app, regulator)
    assert read and number_of(app, draft_id) in rows(page)


def test_a_flag_shows_on_the_next_view(app, world):
    regulator = signed_in(app, "regulator")
    page = read_filings(app, regulator)[0]
    assert "Flagged" not in rows(page)
    assert regulator.post(f"/review/filings/{world.filing_a}/flags", data={
        "category": "team_pay", "note": "按下线业绩计酬"}).status_code == 302
    page, read = read_filings(app, regulator)
    assert read and "Flagged" in rows(page)


def test_each_user_and_bureau_has_its_own_list(app, world):
    a, b = number_of(app, world.filing_a), number_of(app, world.filing_b)
    # Both signed in before the first view.
    regulator, regulator2 = signed_in(app, "regulator"), signed_in(app, "regulator2")
    for _ in range(2):
        first = read_filings(app, regulator, QUEUE + "&status=all")[0]
        second = read_filings(app, regulator2, QUEUE + "&status=all")[0]
        assert a in rows(first) and b not in rows(first)
        assert b in rows(second) and a not in rows(second)


def test_a_colleague_s_decision_shows_in_the_other_regulator_s_kept_list(app, world, reasons):
    """Two regulators of the same bureau: each has a kept list of the same filings; when one
    decides a filing, the other's next view lists it under its new status, not the kept list."""
    with app.app_context():
        make_user(Role.REGULATOR, username="regulator-colleague",
                  bureau=db.session.get(Bureau, world.bureau1))
        db.session.commit()
    number = number_of(app, world.filing_a)
    regulator, colleague = signed_in(app, "regulator"), signed_in(app, "regulator-colleague")
    for client in (regulator, colleague):
        page, read = read_filings(app, client)
        assert read and number in rows(page)
    assert not read_filings(app, colleague)[1]  # kept
    filing_page = regulator.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    assert regulator.post(f"/review/filings/{world.filing_a}/approve", data={
        "version": version_on(filing_page, "approve")}).status_code == 302
    page, read = read_filings(app, colleague)
    assert read and number not in rows(page)
    assert number in rows(read_filings(app, colleague, QUEUE + "&status=approved")[0])


def test_a_change_made_outside_the_portal_shows_within_a_minute(app, world, monkeypatch):
    """SQL typed into psql records nothing in the audit log: the list is kept at most
    KEPT_UNTIL_CHANGED_SECONDS."""
    regulator = signed_in(app, "regulator")
    read_filings(app, regulator)
    with app.app_context():
        db.session.get(Filing, world.filing_a).title = "门外修改的标题"
        db.session.commit()
    page, read = read_filings(app, regulator)
    assert not read and "门外修改的标题" not in page
    later = kept.monotonic() + app.config["KEPT_UNTIL_CHANGED_SECONDS"] + 1
    monkeypatch.setattr(kept, "monotonic", lambda: later)
    page, read = read_filings(app, regulator)
    assert read and "门外修改的标题" in page


def test_a_request_that_records_a_change_forgets_the_last_event(app, world):
    """What a request computes after its own change must show that change."""
    from flask import g

    from portal import audit

    with app.test_request_context():
        g.audit_head = 41
        audit.record("test.changed", actor=user("regulator"))
        assert g.get("audit_head") is None
        db.session.rollback()


def test_the_same_arguments_in_another_order_are_another_list(app, world):
    """The filters read the first of repeated arguments: the query string as sent is the
    key, not its arguments sorted."""
    a = number_of(app, world.filing_a)
    with app.app_context():
        filing = db.session.get(Filing, world.filing_a)
        filing.status = Status.APPROVED  # one approved filing, the others submitted
        db.session.commit()
    regulator = signed_in(app, "regulator")
    approved = read_filings(app, regulator, QUEUE + "&status=approved&status=submitted")[0]
    submitted = read_filings(app, regulator, QUEUE + "&status=submitted&status=approved")[0]
    assert a in rows(approved) and a not in rows(submitted)


@pytest.mark.parametrize("kept_at_most", [3])
def test_a_process_keeps_a_bounded_number_of_lists(app, world, monkeypatch, kept_at_most):
    monkeypatch.setattr(kept, "MOST_KEPT", kept_at_most)
    regulator = signed_in(app, "regulator")
    for n in range(6):
        read_filings(app, regulator, QUEUE + f"&q=x{n}")
    store = app.extensions[f"portal.kept.{kept.UNTIL_CHANGED}review_queue"]
    assert len(store) == kept_at_most
    # The newest are kept.
    assert read_filings(app, regulator, QUEUE + "&q=x5")[1] is False
    assert read_filings(app, regulator, QUEUE + "&q=x0")[1] is True


def test_undecided_meetings_starting_soon_keep_their_time_left_within_a_minute(app, world,
                                                                               monkeypatch):
    with app.app_context():
        make_meeting(db.session.get(Enterprise, world.enterprise_a), user("ent-staff"),
                     user("regulator"), status=Status.SUBMITTED,
                     starts_at=utcnow() + timedelta(days=3, hours=1), title="即将召开")
        db.session.commit()
    regulator = signed_in(app, "regulator")
    url = QUEUE + "&kind=meeting"
    assert "Starts in 3 days" in read_filings(app, regulator, url)[0]
    later = kept.monotonic() + app.config["KEPT_UNTIL_CHANGED_SECONDS"] + 1
    monkeypatch.setattr(kept, "monotonic", lambda: later)
    page, read = read_filings(app, regulator, url)
    assert read and "Starts in 3 days" in page


def test_kept_until_changed_seconds_0_renders_every_view(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "KEPT_UNTIL_CHANGED_SECONDS", 0)
    regulator = signed_in(app, "regulator")
    assert read_filings(app, regulator)[1]
    assert read_filings(app, regulator)[1]


def test_sign_ins_and_notifications_read_keep_the_list(app, world, reasons):
    """Events that change nothing a page shows (models.audit.UNSEEN_ACTIONS) leave what is
    kept in place; the next decision does not."""
    regulator = signed_in(app, "regulator")
    assert read_filings(app, regulator)[1]
    signed_in(app, "regulator2")  # auth.login
    assert app.test_client().post("/auth/login", data={
        "username": "regulator2", "password": "wrong"}).status_code == 200  # login_failed
    assert regulator.post("/notifications/read").status_code == 302  # notification.read_all
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"auth.login", "auth.login_failed", "notification.read_all"} <= actions
    page, read = read_filings(app, regulator)
    assert not read
    filing_page = regulator.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    assert regulator.post(f"/review/filings/{world.filing_a}/approve", data={
        "version": version_on(filing_page, "approve")}).status_code == 302
    assert read_filings(app, regulator)[1]


def test_the_last_event_that_changes_data_is_one_index_entry(app, world):
    """The signed-in user's statement finds it in the partial index of such events
    (ix_audit_event_changes) on both databases, however many sign-ins came after it."""
    from portal.auth.operations import _user_statement

    with app.app_context():
        # Two thousand sign-ins since the last change: the primary key walked backwards
        # would step over each of them.
        db.session.execute(insert(AuditEvent), [
            {"created_at": utcnow(), "actor_name": "regulator", "action": "auth.login",
             "details": {}, "prev_hash": "0" * 64, "hash": f"{n:064x}"} for n in range(2000)])
        db.session.commit()
        db.session.execute(text("ANALYZE audit_event"))
        db.session.commit()
        stmt = _user_statement().params(user_id=user("regulator").id)
        sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
        explain = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
        plan = " ".join(str(row) for row in db.session.execute(text(explain + sql)))
        db.session.rollback()
    assert "ix_audit_event_changes" in plan


def test_the_migration_indexes_the_same_events_as_the_model():
    import importlib.util
    from pathlib import Path

    from portal.models.audit import CHANGES

    path = next((Path(__file__).parents[2] / "migrations" / "versions").glob(
        "*_e5f1a9c3d7b2_*.py"))
    spec = importlib.util.spec_from_file_location("changes_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert str(module.CHANGES) == str(CHANGES)


def test_the_same_address_in_another_language_is_another_list(app, world):
    """The language chosen once is kept for the user (no ?lang= afterwards): the language is
    part of the key, not only the query string."""
    regulator = signed_in(app, "regulator")
    regulator.get("/review/?lang=zh")
    assert "全部状态" in regulator.get("/review/queue").get_data(as_text=True)
    regulator.get("/review/?lang=en")
    page = regulator.get("/review/queue").get_data(as_text=True)
    assert "All statuses" in page and "全部状态" not in page


def filter_form(page: str) -> str:
    """The queue page's filter form."""
    return page.partition('<form method="get"')[2].partition("</form>")[0]


def test_the_filter_form_is_kept_per_jurisdiction_language_and_filters(app, world):
    """The filter form is kept apart from the list (review.views.queue_filter_form): whatever
    is decided meanwhile, it is the same for a jurisdiction, language and filters, and each
    of those gets its own."""
    regulator, other = signed_in(app, "regulator"), signed_in(app, "regulator2")
    zh = filter_form(regulator.get("/review/queue?kind=meeting&region=140502&lang=zh")
                     .get_data(as_text=True))
    assert "全部辖区" in zh and 'value="meeting" selected' in zh
    assert 'value="140502" selected' in zh and 'value="140105"' not in zh
    en = filter_form(regulator.get("/review/queue?kind=meeting&region=140502&lang=en")
                     .get_data(as_text=True))
    assert "Whole jurisdiction" in en and "全部辖区" not in en and 'value="meeting" selected' in en
    outlets = filter_form(regulator.get("/review/queue?kind=outlet&q=%3Cb%3E&lang=en")
                          .get_data(as_text=True))
    assert 'value="outlet" selected' in outlets and 'value="meeting" selected' not in outlets
    assert 'value="&lt;b&gt;"' in outlets and 'value="140502" selected' not in outlets
    # Another jurisdiction, the same filters: its own districts.
    theirs = filter_form(other.get("/review/queue?kind=meeting&region=140502&lang=zh")
                         .get_data(as_text=True))
    assert 'value="140105"' in theirs and 'value="140502"' not in theirs
    # An enterprise of the jurisdiction is kept in the form; one outside it is not.
    mine = filter_form(regulator.get(f"/review/queue?enterprise={world.enterprise_a}")
                       .get_data(as_text=True))
    assert f'name="enterprise" value="{world.enterprise_a}"' in mine
    foreign = filter_form(regulator.get(f"/review/queue?enterprise={world.enterprise_b}")
                          .get_data(as_text=True))
    assert 'name="enterprise"' not in foreign
