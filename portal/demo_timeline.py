"""Spread the demo's filing histories over the past weeks (fictional, deterministic).

The demo seeders take every filing through its workflow in one go, so all events would carry
the same minute and every dashboard figure would sit in the current week. Here each freshly
seeded filing's events are moved back in time, a few days apart, ending up to three weeks ago
(a meeting's history ends before the meeting starts), and the filing's submitted / decided
times follow. Filings whose history is older than two hours are left alone, so re-running the
seeding changes nothing. The audit log is not touched: it records when the demo was seeded.
"""

import hashlib
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import Filing, FilingKind, Meeting, utcnow
from .rules.workflow import Status

SUBMISSIONS = {"submit", "resubmit", "amend"}
DECISIONS = {"approve", "return", "reject"}


def spread(now=None) -> int:
    """Move the fresh demo histories back; returns how many filings were moved."""
    now = now or utcnow()
    fresh_since = now - timedelta(hours=2)
    starts = dict(db.session.execute(select(Meeting.filing_id, Meeting.starts_at)).all())
    moved = 0
    filings = db.session.scalars(
        select(Filing).options(selectinload(Filing.events)).order_by(Filing.id))
    for filing in filings:
        events = sorted(filing.events, key=lambda e: e.id)
        if not events or any(e.created_at < fresh_since for e in events):
            continue
        digest = hashlib.sha256(filing.number.encode()).digest()
        end = now
        if filing.kind is FilingKind.MEETING and filing.id in starts:
            end = min(end, starts[filing.id] - timedelta(days=1))
        moment = end - timedelta(days=digest[0] % 21, hours=digest[1] % 9, minutes=digest[2])
        times = []
        for n in range(len(events)):
            times.append(moment)
            moment -= timedelta(days=1 + digest[3 + n % 20] % 6, hours=digest[4 + n % 20] % 8)
        for event, when in zip(events, reversed(times), strict=True):
            event.created_at = when
        filing.created_at = events[0].created_at - timedelta(hours=2)
        submitted = [e.created_at for e in events if e.action in SUBMISSIONS]
        if submitted:
            filing.submitted_at = submitted[-1]
        decided = [e.created_at for e in events if e.action in DECISIONS]
        if decided and filing.status in {Status.APPROVED, Status.RETURNED, Status.REJECTED}:
            filing.decided_at = decided[-1]
        filing.updated_at = events[-1].created_at
        moved += 1
    db.session.flush()
    return moved
