"""Form pieces every kind of filing uses: region choices, phone numbers, the version field."""

import re

from sqlalchemy import or_, select
from wtforms import HiddenField, SelectChoice
from wtforms.validators import ValidationError

from ..extensions import db
from ..i18n import current_language
from ..i18n import lazy_gettext as _l
from ..kept import kept
from ..models import Region
from ..widgets import ChoiceList

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def validate_phone(form, field):
    """A mainland mobile number or a landline with its area code."""
    value = re.sub(r"\s", "", field.data or "")
    if not PHONE_RE.match(value):
        raise ValidationError(_l("Enter a mobile number or a landline with its area code."))
    field.data = value


# Division codes change when `flask regions load` brings a new GB/T 2260 edition (a few times a
# decade), so each process keeps the district choices of a set of provinces this long instead
# of reading and labelling some hundred divisions on every form.
DISTRICT_CHOICES_SECONDS = 600


def district_choices(enterprise) -> ChoiceList:
    """Districts of every province the enterprise is approved in, grouped by city (optgroups).

    Districts outside the approved regions are offered too, so the rule can say why they are
    refused instead of hiding them.
    """
    codes = [r.region_code for r in enterprise.approved_regions] or [enterprise.region_code]
    provinces = tuple(sorted({code[:2] for code in codes}))
    english = current_language() == "en"
    return kept("district_choices", (provinces, english), DISTRICT_CHOICES_SECONDS,
                lambda: _district_choices(provinces, english))


def _district_choices(provinces: tuple[str, ...], english: bool) -> ChoiceList:
    rows = db.session.execute(
        select(Region.code, Region.level, Region.parent_code, Region.name_zh, Region.name_en)
        .where(or_(*[Region.code.like(p + "%") for p in provinces]))
        .order_by(Region.code)
    ).all()
    # What localized() says of a division, for the language of the page.
    names = {r.code: (r.name_en if english else None) or r.name_zh for r in rows}
    return ChoiceList(
        SelectChoice(r.code, names[r.code], optgroup=names.get(r.parent_code, r.parent_code))
        for r in rows
        if r.level == 3
    )


class VersionField(HiddenField):
    """Carries the filing's version so a concurrent change is noticed on save.

    A submitted form without the field carries no version (""), which counts as stale: WTForms
    would otherwise keep the version the form was built with (its ``obj``, ``data`` or keyword
    default), and such a post would overwrite a change made meanwhile."""

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else ""
