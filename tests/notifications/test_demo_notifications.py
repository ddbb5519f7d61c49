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


def test_demo_users_of_both_sides_have_read_and_unread_notifications(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo", "--password", "First-demo-123"]).exit_code == 0
    with app.app_context():
        first = by_user()
        for username in ("demo-regulator", "demo-regulator2", "demo-enterprise",
                         "demo-enterprise2"):
            assert first[username]["unread"] == 3, username
            assert first[username]["read"] > 0, username
    assert runner.invoke(args=["seed-demo", "--password", "First-demo-123"]).exit_code == 0
    with app.app_context():
        assert by_user() == first  # re-running adds nothing
