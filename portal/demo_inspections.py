"""Demo spot checks (fictional): per demo bureau, two drawn plans and one waiting to be drawn.

Each bureau drew its licensed enterprises last quarter (one check published with a failed
item, one completed long ago and now overdue for publication) and its approved outlets this
quarter (one check with nothing recorded, one partly recorded, one completed and awaiting
publication); a draft plan shows its seed fingerprint. demo-inspector declares a recusal for
enterprise B and is on open checks in Jincheng. Plans are made only for a bureau that has none,
so re-running is safe.
:func:`seed_rosters` then adds recusals in force and a withdrawn one for both bureaus, and one
re-draw (an inspector fell ill) on an open check of Jincheng, each only once.
"""

import io
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from .demo_supervision import _png
from .extensions import db
from .filings.uploads import store_upload
from .inspections import operations as plans
from .inspections import recusals, redraw, results
from .models import (
    Bureau,
    Check,
    CheckItem,
    ChecklistBundle,
    CheckPlan,
    CheckStatus,
    Enterprise,
    PlanStatus,
    Reassignment,
    Recusal,
    Role,
    TargetKind,
    User,
    Verdict,
    utcnow,
)
from .rules.meetings import china_date
from .storage import PDF_OR_PHOTO

# bureau short name: plans (name, target kind, count, window start in days from today, drawn,
# the states its checks are brought into in draw order)
PLANS = {
    "晋城市监": (
        ("2026年第三季度直销企业双随机抽查", TargetKind.ENTERPRISE, 2, -120, True,
         ("published", "overdue")),
        ("2026年第四季度直销服务网点双随机抽查", TargetKind.OUTLET, 3, 0, True,
         ("empty", "partial", "completed")),
        ("2027年第一季度直销企业双随机抽查", TargetKind.ENTERPRISE, 1, 60, False, ()),
    ),
    "并市监": (
        ("2026年第三季度直销企业双随机抽查", TargetKind.ENTERPRISE, 2, -120, True,
         ("published", "overdue")),
        ("2026年第四季度直销服务网点双随机抽查", TargetKind.OUTLET, 3, 0, True,
         ("empty", "partial", "completed")),
        ("2027年第一季度直销企业双随机抽查", TargetKind.ENTERPRISE, 1, 60, False, ()),
    ),
}
GENERIC_NOTE = "现场检查发现与规定不符，已拍照留存。"
# Notes of failed items, by item code (other codes get the generic one).
FAIL_NOTES = {
    "A03": "网点未在显著位置公示退换货制度，价目表缺失两种产品。",
    "A02": "网点实际营业时间与备案不一致，现场无负责人。",
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
    for short, bureau_plans in PLANS.items():
        bureau = db.session.scalar(select(Bureau).where(Bureau.short_name == short))
        regulator = db.session.scalar(select(User).where(
            User.bureau_id == bureau.id, User.role == Role.REGULATOR).order_by(User.id))
        if regulator is None or db.session.scalar(
                select(func.count(CheckPlan.id)).where(CheckPlan.bureau_id == bureau.id)):
            continue
        for name, kind, count, start, do_draw, states in bureau_plans:
            plan = plans.create_plan(bureau, plans.PlanFields(
                name=name, target_kind=kind, region_code=bureau.region_code,
                sample_count=count, sample_ratio=None, per_target=2,
                window_start=today + timedelta(days=start),
                window_end=today + timedelta(days=start + 45), item_ids=items,
            ), regulator)
            if do_draw:
                checks = plans.draw_plan(plan, regulator)
                _bring_into_states(checks, states, inspector, regulator)
    db.session.flush()
    seed_rosters()
    seed_bundle()


def seed_bundle() -> None:
    """Jincheng's current outlet plan has its checklists in one PDF already made (Chinese);
    the other drawn plans show the button that makes theirs."""
    from flask import current_app

    from .inspections import bundles

    plan = db.session.scalar(select(CheckPlan).join(Bureau).where(
        Bureau.short_name == "晋城市监", CheckPlan.status == PlanStatus.DRAWN)
        .order_by(CheckPlan.window_start.desc(), CheckPlan.id))
    if plan is None or db.session.scalar(select(ChecklistBundle.id).where(
            ChecklistBundle.plan_id == plan.id)):
        return
    base = current_app.config.get("PORTAL_BASE_URL") or "http://127.0.0.1:5000"
    bundle, _ = bundles.request_bundle(plan, "zh", _user("demo-regulator"), base)
    db.session.commit()
    bundles.build(bundle.id)


def _bring_into_states(checks, states, inspector, regulator) -> None:
    """Record, complete and publish the drawn *checks* as *states* say, through the
    operations (so the audit log has it all), then date completion and publication back.

    The open states go first to the checks demo-inspector is on, so their checklists are one
    click away for the demo login."""
    if inspector is not None and "empty" in states:
        checks = sorted(checks, key=lambda c: (inspector not in c.inspectors, c.position))
    now = utcnow()
    for check, state in zip(checks, states, strict=False):
        recorder = inspector if inspector in check.inspectors else check.inspectors[0]
        items = check.plan.items
        if state == "empty":
            continue
        entries = {}
        answered = items[:3] if state == "partial" else items
        for n, item in enumerate(answered):
            failed = state in {"published", "partial"} and n == 2
            verdict = Verdict.FAIL if failed else (
                Verdict.NOT_APPLICABLE if item.code == "A04" and state != "partial"
                else Verdict.PASS)
            note = FAIL_NOTES.get(item.code, GENERIC_NOTE) if failed else ""
            evidence = []
            if failed:
                evidence = [store_upload(FileStorage(io.BytesIO(_png(shade=check.id * 7)),
                                                     filename="现场照片.png"),
                                         check.enterprise_id, recorder, allowed=PDF_OR_PHOTO)]
            entries[item.id] = results.Entry(verdict, note, evidence)
        results.record(check, entries, recorder, results.state_token(check),
                       complete=state != "partial")
        if state == "completed":
            check.completed_at = now - timedelta(days=2)
        elif state == "overdue":
            check.completed_at = now - timedelta(days=45)
        elif state == "published":
            check.completed_at = now - timedelta(days=60)
            results.publish(check, regulator)
            check.published_at = now - timedelta(days=50)
        db.session.flush()


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
    check = jincheng and db.session.scalar(
        select(Check).join(Check.plan).where(CheckPlan.bureau_id == jincheng.id,
                                             Check.status == CheckStatus.ASSIGNED)
        .order_by(Check.id.desc()))
    if check is not None and not db.session.scalar(select(Reassignment.id).join(
            Reassignment.check).join(Check.plan).where(CheckPlan.bureau_id == jincheng.id)):
        regulator = _user("demo-regulator")
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
