"""Maintaining the catalogues in the portal: review reasons (administrators) and the claims
checker's phrases (regulators and administrators)."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.meetings.claims import load_claim_phrases, meeting_claim_problems
from portal.models import (
    AuditEvent,
    ClaimCategory,
    ClaimPhrase,
    Enterprise,
    FilingEvent,
    Meeting,
    ReviewReason,
)
from portal.review.reasons import load_review_reasons, reasons_for

from ..factories import USERNAMES
from ..meetings.helpers import make_meeting
from ..test_migrations import empty_database_url  # noqa: F401  (fixture)
from .conftest import signed_in, user, version_on


def audit_actions(app, prefix: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)))


def reason_id(app, text_zh: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ReviewReason.id).where(ReviewReason.text_zh == text_zh))


def phrase_row(app, phrase: str) -> ClaimPhrase | None:
    with app.app_context():
        row = db.session.scalar(select(ClaimPhrase).where(ClaimPhrase.phrase == phrase))
        if row is not None:
            db.session.expunge(row)
        return row


@pytest.fixture
def phrases(app, world):
    with app.app_context():
        load_claim_phrases()
        db.session.commit()


# Review reasons


def test_the_list_filters_by_kind_and_state(app, reasons):
    admin = signed_in(app, "admin")
    page = admin.get("/admin/reasons?lang=en").get_data(as_text=True)
    assert all(text in page for text in reasons)
    page = admin.get("/admin/reasons?lang=en&kind=trainer").get_data(as_text=True)
    assert "培训员资格不符合规定" in page and "材料不齐全" in page  # trainer; every kind
    assert "培训员未备案" not in page and "场所证明无效" not in page  # meeting; outlet+meeting
    page = admin.get("/admin/reasons?lang=en&kind=outlet").get_data(as_text=True)
    assert "场所证明无效" in page and "培训员未备案" not in page
    with app.app_context():
        db.session.get(ReviewReason, reasons["其他"]).is_active = False
        db.session.commit()
    page = admin.get("/admin/reasons?lang=en&state=inactive").get_data(as_text=True)
    assert "其他" in page and "材料不齐全" not in page
    assert "其他" not in admin.get("/admin/reasons?state=active").get_data(as_text=True)


def test_an_administrator_adds_a_reason_that_is_then_offered(app, world, reasons):
    admin = signed_in(app, "admin")
    response = admin.post("/admin/reasons/new?lang=en", data={
        "text_zh": "网点照片不清晰", "text_en": "The outlet photos are unclear",
        "kinds": ["outlet"]})
    assert response.status_code == 302
    with app.app_context():
        added = db.session.scalar(select(ReviewReason).where(
            ReviewReason.text_zh == "网点照片不清晰"))
        assert added.kinds == ["outlet"] and added.is_active and added.default_text_zh is None
        assert added in reasons_for("outlet") and added not in reasons_for("meeting")
    assert audit_actions(app, "review_reason.") == ["review_reason.created"]
    page = signed_in(app, "regulator").get(f"/filings/{world.filing_a}").get_data(as_text=True)
    assert "网点照片不清晰" in page


def test_a_duplicate_reason_is_refused_keeping_the_input(app, reasons):
    admin = signed_in(app, "admin")
    response = admin.post("/admin/reasons/new?lang=en", data={
        "text_zh": " 其他 ", "text_en": "Something typed", "kinds": ["meeting"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The catalogue already holds a reason with this text." in page
    assert 'value="Something typed"' in page
    assert '<option selected value="meeting">' in page
    page = admin.post("/admin/reasons/new?lang=zh", data={
        "text_zh": "其他", "text_en": "x"}).get_data(as_text=True)
    assert "目录中已有相同内容的理由。" in page
    # Renaming a reason onto another one's text is refused as well.
    response = admin.post(f"/admin/reasons/{reasons['材料不齐全']}/edit?lang=en",
                          data={"text_zh": "其他", "text_en": "x"})
    assert "The catalogue already holds a reason with this text." in response.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewReason.id))) == len(reasons)
    assert audit_actions(app, "review_reason.") == []


def test_editing_keeps_past_decisions_and_is_audited(app, world, reasons):
    regulator = signed_in(app, "regulator")
    page = regulator.get(f"/filings/{world.filing_a}").get_data(as_text=True)
    regulator.post(f"/review/filings/{world.filing_a}/return", data={
        "version": version_on(page, "return"), "reasons": [reasons["材料不齐全"]]})
    admin = signed_in(app, "admin")
    response = admin.post(f"/admin/reasons/{reasons['材料不齐全']}/edit", data={
        "text_zh": "申请材料不齐全", "text_en": "The application is incomplete",
        "kinds": ["outlet", "trainer"]})
    assert response.status_code == 302
    with app.app_context():
        reason = db.session.get(ReviewReason, reasons["材料不齐全"])
        assert (reason.text_zh, reason.kinds) == ("申请材料不齐全", ["outlet", "trainer"])
        event = db.session.scalar(select(FilingEvent).where(
            FilingEvent.filing_id == world.filing_a, FilingEvent.action == "return"))
        assert event.reasons == ["材料不齐全"]  # what the enterprise was told stays
        audit = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "review_reason.updated"))
        assert audit.details["changes"]["text_zh"] == ["材料不齐全", "申请材料不齐全"]
        assert audit.object_id == str(reason.id) and audit.actor_name == "admin"
    # Saving without a change records nothing more.
    admin.post(f"/admin/reasons/{reasons['材料不齐全']}/edit", data={
        "text_zh": "申请材料不齐全", "text_en": "The application is incomplete",
        "kinds": ["trainer", "outlet"]})
    assert audit_actions(app, "review_reason.") == ["review_reason.updated"]


def test_a_deactivated_reason_is_no_longer_offered_nor_accepted(app, world, reasons):
    admin = signed_in(app, "admin")
    assert admin.post(f"/admin/reasons/{reasons['其他']}/deactivate").status_code == 302
    regulator = signed_in(app, "regulator")
    page = regulator.get(f"/filings/{world.filing_a}").get_data(as_text=True)
    assert f'value="{reasons["其他"]}"' not in page and "材料不齐全" in page
    response = regulator.post(f"/review/filings/{world.filing_a}/return?lang=en", data={
        "version": version_on(page, "return"), "reasons": [reasons["其他"]]},
        follow_redirects=True)
    assert "Choose the reasons from the list." in response.get_data(as_text=True)
    assert admin.post(f"/admin/reasons/{reasons['其他']}/reactivate").status_code == 302
    page = regulator.get(f"/filings/{world.filing_a}").get_data(as_text=True)
    assert f'value="{reasons["其他"]}"' in page
    assert audit_actions(app, "review_reason.") == ["review_reason.deactivated",
                                                    "review_reason.reactivated"]


def test_loading_the_defaults_again_keeps_what_administrators_did(app, reasons):
    admin = signed_in(app, "admin")
    admin.post(f"/admin/reasons/{reasons['材料不齐全']}/edit", data={
        "text_zh": "申请材料不齐全", "text_en": "Incomplete", "kinds": ["outlet"]})
    admin.post(f"/admin/reasons/{reasons['培训员未备案']}/edit", data={
        "text_zh": "培训员未备案", "text_en": "Trainer not on file", "kinds": []})
    admin.post(f"/admin/reasons/{reasons['其他']}/deactivate")
    admin.post("/admin/reasons/new", data={"text_zh": "新增理由", "text_en": "New"})
    with app.app_context():
        assert load_review_reasons() == 0
        db.session.commit()
        rows = {r.text_zh: r for r in db.session.scalars(select(ReviewReason))}
    assert "材料不齐全" not in rows  # the edited default is not added again
    assert (rows["申请材料不齐全"].text_en, rows["申请材料不齐全"].kinds) == ("Incomplete",
                                                                            ["outlet"])
    assert (rows["培训员未备案"].text_en, rows["培训员未备案"].kinds) == ("Trainer not on file", [])
    assert rows["其他"].is_active is False
    assert len(rows) == len(reasons) + 1


@contextmanager
def csrf_on(app):
    """CSRF protection on, after the clients have signed in (it is off in most tests)."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_reason_pages_are_for_administrators_only(app, world, reasons):
    rid = reasons["其他"]
    for username in ("regulator", "inspector", "ent-admin", "ent-staff"):
        client = signed_in(app, username)
        assert client.get("/admin/reasons").status_code == 403
        assert client.get(f"/admin/reasons/{rid}/edit").status_code == 403
        assert client.post(f"/admin/reasons/{rid}/deactivate").status_code == 403
    admin = signed_in(app, "admin")
    assert admin.get(f"/admin/reasons/{rid}/edit").status_code == 200
    with csrf_on(app):  # without the CSRF token nothing changes
        assert admin.post(f"/admin/reasons/{rid}/deactivate").status_code == 400
        assert admin.post("/admin/reasons/new", data={"text_zh": "甲", "text_en": "A"}
                          ).status_code == 400
    with app.app_context():
        assert db.session.get(ReviewReason, rid).is_active
        assert db.session.scalar(select(func.count(ReviewReason.id))) == len(reasons)


def test_the_reason_list_is_paginated(app, world):
    with app.app_context():
        for n in range(30):
            db.session.add(ReviewReason(text_zh=f"理由{n:02d}", text_en=f"Reason {n}", kinds=[]))
        db.session.commit()
    admin = signed_in(app, "admin")
    first = admin.get("/admin/reasons?lang=en").get_data(as_text=True)
    second = admin.get("/admin/reasons?lang=en&page=2").get_data(as_text=True)
    assert "理由00" in first and "理由29" not in first and "理由29" in second
    assert "30 in all, page 2 of 2" in second
    assert admin.get("/admin/reasons?page=3").status_code == 404


# Claim phrases


def meeting_titled(app, world, title: str) -> int:
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        meeting = make_meeting(a, user("ent-staff"), user("regulator"), title=title)
        db.session.commit()
        return meeting.filing_id


def checker_finds(app, meeting_id: int) -> list[str]:
    with app.app_context():
        problems = meeting_claim_problems(db.session.get(Meeting, meeting_id))
        return [p.params["phrase"] for p in problems if "phrase" in p.params]


@pytest.mark.parametrize("username", ["regulator", "admin"])
def test_a_new_phrase_is_found_by_the_checker(app, world, phrases, username):
    meeting = meeting_titled(app, world, "年度客户答谢暨保本高收益说明会")
    assert "保本高收益" not in checker_finds(app, meeting)
    client = signed_in(app, username)
    response = client.post("/review/claim-phrases/new?lang=en", data={
        "phrase": " 保本高收益 ", "category": "income_promise"})
    assert response.status_code == 302
    assert phrase_row(app, "保本高收益").category is ClaimCategory.INCOME_PROMISE
    assert "保本高收益" in checker_finds(app, meeting)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "claim_phrase.created"))
        assert event.details == {"phrase": "保本高收益", "category": "income_promise"}
        assert event.actor_name == USERNAMES[username]
    page = client.get("/review/claim-phrases?lang=en&q=保本").get_data(as_text=True)
    assert "保本高收益" in page and "躺赚" not in page


def test_a_duplicate_phrase_is_refused_keeping_the_input(app, world, phrases):
    client = signed_in(app, "regulator")
    for typed in ("躺赚", "躺 赚", "躺　赚"):  # spaces, the ideographic one too
        response = client.post("/review/claim-phrases/new?lang=en", data={
            "phrase": typed, "category": "disparaging"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "The list already holds the phrase “躺赚”." in page
        assert f'value="{typed.strip()}"' in page
        assert '<option selected value="disparaging">' in page
    # Case and full-width letters do not make a new phrase either.
    client.post("/review/claim-phrases/new", data={"phrase": "Top Seller",
                                                   "category": "income_promise"})
    page = client.post("/review/claim-phrases/new?lang=zh", data={
        "phrase": "ｔｏｐ seller", "category": "income_promise"}).get_data(as_text=True)
    assert "列表中已有短语“Top Seller”。" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ClaimPhrase.id)).where(
            ClaimPhrase.phrase.in_(["躺 赚", "ｔｏｐ seller"]))) == 0


def test_a_deactivated_phrase_is_no_longer_found_and_can_come_back(app, world, phrases):
    meeting = meeting_titled(app, world, "躺赚经验分享会")
    assert "躺赚" in checker_finds(app, meeting)
    row = phrase_row(app, "躺赚")
    client = signed_in(app, "regulator")
    assert client.post(f"/review/claim-phrases/{row.id}/deactivate").status_code == 302
    assert "躺赚" not in checker_finds(app, meeting)
    # Adding it again is refused, with the way back named.
    page = client.post("/review/claim-phrases/new?lang=en", data={
        "phrase": "躺赚", "category": "income_promise"}).get_data(as_text=True)
    assert "deactivated: reactivate it instead" in page
    assert client.post(f"/review/claim-phrases/{row.id}/reactivate").status_code == 302
    assert "躺赚" in checker_finds(app, meeting)
    assert audit_actions(app, "claim_phrase.") == ["claim_phrase.deactivated",
                                                   "claim_phrase.reactivated"]
    # Loading the defaults again keeps a phrase switched off.
    client.post(f"/review/claim-phrases/{row.id}/deactivate")
    with app.app_context():
        load_claim_phrases()
        db.session.commit()
    assert phrase_row(app, "躺赚").is_active is False


def test_phrase_pages_are_for_regulators_and_administrators(app, world, phrases):
    row = phrase_row(app, "躺赚")
    for username in ("inspector", "ent-admin", "ent-staff", "ent2-staff"):
        client = signed_in(app, username)
        assert client.get("/review/claim-phrases").status_code == 403
        assert client.get("/review/claim-phrases/new").status_code == 403
        assert client.post(f"/review/claim-phrases/{row.id}/deactivate").status_code == 403
    for username in ("regulator", "regulator2", "admin"):
        assert signed_in(app, username).get("/review/claim-phrases").status_code == 200
    client = signed_in(app, "regulator2")
    with csrf_on(app):  # without the CSRF token nothing changes
        assert client.post(f"/review/claim-phrases/{row.id}/deactivate").status_code == 400
        assert client.post("/review/claim-phrases/new", data={
            "phrase": "新短语", "category": "income_promise"}).status_code == 400
        # With the token the list page's form carries, it is added.
        page = client.get("/review/claim-phrases").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert client.post("/review/claim-phrases/new", data={
            "phrase": "新短语", "category": "income_promise", "csrf_token": token}
        ).status_code == 302
    assert phrase_row(app, "躺赚").is_active and phrase_row(app, "新短语").is_active


def test_the_phrase_list_is_paginated_and_filtered(app, world, phrases):
    client = signed_in(app, "regulator")
    with app.app_context():
        total = db.session.scalar(select(func.count(ClaimPhrase.id)))
    first = client.get("/review/claim-phrases?lang=en").get_data(as_text=True)
    assert f"{total} in all, page 1 of 2" in first
    assert client.get("/review/claim-phrases?page=2").status_code == 200
    page = client.get("/review/claim-phrases?lang=en&category=disparaging").get_data(
        as_text=True)
    assert "躺赚" not in page
    regulator_nav = client.get("/review/").get_data(as_text=True)
    assert 'href="/review/claim-phrases"' in regulator_nav
    admin_nav = signed_in(app, "admin").get("/admin/").get_data(as_text=True)
    assert 'href="/review/claim-phrases"' in admin_nav and 'href="/admin/reasons"' in admin_nav



def test_the_migration_marks_the_reasons_loaded_before_it_as_defaults(
        empty_database_url):  # noqa: F811  (the fixture imported above)
    """Reasons that exist before the revision came from the CSV: they keep their text as key,
    so `catalogues load` recognises them once an administrator edits them."""
    import flask_migrate
    from sqlalchemy import text

    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    with app.app_context():
        flask_migrate.upgrade(revision="8ffce77e7e70")
        db.session.execute(text("INSERT INTO review_reason (text_zh, text_en, kinds, is_active) "
                                "VALUES ('其他', 'Other', '[]', true)"))
        db.session.commit()
        flask_migrate.upgrade()
        assert db.session.execute(text("SELECT text_zh, default_text_zh FROM review_reason")
                                  ).all() == [("其他", "其他")]
        db.session.remove()
        db.engine.dispose()
