"""Changes to organisations and accounts, shared by the admin pages, enterprise admins and CLI.

Each function checks its rule, changes rows, writes the audit log and flushes; the caller commits.
"""

import csv
from datetime import date
from importlib import resources

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Bureau, Enterprise, EnterpriseRegion, EnterpriseStatus, Region, Role, User


def load_regions() -> int:
    """Insert or update every division in portal/data/regions.csv; return how many rows."""
    text = resources.files("portal").joinpath("data/regions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    # Parents first, so the self-referencing foreign key is satisfied at every insert.
    for row in sorted(rows, key=lambda r: int(r["level"])):
        region = existing.get(row["code"]) or Region(code=row["code"])
        region.name_zh = row["name_zh"]
        region.name_en = row["name_en"]
        region.level = int(row["level"])
        region.parent_code = row["parent_code"] or None
        if region.code not in existing:
            db.session.add(region)
    db.session.flush()
    return len(rows)


def create_bureau(*, name_zh, name_en, short_name, region_code, parent=None, actor=None):
    """Create a bureau whose jurisdiction is *region_code*'s area."""
    bureau = Bureau(
        name_zh=name_zh,
        name_en=name_en,
        short_name=short_name,
        region_code=region_code,
        parent=parent,
    )
    db.session.add(bureau)
    db.session.flush()
    audit.record("bureau.created", bureau, actor=actor, region_code=region_code)
    return bureau


def create_enterprise(
    *,
    name,
    credit_code,
    licence_no,
    address,
    region_code,
    approved_regions: dict[str, date],
    name_en=None,
    licence_issued_on=None,
    status=EnterpriseStatus.ACTIVE,
    actor=None,
):
    """Create a licensed enterprise with its approved regions ({code: approved_on})."""
    enterprise = Enterprise(
        name=name,
        name_en=name_en,
        credit_code=credit_code,
        licence_no=licence_no,
        licence_issued_on=licence_issued_on,
        address=address,
        region_code=region_code,
        status=status,
        approved_regions=[
            EnterpriseRegion(region_code=code, approved_on=on)
            for code, on in sorted(approved_regions.items())
        ],
    )
    db.session.add(enterprise)
    db.session.flush()
    audit.record(
        "enterprise.created",
        enterprise,
        actor=actor,
        credit_code=credit_code,
        approved_regions=sorted(approved_regions),
    )
    return enterprise


def create_user(
    *,
    username,
    password,
    role: Role,
    display_name,
    enterprise=None,
    bureau=None,
    email=None,
    must_change_password=False,
    actor=None,
):
    """Create an account; the password is hashed, never stored."""
    user = User(
        username=username.strip().lower(),
        display_name=display_name,
        email=email,
        role=role,
        enterprise=enterprise,
        bureau=bureau,
        must_change_password=must_change_password,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", user, actor=actor, role=role.value)
    return user


def set_password(user: User, password: str, *, actor=None, must_change=False) -> None:
    """Set *user*'s password (an administrator's reset); all their sessions end."""
    user.set_password(password)
    user.must_change_password = must_change
    audit.record("user.password_reset", user, actor=actor)
