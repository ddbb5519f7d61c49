"""Spot-check plans: create one with a committed seed, draw it, verify a draw. Views commit.

The draw freezes what it drew from into the plan (target roster, inspector roster, recusals),
so :func:`verify` recomputes it from the plan alone, whatever happened to the rosters since.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import exists, or_, select

from .. import audit
from ..extensions import db
from ..models import (
    Check,
    CheckItem,
    CheckPlan,
    Enterprise,
    EnterpriseRegion,
    EnterpriseStatus,
    Filing,
    FilingKind,
    PlanStatus,
    Recusal,
    Role,
    TargetKind,
    User,
    utcnow,
)
from ..rules import sampling
from ..rules.regions import ancestors, prefix_of
from ..rules.workflow import Status


class PlanError(Exception):
    """The plan cannot be changed this way; ``code`` says why (the view translates it)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class PlanFields:
    name: str
    target_kind: TargetKind
    region_code: str
    sample_count: int | None
    sample_ratio: Decimal | None
    per_target: int
    window_start: date
    window_end: date
    item_ids: list[int]


def target_roster(kind: TargetKind, region_code: str) -> list[sampling.Target]:
    """The targets in the area of *region_code*: licensed enterprises selling or seated there,
    or approved open outlets there; ordered by key (the draw does not depend on the order)."""
    prefix = prefix_of(region_code)
    if kind is TargetKind.ENTERPRISE:
        approved_here = exists().where(
            EnterpriseRegion.enterprise_id == Enterprise.id,
            or_(EnterpriseRegion.region_code.like(prefix + "%"),
                EnterpriseRegion.region_code.in_(ancestors(prefix))),
        )
        ids = db.session.scalars(
            select(Enterprise.id).where(
                Enterprise.status == EnterpriseStatus.ACTIVE,
                or_(Enterprise.region_code.like(prefix + "%"), approved_here),
            ).order_by(Enterprise.id)
        )
        return [sampling.Target(f"enterprise:{i}", i) for i in ids]
    rows = db.session.execute(
        select(Filing.id, Filing.enterprise_id).where(
            Filing.kind == FilingKind.OUTLET, Filing.status == Status.APPROVED,
            Filing.region_code.like(prefix + "%"),
        ).order_by(Filing.id)
    )
    return [sampling.Target(f"outlet:{fid}", eid) for fid, eid in rows]


def inspector_roster(bureau_id: int) -> list[int]:
    """The bureau's active inspectors, by id."""
    return list(db.session.scalars(
        select(User.id).where(User.bureau_id == bureau_id, User.role == Role.INSPECTOR,
                              User.is_active_account.is_(True)).order_by(User.id)
    ))


def recusal_pairs(inspector_ids) -> list[list[int]]:
    """Declared recusals of these inspectors as sorted [inspector, enterprise] pairs."""
    if not inspector_ids:
        return []
    return [list(pair) for pair in db.session.execute(
        select(Recusal.inspector_id, Recusal.enterprise_id)
        .where(Recusal.inspector_id.in_(inspector_ids))
        .order_by(Recusal.inspector_id, Recusal.enterprise_id)
    )]


def _items(item_ids) -> list[CheckItem]:
    items = list(db.session.scalars(
        select(CheckItem).where(CheckItem.id.in_(item_ids), CheckItem.is_active.is_(True))
        .order_by(CheckItem.position)
    ))
    if not items or len(items) != len(set(item_ids)):
        raise PlanError("items_required")
    return items


def _check_fields(fields: PlanFields, bureau) -> None:
    if not fields.region_code.startswith(bureau.jurisdiction_prefix):
        raise PlanError("region_outside")
    if fields.window_end < fields.window_start:
        raise PlanError("window_reversed")
    if fields.per_target < sampling.MIN_INSPECTORS_PER_TARGET:
        raise PlanError("too_few_per_target", minimum=sampling.MIN_INSPECTORS_PER_TARGET)
    if (fields.sample_count is None) == (fields.sample_ratio is None):
        raise PlanError("sample_unclear")


def create_plan(bureau, fields: PlanFields, actor) -> CheckPlan:
    """A draft plan with a fresh secret seed, whose SHA-256 is shown from now on.

    :raise PlanError: region outside the jurisdiction, window reversed, fewer than two
        inspectors per target, sample neither or both count and ratio, no valid items.
    """
    _check_fields(fields, bureau)
    seed = sampling.new_seed()
    plan = CheckPlan(
        bureau_id=bureau.id, name=fields.name, target_kind=fields.target_kind,
        region_code=fields.region_code, sample_count=fields.sample_count,
        sample_ratio=fields.sample_ratio, per_target=fields.per_target,
        window_start=fields.window_start, window_end=fields.window_end,
        status=PlanStatus.DRAFT, algorithm=sampling.ALGORITHM, seed=seed,
        seed_hash=sampling.commitment(seed), created_by_id=actor.id,
        items=_items(fields.item_ids),
    )
    db.session.add(plan)
    db.session.flush()
    audit.record("plan.created", plan, actor=actor, name=plan.name, seed_hash=plan.seed_hash)
    return plan


def draw_plan(plan: CheckPlan, actor) -> list[Check]:
    """Draw the plan now (final): freeze the rosters, create the checks, reveal the seed.

    :raise PlanError: the plan is not a draft (``not_draft``), or the draw is impossible
        (``draw`` with the sampling error's code and params).
    """
    if plan.status is not PlanStatus.DRAFT:
        raise PlanError("not_draft")
    targets = target_roster(plan.target_kind, plan.region_code)
    inspectors = inspector_roster(plan.bureau_id)
    recusals = recusal_pairs(inspectors)
    try:
        size = sampling.sample_size(
            len(targets), count=plan.sample_count,
            ratio=float(plan.sample_ratio) if plan.sample_ratio is not None else None,
        )
        result = sampling.draw(plan.seed, targets, inspectors, size=size,
                               per_target=plan.per_target,
                               recusals={tuple(p) for p in recusals})
    except sampling.DrawError as error:
        raise PlanError("draw", reason=error.code, **error.params) from None
    plan.target_roster = [[t.key, t.enterprise_id] for t in targets]
    plan.inspector_roster = inspectors
    plan.recusals = recusals
    plan.status = PlanStatus.DRAWN
    plan.drawn_at = utcnow()
    plan.drawn_by_id = actor.id
    enterprise_of = {t.key: t.enterprise_id for t in targets}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(inspectors)))}
    checks = []
    for position, (key, chosen) in enumerate(result.assignments, 1):
        kind, _, ident = key.partition(":")
        check = Check(
            plan=plan, position=position, target_key=key, enterprise_id=enterprise_of[key],
            outlet_filing_id=int(ident) if kind == TargetKind.OUTLET.value else None,
            drawn_inspectors=list(chosen), inspectors=[users[i] for i in chosen],
        )
        db.session.add(check)
        checks.append(check)
    db.session.flush()
    audit.record("plan.drawn", plan, actor=actor, seed=plan.seed, seed_hash=plan.seed_hash,
                 targets=len(targets), inspectors=len(inspectors), checks=len(checks))
    return checks


@dataclass(frozen=True)
class Verification:
    seed_matches: bool  # SHA-256 of the revealed seed equals the commitment shown before
    draw_matches: bool  # recomputing the draw gives the stored checks
    expected: tuple  # ((target key, (inspector ids …)), …) recomputed
    stored: tuple  # the same, as stored when drawn

    @property
    def ok(self) -> bool:
        return self.seed_matches and self.draw_matches


def verify(plan: CheckPlan) -> Verification:
    """Recompute a drawn plan from its revealed seed and frozen rosters.

    :raise PlanError: the plan has not been drawn.
    """
    if plan.status is not PlanStatus.DRAWN:
        raise PlanError("not_drawn")
    targets = [sampling.Target(key, enterprise) for key, enterprise in plan.target_roster]
    size = len(plan.checks)
    recomputed = sampling.draw(plan.seed, targets, list(plan.inspector_roster), size=size,
                               per_target=plan.per_target,
                               recusals={tuple(p) for p in plan.recusals})
    stored = tuple((c.target_key, tuple(c.drawn_inspectors)) for c in plan.checks)
    expected_size = sampling.sample_size(
        len(targets), count=plan.sample_count,
        ratio=float(plan.sample_ratio) if plan.sample_ratio is not None else None,
    )
    return Verification(
        seed_matches=sampling.commitment(plan.seed) == plan.seed_hash,
        draw_matches=recomputed.assignments == stored and size == expected_size,
        expected=recomputed.assignments,
        stored=stored,
    )
