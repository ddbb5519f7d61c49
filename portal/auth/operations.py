"""Authentication with throttling, and password changes. Each flushes; the view commits."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app, g
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit
from ..database import dialect_insert
from ..extensions import db
from ..models import (
    AuditEvent,
    CatalogueStamp,
    LoginThrottle,
    Notification,
    Role,
    User,
    utcnow,
)
from ..models.audit import CHANGES
from ..notifications.operations import BADGE_CAP

# Checked against when the user name is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("portal-timing-equaliser")


@dataclass
class LoginResult:
    """The outcome of :func:`authenticate`: a user, or why not."""

    user: User | None = None
    locked_until: datetime | None = None


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def _record_failure(name: str) -> datetime | None:
    """Count one failed attempt for *name* atomically; lock the name when the limit is hit."""
    now = utcnow()
    stmt = dialect_insert(LoginThrottle).values(username=name, failures=1, last_failure_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[LoginThrottle.username],
        set_={"failures": LoginThrottle.failures + 1, "last_failure_at": now},
    ).returning(LoginThrottle.failures)
    failures = db.session.execute(stmt).scalar_one()
    if failures < current_app.config["LOGIN_MAX_FAILURES"]:
        return None
    locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == name)
        .values(failures=0, locked_until=locked_until)
    )
    return locked_until


def authenticate(username: str, password: str) -> LoginResult:
    """Check a sign-in attempt; count failures and lock the name after too many.

    The result never tells whether the name or the password was wrong.
    """
    name = normalise_username(username)
    throttle = db.session.get(LoginThrottle, name)
    if throttle and throttle.locked_until and throttle.locked_until > utcnow():
        audit.record("auth.login_refused_locked", username=name)
        return LoginResult(locked_until=throttle.locked_until)

    user = db.session.scalar(select(User).where(User.username == name))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
    elif user.is_active and user.check_password(password):
        if throttle:
            db.session.delete(throttle)
        user.last_login_at = utcnow()
        audit.record("auth.login", user, actor=user)
        return LoginResult(user=user)

    locked_until = _record_failure(name)
    audit.record("auth.login_failed", username=name, locked=locked_until is not None)
    return LoginResult(locked_until=locked_until)


def change_password(user: User, new_password: str) -> None:
    """Set *user*'s password; every other session of the user ends."""
    user.set_password(new_password)
    user.must_change_password = False
    audit.record("auth.password_changed", user)


# What the user statement may load with the user (each entity loaded with it cost about 0.2 M
# instructions on every page, the other one's empty columns included).
_BOTH = ("bureau", "enterprise")


def _organisations(role: str) -> tuple[str, ...]:
    """The organisations to load with a user whose session says *role* (``User.get_id``): the
    bureau of a bureau's staff, the enterprise of an enterprise's, none for an administrator.
    Only a hint, as the role may have changed since: then the other is read when first used
    (a lazy load). Both for a session without a role (signed in before it was kept)."""
    try:
        role = Role(role)
    except ValueError:
        return _BOTH
    if role.is_bureau:
        return ("bureau",)
    return ("enterprise",) if role.is_enterprise else ()


@cache
def _user_statement(organisations: tuple[str, ...] = _BOTH):
    """The signed-in user with its *organisations* (pages read them: scope, navigation; the
    bureau's division, which two pages name, is read there), the unread notifications the
    navbar shows, the catalogue stamp (``portal.kept.per_catalogue``) and the audit log's
    last event that may change what a page shows (``portal.kept.until_changed``; one entry
    of ``ix_audit_event_changes``), in one statement. Built once for each set of
    organisations: building it took as long as running it."""
    unread = select(func.count()).select_from(
        select(Notification.id)
        .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
        .limit(BADGE_CAP + 1).subquery()
    ).scalar_subquery()
    stamp = select(CatalogueStamp.generation).where(CatalogueStamp.id == 1).scalar_subquery()
    head = (select(AuditEvent.id).where(CHANGES).order_by(AuditEvent.id.desc()).limit(1)
            .scalar_subquery())
    return (select(User, unread, stamp, head).where(User.id == bindparam("user_id"))
            .options(*(joinedload(getattr(User, name)) for name in organisations)))


def load_user(session_id: str) -> User | None:
    """Flask-Login loader: ``"<id>:<nonce>:<role>"`` (``User.get_id``; the role only says what
    to load with the user); a changed nonce or deactivation ends the session.

    The unread count comes along and waits in ``g`` for the navbar
    (:func:`portal.notifications.unread_notifications`), as does the catalogue stamp
    (:func:`portal.kept.per_catalogue`)."""
    user_id, _, rest = (session_id or "").partition(":")
    nonce, _, role = rest.partition(":")
    if not user_id.isdigit() or len(user_id) > 18:
        return None
    statement = _user_statement(_organisations(role))
    row = db.session.execute(statement, {"user_id": int(user_id)}).one_or_none()
    if row is None:
        return None
    user, unread, stamp, head = row
    if not user.is_active or user.session_nonce != nonce:
        return None
    g.unread_notifications = unread
    g.catalogue_stamp = stamp
    g.audit_head = head or 0
    return user
