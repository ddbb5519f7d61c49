"""Enterprise area: the enterprise's own profile, filings and staff."""

from .views import bp

__all__ = ["bp"]
