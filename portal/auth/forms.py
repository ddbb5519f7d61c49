"""Sign-in and password forms."""

from flask import current_app
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..i18n import lazy_gettext as _l
from ..rules.passwords import password_problems

PASSWORD_MESSAGES = {
    "too_short": _l("Use at least %(n)s characters."),
    "no_letter": _l("Include at least one letter."),
    "no_digit": _l("Include at least one digit."),
    "contains_username": _l("Do not include your user name."),
}


def validate_new_password(password: str, username: str) -> None:
    """Raise a ValidationError listing every password rule that *password* breaks."""
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    problems = password_problems(password, username, min_length)
    if problems:
        raise ValidationError(
            " ".join(str(PASSWORD_MESSAGES[p]) % {"n": min_length} for p in problems)
        )


class LoginForm(FlaskForm):
    """User name and password; ``next`` carries the page asked for."""

    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    """Change one's own password, proving the current one first."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 10 characters, with letters and digits."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))

    def validate_current_password(self, field):
        if not current_user.check_password(field.data):
            raise ValidationError(_l("This is not your current password."))

    def validate_new_password(self, field):
        validate_new_password(field.data, current_user.username)
