"""Forms of rectification notices: issuing one, recording its service."""

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..admin.forms import strip
from ..i18n import lazy_gettext as _l
from ..i18n import localized
from ..rules.notices import MAX_WORKING_DAYS
from ..widgets import DateField
from . import provisions as catalogue


class NoticeForm(FlaskForm):
    enterprise_id = SelectField(_l("Party (enterprise)"), coerce=int,
                                validators=[InputRequired()])
    facts = TextAreaField(_l("Facts found"), filters=[strip],
                          validators=[DataRequired(), Length(max=4000)],
                          render_kw={"rows": 7})
    provisions = SelectMultipleField(
        _l("Provisions violated"), choices=[],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description=_l("From the catalogue of provisions the administrators maintain; the "
                       "notice keeps their text as it reads today."),
    )
    corrections = TextAreaField(_l("Corrections required"), filters=[strip],
                                validators=[DataRequired(), Length(max=4000)],
                                render_kw={"rows": 5})
    deadline_kind = RadioField(
        _l("Deadline"),
        choices=[SelectChoice("working_days", _l("A number of working days from service")),
                 SelectChoice("date", _l("A date"))],
        default="working_days",
    )
    working_days = IntegerField(
        _l("Working days from service"), default=15,
        validators=[Optional(), NumberRange(min=1, max=MAX_WORKING_DAYS)],
        description=_l("Counted on the Chinese working-day calendar from the day the "
                       "enterprise receives the notice."))
    deadline = DateField(_l("Deadline (date)"), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Issue the notice"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = {p.code: p for p in catalogue.active()}
        self.provisions.choices = [SelectChoice(code, localized(p, "article"))
                                   for code, p in self.catalogue.items()]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.provisions.data:
            self.provisions.errors = [*self.provisions.errors,
                                      _l("Choose at least one provision.")]
            valid = False
        if self.deadline_kind.data == "date" and self.deadline.data is None:
            self.deadline.errors = [*self.deadline.errors, _l("Enter the deadline.")]
            valid = False
        if self.deadline_kind.data == "working_days" and self.working_days.data is None:
            self.working_days.errors = [*self.working_days.errors,
                                        _l("Enter the number of working days.")]
            valid = False
        return valid


SERVICE_LABELS = {"in_person": _l("In person"), "post": _l("By post")}


class ServeForm(FlaskForm):
    method = RadioField(_l("Served"), choices=[SelectChoice(k, v)
                                              for k, v in SERVICE_LABELS.items()],
                        default="in_person", validators=[InputRequired()])
    served_on = DateField(_l("Date of service"), validators=[InputRequired()])
    note = StringField(_l("Note (who received it, postal tracking number)"), filters=[strip],
                       validators=[Optional(), Length(max=300)])
    version = HiddenField()
    submit = SubmitField(_l("Record service"))


class ReportForm(FlaskForm):
    text = TextAreaField(_l("What was corrected, and how"), filters=[strip],
                         validators=[DataRequired(), Length(max=4000)],
                         render_kw={"rows": 6})
    version = HiddenField()
    submit = SubmitField(_l("Submit the correction report"))


class ExtensionForm(FlaskForm):
    until = DateField(_l("New deadline asked for"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), filters=[strip],
                           validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3})
    version = HiddenField()
    submit = SubmitField(_l("Ask for more time"))


class ExtensionDecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[SelectChoice("grant", _l("Grant")),
                                                   SelectChoice("refuse", _l("Refuse"))],
                          default="grant", validators=[InputRequired()])
    until = DateField(_l("New deadline"), validators=[Optional()],
                      description=_l("Leave as asked, or give another date."))
    note = TextAreaField(_l("Note to the enterprise (required to refuse)"), filters=[strip],
                         validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    version = HiddenField()
    submit = SubmitField(_l("Decide"))


VERIFY_METHOD_LABELS = {"on_site": _l("Re-checked on site"),
                        "documents": _l("Checked from the documents")}
OUTCOME_LABELS = {"accepted": _l("Corrected: close the notice"),
                  "returned": _l("Not yet corrected: send it back with the reasons"),
                  "escalated": _l("Refused or not corrected: escalate for a case")}


class VerifyForm(FlaskForm):
    method = RadioField(_l("How it was checked"),
                        choices=[SelectChoice(k, v) for k, v in VERIFY_METHOD_LABELS.items()],
                        default="documents", validators=[InputRequired()])
    outcome = RadioField(_l("Outcome"),
                         choices=[SelectChoice(k, v) for k, v in OUTCOME_LABELS.items()],
                         validators=[InputRequired()])
    note = TextAreaField(_l("Findings of the re-check (required unless closing)"),
                         filters=[strip], validators=[Optional(), Length(max=4000)],
                         render_kw={"rows": 3})
    version = HiddenField()
    submit = SubmitField(_l("Record the verification"))


class EscalateForm(FlaskForm):
    referral = TextAreaField(_l("Case referral"), filters=[strip],
                             validators=[DataRequired(), Length(max=8000)],
                             render_kw={"rows": 12})
    version = HiddenField()
    submit = SubmitField(_l("Escalate"))
