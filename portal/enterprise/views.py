"""The enterprise's own pages."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..models import ENTERPRISE_ROLES, Enterprise, Role, User

bp = Blueprint("enterprise", __name__)


@bp.get("/")
@roles_required(*ENTERPRISE_ROLES)
def home():
    """Enterprise staff home: the enterprise's licence, approved regions and what needs action."""
    enterprise = get_scoped_or_404(Enterprise, current_user.enterprise_id)
    return render_template("enterprise/home.html", enterprise=enterprise)


@bp.get("/staff")
@roles_required(Role.ENTERPRISE_ADMIN)
def list_staff():
    """The enterprise's own user accounts (enterprise administrators only)."""
    stmt = scoped(select(User), current_user).order_by(User.username)
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], max_per_page=100)
    return render_template("enterprise/staff.html", page=page)
