"""Public pages, open without signing in (一公开). Only published rows, no personal data:
a spot check shows the bureau, the enterprise, the target, the plan, the dates and the verdict
of each item, never the inspectors or anyone's contact details."""

from flask import Blueprint, abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Check, CheckPlan, CheckResult, CheckStatus
from ..pagination import paginate

bp = Blueprint("public", __name__)


def _published():
    return (select(Check).join(Check.plan).where(Check.status == CheckStatus.PUBLISHED)
            .options(selectinload(Check.enterprise), selectinload(Check.outlet_filing),
                     selectinload(Check.plan).selectinload(CheckPlan.bureau)))


def _verdicts(check_ids) -> dict[int, list[CheckResult]]:
    out: dict[int, list[CheckResult]] = {}
    if not check_ids:
        return out
    for result in db.session.scalars(
        select(CheckResult).where(CheckResult.check_id.in_(check_ids))
        .options(selectinload(CheckResult.item))
    ):
        out.setdefault(result.check_id, []).append(result)
    for rows in out.values():
        rows.sort(key=lambda r: (r.item.position, r.item.code))
    return out


@bp.get("/checks")
def list_checks():
    """Published spot-check results, latest first, with each item's verdict."""
    page = paginate(_published().order_by(Check.published_at.desc(), Check.id.desc()))
    return render_template("public/checks.html", page=page,
                           verdicts=_verdicts([c.id for c in page.items]))


@bp.get("/checks/<int:check_id>")
def show_check(check_id: int):
    """One published check's results (404 unless published)."""
    if not -(2**63) <= check_id < 2**63:
        abort(404)
    check = db.session.scalar(_published().where(Check.id == check_id))
    if check is None:
        abort(404)
    return render_template("public/check.html", check=check,
                           results=_verdicts([check.id]).get(check.id, []))
