"""Translated names of the policy's return places, version roles and key terms."""

from babel.lists import format_list
from flask_babel import get_locale

from ..i18n import lazy_gettext as _l
from ..rules.policies import ReturnPlace, VersionRole

RETURN_PLACE_LABELS = {
    ReturnPlace.ENTERPRISE: _l("The enterprise"),
    ReturnPlace.BRANCH: _l("Its branches"),
    ReturnPlace.OUTLET: _l("Its service outlets"),
    ReturnPlace.SELLER: _l("The direct seller who sold the product"),
}

# The same places inside a sentence or a list ("… leaves out: its branches and …").
RETURN_PLACE_NAMES = {
    ReturnPlace.ENTERPRISE: _l("the enterprise"),
    ReturnPlace.BRANCH: _l("its branches"),
    ReturnPlace.OUTLET: _l("its service outlets"),
    ReturnPlace.SELLER: _l("the direct seller who sold the product"),
}

VERSION_ROLE_LABELS = {
    VersionRole.CURRENT: _l("Current version"),
    VersionRole.PREVIOUS: _l("Previous version"),
    VersionRole.SCHEDULED: _l("Approved, not yet in effect"),
}

TERM_LABELS = {
    "title": _l("Title"),
    "consumer_return_days": _l("Consumer return window"),
    "seller_return_days": _l("Direct seller return window"),
    "requires_unopened": _l("Product must be unopened"),
    "refund_days": _l("Refund or exchange within"),
    "return_places": _l("Where consumers may return"),
    "contact": _l("Contact for returns"),
    "effective_on": _l("Effective from"),
    "document": _l("Policy document"),
}

_CODES = frozenset(p.value for p in ReturnPlace)


class PlaceList:
    """Return places as a translated list, worded when shown (in the page's language)."""

    def __init__(self, codes):
        self.codes = tuple(codes)

    def __str__(self) -> str:
        names = [str(RETURN_PLACE_NAMES[ReturnPlace(c)]) for c in self.codes if c in _CODES]
        return format_list(names, locale=get_locale() or "en") if names else ""

    def __eq__(self, other):
        return isinstance(other, PlaceList) and other.codes == self.codes

    def __hash__(self):
        return hash(self.codes)


def place_names(codes) -> str:
    """The translated names of *codes*, as one list."""
    return str(PlaceList(codes))
