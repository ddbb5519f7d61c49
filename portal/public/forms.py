"""The public's forms: the return-window helper (a GET form: it changes nothing)."""

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired, Optional

from ..admin.forms import optional_int
from ..i18n import lazy_gettext as _l
from ..widgets import DateField


class ReturnWindowForm(FlaskForm):
    """Purchase date and request date → the last day to return, the refund deadline."""

    class Meta:
        csrf = False  # a GET form that only computes dates

    purchased_on = DateField(_l("Date of purchase"), validators=[InputRequired()],
                             description=_l("As on the invoice or receipt."))
    requested_on = DateField(_l("Date you ask to return it"), validators=[Optional()],
                             description=_l("Leave empty for today."))
    enterprise = SelectField(_l("Enterprise (optional)"), coerce=optional_int,
                             validators=[Optional()],
                             description=_l("Its return policy in force may give you more "
                                            "time than the law."))
