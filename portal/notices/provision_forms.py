"""The administrators' form for one provision of the catalogue notices cite."""

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..admin.forms import _taken, strip
from ..i18n import lazy_gettext as _l
from ..inspections.item_forms import upper
from ..labels import FLAG_LABELS
from ..legal import BASIS
from ..models import LegalProvision
from .provisions import FLAG

FIELDS = ("code", "article_zh", "article_en", "penalty_zh", "penalty_en", "suggested_for",
          "position")


def _suggestion_choices() -> list[SelectChoice]:
    """Check items' legal bases, then flag categories, each as the form offers it."""
    bases = [SelectChoice(key, _l("Check items under %(basis)s", basis=label))
             for key, label in BASIS.items()]
    flags = [SelectChoice(FLAG + category.value, _l("Flag: %(category)s", category=label))
             for category, label in FLAG_LABELS.items()]
    return bases + flags


def suggestion_labels() -> dict:
    """``suggested_for`` entry -> what it means, for the catalogue's list."""
    return {choice.value: choice.label for choice in _suggestion_choices()}


class ProvisionForm(FlaskForm):
    """Add or edit a provision; notices already issued keep the text they cited."""

    code = StringField(
        _l("Code"), [DataRequired(), Length(max=16),
                     Regexp(r"^[A-Z0-9-]+$", message=_l("Letters, digits and hyphens only."))],
        filters=[strip, upper], description=_l("Short and unique, e.g. DSR-50."),
    )
    article_zh = StringField(_l("Article in Chinese"), [DataRequired(), Length(max=200)],
                             filters=[strip],
                             description=_l("The official citation and the breach, e.g. "
                                            "《直销管理条例》第五十条（未依规报告或披露信息）"))
    article_en = StringField(_l("Article in English"), [DataRequired(), Length(max=300)],
                             filters=[strip])
    penalty_zh = TextAreaField(_l("Penalty in Chinese"), [DataRequired(), Length(max=400)],
                               filters=[strip], render_kw={"rows": 2},
                             description=_l("The range the article sets; the notice states it "
                                            "as the consequence of not correcting, and an "
                                            "escalation's case referral starts from it."))
    penalty_en = TextAreaField(_l("Penalty in English"), [DataRequired(), Length(max=400)],
                               filters=[strip], render_kw={"rows": 2})
    suggested_for = SelectMultipleField(
        _l("Suggest it for"), choices=_suggestion_choices(),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description=_l("A notice issued from a check's failed items or from a flagged filing "
                       "comes with this provision ticked when an item's legal basis or a "
                       "flag's category is among these."),
    )
    position = IntegerField(
        _l("Position"), [InputRequired(), NumberRange(min=0, max=100_000)], default=100,
        description=_l("Provisions are offered and cited in this order (smaller first)."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, provision: LegalProvision | None = None, **kwargs):
        super().__init__(*args, obj=provision, **kwargs)
        self.provision = provision

    def validate_code(self, field):
        if _taken(LegalProvision.code, field.data, self.provision):
            raise ValidationError(_l("Another provision already has this code."))

    def values(self) -> dict:
        """The arguments of ``provisions.create_provision`` / ``update_provision``."""
        return {name: getattr(self, name).data for name in FIELDS}
