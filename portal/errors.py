"""Friendly error pages in both languages; JSON for /healthz is handled by its view."""

from contextlib import suppress

from flask import current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import (
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from .extensions import db, login_manager
from .i18n import lazy_gettext as _l

# Errors that mean "no database right now" (psycopg's OperationalError arrives wrapped as
# SQLAlchemy's), answered 503 with Retry-After rather than 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 30

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("Your account may not open this page.")),
    404: (_l("Not found"), _l("There is no such page, or it is not yours to see.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    409: (_l("Conflict"), _l("This record was changed after you opened it (by a colleague or in "
                          "another window). Reload and try again.")),
    413: (
        _l("File too large"),
        _l("The upload is larger than the portal accepts. Make the file smaller and try again."),
    ),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("The portal hit an error. Nothing was saved; try again.")),
    503: (
        _l("Temporarily unavailable"),
        _l("The portal cannot reach its database right now. Try again in a few minutes."),
    ),
}


def render_error(code: int, message=None):
    """Render templates/errors/error.html with the page for *code*."""
    title, default = MESSAGES.get(code, MESSAGES[500])
    return render_template(
        "errors/error.html", code=code, title=title, message=message or default
    ), code


def _http_error(error: HTTPException):
    return render_error(error.code or 500)


def _csrf_error(error: CSRFError):
    return render_error(
        400, _l("The form expired or was sent from elsewhere. Reload the page and send it again.")
    )


def _database_down(error: SQLAlchemyError):
    """The database is unreachable: a 503 page that needs no database, one log line."""
    with suppress(SQLAlchemyError):
        db.session.rollback()
    # The page must not load the user again (that query would fail the same way).
    g._login_user = login_manager.anonymous_user()
    cause = getattr(error, "orig", None) or error
    current_app.logger.warning("database unavailable (%s) during %s %s",
                               type(cause).__name__, request.method, request.path)
    body, code = render_error(503)
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _integrity_error(error: IntegrityError):
    """A save that lost a race on a unique value, not caught by its view: 409, never 500."""
    db.session.rollback()
    return render_error(409)


def _server_error(error: Exception):
    db.session.rollback()
    return render_error(500)


def init_app(app) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, _database_down)
    app.register_error_handler(IntegrityError, _integrity_error)
    app.register_error_handler(500, _server_error)
