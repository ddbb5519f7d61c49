"""What the public may read about licensed enterprises (DISC; 企业信息公示暂行条例). Queries only.

Only approved filings appear (an outlet or trainer whose filing is approved and not withdrawn,
the policy in force), and only what the law asks to disclose: no ID numbers, no people's phone
numbers, no person in charge, no drafts or decisions in progress. A revoked licence shows no
outlets or trainers, because the enterprise may no longer sell directly.
"""

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Check,
    CheckStatus,
    Enterprise,
    EnterpriseRegion,
    EnterpriseStatus,
    Filing,
    FilingKind,
    Outlet,
    Region,
    Trainer,
)
from ..rules.regions import ancestors, code_range, prefix_of
from ..rules.workflow import Status

TRAINER_CAP = 300  # names shown on an enterprise's page; the count says how many there are
LATEST_CHECKS = 10


@dataclass
class Search:
    """The public search: a name, credit code or licence number; a region; a status."""

    q: str = ""
    region: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> "Search":
        q = (args.get("q") or "").strip()[:100]
        region = args.get("region") or ""
        status = args.get("status") or ""
        try:
            prefix_of(region)
        except ValueError:
            region = ""
        if status not in {s.value for s in EnterpriseStatus}:
            status = ""
        return cls(q=q, region=region, status=status)


def search(criteria: Search) -> Select:
    """Enterprises matching *criteria*, by name. A region matches an enterprise approved for
    it, for an area inside it, or for an area that contains it."""
    stmt = select(Enterprise).options(
        selectinload(Enterprise.approved_regions).selectinload(EnterpriseRegion.region)
    ).order_by(Enterprise.name, Enterprise.id)
    if criteria.q:
        text = criteria.q
        stmt = stmt.where(or_(Enterprise.name.contains(text, autoescape=True),
                              Enterprise.name_en.contains(text, autoescape=True),
                              Enterprise.credit_code == text.upper(),
                              Enterprise.licence_no == text))
    if criteria.region:
        prefix = prefix_of(criteria.region)
        first, last = code_range(prefix)
        stmt = stmt.where(exists().where(
            EnterpriseRegion.enterprise_id == Enterprise.id,
            or_(EnterpriseRegion.region_code.between(first, last),
                EnterpriseRegion.region_code.in_(ancestors(prefix)))))
    if criteria.status:
        stmt = stmt.where(Enterprise.status == EnterpriseStatus(criteria.status))
    return stmt


def region_choices() -> list[Region]:
    """The provinces and cities where some enterprise is approved to sell, for the filter."""
    codes = set()
    for code in db.session.scalars(select(EnterpriseRegion.region_code).distinct()):
        prefix = prefix_of(code)
        codes.update(ancestors(prefix))
        if len(prefix) <= 4:
            codes.add(code)
    if not codes:
        return []
    return list(db.session.scalars(select(Region).where(Region.code.in_(codes))
                                   .order_by(Region.code)))


def _approved(kind: FilingKind, enterprise_id: int):
    return (Filing.enterprise_id == enterprise_id, Filing.kind == kind,
            Filing.status == Status.APPROVED)


def outlets(enterprise_id: int) -> Select:
    """The enterprise's approved (open) outlets, by region then name."""
    return (select(Outlet).join(Filing, Filing.id == Outlet.filing_id)
            .where(*_approved(FilingKind.OUTLET, enterprise_id))
            .order_by(Outlet.region_code, Outlet.name, Outlet.filing_id))


def region_names(codes, with_cities: bool = False) -> dict[str, Region]:
    """The regions of *codes* (and the cities they lie in), by code (one query)."""
    codes = set(codes)
    if with_cities:
        codes |= {code[:4] + "00" for code in codes}
    if not codes:
        return {}
    return {r.code: r for r in db.session.scalars(select(Region).where(Region.code.in_(codes)))}


def trainer_names(enterprise_id: int) -> tuple[list[str], int]:
    """Up to :data:`TRAINER_CAP` names of the enterprise's approved trainers, and how many
    approved trainers it has."""
    where = _approved(FilingKind.TRAINER, enterprise_id)
    names = list(db.session.scalars(
        select(Trainer.name).join(Filing, Filing.id == Trainer.filing_id).where(*where)
        .order_by(Trainer.name).limit(TRAINER_CAP)))
    total = db.session.scalar(select(func.count()).select_from(Trainer).join(
        Filing, Filing.id == Trainer.filing_id).where(*where))
    return names, total


def published_checks(enterprise_id: int | None = None) -> Select:
    """Published spot checks, latest first (of one enterprise when given)."""
    stmt = select(Check).where(Check.status == CheckStatus.PUBLISHED)
    if enterprise_id is not None:
        stmt = stmt.where(Check.enterprise_id == enterprise_id)
    return stmt.order_by(Check.published_at.desc(), Check.id.desc())


def shows_activity(enterprise: Enterprise) -> bool:
    """Whether the page lists outlets and trainers (not for a revoked licence)."""
    return enterprise.status is not EnterpriseStatus.REVOKED
