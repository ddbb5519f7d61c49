"""Recording a spot check's results, completing and publishing it. Views commit.

Inspectors assigned to a check record a verdict per item (pass / fail / not applicable), a note
(required for a failure) and evidence files. Saving part of the results keeps the check
assigned; completing it needs every item answered and locks the results. A regulator then
publishes it (一公开) within 20 working days of completion.

Two inspectors saving at the same time: each form carries a fingerprint of the results it was
filled in on (:func:`state_token`); the save locks the check's row, recomputes the fingerprint and
refuses (:class:`ConflictError`) when someone else saved in between.
"""

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Check, CheckResult, CheckStatus, Document, Verdict, utcnow
from ..models.inspections import check_evidence

MAX_EVIDENCE_PER_ITEM = 10


class ResultError(Exception):
    """The results cannot be saved this way.

    ``code`` is ``locked`` (completed or published), ``invalid`` (see ``items``: item id ->
    list of codes ``note_required``, ``verdict_required``), ``incomplete`` (unanswered item ids
    in ``items``), ``not_completed`` or ``not_published_yet`` for publication.
    """

    def __init__(self, code: str, items: dict | None = None):
        super().__init__(code)
        self.code = code
        self.items = items or {}


class ConflictError(Exception):
    """Someone else saved the results after the form was opened."""


@dataclass
class Entry:
    """What the form says about one item."""

    verdict: Verdict | None = None
    note: str = ""
    evidence: list[Document] = field(default_factory=list)


def lock(check: Check) -> Check:
    """Lock the check's row for this transaction (PostgreSQL; SQLite serialises writers) and
    read it afresh, so a concurrent save that committed first is seen."""
    return db.session.scalars(
        select(Check).where(Check.id == check.id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def results_of(check: Check) -> dict[int, CheckResult]:
    """The check's recorded results by item id, read from the database."""
    rows = db.session.scalars(
        select(CheckResult).where(CheckResult.check_id == check.id)
        .execution_options(populate_existing=True)
    )
    return {r.item_id: r for r in rows}


def evidence_of(check: Check) -> dict[int, list[int]]:
    """Document ids of the evidence per item id."""
    out: dict[int, list[int]] = {}
    for item_id, document_id in db.session.execute(
        select(check_evidence.c.item_id, check_evidence.c.document_id)
        .where(check_evidence.c.check_id == check.id)
        .order_by(check_evidence.c.item_id, check_evidence.c.document_id)
    ):
        out.setdefault(item_id, []).append(document_id)
    return out


def state_token(check: Check) -> str:
    """A fingerprint of the check's status and results (verdicts, notes, evidence, who, when)."""
    evidence = evidence_of(check)
    parts = [str(check.status)]
    for item_id, r in sorted(results_of(check).items()):
        parts.append("|".join([str(item_id), str(r.verdict), r.note or "", str(r.recorded_by_id),
                               r.recorded_at.isoformat() if r.recorded_at else "",
                               ",".join(map(str, evidence.get(item_id, [])))]))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def entry_problems(items, entries: dict[int, Entry], complete: bool) -> dict[int, list[str]]:
    """Per item id the codes of what is missing; empty when the entries may be saved."""
    problems: dict[int, list[str]] = {}
    for item in items:
        entry = entries.get(item.id) or Entry()
        codes = []
        if entry.verdict is None:
            if entry.note.strip() or entry.evidence:
                codes.append("verdict_required")
            elif complete:
                codes.append("unanswered")
        elif entry.verdict is Verdict.FAIL and not entry.note.strip():
            codes.append("note_required")
        if codes:
            problems[item.id] = codes
    return problems


def record(check: Check, entries: dict[int, Entry], actor, token: str,
           complete: bool = False) -> Check:
    """Save the entries of the plan's items (an item without a verdict is left unanswered);
    with *complete*, also complete the check (every item answered) and lock its results.

    :raise ConflictError: *token* is not the fingerprint of the results as they are now.
    :raise ResultError: ``locked`` (already completed or published) or ``invalid`` (a failure
        without a note, a note or evidence without a verdict, or unanswered items on
        completion; per item in ``items``).
    """
    check = lock(check)
    if check.status is not CheckStatus.ASSIGNED:
        raise ResultError("locked")
    if token != state_token(check):
        raise ConflictError()
    items = check.plan.items
    problems = entry_problems(items, entries, complete)
    if problems:
        raise ResultError("invalid", problems)
    existing = results_of(check)
    evidence = evidence_of(check)
    now = utcnow()
    actor_id = actor.id
    for item in items:
        entry = entries.get(item.id) or Entry()
        result = existing.get(item.id)
        note = entry.note.strip() or None
        doc_ids = sorted({d.id for d in entry.evidence})
        if entry.verdict is None:
            if result is not None:
                db.session.delete(result)
                db.session.flush()
                audit.record("check.result_cleared", check, actor=actor, item=item.code)
            continue
        if (result is not None and result.verdict is entry.verdict and result.note == note
                and evidence.get(item.id, []) == doc_ids):
            continue
        values = {"verdict": entry.verdict, "note": note, "recorded_by_id": actor_id,
                  "recorded_at": now}
        if result is None:
            db.session.add(CheckResult(check_id=check.id, item_id=item.id, **values))
        else:
            for name, value in values.items():
                setattr(result, name, value)
        db.session.flush()
        db.session.execute(check_evidence.delete().where(
            check_evidence.c.check_id == check.id, check_evidence.c.item_id == item.id))
        if doc_ids:
            db.session.execute(check_evidence.insert(), [
                {"check_id": check.id, "item_id": item.id, "document_id": d} for d in doc_ids])
        audit.record("check.result_recorded", check, actor=actor, item=item.code,
                     verdict=str(entry.verdict), note=note, evidence=doc_ids)
    if complete:
        check.status = CheckStatus.COMPLETED
        check.completed_at = now
        audit.record("check.completed", check, actor=actor, number=check.number)
    db.session.flush()
    db.session.expire(check)
    return check


def publish(check: Check, actor, token: str | None = None) -> Check:
    """Publish a completed check's results (一公开).

    :raise ResultError: ``not_completed`` (still being recorded) or ``locked`` (published).
    :raise ConflictError: *token* given and no longer the check's fingerprint.
    """
    check = lock(check)
    if check.status is CheckStatus.PUBLISHED:
        raise ResultError("locked")
    if check.status is not CheckStatus.COMPLETED:
        raise ResultError("not_completed")
    if token is not None and token != state_token(check):
        raise ConflictError()
    check.status = CheckStatus.PUBLISHED
    check.published_at = utcnow()
    db.session.flush()
    audit.record("check.published", check, actor=actor, number=check.number)
    return check
