"""Sign in, sign out, change password."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_login import current_user, login_required, login_user, logout_user

from .. import audit
from ..extensions import db
from ..i18n import gettext as _
from ..navigation import home_url
from . import operations
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Return *target* only if it is a path on this portal (no scheme, host or ``//``)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; on success go to the page asked for or the role's home page."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        result = operations.authenticate(form.username.data, form.password.data)
        db.session.commit()
        if result.user is not None:
            login_user(result.user)
            if result.user.must_change_password:
                flash(_("Please choose a new password before you go on."), "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(form.next.data) or home_url(result.user))
        if result.locked_until is not None:
            error = _(
                "Too many failed sign-in attempts. Try again after %(time)s.",
                time=format_datetime(result.locked_until, "short"),
            )
        else:
            error = _("The user name or password is not correct.")
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/logout")
@login_required
def logout():
    """Sign out (POST with a CSRF token only, so no link or image can sign anyone out)."""
    audit.record("auth.logout", current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; the new one must follow the password rules."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        operations.change_password(user, form.new_password.data)
        db.session.commit()
        login_user(user)  # the session id changed with the password: carry on signed in
        flash(_("Your password has been changed."), "success")
        return redirect(home_url(user))
    return render_template("auth/password.html", form=form)
