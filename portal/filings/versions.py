"""Two versions of a filing side by side: which history snapshots, and their fields as rows.

Every transition stores a snapshot of the filing's fields (operations.snapshot). This module
picks two of them and lays them out field by field with translated names and values, for
the compare page of every kind. A kind registers a mask for a field that must not be shown
in full there (the trainer's ID number).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import format_date, format_datetime
from sqlalchemy import select

from ..extensions import db
from ..i18n import gettext as _
from ..i18n import localized
from ..labels import COMMON_FIELD_LABELS, FIELD_LABELS, VALUE_LABELS
from ..models import Document, FilingEvent, FilingKind, Region
from ..rules.workflow import Status

MASKS: dict[tuple[FilingKind, str], Callable[[str], str]] = {}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
EMPTY = "—"


def register_mask(kind: FilingKind, field: str, mask: Callable[[str], str]) -> None:
    """Show *field* of *kind* on the compare page only through *mask*."""
    MASKS[(kind, field)] = mask


@dataclass(frozen=True)
class Row:
    """One field of the two versions: its name, each side's value as lines, and a change."""

    field: str
    label: str
    before: list[str]
    after: list[str]
    changed: bool


class UnknownVersion(LookupError):
    """A requested event is not a version of this filing (or the id is malformed)."""


def versions_of(events) -> list[FilingEvent]:
    """The events of a filing that carry a snapshot, oldest first."""
    return sorted((e for e in events if e.snapshot), key=lambda e: e.id)


def previous_of(versions: list[FilingEvent], event: FilingEvent) -> FilingEvent | None:
    """The version just before *event*, or None for the first."""
    earlier = [v for v in versions if v.id < event.id]
    return earlier[-1] if earlier else None


def default_pair(versions: list[FilingEvent]):
    """The latest snapshot and the previous submitted version before it (older, newer).

    When the filing was submitted only once, the older side is the version just before the
    latest; with a single version it is None.
    """
    if not versions:
        return None, None
    newest = versions[-1]
    submitted = [v for v in versions[:-1]
                 if v.to_status == Status.SUBMITTED.value and v.revision < newest.revision]
    older = submitted[-1] if submitted else previous_of(versions, newest)
    return older, newest


def _find(versions, raw):
    if raw in (None, ""):
        return None
    if not (str(raw).isascii() and str(raw).isdigit() and len(str(raw)) < 19):
        raise UnknownVersion(raw)
    found = next((v for v in versions if v.id == int(raw)), None)
    if found is None:
        raise UnknownVersion(raw)
    return found


def chosen_pair(versions: list[FilingEvent], a=None, b=None):
    """The two versions to compare, oldest first, from the request's ``a`` and ``b``.

    :raise UnknownVersion: ``a`` or ``b`` names no snapshot of this filing.
    """
    older, newer = _find(versions, a), _find(versions, b)
    if older is None and newer is None:
        return default_pair(versions)
    if newer is None:
        newer = versions[-1]
    if older is None:
        older = previous_of(versions, newer)
    if older is not None and older.id > newer.id:
        older, newer = newer, older
    return older, newer


def field_labels(kind: FilingKind, *snapshots: dict) -> list[tuple[str, str]]:
    """(field, translated name) for every shown field of the snapshots, in display order."""
    own = FIELD_LABELS.get(kind, {})
    labels = {**{k: v for k, v in own.items() if v is not None}}
    for key, label in COMMON_FIELD_LABELS.items():
        if key not in own:
            labels[key] = label
    hidden = {k for k, v in own.items() if v is None}
    extra = sorted({k for s in snapshots for k in s} - set(labels) - hidden)
    return [(k, str(v)) for k, v in labels.items()] + [(k, k) for k in extra]


class _Names:
    """Region and document names the snapshots refer to, loaded in one query each."""

    def __init__(self, enterprise_id: int, snapshots):
        regions, documents = set(), set()
        for snapshot in snapshots:
            for key, value in snapshot.items():
                if key.endswith("region_code") and isinstance(value, str):
                    regions.add(value)
                elif key.endswith("document_id") and isinstance(value, int):
                    documents.add(value)
        self.regions = {r.code: r for r in db.session.scalars(
            select(Region).where(Region.code.in_(regions)))} if regions else {}
        self.documents = dict(db.session.execute(
            select(Document.id, Document.original_name).where(
                Document.id.in_(documents), Document.enterprise_id == enterprise_id)
        ).all()) if documents else {}


def _scalar(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and DATE_RE.match(value):
        return format_date(date.fromisoformat(value), "medium")
    if isinstance(value, str) and DATETIME_RE.match(value):
        moment = datetime.fromisoformat(value)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return format_datetime(moment, "medium")
    return str(value)


def _item(value) -> str:
    """One element of a list field (an agenda item, a trainer, a material)."""
    if isinstance(value, dict):
        parts = [_scalar(v) for k, v in value.items() if k != "id"]
        return " · ".join(p[:12] + "…" if len(p) == 64 and p.isalnum() else p for p in parts)
    return _scalar(value)


def display(kind: FilingKind, field: str, value, names: _Names) -> list[str]:
    """The value of *field* as translated lines for the compare page."""
    if value is None or value == "" or value == []:
        return [EMPTY]
    mask = MASKS.get((kind, field))
    if mask is not None:
        return [mask(str(value))]
    labels = VALUE_LABELS.get(kind, {}).get(field)
    if labels is not None and value in labels:
        return [str(labels[value])]
    if field.endswith("region_code") and value in names.regions:
        region = names.regions[value]
        parent = f"{localized(region.parent)} " if region.parent else ""
        return [f"{parent}{localized(region)} ({value})"]
    if field.endswith("document_id") and value in names.documents:
        return [names.documents[value]]
    if isinstance(value, list):
        return [_item(v) for v in value]
    if isinstance(value, dict):
        return [_item(value)]
    return [_scalar(value)]


def compare_rows(kind: FilingKind, enterprise_id: int, before: dict, after: dict) -> list[Row]:
    """Every shown field of two snapshots of one filing, marked where the value changed."""
    names = _Names(enterprise_id, (before, after))
    return [
        Row(field, label,
            display(kind, field, before.get(field), names),
            display(kind, field, after.get(field), names),
            before.get(field) != after.get(field))
        for field, label in field_labels(kind, before, after)
    ]
