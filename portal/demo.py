"""Fictional demo data: bureaus in two Shanxi cities, licensed enterprises, one user per role.

Every name, code and number here is invented. Running :func:`seed` again is safe: existing
rows are kept and the demo users' passwords are reset.
"""

import secrets
import string
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from stdnum.cn import uscc

from . import (
    demo_filings,
    demo_inspections,
    demo_meetings,
    demo_notices,
    demo_notifications,
    demo_policies,
    demo_review,
    demo_supervision,
    demo_timeline,
    demo_trainers,
)
from .admin import operations
from .extensions import db
from .inspections.items import load_check_items
from .meetings.claims import load_claim_phrases
from .models import Bureau, Enterprise, EnterpriseStatus, Region, Role, User
from .notices.provisions import load_provisions
from .review.reasons import load_review_reasons
from .rules.passwords import password_problems


def credit_code(first17: str) -> str:
    """Complete a 17-character unified social credit code with its check digit."""
    return first17 + uscc.calc_check_digit(first17)


BUREAUS = [
    # key, name_zh, name_en, short name, region, parent key
    ("sx", "山西省市场监督管理局", "Shanxi Provincial Administration for Market Regulation",
     "晋市监", "140000", None),
    ("jc", "晋城市市场监督管理局", "Jincheng Municipal Administration for Market Regulation",
     "晋城市监", "140500", "sx"),
    ("ty", "太原市市场监督管理局", "Taiyuan Municipal Administration for Market Regulation",
     "并市监", "140100", "sx"),
]

ENTERPRISES = [
    # key, name, name_en, credit code (17), licence, address, seat, {region: approved}, status
    ("A", "晋康源健康科技股份有限公司", "Jinkangyuan Health Technology Co., Ltd.",
     "91140500MA0K7Q3D2", "直销经营许可证〔2019〕第0311号", "晋城市城区凤台东街1188号",
     "140502", {"140500": date(2019, 8, 20), "140100": date(2023, 4, 10)}, "active"),
    ("B", "太行优品日用品有限公司", "Taihang Youpin Household Products Co., Ltd.",
     "91140100MA0H2W8L5", "直销经营许可证〔2021〕第0427号", "太原市小店区长风街66号",
     "140105", {"140100": date(2021, 11, 2)}, "active"),
    ("C", "沁园保健食品有限公司", "Qinyuan Health Food Co., Ltd.",
     "91140525MA0L3T6N8", "直销经营许可证〔2020〕第0352号", "晋城市泽州县金村镇府城路8号",
     "140525", {"140500": date(2020, 5, 18)}, "active"),
    ("D", "汾河美业化妆品有限公司", "Fenhe Beauty Cosmetics Co., Ltd.",
     "91140106MA0J5R1C9", "直销经营许可证〔2018〕第0279号", "太原市迎泽区迎泽大街289号",
     "140106", {"140100": date(2018, 9, 30), "140500": date(2022, 3, 1)}, "suspended"),
    ("E", "晋阳百草生物科技有限公司", "Jinyang Baicao Biotechnology Co., Ltd.",
     "91140110MA0G9P4X1", "直销经营许可证〔2017〕第0198号", "太原市晋源区晋祠路二段17号",
     "140110", {"140100": date(2017, 6, 12)}, "revoked"),
]

USERS = [
    # username, display name, role, organisation key
    ("demo-admin", "系统管理员", Role.ADMIN, None),
    ("demo-regulator", "王建国", Role.REGULATOR, "jc"),
    ("demo-inspector", "李明", Role.INSPECTOR, "jc"),
    ("demo-inspector2", "赵丽", Role.INSPECTOR, "jc"),
    ("demo-regulator2", "陈志远", Role.REGULATOR, "ty"),
    ("demo-inspector3", "孙涛", Role.INSPECTOR, "ty"),
    ("demo-inspector4", "吴敏", Role.INSPECTOR, "ty"),
    ("demo-inspector5", "郑华", Role.INSPECTOR, "jc"),
    ("demo-enterprise", "刘芳", Role.ENTERPRISE_ADMIN, "A"),
    ("demo-staff", "张伟", Role.ENTERPRISE_STAFF, "A"),
    ("demo-enterprise2", "周静", Role.ENTERPRISE_ADMIN, "B"),
]


@dataclass
class DemoLogin:
    username: str
    role: Role
    organisation: str


def generate_password() -> str:
    """A random password that passes the password rules."""
    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(12))
        if not password_problems(password):
            return password


def database_is_empty() -> bool:
    """True when no user exists yet (a fresh database)."""
    return db.session.scalar(select(func.count(User.id))) == 0


def seed(password: str) -> list[DemoLogin]:
    """Create the demo organisations and users (or reset their passwords); flushes."""
    if db.session.get(Region, "140000") is None:
        operations.load_regions()

    bureaus: dict[str, Bureau] = {}
    for key, name_zh, name_en, short, region, parent in BUREAUS:
        bureau = db.session.scalar(select(Bureau).where(Bureau.short_name == short))
        if bureau is None:
            bureau = operations.create_bureau(
                name_zh=name_zh, name_en=name_en, short_name=short, region_code=region,
                parent=bureaus.get(parent),
            )
        bureaus[key] = bureau

    enterprises: dict[str, Enterprise] = {}
    for key, name, name_en, code17, licence, address, seat, regions, status in ENTERPRISES:
        code = credit_code(code17)
        enterprise = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
        if enterprise is None:
            enterprise = operations.create_enterprise(
                name=name, name_en=name_en, credit_code=code, licence_no=licence,
                licence_issued_on=min(regions.values()), address=address, region_code=seat,
                approved_regions=regions, status=EnterpriseStatus(status),
            )
        enterprises[key] = enterprise

    logins = []
    for username, display_name, role, org in USERS:
        enterprise = enterprises.get(org) if role.is_enterprise else None
        bureau = bureaus.get(org) if role.is_bureau else None
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = operations.create_user(
                username=username, password=password, role=role, display_name=display_name,
                enterprise=enterprise, bureau=bureau,
            )
        else:
            operations.set_password(user, password)
            user.is_active_account = True
        logins.append(DemoLogin(username, role, user.organisation_name))
    db.session.flush()
    load_claim_phrases()
    load_review_reasons()
    load_check_items()
    load_provisions()
    # Order matters: meetings need approved outlets and trainers.
    demo_filings.seed_outlets()
    demo_trainers.seed()
    demo_meetings.seed()
    demo_supervision.seed()
    demo_policies.seed()
    demo_timeline.spread()
    demo_review.seed()
    demo_inspections.seed()
    demo_notices.seed()
    # Last: the filings above already notified their regulators and enterprises.
    demo_notifications.seed()
    return logins
