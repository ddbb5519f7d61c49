"""Forms of on-site supervision: mark and assign, cancel, record observations with photos."""

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Length, NumberRange, Optional

from ..filings.forms import VersionField
from ..i18n import lazy_gettext as _l
from ..meetings.forms import DATETIME_FORMATS, MAX_ATTENDANCE, plausible_year, strip
from ..models import Conclusion
from ..rules.meetings import CHINA
from ..widgets import DateTimeLocalField
from .labels import CONCLUSION_LABELS


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (works on a phone, no JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def staff_choices(users) -> list[SelectChoice]:
    return [SelectChoice(u.id, f"{u.display_name} · {u.role.label}") for u in users]


class StaffForm(FlaskForm):
    """Who goes to the meeting, and what they should know."""

    # The staff rule (operations) checks the choice and says why in words the user knows.
    staff = CheckboxesField(
        _l("Supervisors"), coerce=int, validate_choice=False,
        description=_l("Regulators and inspectors of your bureau; at least one."),
    )
    notes = TextAreaField(_l("Notes for the team"), validators=[Optional(), Length(max=4000)],
                          filters=[strip])
    version = VersionField()
    submit = SubmitField(_l("Save"))


class CancelForm(FlaskForm):
    """Call a planned supervision off."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)],
                         filters=[strip])
    version = VersionField()
    submit = SubmitField(_l("Cancel the supervision"))


def _yes_no(label, description=None):
    return RadioField(label, choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                      validators=[Optional()], description=description)


def _answer(field) -> bool | None:
    return {"yes": True, "no": False}.get(field.data)


def answer_value(value: bool | None) -> str | None:
    """A stored yes/no answer as the radio button's value."""
    return None if value is None else ("yes" if value else "no")


class RecordForm(FlaskForm):
    """What the supervisors saw; "Save" keeps a draft, "Complete" closes the record."""

    observed_at = DateTimeLocalField(
        _l("Observed at"), format=DATETIME_FORMATS, tz=CHINA,
        validators=[Optional(), plausible_year],
        invalid_value_message=_l("Enter a date and time, for example 2026-10-08 09:30."),
        description=_l("China Standard Time."),
    )
    headcount_seen = IntegerField(_l("Participants counted"),
                                  validators=[Optional(), NumberRange(min=0, max=MAX_ATTENDANCE)])
    is_fee_charged = _yes_no(_l("Were participants charged a fee?"))
    is_venue_as_filed = _yes_no(_l("Was the meeting held at the filed venue?"))
    are_trainers_as_filed = _yes_no(_l("Were the trainers those filed?"))
    banned_content = TextAreaField(
        _l("Banned content heard"), validators=[Optional(), Length(max=8000)], filters=[strip],
        description=_l("Quote what was said: exaggerated claims, income touting, disparaging "
                       "rivals, pressure to buy. Leave empty if none."),
    )
    conclusion = RadioField(
        _l("Conclusion"),
        choices=[SelectChoice(c.value, CONCLUSION_LABELS[c]) for c in Conclusion],
        validators=[Optional()],
    )
    observations = TextAreaField(_l("Observations"), validators=[Optional(), Length(max=8000)],
                                 filters=[strip])
    photos = MultipleFileField(
        _l("Add photos"),  # under the fieldset's legend "Photos"
        description=_l("JPEG or PNG photos, or PDF scans; you may choose several files at once."),
    )
    photo_ids = HiddenField()
    remove_photos = SelectMultipleField(coerce=int, validate_choice=False)
    version = VersionField()
    save = SubmitField(_l("Save draft"))
    complete = SubmitField(_l("Complete the record"))

    def data_for_model(self) -> dict:
        """The typed answers for ``operations.record``."""
        return {
            "observed_at": self.observed_at.data,
            "headcount_seen": self.headcount_seen.data,
            "is_fee_charged": _answer(self.is_fee_charged),
            "is_venue_as_filed": _answer(self.is_venue_as_filed),
            "are_trainers_as_filed": _answer(self.are_trainers_as_filed),
            "banned_content": self.banned_content.data,
            "conclusion": Conclusion(self.conclusion.data) if self.conclusion.data else None,
            "observations": self.observations.data,
        }
