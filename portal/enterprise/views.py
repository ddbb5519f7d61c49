"""The enterprise's own pages."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..access import get_scoped_or_404, roles_required, scoped
from ..admin import operations
from ..admin.views import report_clash, reset_password_page, set_active_and_report
from ..extensions import db
from ..i18n import gettext as _
from ..models import ENTERPRISE_FACTS_OPTIONS, ENTERPRISE_ROLES, Enterprise, Role, User
from ..pagination import paginate
from .forms import NewStaffForm, StaffForm
from .overview import overview

bp = Blueprint("enterprise", __name__)
# Where the enterprise reports a meeting's actual attendance (the meetings area).
ATTENDANCE_ENDPOINT = "meetings.report_attendance"


@bp.get("/")
@roles_required(*ENTERPRISE_ROLES)
def home():
    """Enterprise staff home: the enterprise's licence, approved regions and what needs action."""
    enterprise = get_scoped_or_404(Enterprise, current_user.enterprise_id,
                                   options=ENTERPRISE_FACTS_OPTIONS)
    return render_template(
        "enterprise/home.html",
        enterprise=enterprise,
        overview=overview(current_user),
        attendance_endpoint=ATTENDANCE_ENDPOINT
        if ATTENDANCE_ENDPOINT in current_app.view_functions else None,
    )


@bp.get("/staff")
@roles_required(Role.ENTERPRISE_ADMIN)
def list_staff():
    """The enterprise's own user accounts (enterprise administrators only)."""
    stmt = scoped(select(User), current_user).order_by(User.username)
    page = paginate(stmt)
    return render_template("enterprise/staff.html", page=page)


@bp.route("/staff/new", methods=["GET", "POST"])
@roles_required(Role.ENTERPRISE_ADMIN)
def create_staff():
    """Create an account for the enterprise's own staff (enterprise administrators only)."""
    form = NewStaffForm(role=Role.ENTERPRISE_STAFF)
    if form.validate_on_submit():
        enterprise = get_scoped_or_404(Enterprise, current_user.enterprise_id)
        try:
            user = operations.create_user(
                **form.values(),
                username=form.username.data,
                password=form.password.data,
                enterprise=enterprise,
                must_change_password=True,
            )
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Account %(username)s created.", username=user.username), "success")
            return redirect(url_for("enterprise.list_staff"))
    return render_template("enterprise/staff_form.html", form=form, user=None)


@bp.route("/staff/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ENTERPRISE_ADMIN)
def edit_staff(user_id: int):
    """Change a staff account's name, e-mail or role (own enterprise only, else 404)."""
    user = get_scoped_or_404(User, user_id)
    form = StaffForm(user=user)
    if form.validate_on_submit():
        operations.update_user(user, **form.values(), enterprise=user.enterprise)
        db.session.commit()
        flash(_("Account %(username)s saved.", username=user.username), "success")
        return redirect(url_for("enterprise.list_staff"))
    return render_template("enterprise/staff_form.html", form=form, user=user)


@bp.post("/staff/<int:user_id>/deactivate")
@roles_required(Role.ENTERPRISE_ADMIN)
def deactivate_staff(user_id: int):
    """Deactivate a staff account of the own enterprise; never one's own."""
    set_active_and_report(get_scoped_or_404(User, user_id), False)
    return redirect(url_for("enterprise.edit_staff", user_id=user_id))


@bp.post("/staff/<int:user_id>/reactivate")
@roles_required(Role.ENTERPRISE_ADMIN)
def reactivate_staff(user_id: int):
    """Let a deactivated staff account of the own enterprise sign in again."""
    set_active_and_report(get_scoped_or_404(User, user_id), True)
    return redirect(url_for("enterprise.edit_staff", user_id=user_id))


@bp.route("/staff/<int:user_id>/password", methods=["GET", "POST"])
@roles_required(Role.ENTERPRISE_ADMIN)
def reset_staff_password(user_id: int):
    """Give a staff account of the own enterprise a temporary password."""
    return reset_password_page(get_scoped_or_404(User, user_id), "enterprise.edit_staff")
