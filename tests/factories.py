"""Plain functions that build rows with sensible defaults. They flush; tests commit."""

import itertools
from dataclasses import dataclass
from datetime import date

from stdnum.cn import uscc

from portal.admin import operations
from portal.models import Bureau, Enterprise, Role, User

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


@dataclass
class World:
    """Ids and user names of a small two-bureau, two-enterprise world."""

    bureau1: int
    bureau2: int
    enterprise_a: int  # sells in Jincheng (bureau 1)
    enterprise_b: int  # sells in Taiyuan (bureau 2)
    users: dict[str, int]


def make_world() -> World:
    """Bureau 1 = Jincheng (1405), bureau 2 = Taiyuan (1401); enterprise A in 1, B in 2."""
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
    return World(b1.id, b2.id, a.id, b.id, {k: u.id for k, u in users.items()})


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
