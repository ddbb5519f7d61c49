"""Inspector pages."""

from flask import Blueprint, render_template
from flask_login import current_user

from ..access import roles_required
from ..models import Role

bp = Blueprint("inspections", __name__)


@bp.get("/")
@roles_required(Role.INSPECTOR)
def home():
    """Inspector home: the bureau and the spot checks assigned to this inspector."""
    return render_template("inspections/home.html", bureau=current_user.bureau)
