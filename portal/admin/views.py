"""Administrator pages: bureaus, enterprises and users."""

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import func, or_, select

from ..access import roles_required
from ..extensions import db
from ..models import AuditEvent, Bureau, Enterprise, Role, User

bp = Blueprint("admin", __name__)


def _paginate(stmt):
    return db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], max_per_page=100)


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
    page = _paginate(select(Bureau).order_by(Bureau.region_code, Bureau.id))
    return render_template("admin/bureaus.html", page=page)


@bp.get("/enterprises")
@roles_required(Role.ADMIN)
def list_enterprises():
    """All enterprises, searchable by name, credit code or licence number."""
    stmt = select(Enterprise).order_by(Enterprise.name, Enterprise.id)
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
    return render_template("admin/enterprises.html", page=_paginate(stmt), query=query)


@bp.get("/users")
@roles_required(Role.ADMIN)
def list_users():
    """All user accounts, filterable by role and searchable by name."""
    stmt = select(User).order_by(User.username)
    role = request.args.get("role", "")
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    query = request.args.get("q", "").strip()
    if query:
        like = f"%{query}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.display_name.ilike(like)))
    return render_template(
        "admin/users.html", page=_paginate(stmt), query=query, role=role, roles=list(Role)
    )
