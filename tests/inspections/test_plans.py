"""Spot-check plans: the committed seed, the draw, its verification, recusals and errors."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.inspections import operations as plans
from portal.inspections.items import load_check_items
from portal.models import (
    AuditEvent,
    Bureau,
    CheckItem,
    CheckPlan,
    Enterprise,
    PlanStatus,
    Recusal,
    Role,
    TargetKind,
    User,
)
from portal.rules import sampling
from portal.rules.workflow import Action, Side

from ..factories import make_enterprise, make_outlet, make_user


def by_name(username):
    return db.session.scalar(select(User).where(User.username == username))


@pytest.fixture
def roster(app, world):
    """Bureau 1 with four inspectors, six enterprises and eight approved outlets in Jincheng."""
    with app.app_context():
        load_check_items()
        b1 = db.session.get(Bureau, world.bureau1)
        for n in range(2, 5):
            make_user(Role.INSPECTOR, f"inspector{n}", bureau=b1)
        regulator, staff = by_name("regulator"), by_name("ent-staff")
        a = db.session.get(Enterprise, world.enterprise_a)
        for _ in range(4):
            make_enterprise(seat="140502", approved=("140500",))
        for _ in range(8):
            outlet = make_outlet(a, staff, "140502")
            filing_ops.apply(outlet, Action.APPROVE, regulator, Side.BUREAU)
        db.session.commit()
    return world


def fields(**changes):
    with_items = [i.id for i in db.session.scalars(select(CheckItem).order_by(CheckItem.id))]
    values = dict(name="2026年第四季度直销企业双随机抽查", target_kind=TargetKind.ENTERPRISE,
                  region_code="140500", sample_count=3, sample_ratio=None, per_target=2,
                  window_start=date(2026, 12, 1), window_end=date(2026, 12, 31),
                  item_ids=with_items[:4])
    values.update(changes)
    return plans.PlanFields(**values)


def test_a_plan_commits_to_its_seed_and_the_draw_reveals_it(app, roster):
    with app.app_context():
        b1 = db.session.get(Bureau, roster.bureau1)
        plan = plans.create_plan(b1, fields(), by_name("regulator"))
        assert plan.status is PlanStatus.DRAFT and len(plan.seed) == 64
        assert plan.seed_hash == sampling.commitment(plan.seed)
        assert [i.code for i in plan.items] == ["A01", "A02", "A03", "A04"]
        checks = plans.draw_plan(plan, by_name("regulator"))
        assert plan.status is PlanStatus.DRAWN and len(checks) == 3
        assert len(plan.target_roster) == 5  # A and the four made here; B is in Taiyuan
        assert plan.inspector_roster == sorted(plan.inspector_roster)
        assert len(plan.inspector_roster) == 4
        for check in checks:
            assert len(check.inspectors) == 2 and check.target_key.startswith("enterprise:")
        loads = sampling.Draw(tuple((c.target_key, tuple(c.drawn_inspectors)) for c in checks)
                              ).loads(plan.inspector_roster)
        assert max(loads.values()) - min(loads.values()) <= 1
        result = plans.verify(plan)
        assert result.ok and result.expected == result.stored
        drawn = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.drawn"))
        assert drawn.details["seed"] == plan.seed
        with pytest.raises(plans.PlanError) as error:
            plans.draw_plan(plan, by_name("regulator"))
        assert error.value.code == "not_draft"
        db.session.rollback()


def test_verification_fails_when_the_stored_draw_or_seed_was_changed(app, roster):
    with app.app_context():
        b1 = db.session.get(Bureau, roster.bureau1)
        plan = plans.create_plan(b1, fields(target_kind=TargetKind.OUTLET, sample_count=None,
                                            sample_ratio=0.5), by_name("regulator"))
        checks = plans.draw_plan(plan, by_name("regulator"))
        assert len(checks) == 4 and all(c.outlet_filing_id for c in checks)
        others = [i for i in plan.inspector_roster if i not in checks[0].drawn_inspectors]
        checks[0].drawn_inspectors = others[:2]
        assert not plans.verify(plan).draw_matches
        db.session.rollback()
        plan = plans.create_plan(b1, fields(), by_name("regulator"))
        plans.draw_plan(plan, by_name("regulator"))
        plan.seed = sampling.new_seed()
        result = plans.verify(plan)
        assert not result.seed_matches and not result.ok
        db.session.rollback()


def test_recusals_are_frozen_and_respected(app, roster):
    with app.app_context():
        b1 = db.session.get(Bureau, roster.bureau1)
        enterprises = [e.id for e in db.session.scalars(
            select(Enterprise).where(Enterprise.region_code.like("1405%")))]
        inspector = by_name("inspector")
        for enterprise in enterprises:
            db.session.add(Recusal(inspector_id=inspector.id, enterprise_id=enterprise,
                                   reason="亲属任职", declared_by_id=inspector.id))
        db.session.flush()
        plan = plans.create_plan(b1, fields(sample_count=5), by_name("regulator"))
        checks = plans.draw_plan(plan, by_name("regulator"))
        assert all(inspector.id not in c.drawn_inspectors for c in checks)
        assert [inspector.id, enterprises[0]] in plan.recusals
        assert plans.verify(plan).ok
        db.session.rollback()


def test_too_few_eligible_inspectors_is_a_clear_error(app, roster):
    with app.app_context():
        b1 = db.session.get(Bureau, roster.bureau1)
        plan = plans.create_plan(b1, fields(per_target=5), by_name("regulator"))
        with pytest.raises(plans.PlanError) as error:
            plans.draw_plan(plan, by_name("regulator"))
        assert error.value.code == "draw"
        assert error.value.params == {"reason": "too_few_inspectors", "needed": 5,
                                      "available": 4}
        assert plan.status is PlanStatus.DRAFT
        db.session.rollback()


@pytest.mark.parametrize(("changes", "code"), [
    ({"region_code": "140100"}, "region_outside"),
    ({"window_end": date(2026, 11, 1)}, "window_reversed"),
    ({"per_target": 1}, "too_few_per_target"),
    ({"sample_count": None}, "sample_unclear"),
    ({"item_ids": []}, "items_required"),
    ({"item_ids": [999999]}, "items_required"),
])
def test_plan_fields_are_checked(app, roster, changes, code):
    with app.app_context():
        b1 = db.session.get(Bureau, roster.bureau1)
        with pytest.raises(plans.PlanError) as error:
            plans.create_plan(b1, fields(**changes), by_name("regulator"))
        assert error.value.code == code
        assert db.session.scalar(select(CheckPlan.id).where(CheckPlan.bureau_id == b1.id)) is None
        db.session.rollback()


def test_the_check_items_are_loaded_once_with_their_basis(app):
    from portal.legal import BASIS

    with app.app_context():
        assert load_check_items() == 10
        assert load_check_items() == 0
        items = db.session.scalars(select(CheckItem).order_by(CheckItem.position)).all()
        assert items[0].code == "A01" and all(i.basis in BASIS for i in items)
        assert {i.category_zh for i in items} >= {"经营资质", "服务网点", "计酬与宣传"}
        db.session.rollback()
