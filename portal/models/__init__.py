"""All models, imported here so Alembic and the app see every table."""

from .audit import AuditEvent
from .base import UTCDateTime, utcnow
from .catalogues import ClaimCategory, ClaimPhrase, ReviewReason
from .documents import Document
from .filings import (
    NUMBER_PREFIXES,
    Degree,
    Filing,
    FilingEvent,
    FilingKind,
    FilingSequence,
    Meeting,
    MeetingKind,
    MeetingSession,
    Outlet,
    ReturnPolicy,
    Trainer,
)
from .organisation import (
    BUREAU_ROLES,
    ENTERPRISE_ROLES,
    Bureau,
    Enterprise,
    EnterpriseRegion,
    EnterpriseStatus,
    LoginThrottle,
    Region,
    Role,
    User,
)
from .supervision import (
    Conclusion,
    Supervision,
    SupervisionStatus,
    supervision_photo,
    supervision_staff,
)

__all__ = [
    "AuditEvent",
    "ClaimCategory",
    "ClaimPhrase",
    "Degree",
    "Document",
    "Filing",
    "FilingEvent",
    "FilingKind",
    "FilingSequence",
    "Meeting",
    "MeetingKind",
    "MeetingSession",
    "NUMBER_PREFIXES",
    "Outlet",
    "ReturnPolicy",
    "ReviewReason",
    "Conclusion",
    "Supervision",
    "SupervisionStatus",
    "supervision_photo",
    "supervision_staff",
    "Trainer",
    "BUREAU_ROLES",
    "Bureau",
    "ENTERPRISE_ROLES",
    "Enterprise",
    "EnterpriseRegion",
    "EnterpriseStatus",
    "LoginThrottle",
    "Region",
    "Role",
    "UTCDateTime",
    "User",
    "utcnow",
]
