"""The check-item list (抽查事项清单): the default items of DOMAIN.md, loaded from data.

:func:`load_check_items` adds the items of ``portal/data/check_items.csv`` that are missing
(by code); an item already there is left as administrators keep it. ``flask catalogues load``
and the demo seeding run it.
"""

import csv
from pathlib import Path

from sqlalchemy import select

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
