"""The reasons catalogue regulators choose from when returning or rejecting a filing.

:func:`load_review_reasons` upserts the default list from ``portal/data/review_reasons.csv``
(``flask catalogues load`` and the demo seeding run it).
"""

import csv
from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..models import FilingKind, ReviewReason

REASONS_CSV = Path(__file__).resolve().parents[1] / "data" / "review_reasons.csv"


def load_review_reasons(path: Path | None = None) -> tuple[int, int]:
    """Upsert the reasons of the CSV (``text_zh``, ``text_en``, ``kinds``); idempotent.

    ``kinds`` is a space-separated list of filing kinds, empty for every kind. A known reason
    (same Chinese text) gets the CSV's English text and kinds but keeps its ``is_active`` flag,
    so a reason a regulator switched off stays off. Returns (added, changed).
    """
    with open(path or REASONS_CSV, encoding="utf-8", newline="") as f:
        rows = [
            (row["text_zh"].strip(), row["text_en"].strip(),
             sorted(FilingKind(k).value for k in (row["kinds"] or "").split()))
            for row in csv.DictReader(f) if row["text_zh"].strip()
        ]
    existing = {r.text_zh: r for r in db.session.scalars(select(ReviewReason))}
    added = changed = 0
    for text_zh, text_en, kinds in rows:
        known = existing.get(text_zh)
        if known is None:
            known = ReviewReason(text_zh=text_zh, text_en=text_en, kinds=kinds, is_active=True)
            db.session.add(known)
            existing[text_zh] = known
            added += 1
        elif known.text_en != text_en or sorted(known.kinds or []) != kinds:
            known.text_en = text_en
            known.kinds = kinds
            changed += 1
    db.session.flush()
    return added, changed


def reasons_for(kind: FilingKind) -> list[ReviewReason]:
    """The active reasons that apply to a filing of *kind*, in catalogue order."""
    rows = db.session.scalars(
        select(ReviewReason).where(ReviewReason.is_active.is_(True)).order_by(ReviewReason.id)
    )
    return [r for r in rows if r.applies_to(kind)]

