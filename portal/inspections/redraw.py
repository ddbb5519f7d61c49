"""Re-draw of one assignment: replace one inspector on an open check, verifiably. Views commit.

A confirmed draw cannot be changed; when an inspector falls ill or a conflict comes to light,
a regulator replaces that one inspector with the reason. The replacement is drawn by
``rules.sampling.redraw`` from the plan's seed, the check's key and the re-draw's number on
the check, among the bureau's current active inspectors who are not recused for the
enterprise (active recusals), not on the check already and not replaced on it earlier, least
loaded first. The
candidates and their loads are frozen into the :class:`Reassignment`, so
:func:`verify_redraws` recomputes every replacement. ``check.drawn_inspectors`` keeps the
original draw, which ``operations.verify`` checks.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import audit
from ..extensions import db
from ..models import Check, CheckPlan, CheckStatus, Reassignment, User
from ..rules import sampling
from . import operations
from .roster_lists import open_loads


class RedrawError(Exception):
    """The re-draw cannot be made; ``code`` says why (the view translates), ``params`` fill."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def candidates(check: Check) -> dict[int, int]:
    """Eligible replacements for an inspector of *check*, with their current loads: the
    bureau's active inspectors not recused for the enterprise, not on the check and not
    replaced on it before (someone taken off for illness is not drawn back)."""
    roster = operations.inspector_roster(check.plan.bureau_id)
    recused = {i for i, enterprise in operations.recusal_pairs(roster)
               if enterprise == check.enterprise_id}
    on_check = {u.id for u in check.inspectors}
    replaced = set(db.session.scalars(select(Reassignment.old_inspector_id)
                                      .where(Reassignment.check_id == check.id)))
    return open_loads([i for i in roster
                       if i not in recused and i not in on_check and i not in replaced])


def redraw(check: Check, old_inspector_id: int, reason: str, actor: User) -> Reassignment:
    """Replace *old_inspector_id* on *check* by a re-drawn inspector; record and audit it.

    The check row is locked first, so two re-draws of one check are made one after the other
    (and the unique re-draw number refuses a second one made on stale data).

    :raise RedrawError: ``reason_required``, ``not_assigned`` (the check is completed or
        published), ``not_on_check``, ``no_eligible_replacement``.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RedrawError("reason_required")
    db.session.execute(select(Check.id).where(Check.id == check.id).with_for_update())
    if check.status is not CheckStatus.ASSIGNED:
        raise RedrawError("not_assigned", number=check.number)
    old = next((u for u in check.inspectors if u.id == old_inspector_id), None)
    if old is None:
        raise RedrawError("not_on_check", number=check.number)
    pool = candidates(check)
    number = 1 + db.session.scalar(
        select(func.count()).select_from(Reassignment).where(Reassignment.check_id == check.id))
    try:
        new_id = sampling.redraw(check.plan.seed, check.target_key, number, pool)
    except sampling.DrawError:
        raise RedrawError("no_eligible_replacement", number=check.number) from None
    new = db.session.get(User, new_id)
    check.inspectors = [u for u in check.inspectors if u.id != old.id] + [new]
    row = Reassignment(check_id=check.id, number=number, old_inspector_id=old.id,
                       new_inspector_id=new.id, candidates=sorted([i, n] for i, n in pool.items()),
                       reason=reason, by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("check.redrawn", check, actor=actor, number=check.number, redraw=number,
                 old_inspector=old.username, new_inspector=new.username, reason=reason,
                 candidates=row.candidates)
    return row


def for_plan(plan: CheckPlan) -> list[Reassignment]:
    """The plan's re-draws in the order they were made, people and checks loaded."""
    return list(db.session.scalars(
        select(Reassignment).join(Check, Check.id == Reassignment.check_id)
        .where(Check.plan_id == plan.id)
        .options(selectinload(Reassignment.check), selectinload(Reassignment.old_inspector),
                 selectinload(Reassignment.new_inspector), selectinload(Reassignment.by))
        .order_by(Reassignment.at, Reassignment.id)
    ))


@dataclass(frozen=True)
class RedrawCheck:
    reassignment: Reassignment
    expected: int | None  # the inspector the rule gives from the frozen candidates

    @property
    def ok(self) -> bool:
        return self.expected == self.reassignment.new_inspector_id


def verify_redraws(plan: CheckPlan, rows: list[Reassignment] | None = None) -> list[RedrawCheck]:
    """Recompute each re-draw of *plan* from the revealed seed and its frozen candidates."""
    results = []
    for row in rows if rows is not None else for_plan(plan):
        try:
            expected = sampling.redraw(plan.seed, row.check.target_key, row.number,
                                       {i: n for i, n in row.candidates})
        except sampling.DrawError:
            expected = None
        results.append(RedrawCheck(row, expected))
    return results
