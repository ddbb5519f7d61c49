"""Roster pages (what a plan draws from), recusals (回避) and the re-draw of one assignment.

Routes on the ``inspections`` blueprint of :mod:`.views`, which imports this module last.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from ..access import get_scoped_or_404, roles_required, scoped
from ..admin.forms import _blank
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import (
    Check,
    CheckPlan,
    CheckStatus,
    EnterpriseStatus,
    PlanStatus,
    Recusal,
    Role,
    TargetKind,
    User,
)
from ..pagination import paginate
from ..review.queue import region_choices
from . import recusals, redraw, roster_lists
from .roster_forms import RecusalForm, RedrawForm
from .views import bp

RECUSAL_ERRORS = {
    "duplicate": _l("A recusal for this inspector and enterprise is already declared."),
    "enterprise_outside": _l("The enterprise lies outside the jurisdiction of the inspector's "
                             "bureau."),
    "not_inspector": _l("Recusals are declared for inspectors only."),
    "already_withdrawn": _l("This recusal was already withdrawn."),
}
REDRAW_ERRORS = {
    "reason_required": _l("Give the reason for the re-draw."),
    "not_assigned": _l("Check %(number)s is completed: its inspectors can no longer change."),
    "not_on_check": _l("That inspector is no longer on check %(number)s."),
    "no_eligible_replacement": _l("No inspector can replace them on check %(number)s: everyone "
                                  "else on the roster is recused for the enterprise, already "
                                  "on the check or was replaced on it before."),
}


@bp.get("/rosters/targets")
@roles_required(Role.REGULATOR)
def target_roster():
    """The target roster of the jurisdiction (检查对象名录库): what a plan draws from."""
    regions = region_choices(current_user)
    allowed = {current_user.bureau.region_code, *(r.code for r in regions)}
    filters = roster_lists.TargetFilters.from_args(request.args, current_user, allowed)
    page = paginate(roster_lists.targets(filters, current_user))
    return render_template("inspections/target_roster.html", page=page, filters=filters,
                           regions=regions, kinds=TargetKind, statuses=EnterpriseStatus)


@bp.get("/rosters/inspectors")
@roles_required(Role.REGULATOR)
def inspector_roster():
    """The bureau's inspector roster (执法检查人员名录库) with recusals and open checks."""
    page = paginate(roster_lists.inspectors(current_user.bureau_id))
    ids = [u.id for u in page.items]
    return render_template("inspections/inspector_roster.html", page=page,
                           loads=roster_lists.open_loads(ids),
                           recusals=roster_lists.active_recusals(ids))


@bp.get("/recusals")
@roles_required(Role.INSPECTOR, Role.REGULATOR, Role.ADMIN)
def list_recusals():
    """Recusals: an inspector's own, a regulator's bureau's, or all (administrators)."""
    state = request.args.get("state", "active")
    page = paginate(recusals.listing(current_user, state))
    return render_template("inspections/recusals.html", page=page, state=state)


def _inspector_for_declaration() -> User | None:
    """The inspector a declaration is for: oneself, or the administrator's ``?inspector=``."""
    if current_user.role is Role.INSPECTOR:
        return current_user
    ident = request.args.get("inspector", type=int)
    if ident is None:
        return None
    inspector = get_scoped_or_404(User, ident)
    if inspector.role is not Role.INSPECTOR:
        abort(404)
    return inspector


@bp.route("/recusals/new", methods=["GET", "POST"])
@roles_required(Role.INSPECTOR, Role.ADMIN)
def declare_recusal():
    """Declare a recusal: an inspector for themselves, an administrator for an inspector."""
    inspector = _inspector_for_declaration()
    if inspector is None:  # an administrator chooses the inspector first
        inspectors = db.session.scalars(
            select(User).where(User.role == Role.INSPECTOR, User.is_active_account.is_(True))
            .options(selectinload(User.bureau)).order_by(User.bureau_id, User.display_name)
            .limit(1000))
        return render_template("inspections/recusal_inspector.html", inspectors=inspectors)
    form = RecusalForm()
    form.enterprise_id.choices = [_blank()] + [
        SelectChoice(e.id, f"{e.name}（{e.credit_code}）") for e in
        db.session.scalars(recusals.enterprise_choices(inspector).limit(2000))]
    if form.validate_on_submit():
        try:
            recusal = recusals.declare(inspector, form.enterprise_id.data, form.reason.data,
                                       current_user)
            db.session.commit()
        except recusals.RecusalError as error:
            db.session.rollback()
            form.form_errors.append(str(RECUSAL_ERRORS[error.code]))
        except IntegrityError:  # declared at the same moment in another tab
            db.session.rollback()
            form.form_errors.append(str(RECUSAL_ERRORS["duplicate"]))
        else:
            flash(_("Recusal for %(enterprise)s declared: new draws will not assign %(name)s "
                    "to it.", enterprise=recusal.enterprise.name, name=inspector.display_name),
                  "success")
            open_checks = recusals.open_checks_with(inspector.id, recusal.enterprise_id)
            if open_checks:
                flash(_("%(name)s is on open checks of this enterprise (%(numbers)s): the "
                        "regulator should re-draw these assignments.",
                        name=inspector.display_name,
                        numbers=", ".join(c.number for c in open_checks)), "warning")
            return redirect(url_for("inspections.list_recusals"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("inspections/recusal_form.html", form=form,
                           inspector=inspector), status


@bp.post("/recusals/<int:recusal_id>/withdraw")
@roles_required(Role.INSPECTOR, Role.ADMIN)
def withdraw_recusal(recusal_id: int):
    """Withdraw a recusal (kept in the history; plans drawn before keep it frozen)."""
    recusal = get_scoped_or_404(Recusal, recusal_id)
    try:
        recusals.withdraw(recusal, current_user)
        db.session.commit()
    except recusals.RecusalError as error:
        db.session.rollback()
        flash(str(RECUSAL_ERRORS[error.code]), "info")
    else:
        flash(_("Recusal for %(enterprise)s withdrawn; it stays in the history.",
                enterprise=recusal.enterprise.name), "success")
    return redirect(url_for("inspections.list_recusals", state="all"))


def _assignment_choices(plan: CheckPlan):
    """(check, inspector) pairs of the plan's open checks, as "check_id:user_id" choices."""
    checks = db.session.scalars(
        select(Check).where(Check.plan_id == plan.id, Check.status == CheckStatus.ASSIGNED)
        .options(selectinload(Check.enterprise), selectinload(Check.inspectors))
        .order_by(Check.position))
    return [SelectChoice(f"{c.id}:{u.id}", f"{c.number} {c.enterprise.name} · {u.display_name}")
            for c in checks for u in c.inspectors]


@bp.route("/plans/<int:plan_id>/redraw", methods=["GET", "POST"])
@roles_required(Role.REGULATOR)
def redraw_assignment(plan_id: int):
    """Replace one inspector of an open check by a re-drawn one, with the reason."""
    plan = get_scoped_or_404(CheckPlan, plan_id)
    if plan.status is not PlanStatus.DRAWN:
        abort(404)
    form = RedrawForm()
    form.assignment.choices = [_blank()] + _assignment_choices(plan)
    if request.method == "GET" and request.args.get("check"):
        prefix = request.args["check"] + ":"
        form.assignment.data = next((c.value for c in form.assignment.choices
                                     if str(c.value).startswith(prefix)), "")
    status = 200
    if form.validate_on_submit():
        check_id, _sep, inspector_id = form.assignment.data.partition(":")
        check = db.session.scalar(scoped(select(Check), current_user).where(
            Check.id == int(check_id), Check.plan_id == plan.id))
        if check is None:
            abort(404)
        try:
            row = redraw.redraw(check, int(inspector_id), form.reason.data, current_user)
            db.session.commit()
        except redraw.RedrawError as error:
            db.session.rollback()
            form.form_errors.append(str(REDRAW_ERRORS[error.code]) % error.params)
            status = 409 if error.code in ("not_assigned", "not_on_check") else 400
        except IntegrityError:  # another re-draw of the same check at the same moment
            db.session.rollback()
            form.form_errors.append(_("Someone re-drew this check a moment ago. Check the "
                                      "inspectors and try again."))
            status = 409
        else:
            flash(_("%(number)s: %(old)s replaced by %(new)s (re-draw %(n)s).",
                    number=row.check.number, old=row.old_inspector.display_name,
                    new=row.new_inspector.display_name, n=row.number), "success")
            return redirect(url_for("inspections.show_plan", plan_id=plan.id))
    if form.errors and status == 200:
        status = 400
    if form.form_errors:
        form.assignment.choices = [_blank()] + _assignment_choices(plan)
    return render_template("inspections/redraw_form.html", form=form, plan=plan,
                           redraws=redraw.for_plan(plan)), status

