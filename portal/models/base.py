"""Column types and helpers every model uses."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC (identical on SQLite and PostgreSQL); returns aware UTC datetimes.

    Display converts to Asia/Shanghai through Babel; storage never holds local times.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime (utcnow())")
        return value.astimezone(UTC).replace(tzinfo=None)

    def result_processor(self, dialect, coltype):
        """Aware UTC datetimes from what the driver returns, cheaply (lists read a few hundred
        datetimes a page): SQLite's stored text ("2026-12-04 06:30:00.000000") is read
        with its zone in one step, instead of parsed and then given the zone; PostgreSQL's
        naive datetimes are given the zone positionally (``replace(tzinfo=)`` with a keyword
        costs more than building the datetime anew)."""
        if dialect.name == "sqlite":
            def from_text(value):
                if value is None:
                    return None
                if isinstance(value, str):
                    return datetime.fromisoformat(value + "+00:00")
                return value.replace(tzinfo=UTC)  # a datetime the driver made itself
            return from_text

        def aware(value):
            if value is None:
                return None
            return datetime(value.year, value.month, value.day, value.hour, value.minute,
                            value.second, value.microsecond, UTC)
        return aware
