"""All models, imported here so Alembic and the app see every table."""

from .audit import AuditEvent
from .base import UTCDateTime, utcnow
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
