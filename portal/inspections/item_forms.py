"""The administrators' form for one check item of the check-item list (抽查事项清单)."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Regexp,
    ValidationError,
)

from ..admin.forms import _taken, strip
from ..i18n import lazy_gettext as _l
from ..legal import BASIS
from ..models import CheckItem

FIELDS = ("code", "category_zh", "category_en", "text_zh", "text_en", "basis", "position")


def upper(value):
    return value.upper() if isinstance(value, str) else value


class CheckItemForm(FlaskForm):
    """Add or edit a check item; results already recorded keep pointing at it."""

    code = StringField(
        _l("Code"), [DataRequired(), Length(max=16),
                     Regexp(r"^[A-Z0-9-]+$", message=_l("Letters, digits and hyphens only."))],
        filters=[strip, upper], description=_l("Short and unique, e.g. A11."),
    )
    category_zh = StringField(_l("Category in Chinese"), [DataRequired(), Length(max=64)],
                              filters=[strip])
    category_en = StringField(_l("Category in English"), [DataRequired(), Length(max=128)],
                              filters=[strip])
    text_zh = StringField(_l("Item in Chinese"), [DataRequired(), Length(max=255)],
                          filters=[strip])
    text_en = StringField(_l("Item in English"), [DataRequired(), Length(max=400)],
                          filters=[strip])
    basis = SelectField(_l("Legal basis"),
                        choices=[SelectChoice(key, label) for key, label in BASIS.items()])
    position = IntegerField(
        _l("Position"), [InputRequired(), NumberRange(min=0, max=100_000)], default=100,
        description=_l("Items are listed and printed in this order (smaller first)."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, item: CheckItem | None = None, **kwargs):
        super().__init__(*args, obj=item, **kwargs)
        self.item = item

    def validate_code(self, field):
        if _taken(CheckItem.code, field.data, self.item):
            raise ValidationError(_l("Another check item already has this code."))

    def values(self) -> dict:
        """The arguments of ``items.create_item`` / ``items.update_item``."""
        return {name: getattr(self, name).data for name in FIELDS}
