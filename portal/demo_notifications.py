"""Demo notifications: the workflow already told the demo users of the demo filings; here the
reminders due today are added and all but each user's newest few are marked read, so the
notification centre shows both read and unread ones. Safe to re-run.
"""

from sqlalchemy import select

from .extensions import db
from .models import Notification, User, utcnow
from .notifications.reminders import send_reminders

UNREAD_PER_USER = 3


def seed() -> int:
    """Add today's reminders and mark older notifications read; returns how many were marked."""
    send_reminders()
    now = utcnow()
    marked = 0
    for user in db.session.scalars(select(User).where(User.username.like("demo-%"))):
        older = db.session.scalars(
            select(Notification).where(Notification.user_id == user.id,
                                       Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset(UNREAD_PER_USER)
        ).all()
        for notification in older:
            notification.read_at = now
        marked += len(older)
    db.session.flush()
    return marked
