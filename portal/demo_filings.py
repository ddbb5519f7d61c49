"""Demo filings: outlets in every workflow state for the demo enterprises (fictional data).

Decisions are taken by the demo regulator of the bureau whose jurisdiction holds the outlet.
Seeding is skipped for an enterprise that already has outlet filings, so re-running is safe.
"""

from sqlalchemy import func, select

from .extensions import db
from .filings import operations as filings
from .models import Bureau, Enterprise, Filing, FilingKind, Role, User
from .outlets import operations as outlets
from .rules.premises import Premises as P
from .rules.workflow import Action, Side

# (enterprise credit code prefix, outlet name, district, address, premises, final state)
OUTLETS = {
    "91140500MA0K7Q3D2": [
        ("晋康源城区服务网点", "140502", "晋城市城区凤台东街1188号一层", P.SHOP, "approved"),
        ("晋康源泽州服务网点", "140525", "泽州县南村镇商业街16号", P.SHOP, "approved"),
        ("晋康源高平服务网点", "140581", "高平市建设路52号", P.COMMERCIAL_COMPLEX, "approved"),
        ("晋康源阳城服务网点", "140522", "阳城县凤城镇东关街8号", P.SHOP, "submitted"),
        ("晋康源陵川服务网点", "140524", "陵川县崇文镇梅园路21号", P.OFFICE, "returned"),
        ("晋康源沁水服务网点", "140521", "沁水县龙港镇滨河路3号", P.SHOP, "draft"),
        ("晋康源小店服务网点", "140105", "太原市小店区亲贤北街99号", P.OFFICE, "approved"),
        ("晋康源迎泽服务网点", "140106", "太原市迎泽区柳巷南路45号", P.SHOP, "withdrawn"),
        ("晋康源城区二号网点", "140502", "晋城市城区文昌东街7号2单元", P.RESIDENTIAL,
         "rejected"),
    ],
    "91140100MA0H2W8L5": [
        ("太行优品小店服务网点", "140105", "太原市小店区长风街66号", P.SHOP, "approved"),
        ("太行优品杏花岭服务网点", "140107", "太原市杏花岭区解放路200号", P.SHOP, "approved"),
        ("太行优品万柏林服务网点", "140109", "太原市万柏林区千峰南路38号", P.COMMERCIAL_COMPLEX,
         "submitted"),
        ("太行优品晋源服务网点", "140110", "太原市晋源区晋祠路一段12号", P.SHOP, "returned"),
        ("太行优品尖草坪服务网点", "140108", "太原市尖草坪区胜利街88号", P.OFFICE, "draft"),
    ],
}

# The steps that lead from a new draft to each final state.
PATHS = {
    "draft": [],
    "submitted": [Action.SUBMIT],
    "approved": [Action.SUBMIT, Action.APPROVE],
    "returned": [Action.SUBMIT, Action.RETURN],
    "rejected": [Action.SUBMIT, Action.REJECT],
    "withdrawn": [Action.SUBMIT, Action.APPROVE, Action.WITHDRAW],
}
REASONS = {
    Action.RETURN: ["房屋租赁合同已过期，请上传有效的场所证明", "营业时间与现场公示不一致"],
    Action.REJECT: ["拟设场所为居民住宅，不符合《直销行业服务网点设立管理办法》第二条"],
}


def _regulator_for(region_code: str) -> User:
    """A regulator whose bureau's jurisdiction holds *region_code* (the most local one)."""
    candidates = db.session.execute(
        select(User, Bureau).join(Bureau, User.bureau_id == Bureau.id)
        .where(User.role == Role.REGULATOR)
    ).all()
    matching = [(b.jurisdiction_prefix, u) for u, b in candidates
                if region_code.startswith(b.jurisdiction_prefix)]
    return max(matching, key=lambda pair: len(pair[0]))[1]


def seed_outlets() -> int:
    """Create the demo outlets; return how many were created."""
    created = 0
    for code_prefix, rows in OUTLETS.items():
        enterprise = db.session.scalar(
            select(Enterprise).where(Enterprise.credit_code.like(code_prefix + "%"))
        )
        staff = db.session.scalar(select(User).where(User.enterprise_id == enterprise.id))
        existing = db.session.scalar(
            select(func.count(Filing.id)).where(
                Filing.enterprise_id == enterprise.id, Filing.kind == FilingKind.OUTLET
            )
        )
        if existing:
            continue
        for name, district, address, premises, state in rows:
            outlet = outlets.create(
                enterprise,
                {"name": name, "premises_type": premises, "address": address,
                 "region_code": district, "person_in_charge": "网点负责人",
                 "phone": "0356-2" + district[-3:] + "888",
                 "opening_hours": "周一至周六 9:00–18:00"},
                None,
                staff,
            )
            for action in PATHS[state]:
                side = Side.BUREAU if action in (Action.APPROVE, Action.RETURN, Action.REJECT) \
                    else Side.ENTERPRISE
                actor = _regulator_for(district) if side is Side.BUREAU else staff
                filings.apply(outlet.filing, action, actor, side, reasons=REASONS.get(action, ()))
            created += 1
    db.session.flush()
    return created
