"""The report's period: from and to dates (a GET form: it changes nothing)."""

from flask_wtf import FlaskForm
from wtforms.validators import InputRequired

from ..i18n import lazy_gettext as _l
from ..widgets import DateField
from .figures import MAX_YEARS, period_problem

PROBLEMS = {
    "reversed": _l("The end of the period lies before its start."),
    "too_long": _l("A report covers at most %(years)s years."),
}


class PeriodForm(FlaskForm):
    """From and to, both included; at most MAX_YEARS years, not reversed."""

    class Meta:
        csrf = False  # a GET form that only selects what to count

    start = DateField(_l("From"), validators=[InputRequired()])
    end = DateField(_l("To"), validators=[InputRequired()],
                    description=_l("Both days included, China Standard Time."))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        problem = period_problem(self.start.data, self.end.data)
        if problem:
            self.end.errors.append(str(PROBLEMS[problem]) % {"years": MAX_YEARS})
            return False
        return True
