"""The trainer registration form."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from ..filings.forms import VersionField
from ..i18n import lazy_gettext as _l
from ..labels import DEGREE_LABELS
from ..models import Degree
from ..rules.trainers import add_years, birth_date, id_number_error
from ..widgets import DateField
from .operations import china_today

ID_NUMBER_MESSAGES = {
    "format": _l("Enter the 18-character resident ID number: 17 digits and a digit or X."),
    "checksum": _l("The last character (the check digit) does not match: the ID number "
                   "contains a typing error."),
    "birth_date": _l("The ID number does not contain a valid birth date."),
    "region": _l("The first six digits of the ID number are not a known administrative "
                 "division code."),
}
# The Labour Law's minimum working age.
MIN_WORKING_AGE = 16


def _yes_no(value):
    """Coerce stored booleans and submitted answers to ``yes``/``no`` (None stays unanswered)."""
    if value is True or value == "yes":
        return "yes"
    if value is False or value == "no":
        return "no"
    raise ValueError(value)


def _answered(form, field):
    """Refuse a missing or unknown answer with one clear message."""
    if field.data not in ("yes", "no"):
        field.errors[:] = []
        raise StopValidation(str(_l("Answer yes or no.")))


def yes_no_field(label) -> RadioField:
    """An explicit yes/no question: neither answer is preselected and one must be chosen."""
    return RadioField(label, choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                      coerce=_yes_no, validate_choice=False, validators=[_answered])


class TrainerForm(FlaskForm):
    """Identity, employment, degree, certificate and the declarations DSR Art. 19 asks for."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    id_number = StringField(
        _l("Resident ID number"),
        validators=[DataRequired(), Length(max=32)],
        description=_l("18 characters. It is shown in full only on this form and on the "
                       "filing page, elsewhere partly hidden."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"},
    )
    employment_start = DateField(
        _l("Employed by the enterprise since"),
        validators=[InputRequired(message=_l("Enter a date."))],
        description=_l("Start of the current employment contract with the enterprise."),
    )
    degree = SelectField(
        _l("Highest degree"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(d.value, DEGREE_LABELS[d]) for d in Degree],
        validators=[DataRequired(message=_l("Choose the highest degree."))],
    )
    certificate_no = StringField(
        _l("Trainer certificate number"),
        validators=[Optional(), Length(max=64)],
        description=_l("The number on the trainer certificate the enterprise issued, if "
                       "already issued."),
    )
    is_formal_employee = yes_no_field(_l("Is the person a formal employee of the enterprise?"))
    has_criminal_record = yes_no_field(
        _l("Has the person a record of criminal punishment for an intentional crime?")
    )
    is_mainland_resident = yes_no_field(
        _l("Is the person a mainland resident (not from Hong Kong, Macao, Taiwan or abroad)?")
    )
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def validate_id_number(self, field):
        """Check digit, birth date and region code of the ID number (stdnum.cn.ric)."""
        field.data = (field.data or "").replace(" ", "").strip().upper()
        error = id_number_error(field.data, china_today())
        if error:
            raise ValidationError(ID_NUMBER_MESSAGES[error])

    def validate_employment_start(self, field):
        """Not in the future, and not before the person could work according to the ID."""
        if field.data is None:
            return  # not a date: the field has said so already
        if field.data > china_today():
            raise ValidationError(_l("The employment start date cannot lie in the future."))
        born = birth_date(self.id_number.data) if not self.id_number.errors else None
        if born is not None and field.data < add_years(born, MIN_WORKING_AGE):
            raise ValidationError(_l(
                "According to the ID number the person was not yet %(age)s on this date.",
                age=MIN_WORKING_AGE,
            ))
        if field.data < date(1950, 1, 1):
            raise ValidationError(_l("Enter a date after 1950."))

    def data_for_model(self) -> dict:
        """The validated fields, typed for the Trainer model."""
        return {
            "name": self.name.data.strip(),
            "id_number": self.id_number.data,
            "employment_start": self.employment_start.data,
            "degree": Degree(self.degree.data),
            "certificate_no": (self.certificate_no.data or "").strip() or None,
            "is_formal_employee": self.is_formal_employee.data == "yes",
            "has_criminal_record": self.has_criminal_record.data == "yes",
            "is_mainland_resident": self.is_mainland_resident.data == "yes",
        }
