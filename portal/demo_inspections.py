"""Demo spot checks (fictional): per demo bureau, a drawn plan and one waiting to be drawn.

Jincheng draws two of its approved outlets, Taiyuan one of its licensed enterprises; each
bureau also has a draft plan showing its seed fingerprint. demo-inspector declares a recusal
for enterprise B. Plans are made only for a bureau that has none, so re-running is safe.
:func:`seed_rosters` then adds recusals in force and a withdrawn one for both bureaus, and one
re-draw (an inspector fell ill) on Jincheng's drawn plan, each only once.
"""

from datetime import timedelta

from sqlalchemy import func, select

from .extensions import db
from .inspections import operations as plans
from .inspections import recusals, redraw
from .models import (
    Bureau,
    Check,
    CheckItem,
    CheckPlan,
    Enterprise,
    Reassignment,
    Recusal,
    Role,
    TargetKind,
    User,
    utcnow,
)
from .rules.meetings import china_date

PLANS = {
    # bureau short name: (drawn plan, draft plan), each (name, target kind, count)
    "晋城市监": (("2026年第四季度直销服务网点双随机抽查", TargetKind.OUTLET, 2),
                ("2027年第一季度直销企业双随机抽查", TargetKind.ENTERPRISE, 1)),
    "并市监": (("2026年第四季度直销企业双随机抽查", TargetKind.ENTERPRISE, 1),
              ("2027年第一季度直销服务网点双随机抽查", TargetKind.OUTLET, 1)),
}


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def seed() -> None:
    inspector = _user("demo-inspector")
    b = db.session.scalar(select(Enterprise).where(Enterprise.name == "太行优品日用品有限公司"))
    if inspector and b and not db.session.scalar(select(Recusal.id).where(
            Recusal.inspector_id == inspector.id)):
        db.session.add(Recusal(inspector_id=inspector.id, enterprise_id=b.id,
                               reason="配偶在该企业任职", declared_by_id=inspector.id))
    items = [i.id for i in db.session.scalars(select(CheckItem).order_by(CheckItem.position))]
    today = china_date(utcnow())
    for short, (drawn, draft) in PLANS.items():
        bureau = db.session.scalar(select(Bureau).where(Bureau.short_name == short))
        regulator = db.session.scalar(select(User).where(
            User.bureau_id == bureau.id, User.role == Role.REGULATOR).order_by(User.id))
        if regulator is None or db.session.scalar(
                select(func.count(CheckPlan.id)).where(CheckPlan.bureau_id == bureau.id)):
            continue
        for (name, kind, count), window, do_draw in (
            (drawn, (today, today + timedelta(days=45)), True),
            (draft, (today + timedelta(days=60), today + timedelta(days=120)), False),
        ):
            plan = plans.create_plan(bureau, plans.PlanFields(
                name=name, target_kind=kind, region_code=bureau.region_code,
                sample_count=count, sample_ratio=None, per_target=2,
                window_start=window[0], window_end=window[1], item_ids=items,
            ), regulator)
            if do_draw:
                plans.draw_plan(plan, regulator)
    db.session.flush()
    seed_rosters()


# inspector, enterprise, reason, withdrawn: declared through the operations (audited).
RECUSALS = [
    ("demo-inspector2", "沁园保健食品有限公司", "近亲属（配偶）在该企业担任区域经理", False),
    ("demo-inspector5", "晋康源健康科技股份有限公司", "曾在该企业任职，离职未满三年", True),
    ("demo-inspector3", "汾河美业化妆品有限公司", "近亲属持有该企业股份", False),
    ("demo-inspector4", "太行优品日用品有限公司", "曾参与该企业的行政许可审查", True),
]


def seed_rosters() -> None:
    """One re-draw on Jincheng's drawn plan, then the recusals of RECUSALS; each only once."""
    admin = _user("demo-admin")
    jincheng = db.session.scalar(select(Bureau).where(Bureau.short_name == "晋城市监"))
    plan = jincheng and db.session.scalar(select(CheckPlan).where(
        CheckPlan.bureau_id == jincheng.id, CheckPlan.checks.any()))
    if plan is not None and not db.session.scalar(select(Reassignment.id).join(
            Reassignment.check).where(Check.plan_id == plan.id)):
        regulator = _user("demo-regulator")
        check = plan.checks[-1]
        ill = next((u for u in check.inspectors if u.username != "demo-inspector"), None)
        if ill is not None and regulator is not None:
            try:
                redraw.redraw(check, ill.id, "因病住院，无法在检查期限内参加现场检查", regulator)
            except redraw.RedrawError:
                pass  # nobody eligible in this demo world: leave the draw as it is
    for username, name, reason, withdrawn in RECUSALS:
        inspector = _user(username)
        enterprise = db.session.scalar(select(Enterprise).where(Enterprise.name == name))
        if inspector is None or enterprise is None or db.session.scalar(
                select(Recusal.id).where(Recusal.inspector_id == inspector.id,
                                         Recusal.enterprise_id == enterprise.id)):
            continue
        try:
            recusal = recusals.declare(inspector, enterprise.id, reason, inspector)
        except recusals.RecusalError:
            continue
        if withdrawn:
            recusals.withdraw(recusal, admin or inspector)
