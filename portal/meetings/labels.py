"""Translated labels of the meeting enums, available in every template."""

from ..i18n import lazy_gettext as _l
from ..models import ClaimCategory, MeetingKind

MEETING_KIND_LABELS = {
    MeetingKind.BUSINESS_TRAINING: _l("Business training"),
    MeetingKind.EXAM: _l("Exam"),
    MeetingKind.PRODUCT_PRESENTATION: _l("Product presentation"),
}

# What each phrase of the claims checker signals (the catalogue's categories).
CLAIM_CATEGORY_LABELS = {
    ClaimCategory.FALSE_PRODUCT_CLAIM: _l("Exaggerated or false product claim"),
    ClaimCategory.INCOME_PROMISE: _l("Touting income or easy success"),
    ClaimCategory.DISPARAGING: _l("Disparaging competitors"),
    ClaimCategory.PRESSURE_TO_BUY: _l("Pressure to buy"),
    ClaimCategory.DISGUISED_TRAINING: _l("Training under another name"),
}
