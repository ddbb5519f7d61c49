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
    FilingFlag,
    FilingKind,
    FilingSequence,
    FlagCategory,
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

__all__ = [
    "AuditEvent",
    "ClaimCategory",
    "ClaimPhrase",
    "Degree",
    "Document",
    "Filing",
    "FilingEvent",
    "FilingFlag",
    "FilingKind",
    "FilingSequence",
    "FlagCategory",
    "Meeting",
    "MeetingKind",
    "MeetingSession",
    "NUMBER_PREFIXES",
    "Outlet",
    "ReturnPolicy",
    "ReviewReason",
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
