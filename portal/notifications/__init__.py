"""Notifications: the in-app notification centre, e-mail after commit, daily reminders.

The blueprint lives in :mod:`.views`; :func:`init_app` wires the rest (after-commit e-mail,
the ``flask notifications`` commands, the navbar's unread count).
"""

import click
from flask import g
from flask.cli import AppGroup
from flask_login import current_user

from ..extensions import db
from . import outbox
from .operations import BADGE_CAP, unread_count
from .reminders import send_reminders

cli = AppGroup("notifications", help="Notifications and reminders.")


@cli.command("remind")
def remind() -> None:
    """Create today's deadline reminders (what the worker does daily at 08:00); idempotent."""
    sent = send_reminders()
    db.session.commit()
    click.echo(", ".join(f"{key}: {count}" for key, count in sent.items()))


def unread_notifications() -> int:
    """Template helper: the signed-in user's unread count, capped (one query per request)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = unread_count(current_user)
    return g.unread_notifications


def init_app(app) -> None:
    """After-commit e-mail, the CLI group and the navbar's unread count."""
    outbox.init_app(app)
    app.cli.add_command(cli)
    app.jinja_env.globals.update(unread_notifications=unread_notifications,
                                 notification_badge_cap=BADGE_CAP)
