"""The two rosters a plan draws from, as pages: targets and inspectors (regulators).

The target roster reuses the draw's clauses (``operations.enterprises_in_area``,
``operations.outlets_in_area``) under ``access.scoped``, so the page lists exactly what a plan
of the same area would draw from; the inspector roster adds each inspector's active recusals
and current load (assigned open checks) in two grouped queries per page.
"""

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from ..access import scoped
from ..extensions import db
from ..models import (
    Check,
    CheckStatus,
    Enterprise,
    EnterpriseStatus,
    Filing,
    Recusal,
    Role,
    TargetKind,
    User,
)
from ..models.inspections import check_inspector
from ..rules.regions import prefix_of
from .operations import enterprises_in_area, outlets_in_area

# ``status`` filter: "" = as a plan draws (enterprises: active only), "all", or one status.
STATUS_VALUES = {"", "all", *(s.value for s in EnterpriseStatus)}


@dataclass(frozen=True)
class TargetFilters:
    kind: TargetKind
    region_code: str
    query: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args, user, allowed_regions: set[str]) -> "TargetFilters":
        """Read the filters from the query string; unknown values fall back to the defaults
        (the bureau's own area, enterprises, as drawn)."""
        kind = args.get("kind", "")
        region = args.get("area", "")
        status = args.get("status", "")
        return cls(
            kind=TargetKind(kind) if kind in {k.value for k in TargetKind}
            else TargetKind.ENTERPRISE,
            region_code=region if region in allowed_regions else user.bureau.region_code,
            query=args.get("q", "").strip()[:64],
            status=status if status in STATUS_VALUES else "",
        )


def _search(query: str):
    like = f"%{query}%"
    return or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like))


def targets(filters: TargetFilters, user) -> Select:
    """Enterprises (``select(Enterprise)``) or approved outlet filings (``select(Filing)``,
    enterprise loaded) of the filtered roster, inside the user's jurisdiction."""
    prefix = prefix_of(filters.region_code)
    if filters.kind is TargetKind.ENTERPRISE:
        stmt = (scoped(select(Enterprise), user).where(enterprises_in_area(prefix))
                .options(selectinload(Enterprise.region))
                .order_by(Enterprise.name, Enterprise.id))
    else:
        stmt = (scoped(select(Filing), user).join(Filing.enterprise)
                .where(outlets_in_area(prefix))
                .options(selectinload(Filing.enterprise), selectinload(Filing.region))
                .order_by(Filing.region_code, Filing.id))
    if filters.status == "" and filters.kind is TargetKind.ENTERPRISE:
        stmt = stmt.where(Enterprise.status == EnterpriseStatus.ACTIVE)
    elif filters.status not in ("", "all"):
        stmt = stmt.where(Enterprise.status == EnterpriseStatus(filters.status))
    if filters.query:
        stmt = stmt.where(_search(filters.query))
    return stmt


def inspectors(bureau_id: int) -> Select:
    """The bureau's active inspectors (the roster a draw takes), by name."""
    return (select(User).where(User.bureau_id == bureau_id, User.role == Role.INSPECTOR,
                               User.is_active_account.is_(True))
            .order_by(User.display_name, User.id))


def open_loads(inspector_ids) -> dict[int, int]:
    """Assigned open checks per inspector (0 for those without)."""
    loads = dict.fromkeys(inspector_ids, 0)
    if inspector_ids:
        loads.update(db.session.execute(
            select(check_inspector.c.user_id, func.count())
            .join(Check, Check.id == check_inspector.c.check_id)
            .where(check_inspector.c.user_id.in_(inspector_ids),
                   Check.status == CheckStatus.ASSIGNED)
            .group_by(check_inspector.c.user_id)
        ).all())
    return loads


def active_recusals(inspector_ids) -> dict[int, list[Recusal]]:
    """The active recusals of each inspector, enterprises loaded."""
    found: dict[int, list[Recusal]] = {i: [] for i in inspector_ids}
    if inspector_ids:
        for recusal in db.session.scalars(
                select(Recusal).where(Recusal.inspector_id.in_(inspector_ids),
                                      Recusal.withdrawn_at.is_(None))
                .options(selectinload(Recusal.enterprise)).order_by(Recusal.id)):
            found[recusal.inspector_id].append(recusal)
    return found
