"""Inspector area: assigned spot checks."""

from .views import bp

__all__ = ["bp"]
