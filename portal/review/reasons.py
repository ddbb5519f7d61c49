"""The reasons catalogue regulators choose from when returning or rejecting a filing.

Administrators maintain it (``admin.list_reasons``): add, edit, deactivate and reactivate.
Reasons are never deleted: a decision's history stores the Chinese text, and deactivating a
reason only stops it being offered. :func:`load_review_reasons` adds the default list from
``portal/data/review_reasons.csv`` (``flask catalogues load``, ``make run`` and the demo
seeding run it) and never changes a reason that exists.
"""

import csv
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Select, String, cast, or_, select

from .. import audit
from ..extensions import db
from ..i18n import clause_separator, current_language
from ..kept import per_catalogue
from ..models import FilingKind, ReviewReason

REASONS_CSV = Path(__file__).resolve().parents[1] / "data" / "review_reasons.csv"


def load_review_reasons(path: Path | None = None) -> int:
    """Add the reasons of the CSV (``text_zh``, ``text_en``, ``kinds``) that are missing.

    ``kinds`` is a space-separated list of filing kinds, empty for every kind. A default is
    known by the text it was first loaded under (``default_text_zh``) or by its current
    Chinese text; a known one is left exactly as administrators made it (edited, deactivated).
    Idempotent. Returns the number of reasons added.
    """
    with open(path or REASONS_CSV, encoding="utf-8", newline="") as f:
        rows = [
            (row["text_zh"].strip(), row["text_en"].strip(),
             sorted(FilingKind(k).value for k in (row["kinds"] or "").split()))
            for row in csv.DictReader(f) if row["text_zh"].strip()
        ]
    existing = list(db.session.scalars(select(ReviewReason)))
    by_default = {r.default_text_zh: r for r in existing if r.default_text_zh}
    by_text = {r.text_zh: r for r in existing}
    added = 0
    for text_zh, text_en, kinds in rows:
        if text_zh in by_default:
            continue
        known = by_text.get(text_zh)
        if known is not None:
            if known.default_text_zh is None:
                known.default_text_zh = text_zh  # an administrator's reason is now a default
            by_default[text_zh] = known
            continue
        reason = ReviewReason(text_zh=text_zh, text_en=text_en, kinds=kinds, is_active=True,
                              default_text_zh=text_zh)
        db.session.add(reason)
        by_default[text_zh] = by_text[text_zh] = reason
        added += 1
    db.session.flush()
    return added


# Read on every filing page a regulator may decide: built once, so SQLAlchemy works out its
# cache key once.
ACTIVE_REASONS = (select(ReviewReason).where(ReviewReason.is_active.is_(True))
                  .order_by(ReviewReason.id))


def reasons_for(kind: FilingKind) -> list[ReviewReason]:
    """The active reasons that apply to a filing of *kind*, in catalogue order."""
    return [r for r in db.session.scalars(ACTIVE_REASONS) if r.applies_to(kind)]


def catalogue(kind: str = "", state: str = "") -> Select:
    """The reasons for the administrators' list: all, or those offered for *kind*, and
    ``state`` "active" or "inactive" (anything else: both), in catalogue order."""
    stmt = select(ReviewReason).order_by(ReviewReason.id)
    if kind in {k.value for k in FilingKind}:
        # ``kinds`` is a JSON list, stored as text on both databases: ["meeting", "outlet"].
        kinds = cast(ReviewReason.kinds, String)
        stmt = stmt.where(or_(kinds == "[]", kinds.like(f'%"{kind}"%')))
    if state == "active":
        stmt = stmt.where(ReviewReason.is_active.is_(True))
    elif state == "inactive":
        stmt = stmt.where(ReviewReason.is_active.is_(False))
    return stmt


def _values(reason: ReviewReason, values: dict) -> dict:
    """Set *values* on *reason*; return ``{field: [old, new]}`` for those that changed."""
    changes = {}
    for name, new in values.items():
        old = getattr(reason, name)
        if name == "kinds":
            old, new = sorted(old or []), sorted(new)
        if old != new:
            changes[name] = [old, new]
            setattr(reason, name, new)
    return changes


def create_reason(*, text_zh: str, text_en: str, kinds, actor=None) -> ReviewReason:
    """Add an active reason; *kinds* (filing kind values) empty for every kind."""
    reason = ReviewReason(text_zh=text_zh, text_en=text_en, kinds=sorted(kinds), is_active=True)
    db.session.add(reason)
    db.session.flush()
    audit.record("review_reason.created", reason, actor=actor, text_zh=text_zh,
                 kinds=reason.kinds)
    return reason


def update_reason(reason: ReviewReason, *, text_zh: str, text_en: str, kinds,
                  actor=None) -> dict:
    """Change a reason's texts or kinds. Decisions already taken keep the text they stored."""
    changes = _values(reason, {"text_zh": text_zh, "text_en": text_en, "kinds": list(kinds)})
    if changes:
        db.session.flush()
        audit.record("review_reason.updated", reason, actor=actor, changes=changes)
    return changes


def set_reason_active(reason: ReviewReason, active: bool, *, actor=None) -> None:
    """Offer a reason again, or stop offering it on the decision form."""
    if reason.is_active == active:
        return
    reason.is_active = active
    db.session.flush()
    audit.record("review_reason.reactivated" if active else "review_reason.deactivated",
                 reason, actor=actor)


class OfferedReason(NamedTuple):
    """What a filing page shows of a reason it offers."""

    id: int
    text_zh: str
    text_en: str


def offered_reasons(kind: FilingKind) -> tuple[OfferedReason, ...]:
    """The reasons a filing page of *kind* offers, as :func:`reasons_for` finds them, kept by
    the process while the catalogue is unchanged (portal.kept.per_catalogue). A decision
    still checks the reasons given against the catalogue as it is (:func:`reasons_for`)."""
    return per_catalogue("review_reasons", kind, lambda: tuple(
        OfferedReason(r.id, r.text_zh, r.text_en) for r in reasons_for(kind)))


def _english_texts() -> dict[str, str]:
    """Every reason's English text by its Chinese text (unique), kept while the catalogue is
    unchanged."""
    return per_catalogue("review_reason_english", None, lambda: dict(
        db.session.execute(select(ReviewReason.text_zh, ReviewReason.text_en)).all()))


def decision_reasons(reasons) -> str:
    """A decision's reasons as its reader reads them, joined. The history stores the Chinese
    texts, which are the record and what Chinese pages show; English pages show each reason's
    English text from the catalogue while the catalogue still has its Chinese text (a reason
    reworded since is shown as stored)."""
    if current_language() != "en":
        return clause_separator().join(reasons)
    english = _english_texts()
    return clause_separator().join(english.get(text) or text for text in reasons)
