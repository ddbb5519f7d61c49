"""Plain functions that build rows with sensible defaults. They flush; tests commit."""

import io
import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from stdnum.cn import ric, uscc

from portal.admin import operations
from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import Bureau, Degree, Document, Enterprise, Filing, Role, User
from portal.outlets import operations as outlet_ops
from portal.rules.premises import Premises
from portal.rules.workflow import Action, Side
from portal.storage import get_store
from portal.trainers import operations as trainer_ops

PASSWORD = "Correct-horse-42"
_seq = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    """A valid unified social credit code, distinct for every call."""
    n = next(_seq) if n is None else n
    first17 = f"91140500MA{n:07d}"
    return first17 + uscc.calc_check_digit(first17)


def make_bureau(region_code="140500", name=None, short_name=None) -> Bureau:
    n = next(_seq)
    return operations.create_bureau(
        name_zh=name or f"测试市场监督管理局{n}",
        name_en=f"Test Bureau {n}",
        short_name=short_name or f"测{n}",
        region_code=region_code,
    )


def make_enterprise(seat="140502", approved=("140500",), name=None) -> Enterprise:
    n = next(_seq)
    return operations.create_enterprise(
        name=name or f"测试直销企业{n}有限公司",
        credit_code=credit_code(n),
        licence_no=f"直销经营许可证〔2024〕第{n:04d}号",
        address="测试路1号",
        region_code=seat,
        approved_regions={code: date(2024, 1, 1) for code in approved},
    )


def make_user(role: Role, username=None, enterprise=None, bureau=None, password=PASSWORD) -> User:
    n = next(_seq)
    return operations.create_user(
        username=username or f"user{n}",
        password=password,
        role=role,
        display_name=f"用户{n}",
        enterprise=enterprise if role.is_enterprise else None,
        bureau=bureau if role.is_bureau else None,
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_document(enterprise, actor, data=PDF_BYTES, name="证明.pdf") -> Document:
    """A stored upload owned by *enterprise*."""
    stored = get_store().save(io.BytesIO(data), name)
    document = Document(sha256=stored.sha256, size=stored.size, media_type=stored.media_type,
                        original_name=stored.original_name, enterprise_id=enterprise.id,
                        uploaded_by_id=actor.id)
    db.session.add(document)
    db.session.flush()
    return document


def make_outlet(enterprise, actor, region_code="140502", submit=True, document=None) -> Filing:
    """An outlet filing of *enterprise* in *region_code*, submitted unless told otherwise."""
    n = next(_seq)
    outlet = outlet_ops.create(
        enterprise,
        {"name": f"测试网点{n}", "premises_type": Premises.SHOP, "address": "测试路2号",
         "region_code": region_code, "person_in_charge": "负责人", "phone": "13800000000",
         "opening_hours": "9:00-18:00"},
        document,
        actor,
    )
    if submit:
        filing_ops.apply(outlet.filing, Action.SUBMIT, actor, Side.ENTERPRISE)
    return outlet.filing



def id_number(n: int | None = None, region="140502") -> str:
    """A valid resident ID number (check digit included), distinct for every call."""
    n = next(_seq) if n is None else n
    born = date(1975, 1, 1) + timedelta(days=n % 9000)
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "X")


# The steps from a new draft to each final state, and who takes them.
STATUS_PATHS = {
    "draft": [],
    "submitted": [Action.SUBMIT],
    "approved": [Action.SUBMIT, Action.APPROVE],
    "returned": [Action.SUBMIT, Action.RETURN],
    "rejected": [Action.SUBMIT, Action.REJECT],
    "withdrawn": [Action.SUBMIT, Action.APPROVE, Action.WITHDRAW],
}
BUREAU_ACTIONS = {Action.APPROVE, Action.RETURN, Action.REJECT}


def make_trainer(enterprise, actor, status="submitted", regulator=None, **changes) -> Filing:
    """A trainer of *enterprise* who meets every rule, taken to *status*.

    Steps beyond "submitted" are the bureau's: pass *regulator* for them. *changes* override
    the trainer's fields (name, id_number, employment_start, degree, …).
    """
    n = next(_seq)
    data = {"name": f"培训员{n}", "id_number": id_number(n),
            "employment_start": date(2020, 3, 1), "degree": Degree.BACHELOR,
            "certificate_no": f"PXY-{n:05d}", "is_formal_employee": True,
            "has_criminal_record": False, "is_mainland_resident": True, **changes}
    trainer = trainer_ops.create(enterprise, data, actor)
    for action in STATUS_PATHS[status]:
        side = Side.BUREAU if action in BUREAU_ACTIONS else Side.ENTERPRISE
        filing_ops.apply(trainer.filing, action, regulator if side is Side.BUREAU else actor,
                         side, reasons=["测试理由"] if action in (Action.RETURN, Action.REJECT)
                         else ())
    return trainer.filing

@dataclass
class World:
    """Ids and user names of a small two-bureau, two-enterprise world."""

    bureau1: int
    bureau2: int
    enterprise_a: int  # sells in Jincheng (bureau 1)
    enterprise_b: int  # sells in Taiyuan (bureau 2)
    users: dict[str, int]
    filing_a: int  # enterprise A's submitted outlet in Jincheng, with a document
    filing_b: int  # enterprise B's submitted outlet in Taiyuan
    draft_a: int  # enterprise A's draft outlet (no regulator may see it)
    document_a: int
    flag_b: int  # an open flag bureau 2 raised on filing_b
    plan_b: int  # bureau 2's spot-check plan, not drawn yet
    notice_b: int  # bureau 2's rectification notice to enterprise B, not yet served


def make_plan(bureau, user, **changes):
    from datetime import date

    from portal.models import CheckPlan, TargetKind
    from portal.rules import sampling

    seed = sampling.new_seed()
    values = dict(bureau_id=bureau.id, name="测试抽查计划", target_kind=TargetKind.ENTERPRISE,
                  region_code=bureau.region_code, sample_count=1, per_target=2,
                  window_start=date(2026, 12, 1), window_end=date(2026, 12, 31),
                  algorithm=sampling.ALGORITHM, seed=seed, seed_hash=sampling.commitment(seed),
                  created_by_id=user.id)
    values.update(changes)
    plan = CheckPlan(**values)
    db.session.add(plan)
    db.session.flush()
    return plan


def make_flag(filing, user, category=None, note="注册费与发展下线挂钩"):
    from portal.models import FilingFlag, FlagCategory

    flag = FilingFlag(filing_id=filing.id, category=category or FlagCategory.ENTRY_FEE,
                      note=note, raised_by_id=user.id)
    db.session.add(flag)
    db.session.flush()
    return flag


def make_world() -> World:
    """Bureau 1 = Jincheng (1405), bureau 2 = Taiyuan (1401); enterprise A in 1, B in 2.

    The catalogue of provisions notices cite is loaded, as ``flask catalogues load`` does."""
    from portal.notices.provisions import load_provisions

    load_provisions()
    b1 = make_bureau("140500")
    b2 = make_bureau("140100")
    a = make_enterprise(seat="140502", approved=("140500",))
    b = make_enterprise(seat="140105", approved=("140100",))
    users = {
        "admin": make_user(Role.ADMIN, "admin"),
        "regulator": make_user(Role.REGULATOR, "regulator", bureau=b1),
        "regulator2": make_user(Role.REGULATOR, "regulator2", bureau=b2),
        "inspector": make_user(Role.INSPECTOR, "inspector", bureau=b1),
        "enterprise_admin": make_user(Role.ENTERPRISE_ADMIN, "ent-admin", enterprise=a),
        "enterprise_staff": make_user(Role.ENTERPRISE_STAFF, "ent-staff", enterprise=a),
        "enterprise2_admin": make_user(Role.ENTERPRISE_ADMIN, "ent2-admin", enterprise=b),
        "enterprise2_staff": make_user(Role.ENTERPRISE_STAFF, "ent2-staff", enterprise=b),
    }
    document = make_document(a, users["enterprise_staff"])
    filing_a = make_outlet(a, users["enterprise_staff"], "140502", document=document)
    filing_b = make_outlet(b, users["enterprise2_staff"], "140105")
    draft_a = make_outlet(a, users["enterprise_staff"], "140525", submit=False)
    flag_b = make_flag(filing_b, users["regulator2"])
    plan_b = make_plan(b2, users["regulator2"])
    notice_b = make_notice(b2, b, users["regulator2"])
    return World(b1.id, b2.id, a.id, b.id, {k: u.id for k, u in users.items()},
                 filing_a.id, filing_b.id, draft_a.id, document.id, flag_b.id, plan_b.id,
                 notice_b.id)


def make_notice(bureau, enterprise, regulator, **changes):
    """A rectification notice of *bureau* to *enterprise*, due 15 working days from service."""
    from portal.notices import operations as notice_ops

    fields = dict(facts="经查，服务网点未公示退换货制度。", provisions=["DSR-50"],
                  corrections="公示退换货制度。", deadline=None, deadline_working_days=15)
    fields.update(changes)
    return notice_ops.issue(bureau, enterprise, notice_ops.NoticeFields(**fields), regulator)


# The user name for each key of World.users.
USERNAMES = {
    "admin": "admin",
    "regulator": "regulator",
    "regulator2": "regulator2",
    "inspector": "inspector",
    "enterprise_admin": "ent-admin",
    "enterprise_staff": "ent-staff",
    "enterprise2_admin": "ent2-admin",
    "enterprise2_staff": "ent2-staff",
}


def make_policy(enterprise, actor, status="submitted", regulator=None, document="new",
                **changes) -> Filing:
    """A return and exchange policy of *enterprise* that meets every rule, taken to *status*.

    Bureau steps (approve, return, reject) need *regulator*. *document* is "new" (a stored
    PDF), None, or a Document. *changes* override the key terms (effective_on, refund_days …).
    """
    from portal.policies import operations as policy_ops

    steps = {"draft": [], "submitted": [Action.SUBMIT],
             "approved": [Action.SUBMIT, Action.APPROVE],
             "returned": [Action.SUBMIT, Action.RETURN],
             "rejected": [Action.SUBMIT, Action.REJECT],
             "withdrawn": [Action.SUBMIT, Action.APPROVE, Action.WITHDRAW]}[status]
    n = next(_seq)
    if document == "new":
        document = make_document(enterprise, actor, data=PDF_BYTES + f"%{n}\n".encode(),
                                 name=f"退换货制度{n}.pdf")
    data = {"title": f"退换货制度（第{n}版）", "consumer_return_days": 30,
            "seller_return_days": 30, "requires_unopened": True, "refund_days": 7,
            "return_places": ["enterprise", "branch", "outlet", "seller"],
            "contact": "0356-2021888，晋城市城区凤台东街1188号", "effective_on": date(2030, 1, 1),
            **changes}
    policy = policy_ops.create(enterprise, data, document, actor)
    for action in steps:
        bureau = action in (Action.APPROVE, Action.RETURN, Action.REJECT)
        filing_ops.apply(policy.filing, action, regulator if bureau else actor,
                         Side.BUREAU if bureau else Side.ENTERPRISE,
                         reasons=["测试理由"] if action in (Action.RETURN, Action.REJECT) else ())
    return policy.filing
