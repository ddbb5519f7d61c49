"""The front door and /healthz."""

from flask import Blueprint, redirect, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..navigation import home_url

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    """Send signed-in users to their role's home page and everyone else to sign in."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    return redirect(url_for("auth.login"))


@bp.get("/healthz")
def healthz():
    """Liveness and database check for load balancers: 200 when the database answers, else 503."""
    try:
        db.session.execute(text("SELECT 1"))  # the request's end closes the transaction
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
