"""Regulator pages: the bureau's jurisdiction and the enterprises in it."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..models import Enterprise, Role

bp = Blueprint("review", __name__)


@bp.get("/")
@roles_required(Role.REGULATOR)
def home():
    """Regulator home: the bureau, its jurisdiction and the enterprises licensed in it."""
    count = db.session.scalar(
        scoped(select(Enterprise), current_user).with_only_columns(func.count(Enterprise.id))
    )
    return render_template("review/home.html", bureau=current_user.bureau, enterprise_count=count)


@bp.get("/enterprises")
@roles_required(Role.REGULATOR)
def list_enterprises():
    """Enterprises selling or seated in the jurisdiction, searchable by name or codes."""
    stmt = scoped(select(Enterprise), current_user).order_by(Enterprise.name, Enterprise.id)
    query = request.args.get("q", "").strip()
    if query:
        like = f"%{query}%"
        stmt = stmt.where(
            or_(
                Enterprise.name.ilike(like),
                Enterprise.credit_code.ilike(like),
                Enterprise.licence_no.ilike(like),
            )
        )
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], max_per_page=100)
    return render_template("review/enterprises.html", page=page, query=query)


@bp.get("/enterprises/<int:enterprise_id>")
@roles_required(Role.REGULATOR)
def show_enterprise(enterprise_id: int):
    """One enterprise in the jurisdiction: licence and approved regions."""
    enterprise = get_scoped_or_404(Enterprise, enterprise_id)
    return render_template("review/enterprise.html", enterprise=enterprise)
