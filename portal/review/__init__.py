"""Regulator area: the jurisdiction's enterprises and, later, the review queue."""

from .views import bp

__all__ = ["bp"]
