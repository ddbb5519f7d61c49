"""Plan pages: create, see the fingerprint, draw once (a second draw is a conflict), verify."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Check, CheckPlan, PlanStatus

from ..review.conftest import signed_in
from .test_plans import roster  # noqa: F401  (fixture)


def form_data(**changes):
    data = {"name": "晋城市2026年12月直销企业抽查", "target_kind": "enterprise",
            "region_code": "140500", "sample_mode": "count", "sample_count": "2",
            "sample_percent": "", "per_target": "2", "window_start": "2026-12-01",
            "window_end": "2026-12-31", "item_ids": ["1", "2"]}
    data.update(changes)
    return data


def item_ids(app):
    from portal.models import CheckItem

    with app.app_context():
        return [str(i) for i in db.session.scalars(select(CheckItem.id).order_by(CheckItem.id))]


def test_a_regulator_plans_draws_and_verifies(app, roster):  # noqa: F811
    client = signed_in(app, "regulator")
    response = client.post("/inspections/plans/new?lang=en",
                           data=form_data(item_ids=item_ids(app)[:3]))
    assert response.status_code == 302
    page = client.get(response.headers["Location"] + "?lang=en")
    assert page.status_code == 200, page.headers
    page = page.get_data(as_text=True)
    with app.app_context():
        plan = db.session.scalar(select(CheckPlan).where(CheckPlan.bureau_id == roster.bureau1))
        seed, seed_hash, version = plan.seed, plan.seed_hash, plan.version
    assert seed_hash in page and seed not in page  # only the fingerprint before the draw
    response = client.post(f"/inspections/plans/{plan.id}/draw", data={"version": version})
    assert response.status_code == 302
    page = client.get(f"/inspections/plans/{plan.id}?lang=en").get_data(as_text=True)
    assert seed in page and "CC-" in page
    # A second regulator (or the same one in an old tab) drawing again is told, and nothing
    # changes.
    response = client.post(f"/inspections/plans/{plan.id}/draw?lang=en",
                           data={"version": version})
    assert response.status_code == 409
    assert "Nothing was done" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Check)).all()) == 2
        drawn = db.session.scalar(select(CheckPlan).where(CheckPlan.bureau_id == roster.bureau1))
        assert drawn.status is PlanStatus.DRAWN
    page = client.get(f"/inspections/plans/{plan.id}/verify?lang=en").get_data(as_text=True)
    assert "Verified:" in page and page.count("✓") == 2
    # The assigned inspectors see their checks; the CLI verifies the same draw.
    result = app.test_cli_runner().invoke(args=["checks", "verify", str(plan.id)])
    assert result.exit_code == 0 and "draw verified: 2 checks" in result.output
    with app.app_context():
        check = db.session.scalars(select(Check).order_by(Check.id)).first()
        username, number = check.inspectors[0].username, check.number
        db.session.execute(Check.__table__.update().where(Check.id == check.id)
                           .values(drawn_inspectors=list(reversed(check.drawn_inspectors))))
        db.session.commit()
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.drawn"))
    result = app.test_cli_runner().invoke(args=["checks", "verify", str(plan.id)])
    assert result.exit_code == 1 and "DOES NOT VERIFY" in result.output
    assert number in signed_in(app, username).get("/inspections/").get_data(as_text=True)


def test_a_refused_plan_form_keeps_what_was_typed(app, roster):  # noqa: F811
    client = signed_in(app, "regulator")
    response = client.post("/inspections/plans/new?lang=en", data=form_data(
        sample_count="", per_target="1", window_end="2026-11-01", item_ids=[]))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("Enter the number of targets.", "Choose at least one check item.",
                    "The window ends before it starts."):
        assert message in page
    assert "晋城市2026年12月直销企业抽查" in page and 'value="2026-12-01"' in page
    response = client.post("/inspections/plans/new?lang=en",
                           data=form_data(region_code="140100", item_ids=item_ids(app)[:1]))
    assert response.status_code == 400  # not a choice: another bureau's area


def test_a_draw_that_cannot_be_made_says_why(app, roster):  # noqa: F811
    client = signed_in(app, "regulator")
    client.post("/inspections/plans/new", data=form_data(per_target="6",
                                                         item_ids=item_ids(app)[:1]))
    with app.app_context():
        plan = db.session.scalar(select(CheckPlan).where(CheckPlan.bureau_id == roster.bureau1))
    response = client.post(f"/inspections/plans/{plan.id}/draw?lang=en",
                           data={"version": plan.version})
    assert response.status_code == 400
    assert "The bureau has 4 active inspectors; the plan needs 6" in response.get_data(
        as_text=True)


def test_an_inspector_sees_only_checks_assigned_to_them(app, roster):  # noqa: F811
    client = signed_in(app, "regulator")
    client.post("/inspections/plans/new", data=form_data(sample_count="1",
                                                         item_ids=item_ids(app)[:1]))
    with app.app_context():
        plan = db.session.scalar(select(CheckPlan).where(CheckPlan.bureau_id == roster.bureau1))
    client.post(f"/inspections/plans/{plan.id}/draw", data={"version": plan.version})
    with app.app_context():
        check = db.session.scalar(select(Check))
        assigned = {u.username for u in check.inspectors}
        number = check.number
    for username in ("inspector", "inspector2", "inspector3", "inspector4"):
        page = signed_in(app, username).get("/inspections/").get_data(as_text=True)
        assert (number in page) == (username in assigned)
    page = signed_in(app, "regulator2").get(f"/inspections/plans/{plan.id}")
    assert page.status_code == 404
    assert not re.search(r"CC-\d+-\d{3}", signed_in(app, "regulator2").get(
        "/inspections/plans").get_data(as_text=True))
