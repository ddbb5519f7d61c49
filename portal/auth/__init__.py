"""Signing in and out, and changing one's own password."""

from .views import bp

__all__ = ["bp"]
