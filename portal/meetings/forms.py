"""The training meeting form and the attendance report form.

Start and end are typed in China Standard Time; the model stores UTC. The agenda has a fixed
number of rows (no JavaScript needed); empty rows are ignored.
"""

from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..filings.forms import VersionField, validate_phone
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..labels import PREMISES_LABELS
from ..models import MeetingKind
from ..rules.meetings import CHINA
from ..rules.premises import Premises
from ..widgets import DateTimeLocalField, ManyChoicesField, Select
from .labels import MEETING_KIND_LABELS

AGENDA_ROWS = 8
MAX_ATTENDANCE = 100_000
MAX_FEE = Decimal("99999999.99")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def strip(value):
    """Filter: drop surrounding spaces from typed text."""
    return value.strip() if isinstance(value, str) else value


def plausible_year(form, field):
    """Dates between 2000 and 2099: anything else is a typing mistake."""
    if field.data is not None and not 2000 <= field.data.year <= 2099:
        raise ValidationError(_l("Enter a date between the years 2000 and 2099."))


class SessionForm(Form):
    """One agenda row: all three cells filled in, or none."""

    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=200)], filters=[strip])
    speaker = StringField(_l("Speaker"), validators=[Optional(), Length(max=64)],
                          filters=[strip])
    minutes = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(min=1, max=1440)])

    def is_blank(self) -> bool:
        typed_minutes = bool(self.minutes.raw_data and self.minutes.raw_data[0].strip())
        return not (self.topic.data or self.speaker.data or self.minutes.data is not None
                    or typed_minutes)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_blank():
            return valid
        for field in (self.topic, self.speaker, self.minutes):
            if field.data in (None, "") and not field.errors:
                field.errors.append(_l("Fill in topic, speaker and minutes, or leave the whole "
                                       "row empty."))
                valid = False
        return valid


def _datetime_field(label, description=None):
    return DateTimeLocalField(
        label,
        format=DATETIME_FORMATS,
        tz=CHINA,
        validators=[DataRequired(), plausible_year],
        invalid_value_message=_l("Enter a date and time, for example 2026-10-08 09:30."),
        description=description,
    )


class MeetingForm(FlaskForm):
    """A training meeting: what, when, where, who, agenda, fee, materials and contact."""

    kind = SelectField(
        _l("Kind of meeting"),
        choices=[SelectChoice(k.value, MEETING_KIND_LABELS[k]) for k in MeetingKind],
        validators=[DataRequired()],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        filters=[strip])
    starts_at = _datetime_field(
        _l("Starts at"),
        _l("China Standard Time. File the meeting at least 7 days ahead (the bureau may ask "
           "for more)."),
    )
    ends_at = _datetime_field(_l("Ends at"))
    venue_premises_type = SelectField(
        _l("Type of venue"),
        choices=[SelectChoice(p.value, PREMISES_LABELS[p]) for p in Premises],
        validators=[DataRequired()],
        description=_l("Not in government, military, school or hospital premises, residential "
                       "compounds or private homes."),
    )
    venue_name = StringField(_l("Venue"), validators=[DataRequired(), Length(max=128)],
                             filters=[strip])
    venue_address = StringField(_l("Venue address"),
                                validators=[DataRequired(), Length(max=255)], filters=[strip])
    region_code = SelectField(
        _l("District"),
        validators=[DataRequired()], widget=Select(),
        description=_l("Only in a district where the enterprise has an approved service outlet."),
    )
    expected_attendance = IntegerField(
        _l("Expected participants"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_ATTENDANCE)],
    )
    audience = StringField(
        _l("Audience"), validators=[DataRequired(), Length(max=255)], filters=[strip],
        description=_l("For example: direct sellers of the enterprise in Jincheng"),
    )
    trainers = ManyChoicesField(
        _l("Trainers"),
        coerce=int,
        description=_l("Hold Ctrl (⌘ on a Mac) to choose several. Each must be an approved "
                       "trainer of the enterprise when the meeting is filed."),
    )
    # Fields drawn without a label get an empty one: for a missing label WTForms asks its own
    # catalogue, which Flask-WTF reads from disk once in each request that asks (0.2 ms).
    sessions = FieldList(FormField(SessionForm, ""), "", min_entries=AGENDA_ROWS,
                         max_entries=AGENDA_ROWS)
    fee = DecimalField(
        _l("Fee per participant (yuan)"),
        places=2,
        default=Decimal("0"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_FEE)],
        description=_l("Training and exams are free for participants: the fee must be 0."),
    )
    materials = MultipleFileField(
        _l("Materials"),
        description=_l("Handouts and slides as PDF; you may choose several files at once."),
    )
    material_ids = HiddenField("")
    remove_materials = SelectMultipleField("", coerce=int, validate_choice=False)
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=64)],
                               filters=[strip])
    contact_phone = StringField(_l("Contact phone"),
                                validators=[DataRequired(), Length(max=32), validate_phone])
    version = VersionField("")
    submit = SubmitField(_l("Save"))

    def data_for_model(self) -> dict:
        """The validated fields, typed for the Meeting model."""
        return {
            "kind": MeetingKind(self.kind.data),
            "title": self.title.data,
            "starts_at": self.starts_at.data,
            "ends_at": self.ends_at.data,
            "venue_premises_type": Premises(self.venue_premises_type.data),
            "venue_name": self.venue_name.data,
            "venue_address": self.venue_address.data,
            "region_code": self.region_code.data,
            "expected_attendance": self.expected_attendance.data,
            "audience": self.audience.data,
            "fee": self.fee.data,
            "contact_name": self.contact_name.data,
            "contact_phone": self.contact_phone.data,
        }

    def agenda_cell_labels(self) -> list[tuple[str, str, str]]:
        """What screen readers call the cells of each agenda row ("Topic of item 3" …): the
        three patterns translated once, not once a cell (24 of them, 12 µs each in Jinja)."""
        patterns = (_("Topic of item %(n)s"), _("Speaker of item %(n)s"),
                    _("Minutes of item %(n)s"))
        return [tuple(pattern % {"n": n} for pattern in patterns)
                for n in range(1, len(self.sessions) + 1)]

    def sessions_data(self) -> list[dict]:
        """The agenda rows that were filled in, in order."""
        return [
            {"topic": row.topic.data, "speaker": row.speaker.data, "minutes": row.minutes.data}
            for row in (entry.form for entry in self.sessions)
            if not row.is_blank()
        ]


class AttendanceForm(FlaskForm):
    """How many people actually came."""

    actual_attendance = IntegerField(
        _l("Actual participants"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_ATTENDANCE)],
    )
    submit = SubmitField(_l("Report attendance"))
