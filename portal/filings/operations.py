"""Create filings and move them through the workflow. Each function flushes; views commit.

Every transition writes a FilingEvent with a snapshot of the filing's fields and an audit
event. Concurrent changes are caught by the filing's version counter (optimistic locking).
"""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import inspect as sa_inspect

from .. import audit
from ..database import dialect_insert
from ..extensions import db
from ..models import NUMBER_PREFIXES, Filing, FilingEvent, FilingKind, FilingSequence, utcnow
from ..notifications import operations as notifications
from ..rules import workflow
from ..rules.problems import errors
from ..rules.workflow import Action, Side, Status

DETAIL_MODELS: dict = {}  # FilingKind -> detail model class, filled in by register_detail


class ConflictError(Exception):
    """The filing changed since the user loaded it (another user acted first)."""

    def __init__(self, filing: Filing):
        super().__init__(filing.number)
        self.filing = filing


class RuleViolation(Exception):
    """The filing breaks rules that block the action; ``problems`` lists them."""

    def __init__(self, problems):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


def is_stale(filing: Filing, expected_version) -> bool:
    """Whether the version a form carried differs from the filing's; garbage counts as stale."""
    text = str(expected_version)
    if not (text.isascii() and text.isdigit() and len(text) < 10):
        return True
    return int(text) != filing.version


def register_detail(kind: FilingKind, model) -> None:
    """Tell the workflow which table holds the fields of *kind* (for snapshots)."""
    DETAIL_MODELS[kind] = model


def next_number(kind: FilingKind, year: int) -> str:
    """The next filing number for *kind* in *year*, e.g. ``PX-2026-000123``; never reused."""
    stmt = dialect_insert(FilingSequence).values(kind=kind.value, year=year, last=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[FilingSequence.kind, FilingSequence.year],
        set_={"last": FilingSequence.last + 1},
    ).returning(FilingSequence.last)
    last = db.session.execute(stmt).scalar_one()
    return f"{NUMBER_PREFIXES[kind]}-{year}-{last:06d}"


def create(kind: FilingKind, enterprise, region_code: str, title: str, actor) -> Filing:
    """A new draft filing of *kind* for *enterprise*, numbered at once."""
    now = utcnow()
    filing = Filing(
        number=next_number(kind, now.year),
        kind=kind,
        enterprise=enterprise,
        region_code=region_code,
        title=title,
        status=Status.DRAFT,
        revision=0,
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(filing)
    db.session.flush()
    audit.record("filing.created", filing, actor=actor, number=filing.number, kind=kind.value)
    return filing


def _plain(value):
    """A JSON-safe form of a column value for snapshots."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(filing: Filing) -> dict:
    """The filing's own fields at this moment, for history and side-by-side comparison."""
    data = {"title": filing.title, "region_code": filing.region_code}
    model = DETAIL_MODELS.get(filing.kind)
    detail = db.session.get(model, filing.id) if model else None
    if detail is not None:
        for column in sa_inspect(model).columns:
            if column.key != "filing_id":
                data[column.key] = _plain(getattr(detail, column.key))
        if hasattr(detail, "snapshot_extra"):
            data.update(detail.snapshot_extra())
    return data


def apply(
    filing: Filing,
    action: Action,
    actor,
    side: Side,
    *,
    reasons=(),
    comment=None,
    expected_version=None,
    problems=(),
) -> FilingEvent:
    """Take *action* on *filing*: check the workflow, move the status, record history and audit.

    *problems* are the kind's rule findings for this action; any error blocks it.

    :raise workflow.TransitionError: the action is not allowed now or not by this side.
    :raise ConflictError: *expected_version* is not the filing's current version.
    :raise RuleViolation: *problems* contain errors.
    """
    if expected_version is not None and is_stale(filing, expected_version):
        raise ConflictError(filing)
    step = workflow.transition(filing.status, action, side, reasons)
    if errors(problems):
        raise RuleViolation(errors(problems))
    now = utcnow()
    previous = filing.status
    filing.status = step.target
    if step.target is Status.SUBMITTED:
        filing.revision += 1
        filing.submitted_at = now
        filing.decided_at = None
        filing.warning_count = sum(1 for p in problems if not p.is_error)
    elif side is Side.BUREAU:
        filing.decided_at = now
    event = FilingEvent(
        filing=filing,
        action=action.value,
        from_status=previous.value,
        to_status=step.target.value,
        revision=filing.revision,
        actor_id=actor.id,
        actor_name=actor.username,
        created_at=now,
        reasons=list(reasons),
        comment=comment or None,
        snapshot=snapshot(filing),
    )
    db.session.add(event)
    db.session.flush()
    audit.record(
        f"filing.{action.value}",
        filing,
        actor=actor,
        number=filing.number,
        from_status=previous.value,
        to_status=step.target.value,
        reasons=list(reasons),
    )
    notifications.filing_changed(filing, action, actor)
    return event


def discard_draft(filing: Filing, actor) -> None:
    """Delete a draft that was never submitted (its number is not reused)."""
    if filing.status is not Status.DRAFT or filing.revision:
        raise workflow.TransitionError("not_allowed", filing.status, Action.WITHDRAW)
    audit.record("filing.discarded", filing, actor=actor, number=filing.number)
    model = DETAIL_MODELS.get(filing.kind)
    detail = db.session.get(model, filing.id) if model else None
    if detail is not None:
        db.session.delete(detail)
    db.session.delete(filing)
    db.session.flush()
