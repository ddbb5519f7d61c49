"""The notification centre: each user's own notifications and delivery choices."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..i18n import gettext as _
from ..models import Notification, Role
from ..pagination import paginate
from . import operations
from .messages import KIND_HELP, KIND_LABELS_NOTIFY, render

bp = Blueprint("notifications", __name__)

ALL_ROLES = tuple(Role)


@bp.get("/")
@roles_required(*ALL_ROLES)
def list_notifications():
    """The signed-in user's notifications, newest first, unread ones highlighted."""
    stmt = scoped(select(Notification), current_user).order_by(
        Notification.created_at.desc(), Notification.id.desc()
    )
    page = paginate(stmt)
    return render_template("notifications/list.html", page=page, render=render,
                           unread=operations.unread_count(current_user))


@bp.post("/<int:notification_id>/open")
@roles_required(*ALL_ROLES)
def open_notification(notification_id: int):
    """Mark one of the user's notifications read and go to what it is about.

    :raise 404: not the user's notification.
    """
    notification = get_scoped_or_404(Notification, notification_id)
    operations.mark_read(notification, current_user)
    db.session.commit()
    if notification.filing_id is not None:
        return redirect(url_for("filings.show", filing_id=notification.filing_id))
    if notification.notice_id is not None:
        return redirect(url_for("notices.show", notice_id=notification.notice_id))
    return redirect(url_for("notifications.list_notifications"))


@bp.post("/read")
@roles_required(*ALL_ROLES)
def mark_all_read():
    """Mark every unread notification of the user read."""
    count = operations.mark_all_read(current_user)
    db.session.commit()
    flash(_("%(n)s notifications marked as read.", n=count), "success")
    return redirect(url_for("notifications.list_notifications"))


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def preferences():
    """Choose, per kind, whether to get notifications in the portal and by e-mail."""
    kinds = operations.kinds_for(current_user)
    if request.method == "POST":
        choices = {kind: (f"in_app-{kind.value}" in request.form,
                          f"email-{kind.value}" in request.form) for kind in kinds}
        changes = operations.set_preferences(current_user, choices, current_user)
        db.session.commit()
        flash(_("Notification settings saved.") if changes else _("Nothing was changed."),
              "success" if changes else "info")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", kinds=kinds,
                           current=operations.preferences_of(current_user),
                           labels=KIND_LABELS_NOTIFY, help=KIND_HELP)
