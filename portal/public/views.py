"""Public pages, open without signing in (一公开): licensed enterprises with their open outlets,
trainers and return policy, published spot-check results, and the consumer's return-window
helper. Only approved or published rows, no personal data: a spot check shows the bureau, the
enterprise, the target, the plan, the dates and the verdict of each item, never the inspectors
or anyone's contact details (see :mod:`.directory`)."""

from itertools import groupby

from flask import Blueprint, abort, current_app, render_template, request, send_file
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import (
    Check,
    CheckPlan,
    CheckResult,
    CheckStatus,
    Enterprise,
    EnterpriseStatus,
    utcnow,
)
from ..pagination import paginate
from ..policies.operations import current_policy
from ..rules.meetings import china_date
from ..rules.returns import ReturnDateError, return_window
from ..storage import get_store
from . import directory
from .forms import ReturnWindowForm

bp = Blueprint("public", __name__)

RETURN_ERRORS = {
    "purchase_in_future": _l("The date of purchase lies in the future."),
    "request_before_purchase": _l("The return cannot be asked for before the purchase."),
}


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


@bp.get("/")
def index():
    """What the public can look up here."""
    return render_template("public/index.html")


@bp.get("/checks")
def list_checks():
    """Published spot-check results, latest first, with each item's verdict (of one
    enterprise with ``?enterprise=``)."""
    stmt = _published()
    enterprise = None
    enterprise_id = request.args.get("enterprise", type=int)
    if enterprise_id is not None and -(2**63) <= enterprise_id < 2**63:
        enterprise = db.session.get(Enterprise, enterprise_id)
        if enterprise is None:
            abort(404)
        stmt = stmt.where(Check.enterprise_id == enterprise.id)
    page = paginate(stmt.order_by(Check.published_at.desc(), Check.id.desc()))
    return render_template("public/checks.html", page=page, enterprise=enterprise,
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


@bp.get("/enterprises")
def list_enterprises():
    """Search the licensed enterprises: name, credit code or licence number, region, status."""
    criteria = directory.Search.from_args(request.args)
    page = paginate(directory.search(criteria))
    return render_template("public/enterprises.html", page=page, criteria=criteria,
                           regions=directory.region_choices(),
                           ENTERPRISE_STATUS_CHOICES=[(s.value, s.label)
                                                      for s in EnterpriseStatus])


def _enterprise_or_404(enterprise_id: int) -> Enterprise:
    if not -(2**63) <= enterprise_id < 2**63:
        abort(404)
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        abort(404)
    return enterprise


@bp.get("/enterprises/<int:enterprise_id>")
def show_enterprise(enterprise_id: int):
    """One enterprise: licence, approved regions, open outlets by region, trainers' names,
    the return policy in force and its published spot-check results."""
    enterprise = _enterprise_or_404(enterprise_id)
    active = directory.shows_activity(enterprise)
    outlets = trainers = None
    groups, regions, trainer_total = [], {}, 0
    if active:
        outlets = paginate(directory.outlets(enterprise.id), per_page=100)
        regions = directory.region_names((o.region_code for o in outlets.items),
                                          with_cities=True)
        groups = [(code, list(rows)) for code, rows in
                  groupby(outlets.items, key=lambda o: o.region_code)]
        trainers, trainer_total = directory.trainer_names(enterprise.id)
    checks = db.session.scalars(directory.published_checks(enterprise.id)
                                .limit(directory.LATEST_CHECKS)).all()
    return render_template(
        "public/enterprise.html", enterprise=enterprise, active=active, outlets=outlets,
        groups=groups, regions=regions, trainers=trainers, trainer_total=trainer_total,
        policy=current_policy(enterprise.id), checks=checks,
        approved=directory.region_names(r.region_code for r in enterprise.approved_regions),
    )


@bp.get("/enterprises/<int:enterprise_id>/policy")
def policy_document(enterprise_id: int):
    """The document of the enterprise's return policy in force (opens in the browser)."""
    enterprise = _enterprise_or_404(enterprise_id)
    policy = current_policy(enterprise.id)
    if policy is None or policy.document is None:
        abort(404)
    document = policy.document
    return send_file(get_store().open(document.sha256), mimetype=document.media_type,
                     as_attachment=document.media_type != "application/pdf",
                     download_name=document.original_name, max_age=0)


@bp.get("/returns")
def return_helper():
    """The consumer's return window: the last day to return and the refund deadline."""
    form = ReturnWindowForm(request.args)
    form.enterprise.choices = [SelectChoice("", "—")] + [
        SelectChoice(e.id, e.name) for e in db.session.scalars(directory.search(
            directory.Search(status="active")))]
    today = china_date(utcnow())
    result = policy = error = None
    asked = "purchased_on" in request.args
    if asked and form.validate():
        config = current_app.config
        window, refund = config["POLICY_MIN_RETURN_DAYS"], config["POLICY_MAX_REFUND_DAYS"]
        if form.enterprise.data is not None:
            policy = current_policy(form.enterprise.data)
            if policy is not None:
                window = max(window, policy.consumer_return_days)
                refund = min(refund, policy.refund_days)
        try:
            result = return_window(form.purchased_on.data, form.requested_on.data or today,
                                   today, window_days=window, refund_days=refund)
        except ReturnDateError as problem:
            error = RETURN_ERRORS[problem.code]
    status = 400 if asked and (error or form.errors) else 200
    return render_template("public/returns.html", form=form, result=result, policy=policy,
                           error=error, today=today), status
