"""The check-item list (抽查事项清单): the default items of DOMAIN.md, loaded from data.

:func:`load_check_items` adds the items of ``portal/data/check_items.csv`` that are missing
(by code); an item already there is left as administrators keep it. ``flask catalogues load``
and the demo seeding run it. Administrators maintain the list in the portal
(``admin.list_check_items``: add, edit, deactivate, reactivate; never delete, as plans and
results refer to items) with the operations below.
"""

import csv
from pathlib import Path

from sqlalchemy import Select, select

from .. import audit
from ..extensions import db
from ..legal import BASIS
from ..models import CheckItem

ITEMS_CSV = Path(__file__).resolve().parents[1] / "data" / "check_items.csv"


def load_check_items(path: Path | None = None) -> int:
    """Add the CSV's items whose code is not taken yet; returns how many were added.

    :raise ValueError: an item cites a legal basis the portal does not know.
    """
    with open(path or ITEMS_CSV, encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["code"].strip()]
    known = set(db.session.scalars(select(CheckItem.code)))
    added = 0
    for position, row in enumerate(rows, 1):
        if row["basis"] not in BASIS:
            raise ValueError(f"check item {row['code']}: unknown basis {row['basis']!r}")
        if row["code"] in known:
            continue
        db.session.add(CheckItem(
            code=row["code"], category_zh=row["category_zh"], category_en=row["category_en"],
            text_zh=row["text_zh"], text_en=row["text_en"], basis=row["basis"],
            position=position * 10, is_active=True,
        ))
        added += 1
    db.session.flush()
    return added


def catalogue(state: str = "") -> Select:
    """The items for the administrators' list, grouped by category then in position order;
    ``state`` "active" or "inactive" (anything else: both)."""
    stmt = select(CheckItem).order_by(CheckItem.category_zh, CheckItem.position, CheckItem.code)
    if state == "active":
        stmt = stmt.where(CheckItem.is_active.is_(True))
    elif state == "inactive":
        stmt = stmt.where(CheckItem.is_active.is_(False))
    return stmt


def create_item(*, actor=None, **values) -> CheckItem:
    """Add an active check item (code, categories, texts, basis, position)."""
    if values["basis"] not in BASIS:
        raise ValueError(f"unknown basis {values['basis']!r}")
    item = CheckItem(is_active=True, **values)
    db.session.add(item)
    db.session.flush()
    audit.record("check_item.created", item, actor=actor, **values)
    return item


def update_item(item: CheckItem, *, actor=None, **values) -> dict:
    """Change an item; returns ``{field: [old, new]}``. Plans and results keep pointing at it."""
    if values.get("basis", item.basis) not in BASIS:
        raise ValueError(f"unknown basis {values['basis']!r}")
    changes = {}
    for name, new in values.items():
        old = getattr(item, name)
        if old != new:
            changes[name] = [old, new]
            setattr(item, name, new)
    if changes:
        db.session.flush()
        audit.record("check_item.updated", item, actor=actor, code=item.code, changes=changes)
    return changes


def set_item_active(item: CheckItem, active: bool, *, actor=None) -> None:
    """Offer an item to new plans again, or stop offering it (never deleted: results and
    drawn plans refer to it)."""
    if item.is_active == active:
        return
    item.is_active = active
    db.session.flush()
    audit.record("check_item.reactivated" if active else "check_item.deactivated", item,
                 actor=actor, code=item.code)
