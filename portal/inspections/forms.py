"""Spot-check forms: a plan (what to draw from, how many, which items, when)."""

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..admin.forms import strip
from ..i18n import lazy_gettext as _l
from ..models import TargetKind
from ..rules.sampling import MIN_INSPECTORS_PER_TARGET
from ..widgets import DateField

TARGET_KIND_LABELS = {
    TargetKind.ENTERPRISE: _l("Direct-selling enterprises"),
    TargetKind.OUTLET: _l("Service outlets"),
}


class PlanForm(FlaskForm):
    name = StringField(_l("Plan name"), filters=[strip],
                       validators=[DataRequired(), Length(max=200)])
    target_kind = SelectField(
        _l("What is checked"),
        choices=[SelectChoice(k.value, TARGET_KIND_LABELS[k]) for k in TargetKind],
    )
    region_code = SelectField(_l("Area"), description=_l(
        "Targets are drawn from the roster of this area."))
    sample_mode = RadioField(
        _l("Sample"), choices=[SelectChoice("count", _l("A number of targets")),
                               SelectChoice("ratio", _l("A share of the roster (%)"))],
        default="count",
    )
    sample_count = IntegerField(_l("Number of targets"), validators=[
        Optional(), NumberRange(min=1, max=100_000)])
    sample_percent = DecimalField(_l("Share of the roster (%)"), places=2, validators=[
        Optional(), NumberRange(min=Decimal("0.01"), max=Decimal(100))])
    per_target = IntegerField(
        _l("Inspectors per target"), default=MIN_INSPECTORS_PER_TARGET,
        validators=[InputRequired(), NumberRange(min=MIN_INSPECTORS_PER_TARGET, max=10)],
        description=_l("At least two (PROC Art. 22)."),
    )
    window_start = DateField(_l("Inspections from"), validators=[InputRequired()])
    window_end = DateField(_l("Inspections until"), validators=[InputRequired()])
    item_ids = SelectMultipleField(
        _l("Check items"), coerce=int,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Save the plan"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.sample_mode.data == "count" and self.sample_count.data is None:
            self.sample_count.errors = [*self.sample_count.errors,
                                        _l("Enter the number of targets.")]
            valid = False
        if self.sample_mode.data == "ratio" and self.sample_percent.data is None:
            self.sample_percent.errors = [*self.sample_percent.errors,
                                          _l("Enter the share of the roster.")]
            valid = False
        if not self.item_ids.data:
            self.item_ids.errors = [*self.item_ids.errors, _l("Choose at least one check item.")]
            valid = False
        if (self.window_start.data and self.window_end.data
                and self.window_end.data < self.window_start.data):
            self.window_end.errors = [*self.window_end.errors,
                                      _l("The window ends before it starts.")]
            valid = False
        return valid
