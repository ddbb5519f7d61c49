"""Site-wide pages: the front door and the health check."""

from .views import bp

__all__ = ["bp"]
