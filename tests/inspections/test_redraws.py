"""Recusal and re-draw operations: own recusals, duplicates, withdrawal history, re-draws."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.inspections import operations as plans
from portal.inspections import recusals, redraw
from portal.models import (
    AuditEvent,
    Bureau,
    CheckStatus,
    Enterprise,
    Reassignment,
    TargetKind,
)
from portal.rules import sampling

from .test_plans import by_name, fields, roster  # noqa: F401  (fixture)


def drawn_plan(world, **changes):
    b1 = db.session.get(Bureau, world.bureau1)
    plan = plans.create_plan(b1, fields(**changes), by_name("regulator"))
    plans.draw_plan(plan, by_name("regulator"))
    return plan


def test_an_inspector_declares_for_an_enterprise_of_the_jurisdiction_once(app, roster):  # noqa: F811
    with app.app_context():
        inspector = by_name("inspector")
        recusal = recusals.declare(inspector, roster.enterprise_a, "配偶在该企业任职", inspector)
        assert recusal.is_active and recusal.declared_by_id == inspector.id
        with pytest.raises(recusals.RecusalError) as error:
            recusals.declare(inspector, roster.enterprise_a, "再次申报", inspector)
        assert error.value.code == "duplicate"
        with pytest.raises(recusals.RecusalError) as error:  # enterprise B sells in Taiyuan
            recusals.declare(inspector, roster.enterprise_b, "亲属", inspector)
        assert error.value.code == "enterprise_outside"
        with pytest.raises(recusals.RecusalError) as error:
            recusals.declare(by_name("regulator"), roster.enterprise_a, "亲属", inspector)
        assert error.value.code == "not_inspector"
        # Withdrawn: kept, audited, and a new declaration is possible again.
        recusals.withdraw(recusal, by_name("admin"))
        assert recusal.withdrawn_at is not None and recusal.withdrawn_by_id == by_name("admin").id
        with pytest.raises(recusals.RecusalError):
            recusals.withdraw(recusal, by_name("admin"))
        again = recusals.declare(inspector, roster.enterprise_a, "仍有亲属任职", inspector)
        assert again.id != recusal.id
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "Recusal").order_by(AuditEvent.id)).all()
        assert actions == ["recusal.declared", "recusal.withdrawn", "recusal.declared"]
        db.session.rollback()


def test_a_withdrawn_recusal_is_not_used_by_a_new_draw_but_the_frozen_plan_verifies(
        app, roster):  # noqa: F811
    with app.app_context():
        inspector = by_name("inspector")
        enterprises = db.session.scalars(select(Enterprise.id).where(
            Enterprise.region_code.like("1405%"))).all()
        declared = [recusals.declare(inspector, e, "亲属任职", inspector) for e in enterprises]
        first = drawn_plan(roster, sample_count=5)
        assert all(inspector.id not in c.drawn_inspectors for c in first.checks)
        assert len(first.recusals) == len(enterprises)
        for recusal in declared:
            recusals.withdraw(recusal, inspector)
        assert plans.recusal_pairs([inspector.id]) == []
        second = drawn_plan(roster, sample_count=5)
        assert second.recusals == []
        assert any(inspector.id in c.drawn_inspectors for c in second.checks)
        assert plans.verify(first).ok and plans.verify(second).ok
        db.session.rollback()


def test_a_redraw_replaces_one_inspector_and_is_recorded(app, roster):  # noqa: F811
    with app.app_context():
        plan = drawn_plan(roster, sample_count=2)
        check = plan.checks[0]
        old = check.inspectors[0]
        others = [i for i in plan.inspector_roster if i not in check.drawn_inspectors]
        # One of the two possible replacements is recused for the check's enterprise.
        recused = db.session.get(type(old), others[0])
        recusals.declare(recused, check.enterprise_id, "亲属任职", by_name("admin"))
        with pytest.raises(redraw.RedrawError) as error:
            redraw.redraw(check, old.id, "  ", by_name("regulator"))
        assert error.value.code == "reason_required"
        row = redraw.redraw(check, old.id, "患病住院", by_name("regulator"))
        assert row.number == 1 and row.new_inspector_id == others[1]
        assert [i for i, _load in row.candidates] == [others[1]]
        assert {u.id for u in check.inspectors} == (
            set(check.drawn_inspectors) - {old.id} | {others[1]})
        # The original draw still verifies; the re-draw recomputes from its candidates.
        assert plans.verify(plan).ok
        [result] = redraw.verify_redraws(plan)
        assert result.ok and result.reassignment.reason == "患病住院"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "check.redrawn"))
        assert event.details["reason"] == "患病住院" and event.details["redraw"] == 1
        # Nobody else is eligible now: the old inspector is out, the rest recused or on it.
        with pytest.raises(redraw.RedrawError) as error:
            redraw.redraw(check, check.inspectors[0].id, "出差", by_name("regulator"))
        assert error.value.code == "no_eligible_replacement"
        db.session.rollback()


def test_a_redraw_is_deterministic_and_never_picks_someone_on_the_check(app, roster):  # noqa: F811
    with app.app_context():
        plan = drawn_plan(roster, sample_count=1)
        check = plan.checks[0]
        pool = redraw.candidates(check)
        assert not set(pool) & {u.id for u in check.inspectors}
        expected = sampling.redraw(plan.seed, check.target_key, 1, pool)
        row = redraw.redraw(check, check.inspectors[1].id, "临时出差", by_name("regulator"))
        assert row.new_inspector_id == expected
        row.new_inspector_id = next(i for i in plan.inspector_roster if i != expected)
        assert not redraw.verify_redraws(plan)[0].ok  # a tampered re-draw is detected
        row.new_inspector_id = expected
        with pytest.raises(redraw.RedrawError) as error:
            redraw.redraw(check, row.old_inspector_id, "再换", by_name("regulator"))
        assert error.value.code == "not_on_check"
        db.session.rollback()


def test_completed_checks_are_not_redrawn(app, roster):  # noqa: F811
    with app.app_context():
        plan = drawn_plan(roster, target_kind=TargetKind.OUTLET, sample_count=1)
        check = plan.checks[0]
        check.status = CheckStatus.COMPLETED
        with pytest.raises(redraw.RedrawError) as error:
            redraw.redraw(check, check.inspectors[0].id, "患病", by_name("regulator"))
        assert error.value.code == "not_assigned"
        assert db.session.scalar(select(Reassignment.id)) is None
        db.session.rollback()
