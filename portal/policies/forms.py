"""The return and exchange policy form: the document and its key terms."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..filings.forms import VersionField
from ..i18n import lazy_gettext as _l
from ..rules.policies import ReturnPlace
from ..widgets import DateField
from .labels import RETURN_PLACE_LABELS

# Days are small whole numbers; the upper bound keeps them inside a SMALLINT column.
DAYS = NumberRange(min=0, max=3650, message=_l("Enter a whole number of days from 0 to 3650."))
# The Direct Selling Regulation took effect in 2005; later than 2100 is a typing error.
FIRST_YEAR, LAST_YEAR = 2005, 2100


class PolicyForm(FlaskForm):
    """Title, document and key terms of a return and exchange policy (DSR Art. 25)."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        description=_l("For example: Product return and exchange policy "
                                       "(2026 edition)"))
    policy_file = FileField(_l("Policy document"), render_kw={"accept": "application/pdf,.pdf"},
                               description=_l("The policy as adopted, as a PDF file. Required "
                                           "before submitting."))
    document_id = HiddenField()
    consumer_return_days = IntegerField(
        _l("Consumer return window (days after purchase)"), validators=[InputRequired(), DAYS],
    )
    seller_return_days = IntegerField(
        _l("Direct seller return window (days after purchase)"),
        validators=[InputRequired(), DAYS],
    )
    requires_unopened = BooleanField(
        _l("Returned products must be unopened"),
        description=_l("The regulation allows requiring that products be unopened."),
    )
    refund_days = IntegerField(
        _l("Refund or exchange within (days after the request)"),
        validators=[InputRequired(), DAYS],
    )
    return_places = SelectMultipleField(
        _l("Where consumers may return"),
        choices=[SelectChoice(p.value, RETURN_PLACE_LABELS[p]) for p in ReturnPlace],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=_l("The regulation requires all four."),
    )
    contact = StringField(
        _l("Contact for returns"), validators=[DataRequired(), Length(max=255)],
        description=_l("Phone number and address where consumers and direct sellers arrange "
                       "returns."),
    )
    effective_on = DateField(_l("Effective from"), validators=[InputRequired()],
                             description=_l("File the policy before this date."))
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def show_limits(self, limits) -> None:
        """Help texts that name the configured limits of DSR Art. 25."""
        self.consumer_return_days.description = _l(
            "At least %(days)s days (Article 25 of the Direct Selling Regulation).",
            days=limits.min_consumer_return_days)
        self.seller_return_days.description = _l(
            "Direct sellers return through the enterprise, a branch or a service outlet; at "
            "least %(days)s days.", days=limits.min_seller_return_days)
        self.refund_days.description = _l(
            "At most %(days)s days (Article 25 of the Direct Selling Regulation).",
            days=limits.max_refund_days)

    def validate_effective_on(self, field):
        if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(_l("Enter a date between %(first)s and %(last)s.",
                                     first=FIRST_YEAR, last=LAST_YEAR))

    def data_for_model(self) -> dict:
        """The validated fields, typed for the ReturnPolicy model (places in a fixed order)."""
        chosen = set(self.return_places.data or ())
        return {
            "title": self.title.data.strip(),
            "consumer_return_days": self.consumer_return_days.data,
            "seller_return_days": self.seller_return_days.data,
            "requires_unopened": bool(self.requires_unopened.data),
            "refund_days": self.refund_days.data,
            "return_places": [p.value for p in ReturnPlace if p.value in chosen],
            "contact": self.contact.data.strip(),
            "effective_on": self.effective_on.data,
        }


def prefill_from(policy) -> dict:
    """Form data for a new version that starts from *policy*'s terms (not its document)."""
    return {
        "title": policy.title,
        "consumer_return_days": policy.consumer_return_days,
        "seller_return_days": policy.seller_return_days,
        "requires_unopened": policy.requires_unopened,
        "refund_days": policy.refund_days,
        "return_places": list(policy.return_places or ()),
        "contact": policy.contact,
        "effective_on": None,
    }


def blank() -> dict:
    """Defaults for a first policy: the terms the regulation asks for."""
    return {
        "consumer_return_days": 30,
        "seller_return_days": 30,
        "requires_unopened": True,
        "refund_days": 7,
        "return_places": [p.value for p in ReturnPlace],
        "effective_on": None,
    }

