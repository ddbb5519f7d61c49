"""Write and verify the hash-chained audit log. Operations call :func:`record`; it flushes."""

import hashlib
import json

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import select, text

from .extensions import db
from .models import AuditEvent, utcnow

GENESIS = "0" * 64
# Any constant works: it names the one lock that serialises appends on PostgreSQL.
_PG_CHAIN_LOCK = 0x617564697400


def _canonical(event: AuditEvent) -> bytes:
    """The bytes a row's hash covers, independent of database and driver."""
    payload = {
        "prev": event.prev_hash,
        "at": event.created_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor": event.actor_name,
        "action": event.action,
        "type": event.object_type,
        "id": event.object_id,
        "ip": event.ip,
        "details": event.details,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    """SHA-256 over the row's fields and the previous row's hash."""
    return hashlib.sha256(_canonical(event)).hexdigest()


def _lock_chain() -> None:
    """Serialise appends so two transactions never chain onto the same previous row.

    SQLite writers already hold the database write lock (BEGIN IMMEDIATE).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_CHAIN_LOCK})


def _object_id(obj) -> str | None:
    """The primary key of *obj* as text (regions are keyed by code)."""
    if obj is None:
        return None
    key = getattr(obj, "id", None)
    if key is None:
        key = getattr(obj, "code", None)
    return None if key is None else str(key)


def record(action: str, obj=None, *, actor=None, **details) -> AuditEvent:
    """Append an audit event for *action* on *obj* by *actor* (default: the signed-in user).

    Call inside the transaction that makes the change; the view's commit keeps both or neither.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    _lock_chain()
    prev = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username if actor is not None else "-",
        action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=_object_id(obj),
        ip=request.remote_addr if has_request_context() else None,
        # Round-trip through JSON so the hash covers exactly what the database returns.
        details=json.loads(json.dumps(details, ensure_ascii=False, default=str)),
        prev_hash=prev or GENESIS,
    )
    event.created_at = utcnow()
    event.hash = compute_hash(event)
    db.session.add(event)
    db.session.flush()
    # What this request computes from now on must show its own change (portal.kept).
    g.pop("audit_head", None)
    return event


def verify() -> tuple[int, AuditEvent | None]:
    """Walk the chain in order; return (rows checked, first broken row or None)."""
    prev = GENESIS
    count = 0
    for event in db.session.scalars(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=1000)
    ):
        count += 1
        if event.prev_hash != prev or compute_hash(event) != event.hash:
            return count, event
        prev = event.hash
    return count, None
