"""The claims checker (TRAIN Arts. 3, 8): banned phrases in a meeting's title, agenda, materials.

Pure: the caller passes the texts with where they come from and the phrase list (data that
regulators maintain, the ``claim_phrase`` table). Matching ignores case, full-width/half-width
differences and white space, because text extracted from a PDF often breaks a phrase across
lines or puts spaces between Chinese characters.
"""

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .problems import Problem, Severity

# category value -> legal basis key. Art. 8 lists the banned content; Art. 3 defines training,
# which gatherings that present products, pay or recruitment under another name still are.
CATEGORY_BASIS = {
    "false_product_claim": "TRAIN-8",
    "income_promise": "TRAIN-8",
    "disparaging": "TRAIN-8",
    "pressure_to_buy": "TRAIN-8",
    "disguised_training": "TRAIN-3",
}

_SPACE = re.compile(r"\s+")


class Place(enum.StrEnum):
    TITLE = "title"
    AGENDA = "agenda"
    MATERIAL = "material"


@dataclass(frozen=True)
class Source:
    """One text to scan: its place, and the agenda item number or the file name."""

    place: Place
    text: str
    ref: str | int | None = None


@dataclass(frozen=True)
class Hit:
    """A phrase found in a source."""

    phrase: str
    category: str
    place: Place
    ref: str | int | None = None


def normalise(text: str) -> str:
    """Compatibility-normalised, case-folded, without white space."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "").casefold())


def find_claims(sources: Iterable[Source], phrases: Iterable[tuple[str, str]]) -> list[Hit]:
    """Each (phrase, category) found in each source, once per source, in source order."""
    prepared = [(phrase, category, normalise(phrase)) for phrase, category in phrases]
    hits = []
    for source in sources:
        text = normalise(source.text)
        for phrase, category, needle in prepared:
            if needle and needle in text:
                hits.append(Hit(phrase, category, source.place, source.ref))
    return hits


def claim_problems(hits: Iterable[Hit], describe_place: Callable[[Hit], object]) -> list[Problem]:
    """One warning per hit, coded by category, with the phrase and a description of the place.

    *describe_place* turns a hit's place into the text shown ("agenda item 2"); it is passed
    in so the rule stays free of translations.
    """
    return [
        Problem(
            f"claim_{hit.category}",
            CATEGORY_BASIS.get(hit.category, "TRAIN-8"),
            hit.place.value,
            Severity.WARNING,
            params={"phrase": hit.phrase, "place": describe_place(hit)},
        )
        for hit in hits
    ]
