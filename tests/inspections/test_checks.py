"""One spot check: who may open it, its PDF and evidence; recording, completing, conflicts,
publication within 20 working days and the public results page."""

import io
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.inspections import operations as plans
from portal.inspections import results
from portal.inspections.items import load_check_items
from portal.models import (
    AuditEvent,
    Bureau,
    Check,
    CheckItem,
    CheckResult,
    CheckStatus,
    Enterprise,
    Role,
    TargetKind,
    User,
    Verdict,
    utcnow,
)
from portal.rules.meetings import CalendarUnknownError
from portal.rules.publication import due_or_none, is_overdue, publication_due

from ..factories import PDF_BYTES, make_user
from ..review.conftest import signed_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def by_name(username):
    return db.session.scalar(select(User).where(User.username == username))


def _drawn_check(bureau, regulator, inspectors, code_count=3):
    items = [i.id for i in db.session.scalars(select(CheckItem).order_by(CheckItem.position))]
    plan = plans.create_plan(bureau, plans.PlanFields(
        name=f"{bureau.short_name}企业抽查", target_kind=TargetKind.ENTERPRISE,
        region_code=bureau.region_code, sample_count=1, sample_ratio=None, per_target=2,
        window_start=datetime(2026, 12, 1).date(), window_end=datetime(2026, 12, 31).date(),
        item_ids=items[:code_count]), regulator)
    [check] = plans.draw_plan(plan, regulator)
    check.inspectors = inspectors  # the draw chose two of them; the tests need to know which
    return check


@pytest.fixture
def checks(app, world):
    """A drawn check in each bureau: bureau 1's on enterprise A with "inspector" and
    "inspector2" ("inspector3" is in the bureau but not on it), bureau 2's on enterprise B."""
    with app.app_context():
        load_check_items()
        b1, b2 = db.session.get(Bureau, world.bureau1), db.session.get(Bureau, world.bureau2)
        make_user(Role.INSPECTOR, "inspector2", bureau=b1)
        make_user(Role.INSPECTOR, "inspector3", bureau=b1)
        make_user(Role.INSPECTOR, "ty-inspector", bureau=b2)
        make_user(Role.INSPECTOR, "ty-inspector2", bureau=b2)
        a = _drawn_check(b1, by_name("regulator"), [by_name("inspector"), by_name("inspector2")])
        b = _drawn_check(b2, by_name("regulator2"),
                         [by_name("ty-inspector"), by_name("ty-inspector2")])
        assert a.enterprise_id == world.enterprise_a and b.enterprise_id == world.enterprise_b
        db.session.commit()
        return {"a": a.id, "b": b.id, "items": [i.id for i in a.plan.items],
                "number": a.number}


def token_of(html: str) -> str:
    return re.search(r'name="state" value="([0-9a-f]+)"', html).group(1)


def answers(items, verdict="pass", **extra):
    data = {f"verdict-{i}": verdict for i in items}
    data.update(extra)
    return data


def post_results(client, check_id, data, lang="en"):
    page = client.get(f"/inspections/checks/{check_id}?lang={lang}").get_data(as_text=True)
    data = {"state": token_of(page), **data}
    return client.post(f"/inspections/checks/{check_id}?lang={lang}", data=data,
                       content_type="multipart/form-data")


@pytest.mark.parametrize("username, expected", [
    ("inspector", 200), ("inspector2", 200), ("regulator", 200),
    ("inspector3", 404), ("ty-inspector", 404), ("regulator2", 404),
    ("ent-admin", 403), ("ent-staff", 403), ("admin", 403),
])
def test_only_the_bureau_and_the_assigned_inspectors_open_a_check(app, checks, username,
                                                                  expected):
    client = signed_in(app, username)
    check = checks["a"]
    assert client.get(f"/inspections/checks/{check}").status_code == expected
    assert client.get(f"/inspections/checks/{check}/checklist.pdf").status_code == expected


def test_the_check_page_shows_the_target_and_its_filings(app, checks, world):
    page = signed_in(app, "inspector").get(f"/inspections/checks/{checks['a']}?lang=en")
    html = page.get_data(as_text=True)
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        name, code, licence = a.name, a.credit_code, a.licence_no
    for expected in (checks["number"], name, code, licence, "Approved service outlets",
                     "Complete the check", 'type="file"'):
        assert expected in html
    # "My checks" and the plan page link the check.
    home = signed_in(app, "inspector").get("/inspections/").get_data(as_text=True)
    assert f"/inspections/checks/{checks['a']}" in home
    assert f"/inspections/checks/{checks['a']}/checklist.pdf" in home
    with app.app_context():
        plan_id = db.session.get(Check, checks["a"]).plan_id
    plan_page = signed_in(app, "regulator").get(f"/inspections/plans/{plan_id}")
    assert f"/inspections/checks/{checks['a']}" in plan_page.get_data(as_text=True)


def test_the_checklist_pdf_is_chinese_with_the_number_items_and_an_embedded_cjk_font(app,
                                                                                   checks):
    from pypdf import PdfReader

    response = signed_in(app, "inspector").get(f"/inspections/checks/{checks['a']}"
                                                "/checklist.pdf?lang=zh")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in pdf.pages)
    with app.app_context():
        item = db.session.get(CheckItem, checks["items"][0])
        item_text, code = item.text_zh, item.code
    for expected in ("检查表", checks["number"], code, "不适用", "企业代表", "依据"):
        assert expected in text, expected
    assert item_text[:8] in text.replace("\n", "")
    assert len(pdf.pages) == 1
    fonts = {str(font.get_object()["/BaseFont"]) for page in pdf.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("CJK" in name or "WenQuanYi" in name for name in fonts), fonts
    english = signed_in(app, "inspector").get(f"/inspections/checks/{checks['a']}"
                                               "/checklist.pdf?lang=en")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(english.data)).pages)
    assert "Check items" in text and checks["number"] in text


def test_the_qr_code_points_at_the_check_in_the_portal(app, checks):
    from flask import request

    from portal.inspections import checklist

    saved = app.config["PORTAL_BASE_URL"]
    try:
        with app.test_request_context("/"):
            app.config["PORTAL_BASE_URL"] = "https://jg.example.gov.cn/portal/"
            check = db.session.get(Check, checks["a"])
            context = checklist.context(check)
            assert context["url"] == ("https://jg.example.gov.cn/portal/inspections/checks/"
                                      f"{check.id}")
            assert context["qr"].startswith("data:image/svg+xml")
            app.config["PORTAL_BASE_URL"] = ""  # not configured: the request's own address
            assert checklist.context(check)["url"] == (f"{request.url_root}inspections/checks/"
                                                       f"{check.id}")
    finally:
        app.config["PORTAL_BASE_URL"] = saved


def test_a_failed_item_needs_a_note_and_the_form_keeps_what_was_typed(app, checks):
    client = signed_in(app, "inspector")
    first, second, third = checks["items"]
    response = post_results(client, checks["a"], {
        f"verdict-{first}": "fail", f"note-{first}": "", f"verdict-{second}": "pass",
        f"note-{second}": "招牌与备案一致", "save": "1"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "A failed item needs a note" in html and "招牌与备案一致" in html
    assert f'id="v-{second}-pass" value="pass" checked' in html
    with app.app_context():
        assert db.session.scalars(select(CheckResult)).all() == []
    # A partial save is allowed and keeps the check assigned.
    response = post_results(client, checks["a"], {
        f"verdict-{first}": "fail", f"note-{first}": "未公示退换货制度", "save": "1"})
    assert response.status_code == 302
    with app.app_context():
        check = db.session.get(Check, checks["a"])
        assert check.status is CheckStatus.ASSIGNED and check.completed_at is None
        [result] = db.session.scalars(select(CheckResult)).all()
        assert result.verdict is Verdict.FAIL and result.note == "未公示退换货制度"
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "check.result_recorded")) is not None


def test_completing_needs_every_item_and_locks_the_results(app, checks):
    client = signed_in(app, "inspector")
    items = checks["items"]
    response = post_results(client, checks["a"], {f"verdict-{items[0]}": "pass",
                                                  "complete": "1"})
    assert response.status_code == 400
    assert "Every item must be answered" in response.get_data(as_text=True)
    response = post_results(client, checks["a"], answers(items, "not_applicable",
                                                         complete="1"))
    assert response.status_code == 302
    with app.app_context():
        check = db.session.get(Check, checks["a"])
        assert check.status is CheckStatus.COMPLETED and check.completed_at is not None
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "check.completed")) is not None
    # Any later change is refused, in the page and in the operation.
    page = client.get(f"/inspections/checks/{checks['a']}?lang=en").get_data(as_text=True)
    assert "Complete the check" not in page
    response = client.post(f"/inspections/checks/{checks['a']}?lang=en",
                           data={"state": "x", **answers(items, "fail", save="1")})
    assert response.status_code == 409
    assert "can no longer be changed" in response.get_data(as_text=True)
    zh = client.post(f"/inspections/checks/{checks['a']}?lang=zh",
                     data={"state": "x", **answers(items, "pass", save="1")})
    assert zh.status_code == 409 and "不能再修改" in zh.get_data(as_text=True)
    with app.app_context():
        check = db.session.get(Check, checks["a"])
        with pytest.raises(results.ResultError) as caught:
            results.record(check, {}, by_name("inspector"), results.state_token(check))
        assert caught.value.code == "locked"
        verdicts = {r.verdict for r in db.session.scalars(select(CheckResult))}
        assert verdicts == {Verdict.NOT_APPLICABLE}


def test_two_inspectors_saving_at_once_do_not_overwrite_each_other(app, checks):
    first, second = signed_in(app, "inspector"), signed_in(app, "inspector2")
    item = checks["items"][0]
    page = first.get(f"/inspections/checks/{checks['a']}").get_data(as_text=True)
    stale = token_of(page)
    assert post_results(second, checks["a"], {f"verdict-{item}": "pass",
                                              "save": "1"}).status_code == 302
    response = first.post(f"/inspections/checks/{checks['a']}?lang=en", data={
        "state": stale, f"verdict-{item}": "fail", f"note-{item}": "no", "save": "1"})
    assert response.status_code == 409
    assert "Results of this check were saved after you opened it" in response.get_data(as_text=True)
    with app.app_context():
        [result] = db.session.scalars(select(CheckResult)).all()
        assert result.verdict is Verdict.PASS
        assert result.recorded_by_id == by_name("inspector2").id


def test_evidence_is_checked_kept_on_errors_and_served_only_within_scope(app, checks):
    client = signed_in(app, "inspector")
    item = checks["items"][0]
    response = post_results(client, checks["a"], {
        f"verdict-{item}": "fail", f"note-{item}": "门店关闭",
        f"evidence-{item}": [(io.BytesIO(PNG), "门口.png"),
                             (io.BytesIO(b"GIF89a not allowed"), "photo.gif")],
        "save": "1"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "photo.gif" in html and "is not a PDF, JPEG or PNG file" in html
    assert "门口.png" in html and "门店关闭" in html  # the good photo is kept, not uploaded again
    kept = re.search(rf'name="evidence-ids-{item}" value="([0-9,]+)"', html).group(1)
    response = client.post(f"/inspections/checks/{checks['a']}", data={
        "state": token_of(html), f"verdict-{item}": "fail", f"note-{item}": "门店关闭",
        f"evidence-ids-{item}": kept,
        f"evidence-{item}": [(io.BytesIO(PDF_BYTES), "记录.pdf")], "save": "1"},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    with app.app_context():
        [result] = db.session.scalars(select(CheckResult)).all()
        names = sorted(d.original_name for d in result.evidence)
        assert names == ["记录.pdf", "门口.png"]
        photo = next(d.id for d in result.evidence if d.media_type == "image/png")
    url = f"/inspections/checks/{checks['a']}/evidence/{photo}"
    assert signed_in(app, "regulator").get(url).data == PNG
    assert signed_in(app, "inspector2").get(url).status_code == 200
    for username, expected in (("inspector3", 404), ("ty-inspector", 404),
                               ("regulator2", 404), ("ent-admin", 403)):
        assert signed_in(app, username).get(url).status_code == expected, username
    # Evidence of one check is not served through another.
    other = signed_in(app, "ty-inspector").get(f"/inspections/checks/{checks['b']}"
                                                f"/evidence/{photo}")
    assert other.status_code == 404
    # A hidden field cannot smuggle in a document of the enterprise uploaded by someone else.
    response = post_results(signed_in(app, "inspector2"), checks["a"], {
        f"verdict-{item}": "fail", f"note-{item}": "门店关闭",
        f"evidence-ids-{item}": f"{kept},{app_document(app, checks)}", "save": "1"})
    assert response.status_code == 302
    with app.app_context():
        [result] = db.session.scalars(select(CheckResult)).all()
        assert [d.original_name for d in result.evidence] == ["门口.png"]  # not 证明.pdf


def app_document(app, checks):
    """An enterprise document the inspectors did not upload."""
    from ..factories import make_document

    with app.app_context():
        check = db.session.get(Check, checks["a"])
        document = make_document(check.enterprise, by_name("ent-staff"))
        db.session.commit()
        return document.id


def test_a_regulator_may_view_but_not_record(app, checks):
    regulator = signed_in(app, "regulator")
    page = regulator.get(f"/inspections/checks/{checks['a']}?lang=en").get_data(as_text=True)
    assert "Complete the check" not in page and "No results recorded yet." in page
    response = regulator.post(f"/inspections/checks/{checks['a']}",
                              data=answers(checks["items"], save="1"))
    assert response.status_code == 403


def test_publication_is_due_20_working_days_after_completion_across_national_day():
    # Completed on Monday 29 September 2025 (Beijing): 30 Sep, then the holiday 1–8 October,
    # the make-up working Saturday 11 October … the 20th working day is Monday 3 November.
    completed = datetime(2025, 9, 29, 9, tzinfo=timezone(timedelta(hours=8)))
    assert publication_due(completed).isoformat() == "2025-11-03"
    assert not is_overdue(publication_due(completed), publication_due(completed))
    assert is_overdue(publication_due(completed), publication_due(completed) + timedelta(days=1))
    with pytest.raises(CalendarUnknownError):
        publication_due(datetime(2099, 3, 2, tzinfo=UTC))
    assert due_or_none(datetime(2099, 3, 2, tzinfo=UTC)) is None
    assert due_or_none(None) is None


def _complete(app, check_id, completed_at, fail_first=True):
    with app.app_context():
        check = db.session.get(Check, check_id)
        inspector = check.inspectors[0]
        entries = {i.id: results.Entry(Verdict.PASS) for i in check.plan.items}
        if fail_first:
            entries[check.plan.items[0].id] = results.Entry(Verdict.FAIL, "价目表缺失")
        results.record(check, entries, inspector, results.state_token(check), complete=True)
        check.completed_at = completed_at
        db.session.commit()


def test_regulators_see_overdue_checks_and_publish_them(app, checks):
    _complete(app, checks["a"], utcnow() - timedelta(days=60))
    regulator = signed_in(app, "regulator")
    html = regulator.get("/inspections/publication?lang=en").get_data(as_text=True)
    assert checks["number"] in html and "overdue" in html and "table-danger" in html
    html = regulator.get("/inspections/publication?show=overdue&sort=number").get_data(
        as_text=True)
    assert checks["number"] in html
    # Bureau 2 does not see bureau 1's list, nor may it publish bureau 1's check.
    other = signed_in(app, "regulator2")
    assert checks["number"] not in other.get("/inspections/publication").get_data(as_text=True)
    assert other.post(f"/inspections/checks/{checks['a']}/publish").status_code == 404
    # An inspector may not publish.
    assert signed_in(app, "inspector").post(
        f"/inspections/checks/{checks['a']}/publish").status_code == 403
    response = regulator.post(f"/inspections/checks/{checks['a']}/publish",
                              data={"next": "list"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/inspections/publication")
    with app.app_context():
        check = db.session.get(Check, checks["a"])
        assert check.status is CheckStatus.PUBLISHED and check.published_at is not None
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "check.published")) is not None
    again = regulator.post(f"/inspections/checks/{checks['a']}/publish?lang=en")
    assert again.status_code == 409


def test_an_open_check_cannot_be_published(app, checks):
    response = signed_in(app, "regulator").post(
        f"/inspections/checks/{checks['a']}/publish?lang=en")
    assert response.status_code == 409
    assert "Only completed checks can be published" in response.get_data(as_text=True)


def test_the_public_page_shows_published_checks_only_without_personal_data(app, checks,
                                                                          client):
    _complete(app, checks["a"], utcnow() - timedelta(days=3))
    _complete(app, checks["b"], utcnow() - timedelta(days=3), fail_first=False)
    signed_in(app, "regulator").post(f"/inspections/checks/{checks['a']}/publish")
    with app.app_context():
        a, b = db.session.get(Check, checks["a"]), db.session.get(Check, checks["b"])
        a_name, b_number = a.enterprise.name, b.number
        people = [u.display_name for u in a.inspectors] + [u.username for u in a.inspectors]
        bureau = a.plan.bureau.name_zh
        note = "价目表缺失"
    html = client.get("/public/checks?lang=zh").get_data(as_text=True)  # nobody signed in
    assert checks["number"] in html and a_name in html and bureau in html
    assert "不合格" in html and b_number not in html
    for private in (*people, note):
        assert private not in html, private
    detail = client.get(f"/public/checks/{checks['a']}?lang=en")
    assert detail.status_code == 200 and "Fail" in detail.get_data(as_text=True)
    assert client.get(f"/public/checks/{checks['b']}").status_code == 404
    assert client.get("/public/checks?page=2").status_code == 404
