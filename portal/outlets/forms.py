"""The outlet registration form."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..filings.forms import VersionField, validate_phone
from ..i18n import lazy_gettext as _l
from ..labels import PREMISES_LABELS
from ..rules.premises import Premises


class OutletForm(FlaskForm):
    """Name, premises, place, contact and proof of premises of a service outlet."""

    name = StringField(_l("Outlet name"), validators=[DataRequired(), Length(max=128)])
    premises_type = SelectField(
        _l("Type of premises"),
        choices=[SelectChoice(p.value, PREMISES_LABELS[p]) for p in Premises],
        validators=[DataRequired()],
        description=_l("Outlets may not be in homes, residential compounds, schools, hospitals, "
                       "military sites or government offices."),
    )
    region_code = SelectField(_l("District"), validators=[DataRequired()])
    address = StringField(_l("Address"), validators=[DataRequired(), Length(max=255)])
    person_in_charge = StringField(
        _l("Person in charge"), validators=[DataRequired(), Length(max=64)]
    )
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=32), validate_phone])
    opening_hours = StringField(
        _l("Opening hours"),
        validators=[DataRequired(), Length(max=128)],
        description=_l("For example: Monday to Saturday 9:00–18:00"),
    )
    proof = FileField(
        _l("Proof of premises"),
        description=_l("Lease or title deed as PDF, or a photo (JPEG, PNG)."),
    )
    proof_document_id = HiddenField()
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def data_for_model(self) -> dict:
        """The validated fields, typed for the Outlet model."""
        return {
            "name": self.name.data.strip(),
            "premises_type": Premises(self.premises_type.data),
            "address": self.address.data.strip(),
            "region_code": self.region_code.data,
            "person_in_charge": self.person_in_charge.data.strip(),
            "phone": self.phone.data,
            "opening_hours": self.opening_hours.data.strip(),
        }


class ImportForm(FlaskForm):
    """One CSV or Excel file with many outlets."""

    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a CSV or Excel (.xlsx) file."))],
        description=_l("A CSV file (UTF-8 or GB18030) or an Excel workbook (.xlsx), one outlet "
                       "per row."),
    )
    submit = SubmitField(_l("Check and import"))
