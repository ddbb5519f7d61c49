"""The claims checker applied to a meeting: the phrase catalogue, text from PDF materials, warnings.

The phrase list is data (``claim_phrase``): :func:`load_claim_phrases` upserts the default list
from ``portal/data/claim_phrases.csv`` (``flask catalogues load``); regulators and administrators
add, deactivate and reactivate phrases in the portal (``review.list_claim_phrases``) through
:func:`add_phrase` and :func:`set_phrase_active`. Phrases are never deleted.
"""

import csv
import io
import logging
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import Select, select

from .. import audit
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..kept import per_catalogue
from ..models import ClaimCategory, ClaimPhrase
from ..rules.claims import Place, Source, claim_problems, find_claims, normalise
from ..rules.problems import Problem, Severity
from ..storage import get_store

PHRASES_CSV = Path(__file__).resolve().parents[1] / "data" / "claim_phrases.csv"
# Enough for any handout; a huge or hostile PDF is not read further.
MAX_PAGES = 200
MAX_CHARS = 500_000

log = logging.getLogger(__name__)


def load_claim_phrases(path: Path | None = None) -> tuple[int, int]:
    """Upsert the phrases of the CSV (columns ``phrase``, ``category``); idempotent.

    New phrases are added as active; a known phrase gets the CSV's category, and keeps its
    ``is_active`` flag so a phrase a regulator switched off stays off. Phrases that are not in
    the CSV (added by regulators) are left alone. Returns (added, changed).
    """
    with open(path or PHRASES_CSV, encoding="utf-8", newline="") as f:
        rows = [(row["phrase"].strip(), ClaimCategory(row["category"].strip()))
                for row in csv.DictReader(f) if row["phrase"].strip()]
    existing = {p.phrase: p for p in db.session.scalars(select(ClaimPhrase))}
    added = changed = 0
    for phrase, category in rows:
        known = existing.get(phrase)
        if known is None:
            known = ClaimPhrase(phrase=phrase, category=category, is_active=True)
            db.session.add(known)
            existing[phrase] = known
            added += 1
        elif known.category is not category:
            known.category = category
            changed += 1
    db.session.flush()
    return added, changed


class DuplicatePhrase(Exception):
    """The catalogue already holds the phrase (as the checker compares them); ``existing``."""

    def __init__(self, existing: ClaimPhrase):
        super().__init__(existing.phrase)
        self.existing = existing


def same_phrase(phrase: str) -> ClaimPhrase | None:
    """The catalogue's phrase the checker cannot tell from *phrase* (case, width and white
    space ignored, as :func:`rules.claims.normalise` does), or None."""
    wanted = normalise(phrase)
    for row in db.session.scalars(select(ClaimPhrase).order_by(ClaimPhrase.id)):
        if normalise(row.phrase) == wanted:
            return row
    return None


def add_phrase(phrase: str, category: ClaimCategory, *, actor=None) -> ClaimPhrase:
    """Add an active phrase to the checker's list.

    :raise DuplicatePhrase: the list holds it already (active or not).
    """
    phrase = phrase.strip()
    existing = same_phrase(phrase)
    if existing is not None:
        raise DuplicatePhrase(existing)
    row = ClaimPhrase(phrase=phrase, category=category, is_active=True)
    db.session.add(row)
    db.session.flush()
    audit.record("claim_phrase.created", row, actor=actor, phrase=phrase,
                 category=category.value)
    return row


def set_phrase_active(row: ClaimPhrase, active: bool, *, actor=None) -> None:
    """Let the checker look for a phrase again, or stop it looking."""
    if row.is_active == active:
        return
    row.is_active = active
    db.session.flush()
    audit.record("claim_phrase.reactivated" if active else "claim_phrase.deactivated", row,
                 actor=actor, phrase=row.phrase)


def phrase_catalogue(category: str = "", state: str = "", query: str = "") -> Select:
    """The phrases for the maintenance list, filtered by category, state and text."""
    stmt = select(ClaimPhrase).order_by(ClaimPhrase.category, ClaimPhrase.id)
    if category in {c.value for c in ClaimCategory}:
        stmt = stmt.where(ClaimPhrase.category == ClaimCategory(category))
    if state == "active":
        stmt = stmt.where(ClaimPhrase.is_active.is_(True))
    elif state == "inactive":
        stmt = stmt.where(ClaimPhrase.is_active.is_(False))
    if query:
        stmt = stmt.where(ClaimPhrase.phrase.contains(query, autoescape=True))
    return stmt


# Read on every meeting page: built once, so SQLAlchemy works out its cache key once.
ACTIVE_PHRASES = (select(ClaimPhrase.phrase, ClaimPhrase.category)
                  .where(ClaimPhrase.is_active.is_(True)).order_by(ClaimPhrase.id))


def active_phrases() -> tuple[tuple[str, str], ...]:
    """(phrase, category value) of every active phrase (kept by the process while the
    catalogue is unchanged: portal.kept.per_catalogue)."""
    return per_catalogue("claim_phrases", None, lambda: tuple(
        (phrase, category.value) for phrase, category in db.session.execute(ACTIVE_PHRASES)))


def extract_pdf_text(data: bytes) -> str | None:
    """The text of a PDF's pages, or None when it cannot be read (broken, encrypted …)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        parts, size = [], 0
        for page in reader.pages[:MAX_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > MAX_CHARS:
                break
        return "\n".join(parts)[:MAX_CHARS]
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        log.info("cannot read PDF text: %s", error)
        return None


@lru_cache(maxsize=256)
def _text_by_hash(sha256: str) -> str | None:
    # Content-addressed: the same hash always has the same text, whatever the store.
    with get_store().open(sha256) as f:
        return extract_pdf_text(f.read())


def material_text(document) -> str | None:
    """The extractable text of a PDF material (cached by content hash); None if none."""
    if document.media_type != "application/pdf":
        return None
    try:
        return _text_by_hash(document.sha256)
    except OSError:
        return None


PLACE_LABELS = {
    Place.TITLE: lambda hit: _l("title"),
    Place.AGENDA: lambda hit: _l("agenda item %(n)s", n=hit.ref),
    Place.MATERIAL: lambda hit: _l("material %(name)s", name=hit.ref),
}


def describe_place(hit) -> object:
    """Where a hit was found, translated when the message is shown."""
    return PLACE_LABELS[hit.place](hit)


def meeting_claim_problems(meeting) -> list[Problem]:
    """Warnings for banned phrases in the title, agenda topics and PDF materials of *meeting*.

    A material without extractable text gets a warning of its own, so nobody mistakes an
    unchecked file for a clean one.
    """
    sources = [Source(Place.TITLE, meeting.title or "")]
    sources += [Source(Place.AGENDA, s.topic, n) for n, s in enumerate(meeting.sessions, 1)]
    unreadable = []
    for document in meeting.materials:
        text = material_text(document)
        if text and text.strip():
            sources.append(Source(Place.MATERIAL, text, document.original_name))
        else:
            unreadable.append(Problem("material_unreadable", None, "materials", Severity.WARNING,
                                      params={"name": document.original_name}))
    hits = find_claims(sources, active_phrases())
    return claim_problems(hits, describe_place) + unreadable
