"""UTCDateTime reads back what it stored, aware and in UTC, on SQLite and PostgreSQL (its
result processor reads SQLite's text and PostgreSQL's naive datetimes its own way)."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from portal.extensions import db
from portal.models import Filing


def test_datetimes_come_back_aware_in_utc_and_equal(app, world):
    stored = [datetime(2026, 12, 4, 6, 30, 1, 123456, tzinfo=UTC),
              datetime(2026, 12, 4, 14, 30, tzinfo=timezone(timedelta(hours=8))),  # 06:30 UTC
              datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC)]
    with app.app_context():
        for moment in stored:
            db.session.get(Filing, world.filing_a).submitted_at = moment
            db.session.commit()
            db.session.expire_all()
            back = db.session.scalar(select(Filing.submitted_at)
                                     .where(Filing.id == world.filing_a))
            assert back == moment and back.tzinfo is UTC
            assert back.utcoffset() == timedelta(0)
        db.session.get(Filing, world.draft_a).submitted_at = None
        db.session.commit()
        assert db.session.scalar(select(Filing.submitted_at)
                                 .where(Filing.id == world.draft_a)) is None
