"""System administration: bureaus, enterprises, users."""

from .views import bp

__all__ = ["bp"]
