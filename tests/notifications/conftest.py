"""Fixtures for the notification tests: e-mail addresses, a captured SMTP server."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Notification, User


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def notes_of(username: str) -> list[Notification]:
    """The notifications of *username*, oldest first."""
    return list(db.session.scalars(
        select(Notification).join(User, Notification.user_id == User.id)
        .where(User.username == username).order_by(Notification.id)
    ))


@pytest.fixture
def with_emails(app, world):
    """Give every user of the world an e-mail address <username>@example.com."""
    with app.app_context():
        for u in db.session.scalars(select(User)):
            u.email = f"{u.username}@example.com"
        db.session.commit()


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what would have been sent."""

    sent: list = []
    logins: list = []

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port
        self.started_tls = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        self.started_tls = True

    def login(self, username, password):
        FakeSMTP.logins.append((username, password))

    def send_message(self, message):
        FakeSMTP.sent.append((self.host, self.port, self.started_tls, message))


@pytest.fixture
def smtp(app, monkeypatch):
    """Route e-mail to a fake SMTP server; yields the list of (host, port, tls, message)."""
    FakeSMTP.sent, FakeSMTP.logins = [], []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.com")
    monkeypatch.setitem(app.config, "MAIL_PORT", 587)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "portal")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "secret")
    return FakeSMTP.sent
