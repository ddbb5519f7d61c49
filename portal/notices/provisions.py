"""The catalogue of legal provisions notices cite (违法条款及处罚依据), kept as data.

:func:`load_provisions` adds the provisions of ``portal/data/legal_provisions.csv`` that are
missing (by code); ``flask catalogues load`` and the demo seeding run it. Administrators
maintain the catalogue in the portal (``admin.list_provisions``: add, edit, deactivate,
reactivate; never delete). A notice copies what it cites when it is issued, so a change here
only reaches notices issued afterwards.
"""

import csv
from pathlib import Path

from sqlalchemy import Select, select

from .. import audit
from ..extensions import db
from ..models import LegalProvision

PROVISIONS_CSV = Path(__file__).resolve().parents[1] / "data" / "legal_provisions.csv"
FLAG = "flag:"  # a ``suggested_for`` entry naming a flag's category, e.g. ``flag:entry_fee``


class UnknownProvisionError(ValueError):
    """A code that is not an active provision of the catalogue."""


def load_provisions(path: Path | None = None) -> int:
    """Add the CSV's provisions whose code is not taken yet; returns how many were added."""
    with open(path or PROVISIONS_CSV, encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["code"].strip()]
    known = set(db.session.scalars(select(LegalProvision.code)))
    added = 0
    for position, row in enumerate(rows, 1):
        if row["code"] in known:
            continue
        db.session.add(LegalProvision(
            code=row["code"], article_zh=row["article_zh"], article_en=row["article_en"],
            penalty_zh=row["penalty_zh"], penalty_en=row["penalty_en"],
            suggested_for=row["suggested_for"].split(), position=position * 10, is_active=True,
        ))
        added += 1
    db.session.flush()
    return added


def catalogue(state: str = "") -> Select:
    """The provisions in position order; ``state`` "active" or "inactive" (else both)."""
    stmt = select(LegalProvision).order_by(LegalProvision.position, LegalProvision.code)
    if state == "active":
        stmt = stmt.where(LegalProvision.is_active.is_(True))
    elif state == "inactive":
        stmt = stmt.where(LegalProvision.is_active.is_(False))
    return stmt


def active() -> list[LegalProvision]:
    """The provisions a new notice may cite, in catalogue order."""
    return list(db.session.scalars(catalogue("active")))


def snapshots(codes) -> list[dict]:
    """What a notice keeps of the provisions *codes*, in catalogue order, without repeats.

    :raise UnknownProvisionError: a code is not an active provision.
    """
    wanted = set(codes)
    rows = [p for p in active() if p.code in wanted]
    missing = wanted - {p.code for p in rows}
    if missing:
        raise UnknownProvisionError(", ".join(sorted(missing)))
    return [p.snapshot() for p in rows]


def suggested(*, bases=(), flags=()) -> list[str]:
    """The active provisions pre-filled for these check-item legal bases and flag categories,
    in catalogue order (the regulator can change the choice)."""
    wanted = set(bases) | {FLAG + str(category) for category in flags}
    return [p.code for p in active() if wanted.intersection(p.suggested_for)]


def create_provision(*, actor=None, **values) -> LegalProvision:
    """Add an active provision (code, article and penalty in both languages, suggestions,
    position)."""
    provision = LegalProvision(is_active=True, **values)
    db.session.add(provision)
    db.session.flush()
    audit.record("provision.created", provision, actor=actor, **values)
    return provision


def update_provision(provision: LegalProvision, *, actor=None, **values) -> dict:
    """Change a provision for notices issued from now on; returns ``{field: [old, new]}``."""
    changes = {}
    for name, new in values.items():
        old = getattr(provision, name)
        if old != new:
            changes[name] = [old, new]
            setattr(provision, name, new)
    if changes:
        db.session.flush()
        audit.record("provision.updated", provision, actor=actor, code=provision.code,
                     changes=changes)
    return changes


def set_provision_active(provision: LegalProvision, is_active: bool, *, actor=None) -> None:
    """Offer a provision to new notices again, or stop offering it (issued notices keep it)."""
    if provision.is_active == is_active:
        return
    provision.is_active = is_active
    db.session.flush()
    audit.record("provision.reactivated" if is_active else "provision.deactivated", provision,
                 actor=actor, code=provision.code)
