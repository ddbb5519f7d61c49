"""Demo spot checks (fictional): per demo bureau, a drawn plan and one waiting to be drawn.

Jincheng draws two of its approved outlets, Taiyuan one of its licensed enterprises; each
bureau also has a draft plan showing its seed fingerprint. demo-inspector declares a recusal
for enterprise B. Plans are made only for a bureau that has none, so re-running is safe.
"""

from datetime import timedelta

from sqlalchemy import func, select

from .extensions import db
from .inspections import operations as plans
from .models import (
    Bureau,
    CheckItem,
    CheckPlan,
    Enterprise,
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
