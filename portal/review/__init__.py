"""Regulator area: the jurisdiction's enterprises, the review queue and decisions."""

from .views import bp

__all__ = ["bp"]
