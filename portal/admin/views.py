"""Administrator pages: bureaus, enterprises, users and the review reasons catalogue (the
check-item list is in :mod:`.check_items`, on the same blueprint)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..access import get_scoped_or_404, roles_required
from ..extensions import db
from ..i18n import gettext as _
from ..labels import KIND_LABELS
from ..models import (
    ENTERPRISE_FACTS_OPTIONS,
    AuditEvent,
    Bureau,
    Enterprise,
    ReviewReason,
    Role,
    User,
)
from ..pagination import paginate
from ..review import reasons
from ..review.forms import ReasonForm
from . import operations
from .forms import BureauForm, EnterpriseForm, NewUserForm, ResetPasswordForm, UserForm

bp = Blueprint("admin", __name__)


def report_clash(form) -> None:
    """Roll back a save that hit a unique constraint (a concurrent save of the same code or
    name) and tell the user on the form, keeping what they typed."""
    db.session.rollback()
    form.form_errors.append(
        _("Someone saved a record with the same code or name a moment ago. "
          "Check the values and save again.")
    )


def _paginate(stmt):
    return paginate(stmt)


@bp.get("/")
@roles_required(Role.ADMIN)
def home():
    """Administrator home: counts and the latest audit events."""
    counts = {
        "bureaus": db.session.scalar(select(func.count(Bureau.id))),
        "enterprises": db.session.scalar(select(func.count(Enterprise.id))),
        "users": db.session.scalar(select(func.count(User.id))),
    }
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(10))
    return render_template("admin/home.html", counts=counts, events=list(events))


@bp.get("/bureaus")
@roles_required(Role.ADMIN)
def list_bureaus():
    """All bureaus with their jurisdictions."""
    page = _paginate(
        select(Bureau).options(selectinload(Bureau.region)).order_by(Bureau.region_code, Bureau.id)
    )
    return render_template("admin/bureaus.html", page=page)


@bp.get("/enterprises")
@roles_required(Role.ADMIN)
def list_enterprises():
    """All enterprises, searchable by name, credit code or licence number."""
    stmt = select(Enterprise).order_by(Enterprise.name, Enterprise.id)
    query = request.args.get("q", "").strip()[:100]
    if query:
        like = f"%{query}%"
        stmt = stmt.where(
            or_(
                Enterprise.name.ilike(like),
                Enterprise.credit_code.ilike(like),
                Enterprise.licence_no.ilike(like),
            )
        )
    return render_template("admin/enterprises.html", page=_paginate(stmt), query=query)


@bp.get("/users")
@roles_required(Role.ADMIN)
def list_users():
    """All user accounts, filterable by role and searchable by name."""
    stmt = (
        select(User)
        .options(selectinload(User.enterprise), selectinload(User.bureau))
        .order_by(User.username)
    )
    role = request.args.get("role", "")
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    query = request.args.get("q", "").strip()[:100]
    if query:
        like = f"%{query}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.display_name.ilike(like)))
    return render_template(
        "admin/users.html", page=_paginate(stmt), query=query, role=role, roles=list(Role)
    )


# Bureaus


@bp.route("/bureaus/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_bureau():
    """Create a market-regulation bureau with its jurisdiction."""
    form = BureauForm()
    if form.validate_on_submit():
        try:
            bureau = operations.create_bureau(**form.values())
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Bureau %(name)s created.", name=bureau.name_zh), "success")
            return redirect(url_for("admin.list_bureaus"))
    return render_template("admin/bureau_form.html", form=form, bureau=None)


@bp.route("/bureaus/<int:bureau_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_bureau(bureau_id: int):
    """Change a bureau's names, abbreviation, jurisdiction or parent bureau."""
    bureau = get_scoped_or_404(Bureau, bureau_id)
    form = BureauForm(bureau=bureau)
    if form.validate_on_submit():
        try:
            operations.update_bureau(bureau, **form.values())
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Bureau %(name)s saved.", name=bureau.name_zh), "success")
            return redirect(url_for("admin.list_bureaus"))
    return render_template("admin/bureau_form.html", form=form, bureau=bureau)


@bp.post("/bureaus/<int:bureau_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_bureau(bureau_id: int):
    """Deactivate a bureau: it is no longer offered for new accounts or as a parent."""
    bureau = get_scoped_or_404(Bureau, bureau_id)
    operations.set_bureau_active(bureau, False)
    db.session.commit()
    flash(_("Bureau %(name)s deactivated.", name=bureau.name_zh), "success")
    return redirect(url_for("admin.list_bureaus"))


@bp.post("/bureaus/<int:bureau_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_bureau(bureau_id: int):
    """Reactivate a deactivated bureau."""
    bureau = get_scoped_or_404(Bureau, bureau_id)
    operations.set_bureau_active(bureau, True)
    db.session.commit()
    flash(_("Bureau %(name)s reactivated.", name=bureau.name_zh), "success")
    return redirect(url_for("admin.list_bureaus"))


# Enterprises


@bp.route("/enterprises/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_enterprise():
    """Register a licensed enterprise with its approved selling regions."""
    form = EnterpriseForm()
    if form.validate_on_submit():
        approved = dict.fromkeys(form.selling_regions.data, form.approved_on.data)
        try:
            enterprise = operations.create_enterprise(**form.values(), approved_regions=approved)
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Enterprise %(name)s created.", name=enterprise.name), "success")
            return redirect(url_for("admin.show_enterprise", enterprise_id=enterprise.id))
    return render_template("admin/enterprise_form.html", form=form, enterprise=None)


@bp.get("/enterprises/<int:enterprise_id>")
@roles_required(Role.ADMIN)
def show_enterprise(enterprise_id: int):
    """One enterprise: licence, approved regions and its user accounts."""
    enterprise = get_scoped_or_404(Enterprise, enterprise_id, options=ENTERPRISE_FACTS_OPTIONS)
    users = db.session.scalars(
        select(User).where(User.enterprise_id == enterprise.id).order_by(User.username)
    )
    return render_template("admin/enterprise.html", enterprise=enterprise, users=list(users))


@bp.route("/enterprises/<int:enterprise_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_enterprise(enterprise_id: int):
    """Change an enterprise's particulars, licence status and approved regions."""
    enterprise = get_scoped_or_404(Enterprise, enterprise_id)
    form = EnterpriseForm(enterprise=enterprise)
    if form.validate_on_submit():
        try:
            operations.update_enterprise(
                enterprise,
                **form.values(),
                approved_regions=form.selling_regions.data,
                approved_on=form.approved_on.data,
            )
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Enterprise %(name)s saved.", name=enterprise.name), "success")
            return redirect(url_for("admin.show_enterprise", enterprise_id=enterprise.id))
    return render_template("admin/enterprise_form.html", form=form, enterprise=enterprise)


# Users


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_user():
    """Create an account of any role; ``?enterprise_id=`` or ``?bureau_id=`` preselect one."""
    enterprise_id = request.args.get("enterprise_id", type=int)
    bureau_id = request.args.get("bureau_id", type=int)
    preset = Role.ENTERPRISE_ADMIN if enterprise_id else (Role.REGULATOR if bureau_id else None)
    form = NewUserForm(role=preset, enterprise_id=enterprise_id, bureau_id=bureau_id)
    if form.validate_on_submit():
        try:
            user = operations.create_user(
                **form.values(),
                username=form.username.data,
                password=form.password.data,
                must_change_password=True,
            )
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Account %(username)s created.", username=user.username), "success")
            return redirect(url_for("admin.list_users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int):
    """Change an account's name, e-mail, role or organisation; deactivate or reset from here."""
    user = get_scoped_or_404(User, user_id)
    form = UserForm(user=user)
    if form.validate_on_submit():
        operations.update_user(user, **form.values())
        db.session.commit()
        flash(_("Account %(username)s saved.", username=user.username), "success")
        return redirect(url_for("admin.list_users"))
    return render_template("admin/user_form.html", form=form, user=user)


def set_active_and_report(user: User, active: bool) -> None:
    """Deactivate or reactivate *user*, commit, and flash the outcome (also for staff pages)."""
    try:
        operations.set_user_active(user, active)
    except operations.Refused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return
    db.session.commit()
    if active:
        flash(_("Account %(username)s reactivated.", username=user.username), "success")
    else:
        flash(
            _("Account %(username)s deactivated; its sessions have ended.",
              username=user.username),
            "success",
        )


@bp.post("/users/<int:user_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_user(user_id: int):
    """Deactivate an account: it cannot sign in and its open sessions end."""
    set_active_and_report(get_scoped_or_404(User, user_id), False)
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.post("/users/<int:user_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_user(user_id: int):
    """Let a deactivated account sign in again."""
    set_active_and_report(get_scoped_or_404(User, user_id), True)
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def reset_password(user_id: int):
    """Give an account a temporary password, to be changed at the next sign-in."""
    return reset_password_page(get_scoped_or_404(User, user_id), "admin.edit_user")


def reset_password_page(user: User, back_endpoint: str):
    """Form for a temporary password of *user* (also for enterprise staff pages); one's own
    password is changed on the normal password page instead."""
    if user.id == current_user.id:
        return redirect(url_for("auth.change_password"))
    back_url = url_for(back_endpoint, user_id=user.id)
    form = ResetPasswordForm(user=user)
    if form.validate_on_submit():
        operations.set_password(user, form.password.data, must_change=True)
        db.session.commit()
        flash(_("The password of %(username)s was reset. They must change it at the next "
                "sign-in.", username=user.username), "success")
        return redirect(back_url)
    return render_template("admin/user_password.html", form=form, user=user, cancel_url=back_url)


# Review reasons (the catalogue regulators choose from when returning or rejecting)


@bp.get("/reasons")
@roles_required(Role.ADMIN)
def list_reasons():
    """The review reasons, filterable by the kind of filing they are offered for and state."""
    kind, state = request.args.get("kind", ""), request.args.get("state", "")
    return render_template("admin/reasons.html", page=_paginate(reasons.catalogue(kind, state)),
                           kind=kind, state=state, kinds=KIND_LABELS)


@bp.route("/reasons/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_reason():
    """Add a reason regulators may give when returning or rejecting a filing."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            reason = reasons.create_reason(**form.values())
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Reason “%(text)s” added.", text=reason.text_zh), "success")
            return redirect(url_for("admin.list_reasons"))
    return render_template("admin/reason_form.html", form=form, reason=None)


@bp.route("/reasons/<int:reason_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_reason(reason_id: int):
    """Change a reason's texts or kinds; decisions already taken keep their stored text."""
    reason = get_scoped_or_404(ReviewReason, reason_id)
    form = ReasonForm(reason=reason)
    if form.validate_on_submit():
        try:
            reasons.update_reason(reason, **form.values())
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Reason “%(text)s” saved.", text=reason.text_zh), "success")
            return redirect(url_for("admin.list_reasons"))
    return render_template("admin/reason_form.html", form=form, reason=reason)


@bp.post("/reasons/<int:reason_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_reason(reason_id: int):
    """Stop offering a reason on the decision form (it stays in past decisions)."""
    reason = get_scoped_or_404(ReviewReason, reason_id)
    reasons.set_reason_active(reason, False)
    db.session.commit()
    flash(_("Reason “%(text)s” deactivated: it is no longer offered.", text=reason.text_zh),
          "success")
    return redirect(url_for("admin.list_reasons"))


@bp.post("/reasons/<int:reason_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_reason(reason_id: int):
    """Offer a deactivated reason again."""
    reason = get_scoped_or_404(ReviewReason, reason_id)
    reasons.set_reason_active(reason, True)
    db.session.commit()
    flash(_("Reason “%(text)s” reactivated.", text=reason.text_zh), "success")
    return redirect(url_for("admin.list_reasons"))


from . import audit_log, check_items, provisions  # noqa: E402,F401  (their routes, on bp)
