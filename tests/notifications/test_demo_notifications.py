"""The demo: read and unread notifications for both enterprises and both bureaus."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Notification, User


def by_user():
    rows = db.session.execute(
        select(User.username, Notification.read_at.is_(None), func.count())
        .join(Notification, Notification.user_id == User.id)
        .group_by(User.username, Notification.read_at.is_(None))
    ).all()
    result = {}
    for username, unread, count in rows:
        result.setdefault(username, {})["unread" if unread else "read"] = count
    return result


def test_demo_users_of_both_sides_have_read_and_unread_notifications(demo_app):
    with demo_app.app_context():  # seeded twice: the second run added nothing
        counts = by_user()
    for username in ("demo-regulator", "demo-regulator2", "demo-enterprise", "demo-enterprise2"):
        assert counts[username]["unread"] == 3, username
        assert counts[username]["read"] > 0, username
