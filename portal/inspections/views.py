"""Spot-check pages: plans and their draw for regulators, assigned checks for inspectors."""

from decimal import Decimal
from itertools import zip_longest

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..i18n import localized
from ..models import (
    BUREAU_ROLES,
    Check,
    CheckItem,
    CheckPlan,
    Enterprise,
    Filing,
    PlanStatus,
    Role,
    TargetKind,
    User,
)
from ..pagination import paginate
from ..review.queue import region_choices
from . import operations, redraw
from .forms import TARGET_KIND_LABELS, PlanForm

bp = Blueprint("inspections", __name__)

PLAN_STATUS_LABELS = {
    PlanStatus.DRAFT: _l("Not drawn yet"),
    PlanStatus.DRAWN: _l("Drawn"),
    PlanStatus.CANCELLED: _l("Cancelled"),
}
PLAN_ERRORS = {
    "region_outside": _l("The area must lie inside the bureau's jurisdiction."),
    "window_reversed": _l("The window ends before it starts."),
    "too_few_per_target": _l("At least %(minimum)s inspectors per target."),
    "sample_unclear": _l("Give either a number of targets or a share of the roster."),
    "items_required": _l("Choose at least one check item."),
    "not_draft": _l("This plan has already been drawn; a draw is final."),
}
DRAW_ERRORS = {
    "too_few_inspectors": _l("The bureau has %(available)s active inspectors; the plan needs "
                             "%(needed)s per target."),
    "too_few_eligible": _l("Only %(available)s inspectors are not recused for %(target)s; the "
                           "plan needs %(needed)s."),
    "sample_too_large": _l("The roster holds %(roster)s targets, fewer than the %(count)s "
                           "to draw."),
    "sample_too_small": _l("The sample is empty."),
    "ratio_out_of_range": _l("The share must lie between 0 and 100 %."),
    "sample_unclear": _l("Give either a number of targets or a share of the roster."),
}


def plan_error_message(error: operations.PlanError) -> str:
    if error.code == "draw":
        params = dict(error.params)
        reason = params.pop("reason")
        return str(DRAW_ERRORS[reason]) % params
    return str(PLAN_ERRORS[error.code]) % error.params


@bp.app_context_processor
def labels():
    return {"PLAN_STATUS_LABELS": PLAN_STATUS_LABELS, "TARGET_KIND_LABELS": TARGET_KIND_LABELS}


@bp.get("/")
@roles_required(Role.INSPECTOR)
def home():
    """Inspector home: the spot checks assigned to this inspector, soonest window first."""
    stmt = (scoped(select(Check), current_user).join(Check.plan)
            .options(selectinload(Check.enterprise), selectinload(Check.plan),
                     selectinload(Check.inspectors))
            .order_by(CheckPlan.window_start, Check.id))
    return render_template("inspections/home.html", bureau=current_user.bureau,
                           page=paginate(stmt))


@bp.get("/plans")
@roles_required(Role.REGULATOR)
def list_plans():
    """The bureau's spot-check plans, newest first."""
    stmt = scoped(select(CheckPlan), current_user).order_by(CheckPlan.created_at.desc(),
                                                             CheckPlan.id.desc())
    return render_template("inspections/plans.html", page=paginate(stmt))


def _item_choices():
    items = db.session.scalars(select(CheckItem).where(CheckItem.is_active.is_(True))
                               .order_by(CheckItem.position))
    return [SelectChoice(i.id, f"{i.code} {localized(i, 'category')} · {localized(i, 'text')}")
            for i in items]


@bp.route("/plans/new", methods=["GET", "POST"])
@roles_required(Role.REGULATOR)
def create_plan():
    """A new plan; its seed is generated now and only the seed's SHA-256 is shown until drawn."""
    bureau = current_user.bureau
    form = PlanForm()
    form.region_code.choices = [SelectChoice(bureau.region_code, localized(bureau.region))] + [
        SelectChoice(r.code, ("— " if r.level == 3 else "") + localized(r))
        for r in region_choices(current_user) if r.code != bureau.region_code
    ]
    form.item_ids.choices = _item_choices()
    if request.method == "GET":
        form.item_ids.data = [choice.value for choice in form.item_ids.choices]
    if form.validate_on_submit():
        ratio = None
        if form.sample_mode.data == "ratio":
            ratio = (form.sample_percent.data / Decimal(100)).quantize(Decimal("0.0001"))
        fields = operations.PlanFields(
            name=form.name.data, target_kind=TargetKind(form.target_kind.data),
            region_code=form.region_code.data,
            sample_count=form.sample_count.data if form.sample_mode.data == "count" else None,
            sample_ratio=ratio, per_target=form.per_target.data,
            window_start=form.window_start.data, window_end=form.window_end.data,
            item_ids=form.item_ids.data,
        )
        try:
            plan = operations.create_plan(bureau, fields, current_user)
            db.session.commit()
        except operations.PlanError as error:
            db.session.rollback()
            form.form_errors.append(plan_error_message(error))
        else:
            flash(_("Plan saved. Its seed's fingerprint is published below; draw when ready."),
                  "success")
            return redirect(url_for("inspections.show_plan", plan_id=plan.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("inspections/plan_form.html", form=form), status


def _plan_page(plan: CheckPlan, status: int = 200):
    checks = []
    if plan.status is PlanStatus.DRAWN:
        checks = db.session.scalars(
            select(Check).where(Check.plan_id == plan.id).order_by(Check.position)
            .options(selectinload(Check.enterprise), selectinload(Check.inspectors),
                     selectinload(Check.outlet_filing))
        ).all()
    return render_template("inspections/plan.html", plan=plan, checks=checks,
                           redraws=redraw.for_plan(plan) if checks else []), status


@bp.get("/plans/<int:plan_id>")
@roles_required(Role.REGULATOR)
def show_plan(plan_id: int):
    """A plan: its parameters and seed fingerprint; once drawn, the seed and the checks."""
    return _plan_page(get_scoped_or_404(CheckPlan, plan_id))


@bp.post("/plans/<int:plan_id>/draw")
@roles_required(Role.REGULATOR)
def draw_plan(plan_id: int):
    """Draw the plan (final). A second regulator drawing at the same time is told it was done."""
    plan = get_scoped_or_404(CheckPlan, plan_id)
    if request.form.get("version") != str(plan.version):
        flash(_("The plan changed since you opened it (it may have been drawn already). "
                "Nothing was done."), "error")
        return _plan_page(plan, 409)
    try:
        checks = operations.draw_plan(plan, current_user)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("The plan changed since you opened it (it may have been drawn already). "
                "Nothing was done."), "error")
        return _plan_page(get_scoped_or_404(CheckPlan, plan_id), 409)
    except operations.PlanError as error:
        db.session.rollback()
        flash(plan_error_message(error), "error")
        return _plan_page(get_scoped_or_404(CheckPlan, plan_id), 409 if error.code ==
                          "not_draft" else 400)
    flash(_("Drawn: %(count)s checks. The seed is now published so anyone can verify the draw.",
            count=len(checks)), "success")
    return redirect(url_for("inspections.show_plan", plan_id=plan.id))


@bp.get("/plans/<int:plan_id>/verify")
@roles_required(*BUREAU_ROLES)
def verify_plan(plan_id: int):
    """Recompute the draw from the revealed seed and the frozen rosters, and compare."""
    plan = get_scoped_or_404(CheckPlan, plan_id)
    if plan.status is not PlanStatus.DRAWN:
        abort(404)
    result = operations.verify(plan)
    names = _names_for(plan, result)
    rows = list(zip_longest(result.expected, result.stored, fillvalue=("", ())))
    return render_template("inspections/verify.html", plan=plan, result=result, names=names,
                           rows=rows, redraws=redraw.verify_redraws(plan))


def _names_for(plan, result) -> dict:
    """Display names of the targets and inspectors in a verification, in two queries."""
    ids = {i for _key, chosen in (*result.expected, *result.stored) for i in chosen}
    names = {("user", u.id): u.display_name
             for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    keys = {key for key, _chosen in (*result.expected, *result.stored)}
    by_kind = {}
    for key in keys:
        kind, _, ident = key.partition(":")
        by_kind.setdefault(kind, []).append(int(ident))
    for e in db.session.scalars(select(Enterprise).where(
            Enterprise.id.in_(by_kind.get("enterprise", [])))):
        names[f"enterprise:{e.id}"] = e.name
    for f in db.session.scalars(select(Filing).where(Filing.id.in_(by_kind.get("outlet", [])))):
        names[f"outlet:{f.id}"] = f"{f.title} ({f.number})"
    return names


# Routes on bp: rosters, recusals and re-draws; a plan's checklists in one PDF.
from . import bundles, rosters  # noqa: E402,F401
from . import checks as check_pages  # noqa: E402,F401  (routes on bp)
