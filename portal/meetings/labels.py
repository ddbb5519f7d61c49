"""Translated labels of the meeting enums, available in every template."""

from flask_babel import lazy_gettext as _l

from ..models import MeetingKind

MEETING_KIND_LABELS = {
    MeetingKind.BUSINESS_TRAINING: _l("Business training"),
    MeetingKind.EXAM: _l("Exam"),
    MeetingKind.PRODUCT_PRESENTATION: _l("Product presentation"),
}
