"""Forms of the catalogues regulators work with: review reasons and claims-checker phrases."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from ..admin.forms import _taken, strip
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..labels import KIND_LABELS
from ..meetings.claims import same_phrase
from ..meetings.labels import CLAIM_CATEGORY_LABELS
from ..models import ClaimCategory, FilingKind, ReviewReason


class ReasonForm(FlaskForm):
    """Add or edit a reason for returning or rejecting a filing (administrators)."""

    text_zh = StringField(
        _l("Reason in Chinese"), [DataRequired(), Length(max=100)], filters=[strip],
        description=_l("The enterprise sees this text; decisions already taken keep the "
                       "text they were given."),
    )
    text_en = StringField(
        _l("Reason in English"), [DataRequired(), Length(max=200)], filters=[strip]
    )
    kinds = SelectMultipleField(
        _l("Offered for"),
        choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in FilingKind],
        render_kw={"size": len(FilingKind)},
        description=_l("Choose none to offer the reason for every kind of filing."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, reason: ReviewReason | None = None, **kwargs):
        super().__init__(*args, obj=reason, **kwargs)
        self.reason = reason

    def validate_text_zh(self, field):
        if _taken(ReviewReason.text_zh, field.data, self.reason):
            raise ValidationError(_l("The catalogue already holds a reason with this text."))

    def values(self) -> dict:
        """The arguments of ``reasons.create_reason`` / ``update_reason``."""
        return {"text_zh": self.text_zh.data, "text_en": self.text_en.data,
                "kinds": list(self.kinds.data or [])}


class ClaimPhraseForm(FlaskForm):
    """Add a phrase the claims checker looks for (regulators and administrators)."""

    phrase = StringField(
        _l("Phrase"), [DataRequired(), Length(max=64)], filters=[strip],
        description=_l("Found in titles, agendas and PDF materials whatever the case, "
                       "full-width or half-width characters and spaces."),
    )
    category = SelectField(
        _l("What it signals"), coerce=ClaimCategory,
        choices=[SelectChoice(c.value, CLAIM_CATEGORY_LABELS[c]) for c in ClaimCategory],
    )
    submit = SubmitField(_l("Add phrase"))

    def validate_phrase(self, field):
        existing = same_phrase(field.data or "")
        if existing is not None:
            raise ValidationError(duplicate_message(existing))


def duplicate_message(existing) -> str:
    """Why a phrase is refused: the list holds it, perhaps switched off."""
    if existing.is_active:
        return _("The list already holds the phrase “%(phrase)s”.", phrase=existing.phrase)
    return _("The list already holds the phrase “%(phrase)s”, deactivated: reactivate it "
             "instead.", phrase=existing.phrase)
