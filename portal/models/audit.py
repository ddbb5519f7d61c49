"""The append-only audit log: every state change, chained by hash."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

# Actions that change nothing a page shows of the data: signing in and out, reading
# notifications, exporting. What each process keeps until anything changes
# (portal.kept.until_changed) is kept across them, so a sign-in does not make every kept page
# be rendered again. CHANGES, the other events, are indexed apart; the statement that finds
# the last of them says CHANGES literally, as the partial index does, so both databases see
# that the index holds every row asked for and read one entry of it.
UNSEEN_ACTIONS = ("auth.login", "auth.login_failed", "auth.login_refused_locked",
                  "auth.logout", "notification.read", "notification.read_all",
                  "notification.preferences", "queue.exported", "audit.exported")
CHANGES = text("action NOT IN (" + ", ".join(f"'{action}'" for action in UNSEEN_ACTIONS) + ")")


class AuditEvent(db.Model):
    """One state change: who did what to which object, when, from where.

    ``hash`` covers this row's fields and ``prev_hash``, the hash of the row before it,
    so changing or deleting any row breaks the chain (``flask audit verify`` finds it).
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        # The audit viewer's "this record's history" filter.
        Index("ix_audit_event_object", "object_type", "object_id", "id"),
        # The last event that may change what a page shows (auth.operations._user_statement).
        Index("ix_audit_event_changes", "id", sqlite_where=CHANGES, postgresql_where=CHANGES),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def __repr__(self):
        return f"<AuditEvent {self.id} {self.action} {self.object_type}:{self.object_id}>"


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session, _context, _instances):
    """The log is append-only: refuse any update or delete of an AuditEvent in the ORM."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise RuntimeError("audit events are append-only")
