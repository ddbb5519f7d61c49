"""Demo trainers: every workflow state for both demo enterprises (fictional people).

Each enterprise gets three approved trainers (meetings need at least two), one returned
because social-insurance records show less than a year of employment, one rejected, one
draft, one submitted and one withdrawn. Decisions are taken by the demo regulator whose
jurisdiction holds the enterprise's seat. Seeding is skipped for an enterprise that already
has trainer filings, so re-running is safe. The ID numbers are invented but well-formed.
"""

from datetime import date

from sqlalchemy import func, select
from stdnum.cn import ric

from .demo_filings import PATHS, _regulator_for
from .extensions import db
from .filings import operations as filings
from .models import Degree, Enterprise, Filing, FilingKind, User
from .rules.trainers import add_years
from .rules.workflow import Action, Side
from .trainers import operations as trainers

D = Degree
# (name, ID region, birth date, degree, years employed, certificate, final state)
TRAINERS = {
    "91140500MA0K7Q3D2": [
        ("王立军", "140502", "19800412", D.MASTER, 9, "JKY-PXY-2017-001", "approved"),
        ("陈思雨", "140525", "19860923", D.BACHELOR, 6, "JKY-PXY-2020-004", "approved"),
        ("赵文博", "140581", "19780305", D.DOCTORATE, 11, "JKY-PXY-2015-002", "approved"),
        ("刘佳", "140502", "19920718", D.BACHELOR, 1, "JKY-PXY-2025-011", "returned"),
        ("孙浩", "140522", "19890130", D.BACHELOR, 4, "JKY-PXY-2022-007", "rejected"),
        ("周婷", "140524", "19940607", D.MASTER, 3, None, "draft"),
        ("吴磊", "140521", "19870815", D.BACHELOR, 5, "JKY-PXY-2021-009", "submitted"),
        ("郑凯", "140502", "19830219", D.BACHELOR, 7, "JKY-PXY-2019-003", "withdrawn"),
    ],
    "91140100MA0H2W8L5": [
        ("李娜", "140105", "19850511", D.MASTER, 6, "THYP-PXY-2020-001", "approved"),
        ("张国强", "140106", "19790827", D.BACHELOR, 8, "THYP-PXY-2018-002", "approved"),
        ("杨帆", "140107", "19880114", D.BACHELOR, 4, "THYP-PXY-2022-005", "approved"),
        ("马超", "140109", "19930326", D.BACHELOR, 1, "THYP-PXY-2025-008", "returned"),
        ("胡敏", "140110", "19900902", D.BACHELOR, 3, "THYP-PXY-2023-006", "rejected"),
        ("郭亮", "140108", "19910420", D.BACHELOR, 2, None, "draft"),
        ("何静", "140105", "19841118", D.MASTER, 5, "THYP-PXY-2021-004", "submitted"),
        ("高峰", "140106", "19810707", D.BACHELOR, 7, "THYP-PXY-2019-003", "withdrawn"),
    ],
}
REASONS = {
    "returned": ["社保缴纳记录显示该人员在本企业连续工作不满1年，请核实入职日期并补充劳动合同"],
    "rejected": ["学历证书经学信网核验为大专学历，"
                 "不符合《直销管理条例》第十九条本科以上学历的要求"],
}
COMMENTS = {"withdrawn": "该培训员已与企业解除劳动合同。"}


def demo_id_number(region: str, born: str, n: int) -> str:
    """A well-formed (invented) resident ID number with its check digit."""
    first17 = f"{region}{born}{n:03d}"
    return first17 + ric.calc_check_digit(first17 + "X")


def _employed_since(years: int) -> date:
    """The first of the month *years* back (so a one-year trainer has served just over it)."""
    return add_years(trainers.china_today(), -years).replace(day=1)


def seed_trainers() -> int:
    """Create the demo trainers; return how many were created."""
    created = 0
    for code_prefix, rows in TRAINERS.items():
        enterprise = db.session.scalar(
            select(Enterprise).where(Enterprise.credit_code.like(code_prefix + "%"))
        )
        if enterprise is None:
            continue
        existing = db.session.scalar(
            select(func.count(Filing.id)).where(
                Filing.enterprise_id == enterprise.id, Filing.kind == FilingKind.TRAINER
            )
        )
        if existing:
            continue
        staff = db.session.scalar(
            select(User).where(User.enterprise_id == enterprise.id).order_by(User.id)
        )
        regulator = _regulator_for(enterprise.region_code)
        for n, (name, region, born, degree, years, certificate, state) in enumerate(rows, 1):
            trainer = trainers.create(
                enterprise,
                {"name": name, "id_number": demo_id_number(region, born, 100 + 2 * n),
                 "employment_start": _employed_since(years), "degree": degree,
                 "certificate_no": certificate, "is_formal_employee": True,
                 "has_criminal_record": False, "is_mainland_resident": True},
                staff,
            )
            for action in PATHS[state]:
                bureau = action in (Action.APPROVE, Action.RETURN, Action.REJECT)
                filings.apply(
                    trainer.filing, action, regulator if bureau else staff,
                    Side.BUREAU if bureau else Side.ENTERPRISE,
                    reasons=REASONS.get(state, ()) if bureau and action is not Action.APPROVE
                    else (),
                    comment=COMMENTS.get(state) if action is Action.WITHDRAW else None,
                )
            created += 1
    db.session.flush()
    return created


def seed() -> int:
    """Entry point for ``flask seed-demo`` (wired in by portal.demo)."""
    return seed_trainers()
