"""Decisions on a filing: approve, return for correction, reject; rules, scope and conflicts."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Bureau, Filing, FilingEvent, ReviewReason, Role
from portal.review.reasons import load_review_reasons, reasons_for
from portal.rules.workflow import Status

from ..factories import make_user
from .conftest import signed_in, version_on


def status_of(app, filing_id):
    with app.app_context():
        return db.session.get(Filing, filing_id).status


def bureau_events(app, filing_id):
    with app.app_context():
        return db.session.scalars(
            select(FilingEvent).where(FilingEvent.filing_id == filing_id,
                                      FilingEvent.action.in_(["approve", "return", "reject"]))
        ).all()


def current_version(app, filing_id):
    with app.app_context():
        return db.session.get(Filing, filing_id).version


def test_loading_the_catalogue_is_idempotent_and_keeps_reasons_switched_off(app, world):
    with app.app_context():
        assert load_review_reasons() == 8
        assert load_review_reasons() == 0
        other = db.session.scalar(select(ReviewReason).where(ReviewReason.text_zh == "其他"))
        other.is_active = False
        db.session.flush()
        assert load_review_reasons() == 0
        assert other.is_active is False
        db.session.rollback()


def test_reasons_apply_to_their_kinds(app, reasons):
    with app.app_context():
        outlet = [r.text_zh for r in reasons_for("outlet")]
        meeting = [r.text_zh for r in reasons_for("meeting")]
    assert "材料不齐全" in outlet and "场所证明无效" in outlet
    assert "培训员未备案" not in outlet and "退换货条款不符合规定" not in outlet
    assert "培训员未备案" in meeting and "会议内容涉嫌夸大宣传" in meeting


def test_the_regulator_approves_a_submitted_filing(app, world, reasons):
    client = signed_in(app, "regulator")
    page = client.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    assert "Decision" in page and "The documents are incomplete" in page
    assert "A trainer is not on file" not in page  # a meeting reason, not for outlets
    response = client.post(f"/review/filings/{world.filing_a}/approve",
                           data={"version": version_on(page, "approve")})
    assert response.status_code == 302
    assert status_of(app, world.filing_a) is Status.APPROVED
    [event] = bureau_events(app, world.filing_a)
    assert event.actor_name == "regulator" and event.reasons == []
    # Decided: no decision form any more.
    assert "Decision" not in client.get(f"/filings/{world.filing_a}?lang=en").get_data(
        as_text=True)


def test_return_needs_at_least_one_reason(app, world, reasons):
    client = signed_in(app, "regulator")
    response = client.post(f"/review/filings/{world.filing_a}/return?lang=en",
                           data={"version": current_version(app, world.filing_a),
                                 "comment": "请补充"}, follow_redirects=True)
    assert "Choose at least one reason." in response.get_data(as_text=True)
    assert status_of(app, world.filing_a) is Status.SUBMITTED
    assert bureau_events(app, world.filing_a) == []


def test_return_records_the_chosen_reasons_in_chinese_and_the_enterprise_sees_them(
        app, world, reasons, login, client):
    regulator = signed_in(app, "regulator")
    response = regulator.post(f"/review/filings/{world.filing_a}/return", data={
        "version": current_version(app, world.filing_a),
        "reasons": [reasons["场所证明无效"], reasons["材料不齐全"]],
        "comment": "  请上传有效的租赁合同。 ",
    })
    assert response.status_code == 302
    assert status_of(app, world.filing_a) is Status.RETURNED
    [event] = bureau_events(app, world.filing_a)
    assert event.reasons == ["材料不齐全", "场所证明无效"]  # catalogue order
    assert event.comment == "请上传有效的租赁合同。"
    login("ent-staff")
    page = client.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    assert "Reasons given by the bureau" in page
    # Stored in Chinese (the record); an English page reads the catalogue's English texts.
    assert ("The documents are incomplete; The proof of the premises is not valid" in page
            and "材料不齐全" not in page and "请上传有效的租赁合同。" in page)
    assert "Decision" not in page  # enterprises never get the decision form
    page = client.get(f"/filings/{world.filing_a}?lang=zh").get_data(as_text=True)
    assert "材料不齐全；场所证明无效" in page
    assert "The documents are incomplete; " in client.get("/enterprise/?lang=en").get_data(
        as_text=True)


def test_a_reason_reworded_since_is_shown_as_recorded(app, world, reasons):
    from portal.models import ReviewReason
    from portal.review.reasons import update_reason

    regulator = signed_in(app, "regulator")
    regulator.post(f"/review/filings/{world.filing_a}/return", data={
        "version": current_version(app, world.filing_a), "reasons": [reasons["材料不齐全"]]})
    with app.app_context():
        reason = db.session.get(ReviewReason, reasons["材料不齐全"])
        update_reason(reason, text_zh="申请材料不齐全", text_en="Documents missing",
                      kinds=reason.kinds)
        db.session.commit()
    page = regulator.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    assert "材料不齐全" in page and "Documents missing" not in page


def test_reject_needs_reasons_and_then_rejects(app, world, reasons):
    client = signed_in(app, "regulator")
    version = current_version(app, world.filing_a)
    page = client.post(f"/review/filings/{world.filing_a}/reject?lang=en",
                       data={"version": version, "comment": "虚假材料"}).get_data(as_text=True)
    assert status_of(app, world.filing_a) is Status.SUBMITTED
    # Said beside the reasons too, which are marked invalid; the comment is kept.
    assert 'aria-describedby="reasons-error"' in page and 'aria-invalid="true"' in page
    assert '<div id="reasons-error" class="invalid-feedback d-block">Choose at least one reason.' \
        in page and ">虚假材料</textarea>" in page
    client.post(f"/review/filings/{world.filing_a}/reject",
                data={"version": version, "reasons": [reasons["其他"]], "comment": "虚假材料"})
    assert status_of(app, world.filing_a) is Status.REJECTED
    [event] = bureau_events(app, world.filing_a)
    assert event.reasons == ["其他"] and event.comment == "虚假材料"


def test_reasons_outside_the_catalogue_for_the_kind_are_refused(app, world, reasons):
    client = signed_in(app, "regulator")
    for bad in (reasons["培训员未备案"], "999999", "x", "9" * 40):
        response = client.post(f"/review/filings/{world.filing_a}/return?lang=en", data={
            "version": current_version(app, world.filing_a), "reasons": [bad]},
            follow_redirects=True)
        assert "Choose the reasons from the list." in response.get_data(as_text=True)
    assert status_of(app, world.filing_a) is Status.SUBMITTED


def test_switched_off_reasons_are_neither_offered_nor_accepted(app, world, reasons):
    with app.app_context():
        db.session.get(ReviewReason, reasons["其他"]).is_active = False
        db.session.commit()
    client = signed_in(app, "regulator")
    assert "Other (see the comment)" not in client.get(
        f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    client.post(f"/review/filings/{world.filing_a}/reject", data={
        "version": current_version(app, world.filing_a), "reasons": [reasons["其他"]]})
    assert status_of(app, world.filing_a) is Status.SUBMITTED


def test_decisions_only_from_submitted(app, world, reasons):
    client = signed_in(app, "regulator")
    client.post(f"/review/filings/{world.filing_a}/approve",
                data={"version": current_version(app, world.filing_a)})
    response = client.post(f"/review/filings/{world.filing_a}/reject?lang=en", data={
        "version": current_version(app, world.filing_a), "reasons": [reasons["其他"]]},
        follow_redirects=True)
    assert "not possible in the filing&#39;s current state" in response.get_data(as_text=True)
    assert status_of(app, world.filing_a) is Status.APPROVED
    assert len(bureau_events(app, world.filing_a)) == 1


def test_enterprise_users_inspectors_and_admins_cannot_decide(app, world, reasons):
    for username in ("ent-staff", "ent-admin", "inspector", "admin"):
        client = signed_in(app, username)
        response = client.post(f"/review/filings/{world.filing_a}/approve",
                               data={"version": current_version(app, world.filing_a)})
        assert response.status_code == 403
        page = client.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
        assert "/review/filings/" not in page
    assert status_of(app, world.filing_a) is Status.SUBMITTED


def test_a_regulator_of_another_bureau_cannot_open_or_decide(app, world, reasons):
    client = signed_in(app, "regulator2")
    assert client.get(f"/filings/{world.filing_a}").status_code == 404
    for action, data in (("approve", {}), ("return", {"reasons": [reasons["其他"]]}),
                         ("reject", {"reasons": [reasons["其他"]]})):
        response = client.post(f"/review/filings/{world.filing_a}/{action}",
                               data={"version": current_version(app, world.filing_a), **data})
        assert response.status_code == 404
    # Guessing ids: drafts of the own area and ids that do not exist are 404 too.
    assert client.post(f"/review/filings/{world.draft_a}/approve").status_code == 404
    assert signed_in(app, "regulator").post(
        f"/review/filings/{world.draft_a}/approve").status_code == 404
    assert client.post("/review/filings/99999999/approve").status_code == 404
    assert client.post(f"/review/filings/{world.filing_b}/withdraw").status_code == 404
    assert status_of(app, world.filing_a) is Status.SUBMITTED


def test_the_second_of_two_concurrent_decisions_gets_409_and_the_current_state(
        app, world, reasons):
    with app.app_context():
        make_user(Role.REGULATOR, "regulator-b", bureau=db.session.get(Bureau, world.bureau1))
        db.session.commit()
    first, second = signed_in(app, "regulator"), signed_in(app, "regulator-b")
    page_first = first.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    page_second = second.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    first.post(f"/review/filings/{world.filing_a}/approve",
               data={"version": version_on(page_first, "approve")})
    response = second.post(f"/review/filings/{world.filing_a}/return?lang=en", data={
        "version": version_on(page_second, "return"), "reasons": [reasons["材料不齐全"]],
        "comment": "请补充"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert ("This filing was changed after you opened it (by a colleague or in another window); "
            "it is now: Approved.") in html
    assert "Nothing was saved." in html
    assert status_of(app, world.filing_a) is Status.APPROVED
    [event] = bureau_events(app, world.filing_a)
    assert event.action == "approve" and event.actor_name == "regulator"
    assert event.reasons == [] and event.comment is None


def test_a_decision_without_a_version_is_never_taken_blind(app, world, reasons):
    client = signed_in(app, "regulator")
    for data in ({}, {"version": "abc"}, {"version": "9" * 30}):
        response = client.post(f"/review/filings/{world.filing_a}/approve", data=data)
        assert response.status_code == 409
    assert status_of(app, world.filing_a) is Status.SUBMITTED


def test_catalogues_load_adds_the_reasons_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["catalogues", "load"])
    assert result.exit_code == 0, result.output
    assert "review reasons: 8 added (existing ones left as they are)" in result.output
    result = runner.invoke(args=["catalogues", "load"])
    assert "review reasons: 0 added" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewReason.id))) == 8


def test_unicode_digits_in_reasons_or_version_are_refused_not_a_crash(world, app, client, login,
                                                                      reasons):
    login("regulator")
    url = f"/review/filings/{world.filing_a}/return"
    some_reason = str(next(iter(reasons.values())))
    assert client.post(url, data={"version": "²", "reasons": [some_reason]}).status_code == 409
    with app.app_context():
        from portal.extensions import db
        from portal.models import Filing

        version = db.session.get(Filing, world.filing_a).version
    response = client.post(url, data={"version": str(version), "reasons": ["²"]})
    assert response.status_code == 400  # refused, the page shown again with the input kept


def test_a_refused_decision_keeps_the_comment_and_chosen_reasons(app, world, reasons):
    client = signed_in(app, "regulator")
    version = current_version(app, world.filing_a)
    response = client.post(f"/review/filings/{world.filing_a}/reject?lang=en",
                           data={"version": str(version), "comment": "请补充场所证明原件"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose at least one reason." in page and "请补充场所证明原件" in page
    reason = reasons["材料不齐全"]
    response = client.post(f"/review/filings/{world.filing_a}/reject?lang=en",
                           data={"version": str(version), "reasons": [str(reason), "99999"],
                                 "comment": "再看"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose the reasons from the list." in page
    assert f'value="{reason}" id="reason-{reason}" checked' in page and "再看" in page
    assert status_of(app, world.filing_a) is Status.SUBMITTED


def test_the_language_link_after_a_form_error_leads_to_a_page_not_a_405(app, world, reasons):
    """The reject form's error is shown at the decision's address, which takes only posts:
    its language link goes back to the filing page the form was sent from."""
    client = signed_in(app, "regulator")
    filing_page = f"http://portal.test/filings/{world.filing_a}?tab=history&lang=zh"
    page = client.post(f"/review/filings/{world.filing_a}/reject", headers={
        "Referer": filing_page}, data={"version": current_version(app, world.filing_a)})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "请至少选择一项理由" in html
    link = f'href="/filings/{world.filing_a}?tab=history&amp;lang=en"'
    assert link in html
    assert client.get(f"/filings/{world.filing_a}?tab=history&lang=en").status_code == 200
    # Another site's referrer is not followed: the home page instead.
    page = client.post(f"/review/filings/{world.filing_a}/reject", headers={
        "Referer": "http://elsewhere.example/filings/1"},
        data={"version": current_version(app, world.filing_a)})
    assert 'href="/?lang=zh"' in page.get_data(as_text=True)  # English was chosen above


@pytest.mark.parametrize("referrer", [
    "http://portal.test/review/filings/{id}/reject",      # a second post of the same form
    "http://portal.test/review/filings/{id}/reject?lang=en",
    "http://portal.test/\\elsewhere.example/filings/{id}",  # a backslash path
    "http://portal.test/no/such/page",
    "http://portal.test:8443/filings/{id}",                 # another port is another site
    "not a url [",
])
def test_the_language_link_never_leads_to_a_page_that_cannot_be_shown(app, world, reasons,
                                                                         referrer):
    """A referrer that is itself a post-only address (the form posted again from its own
    error page), no page at all, or another site's: the language link goes home."""
    client = signed_in(app, "regulator")
    page = client.post(f"/review/filings/{world.filing_a}/reject", headers={
        "Referer": referrer.format(id=world.filing_a)},
        data={"version": current_version(app, world.filing_a)})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'href="/?lang=en"' in html
    assert "/reject?" not in html.split("<main", 1)[0]


def test_the_language_link_compares_hosts_without_case(app, world, reasons):
    client = signed_in(app, "regulator")
    page = client.post(f"/review/filings/{world.filing_a}/reject", headers={
        "Referer": f"http://PORTAL.test/filings/{world.filing_a}"},
        data={"version": current_version(app, world.filing_a)})
    assert f'href="/filings/{world.filing_a}?lang=en"' in page.get_data(as_text=True)
