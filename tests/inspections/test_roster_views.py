"""Roster, recusal and re-draw pages: contents, filters, own-only rules, scoping, errors."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.inspections import recusals
from portal.models import (
    AuditEvent,
    Bureau,
    Check,
    CheckStatus,
    Enterprise,
    EnterpriseStatus,
    Reassignment,
    Recusal,
    Role,
)
from portal.rules.workflow import Action, Side

from ..factories import make_enterprise, make_outlet, make_user
from ..review.conftest import signed_in
from .test_plans import by_name, roster  # noqa: F401  (fixture)
from .test_redraws import drawn_plan


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_target_roster_lists_the_jurisdiction_only_with_filters(app, roster):  # noqa: F811
    with app.app_context():
        a = db.session.get(Enterprise, roster.enterprise_a)
        b = db.session.get(Enterprise, roster.enterprise_b)
        suspended = make_enterprise(seat="140502", name="停业整顿直销有限公司")
        suspended.status = EnterpriseStatus.SUSPENDED
        approved_b = make_outlet(b, by_name("ent2-staff"), "140105")
        filing_ops.apply(approved_b, Action.APPROVE, by_name("regulator2"), Side.BUREAU)
        submitted = db.session.get(type(approved_b), roster.filing_a)  # submitted, not approved
        zezhou = make_enterprise(seat="140525", approved=("140525",), name="泽州直销有限公司")
        chengqu = make_enterprise(seat="140502", approved=("140502",), name="城区直销有限公司")
        db.session.commit()
        names = a.name, b.name, zezhou.name, suspended.name, chengqu.name
        credit_code, number_b, number_a = zezhou.credit_code, approved_b.number, submitted.number
    client = signed_in(app, "regulator")
    page = text(client, "/inspections/rosters/targets?lang=en")
    assert names[0] in page and names[2] in page
    assert names[1] not in page  # enterprise B sells in Taiyuan
    assert names[3] not in page  # suspended: not drawn, so not listed by default
    page = text(client, "/inspections/rosters/targets?status=suspended")
    assert names[3] in page and names[0] not in page
    assert names[3] in text(client, "/inspections/rosters/targets?status=all")
    page = text(client, "/inspections/rosters/targets?area=140525")  # Zezhou county
    # Zezhou's own enterprise and A (approved for the whole city); not one approved only in
    # Chengqu district.
    assert names[2] in page and names[0] in page and names[4] not in page
    assert names[4] in text(client, "/inspections/rosters/targets")
    page = text(client, f"/inspections/rosters/targets?q={credit_code[-6:]}")
    assert names[2] in page and names[0] not in page
    # Outlets: approved ones only (filing_a is only submitted), none of bureau 2.
    page = text(client, "/inspections/rosters/targets?kind=outlet")
    assert page.count("<tr>") == 9  # the header and the fixture's eight approved outlets
    assert number_a not in page and number_b not in page
    # Bureau 2's area named in the URL is ignored: the own jurisdiction is shown.
    assert names[1] not in text(client, "/inspections/rosters/targets?area=140100")
    page = text(signed_in(app, "regulator2"), "/inspections/rosters/targets?kind=outlet")
    assert number_b in page and number_a not in page


def test_the_inspector_roster_shows_recusals_and_open_checks(app, roster):  # noqa: F811
    with app.app_context():
        plan = drawn_plan(roster, sample_count=3)
        inspector = by_name("inspector")
        recusals.declare(inspector, roster.enterprise_a, "配偶在该企业任职", inspector)
        make_user(Role.INSPECTOR, "inspector-ty", bureau=db.session.get(Bureau, roster.bureau2))
        load = sum(inspector.id in c.drawn_inspectors for c in plan.checks)
        a_name = db.session.get(Enterprise, roster.enterprise_a).name
        name = inspector.display_name
        db.session.commit()
    page = text(signed_in(app, "regulator"), "/inspections/rosters/inspectors")
    assert "inspector4" in page and "inspector-ty" not in page
    row = page[page.index(name):].split("</tr>")[0]
    assert f"<td>{load}</td>" in row and a_name in row
    page = text(signed_in(app, "regulator2"), "/inspections/rosters/inspectors")
    assert "inspector-ty" in page and "inspector4" not in page and a_name not in page


def test_inspectors_declare_their_own_recusals_and_duplicates_are_refused(app, roster):  # noqa: F811
    client = signed_in(app, "inspector")
    form = text(client, "/inspections/recusals/new")
    with app.app_context():
        a = db.session.get(Enterprise, roster.enterprise_a)
        b = db.session.get(Enterprise, roster.enterprise_b)
        a_name, b_name = a.name, b.name
        other = by_name("inspector2").id
    assert a_name in form and b_name not in form  # only the bureau's jurisdiction
    data = {"enterprise_id": str(roster.enterprise_a), "reason": "配偶在该企业任职"}
    # Naming another inspector changes nothing: an inspector declares for themselves.
    response = client.post(f"/inspections/recusals/new?inspector={other}", data=data)
    assert response.status_code == 302
    response = client.post("/inspections/recusals/new?lang=en",
                           data={**data, "reason": "再次申报"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "already declared" in page and "再次申报" in page  # the input is kept
    response = client.post("/inspections/recusals/new",
                           data={"enterprise_id": str(roster.enterprise_b), "reason": "亲属"})
    assert response.status_code == 400  # not a choice
    with app.app_context():
        rows = db.session.scalars(select(Recusal)).all()
        assert [(r.inspector_id, r.enterprise_id) for r in rows] == [
            (by_name("inspector").id, roster.enterprise_a)]
        recusal_id = rows[0].id
    assert a_name in text(client, "/inspections/recusals")
    # Another inspector neither sees nor withdraws it; regulator 1 sees it, regulator 2 not.
    other_client = signed_in(app, "inspector2")
    assert a_name not in text(other_client, "/inspections/recusals")
    assert other_client.post(f"/inspections/recusals/{recusal_id}/withdraw").status_code == 404
    assert a_name in text(signed_in(app, "regulator"), "/inspections/recusals")
    assert a_name not in text(signed_in(app, "regulator2"), "/inspections/recusals?state=all")
    assert signed_in(app, "regulator").post(
        f"/inspections/recusals/{recusal_id}/withdraw").status_code == 403
    assert client.post(f"/inspections/recusals/{recusal_id}/withdraw").status_code == 302
    with app.app_context():
        assert db.session.get(Recusal, recusal_id).withdrawn_at is not None
        assert db.session.scalar(select(AuditEvent.id).where(
            AuditEvent.action == "recusal.withdrawn"))
    assert f'id="recusal-{recusal_id}"' not in text(client, "/inspections/recusals")
    assert f'id="recusal-{recusal_id}"' in text(client, "/inspections/recusals?state=withdrawn")


def test_administrators_declare_and_withdraw_for_any_inspector(app, roster):  # noqa: F811
    admin = signed_in(app, "admin")
    with app.app_context():
        inspector = by_name("inspector3")
        b_name = db.session.get(Enterprise, roster.enterprise_b).name
        ident = inspector.id
    assert f'value="{ident}"' in text(admin, "/inspections/recusals/new")  # choose first
    page = text(admin, f"/inspections/recusals/new?inspector={ident}")
    assert b_name not in page
    response = admin.post(f"/inspections/recusals/new?inspector={ident}",
                          data={"enterprise_id": str(roster.enterprise_a), "reason": "曾任职"})
    assert response.status_code == 302
    with app.app_context():
        recusal = db.session.scalar(select(Recusal))
        assert recusal.inspector_id == ident and recusal.declared_by_id == by_name("admin").id
        recusal_id = recusal.id
    assert admin.post(f"/inspections/recusals/{recusal_id}/withdraw").status_code == 302
    # A second withdrawal changes nothing and says so.
    response = admin.post(f"/inspections/recusals/{recusal_id}/withdraw?lang=en",
                          follow_redirects=True)
    assert "already withdrawn" in response.get_data(as_text=True)


def test_a_regulator_redraws_one_assignment_with_a_reason(app, roster):  # noqa: F811
    with app.app_context():
        plan = drawn_plan(roster, sample_count=2)
        db.session.commit()
        plan_id, check = plan.id, plan.checks[0]
        check_id, old = check.id, check.inspectors[0].id
    client = signed_in(app, "regulator")
    form = text(client, f"/inspections/plans/{plan_id}/redraw?check={check_id}")
    assert re.search(rf'<option selected value="{check_id}:{old}"', form), form[-3000:]
    response = client.post(f"/inspections/plans/{plan_id}/redraw?lang=en",
                           data={"assignment": f"{check_id}:{old}", "reason": ""})
    assert response.status_code == 400
    response = client.post(f"/inspections/plans/{plan_id}/redraw",
                           data={"assignment": f"{check_id}:{old}", "reason": "患病住院"})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Reassignment))
        check = db.session.get(Check, check_id)
        assert row.reason == "患病住院" and row.old_inspector_id == old
        assert old not in {u.id for u in check.inspectors}
        assert old in check.drawn_inspectors  # the original draw is kept
        new_name = row.new_inspector.display_name
    page = text(client, f"/inspections/plans/{plan_id}")
    assert "患病住院" in page and new_name in page
    page = text(client, f"/inspections/plans/{plan_id}/verify?lang=en")
    assert "Verified:" in page and "患病住院" in page and page.count("✓") == 3
    result = app.test_cli_runner().invoke(args=["checks", "verify", str(plan_id)])
    assert result.exit_code == 0 and "#1" in result.output and "患病住院" in result.output
    # The replaced inspector is no longer a choice: posting it is refused.
    response = client.post(f"/inspections/plans/{plan_id}/redraw",
                           data={"assignment": f"{check_id}:{old}", "reason": "再换"})
    assert response.status_code == 400
    # Bureau 2 cannot re-draw bureau 1's checks; a completed check is not offered.
    assert signed_in(app, "regulator2").post(
        f"/inspections/plans/{plan_id}/redraw",
        data={"assignment": f"{check_id}:{old}", "reason": "x"}).status_code == 404
    with app.app_context():
        db.session.get(Check, check_id).status = CheckStatus.COMPLETED
        db.session.commit()
    assert f'value="{check_id}:' not in text(client, f"/inspections/plans/{plan_id}/redraw")


def test_no_eligible_replacement_is_a_clear_error(app, roster):  # noqa: F811
    with app.app_context():
        plan = drawn_plan(roster, sample_count=1)
        check = plan.checks[0]
        for ident in plan.inspector_roster:
            if ident not in check.drawn_inspectors:
                recusals.declare(db.session.get(type(by_name("inspector")), ident),
                                 check.enterprise_id, "亲属任职", by_name("admin"))
        db.session.commit()
        plan_id, check_id, old = plan.id, check.id, check.drawn_inspectors[0]
    response = signed_in(app, "regulator").post(
        f"/inspections/plans/{plan_id}/redraw?lang=en",
        data={"assignment": f"{check_id}:{old}", "reason": "患病"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "No inspector can replace them" in page and "患病" in page


def test_check_item_edits_survive_a_reload_of_the_defaults(app, roster):  # noqa: F811
    from portal.inspections.items import load_check_items
    from portal.models import CheckItem

    admin = signed_in(app, "admin")
    with app.app_context():
        item = db.session.scalar(select(CheckItem).where(CheckItem.code == "A01"))
        item_id, category_en = item.id, item.category_en
    data = {"code": "A01", "category_zh": "经营资质", "category_en": category_en,
            "text_zh": "直销经营许可证在有效期内", "text_en": "The licence is in force",
            "basis": "DSR-10", "position": "5"}
    assert admin.post(f"/admin/check-items/{item_id}/edit", data=data).status_code == 302
    assert admin.post(f"/admin/check-items/{item_id}/deactivate").status_code == 302
    response = admin.post("/admin/check-items/new?lang=en",
                          data={**data, "code": "a02", "text_zh": "重复编号"})
    assert response.status_code == 200 and "already has this code" in response.get_data(
        as_text=True)
    response = admin.post("/admin/check-items/new",
                          data={**data, "code": "B01", "text_zh": "新增事项", "basis": "PPS-7"})
    assert response.status_code == 302
    response = admin.post("/admin/check-items/new", data={**data, "code": "B02", "basis": "X"})
    assert response.status_code == 200  # not a valid choice
    with app.app_context():
        assert load_check_items() == 0
        db.session.commit()
        item = db.session.get(CheckItem, item_id)
        assert item.text_zh == "直销经营许可证在有效期内" and not item.is_active
        assert item.position == 5
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "CheckItem").order_by(AuditEvent.id)).all()
        assert actions == ["check_item.updated", "check_item.deactivated", "check_item.created"]
    page = text(admin, "/admin/check-items")
    assert "新增事项" in page and "直销经营许可证在有效期内" in page
    assert "新增事项" not in text(admin, "/admin/check-items?state=inactive")
    assert admin.post(f"/admin/check-items/{item_id}/reactivate").status_code == 302
    # Plans offer active items only.
    assert "B01" in text(signed_in(app, "regulator"), "/inspections/plans/new")
