"""Changes to organisations and accounts, shared by the admin pages, enterprise admins and CLI.

Each function checks its rule, changes rows, writes the audit log and flushes; the caller commits.
"""

import csv
import secrets
from collections.abc import Iterable
from datetime import date
from importlib import resources

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Bureau, Enterprise, EnterpriseRegion, EnterpriseStatus, Region, Role, User
from ..rules.regions import prefix_of


class Refused(Exception):
    """A rule refused the change; ``message`` says why in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


ORGANISATION_MESSAGES = {
    "needs_enterprise": _l(
        "Enterprise accounts belong to one enterprise: choose it, and no bureau."
    ),
    "needs_bureau": _l(
        "Regulators and inspectors belong to one bureau: choose it, and no enterprise."
    ),
    "no_organisation": _l("System administrators belong to no enterprise and no bureau."),
}
OWN_ROLE_MESSAGE = _l("You cannot change the role of your own account.")
OWN_DEACTIVATION_MESSAGE = _l("You cannot deactivate your own account.")
PARENT_BUREAU_MESSAGE = _l(
    "The parent bureau's jurisdiction must contain this bureau's jurisdiction."
)
APPROVED_ON_MESSAGE = _l("Give the date on which the newly added regions were approved.")


def _acting(actor):
    """*actor*, or the signed-in user when none is given (as :func:`audit.record` does)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return actor


def _is_self(user, actor) -> bool:
    return actor is not None and actor.id == user.id


def _apply(obj, values: dict) -> dict:
    """Set *values* on *obj*; return ``{field: [old, new]}`` for those that changed."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes


def organisation_problem(role: Role, has_enterprise: bool, has_bureau: bool) -> str | None:
    """Which key of ORGANISATION_MESSAGES a role/organisation pairing breaks, or None.

    Mirrors the ``role_matches_organisation`` CHECK constraint on the user table.
    """
    if role.is_enterprise and not (has_enterprise and not has_bureau):
        return "needs_enterprise"
    if role.is_bureau and not (has_bureau and not has_enterprise):
        return "needs_bureau"
    if role is Role.ADMIN and (has_enterprise or has_bureau):
        return "no_organisation"
    return None


def _check_organisation(role: Role, enterprise, bureau) -> None:
    problem = organisation_problem(role, enterprise is not None, bureau is not None)
    if problem:
        raise Refused(ORGANISATION_MESSAGES[problem])


def parent_contains(parent: Bureau | None, region_code: str) -> bool:
    """Whether *parent*'s jurisdiction strictly contains the area of *region_code*.

    Strict containment also rules out cycles in the bureau hierarchy.
    """
    if parent is None:
        return True
    outer, inner = parent.jurisdiction_prefix, prefix_of(region_code)
    return inner.startswith(outer) and inner != outer


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


def create_bureau(*, name_zh, name_en, short_name, region_code, parent=None, actor=None,
                  meeting_lead_days=7, meeting_lead_in_working_days=False,
                  meeting_attendance_cap=None):
    """Create a bureau whose jurisdiction is *region_code*'s area.

    :raise Refused: the parent bureau's jurisdiction does not contain *region_code*.
    """
    if not parent_contains(parent, region_code):
        raise Refused(PARENT_BUREAU_MESSAGE)
    bureau = Bureau(
        name_zh=name_zh,
        name_en=name_en,
        short_name=short_name,
        region_code=region_code,
        parent=parent,
        meeting_lead_days=meeting_lead_days,
        meeting_lead_in_working_days=meeting_lead_in_working_days,
        meeting_attendance_cap=meeting_attendance_cap,
    )
    db.session.add(bureau)
    db.session.flush()
    audit.record("bureau.created", bureau, actor=actor, region_code=region_code)
    return bureau


def update_bureau(bureau: Bureau, *, name_zh, name_en, short_name, region_code, parent,
                  meeting_lead_days=None, meeting_lead_in_working_days=None,
                  meeting_attendance_cap=None, actor=None) -> dict:
    """Change a bureau's names, abbreviation, jurisdiction or parent; return what changed.

    :raise Refused: the parent bureau's jurisdiction does not contain *region_code*.
    """
    if not parent_contains(parent, region_code):
        raise Refused(PARENT_BUREAU_MESSAGE)
    changes = _apply(
        bureau,
        {"name_zh": name_zh, "name_en": name_en, "short_name": short_name,
         "region_code": region_code, "parent_id": parent.id if parent else None,
         # The meeting rules are left as they are when not given (e.g. by the CLI).
         **({"meeting_lead_days": meeting_lead_days,
             "meeting_lead_in_working_days": meeting_lead_in_working_days,
             "meeting_attendance_cap": meeting_attendance_cap}
            if meeting_lead_days is not None else {})},
    )
    if changes:
        db.session.flush()
        audit.record("bureau.updated", bureau, actor=actor, changes=changes)
    return changes


def set_bureau_active(bureau: Bureau, active: bool, *, actor=None) -> None:
    """Deactivate or reactivate a bureau; an inactive bureau gets no new accounts."""
    if bureau.is_active == active:
        return
    bureau.is_active = active
    db.session.flush()
    audit.record("bureau.reactivated" if active else "bureau.deactivated", bureau, actor=actor)


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


def update_enterprise(
    enterprise: Enterprise,
    *,
    name,
    name_en,
    credit_code,
    licence_no,
    licence_issued_on,
    address,
    region_code,
    status: EnterpriseStatus,
    approved_regions: Iterable[str],
    approved_on: date | None,
    actor=None,
) -> dict:
    """Change an enterprise's particulars and approved regions; return what changed.

    Regions kept keep their approval date; regions added get *approved_on*.

    :raise Refused: regions are added without an approval date.
    """
    wanted = set(approved_regions)
    current = {r.region_code for r in enterprise.approved_regions}
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if added and approved_on is None:
        raise Refused(APPROVED_ON_MESSAGE)
    changes = _apply(
        enterprise,
        {"name": name, "name_en": name_en, "credit_code": credit_code, "licence_no": licence_no,
         "licence_issued_on": licence_issued_on, "address": address,
         "region_code": region_code, "status": status},
    )
    if removed:
        enterprise.approved_regions = [
            r for r in enterprise.approved_regions if r.region_code not in removed
        ]
        changes["regions_removed"] = removed
    if added:
        enterprise.approved_regions.extend(
            EnterpriseRegion(region_code=code, approved_on=approved_on) for code in added
        )
        changes["regions_added"] = {code: approved_on for code in added}
    if changes:
        db.session.flush()
        audit.record("enterprise.updated", enterprise, actor=actor, changes=changes)
    return changes


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
    """Create an account; the password is hashed, never stored.

    :raise Refused: the role does not fit the organisation given.
    """
    _check_organisation(role, enterprise, bureau)
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


def update_user(user: User, *, display_name, email, role: Role, enterprise=None, bureau=None,
                actor=None) -> dict:
    """Change an account's name, e-mail, role or organisation; return what changed.

    :raise Refused: the role does not fit the organisation, or users change their own role.
    """
    actor = _acting(actor)
    _check_organisation(role, enterprise, bureau)
    if _is_self(user, actor) and role != user.role:
        raise Refused(OWN_ROLE_MESSAGE)
    changes = _apply(
        user,
        {"display_name": display_name, "email": email or None, "role": role,
         "enterprise_id": enterprise.id if enterprise else None,
         "bureau_id": bureau.id if bureau else None},
    )
    if changes:
        db.session.flush()
        db.session.expire(user, ["enterprise", "bureau"])
        audit.record("user.updated", user, actor=actor, changes=changes)
    return changes


def set_user_active(user: User, active: bool, *, actor=None) -> None:
    """Deactivate or reactivate an account; deactivation ends all of its sessions at once.

    :raise Refused: users deactivate their own account.
    """
    actor = _acting(actor)
    if user.is_active_account == active:
        return
    if not active and _is_self(user, actor):
        raise Refused(OWN_DEACTIVATION_MESSAGE)
    user.is_active_account = active
    if not active:
        # The session id carries the nonce: a new one makes every existing session invalid,
        # and keeps them invalid after a later reactivation.
        user.session_nonce = secrets.token_hex(8)
    db.session.flush()
    audit.record("user.reactivated" if active else "user.deactivated", user, actor=actor)
