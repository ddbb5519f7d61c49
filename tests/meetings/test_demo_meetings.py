"""The demo meetings: every state for both demo enterprises, warnings to see, safe to re-run."""

from collections import Counter

from sqlalchemy import select

from portal import demo_meetings
from portal.extensions import db
from portal.meetings import operations as meeting_ops
from portal.models import Enterprise, Filing, FilingKind, Meeting, utcnow
from portal.rules.workflow import Status


def test_demo_meetings(demo_app):
    with demo_app.app_context():
        # seed-demo already made them; seeding again adds nothing.
        assert demo_meetings.seed() == 0
        total = len(db.session.scalars(select(Meeting)).all())
        assert total == sum(len(rows) for rows in demo_meetings.MEETINGS.values())
        now = utcnow()
        for code_prefix in demo_meetings.MEETINGS:
            enterprise = db.session.scalar(
                select(Enterprise).where(Enterprise.credit_code.like(code_prefix + "%")))
            rows = db.session.scalars(
                select(Meeting).join(Filing, Filing.id == Meeting.filing_id)
                .where(Filing.enterprise_id == enterprise.id)).all()
            states = Counter(m.filing.status for m in rows)
            assert set(states) == set(Status)
            past = [m for m in rows if m.filing.status is Status.APPROVED and m.ends_at < now]
            assert any(m.actual_attendance is None for m in past)
            assert any(m.actual_attendance is not None for m in past)
            assert any(m.starts_at > now and m.filing.status is Status.APPROVED for m in rows)
            outlets = meeting_ops.approved_outlet_districts(enterprise.id)
            warnings = []
            for meeting in rows:
                found = meeting_ops.problems(meeting)
                warnings += [p.code for p in found if not p.is_error]
                if meeting.filing.status in (Status.APPROVED, Status.SUBMITTED):
                    # What was filed and accepted passes the rules as filed.
                    assert [p.code for p in found if p.is_error] == [], meeting.title
                    assert meeting.region_code in outlets
                    assert meeting.trainers
            assert any(code.startswith("claim_") for code in warnings)
            returned = next(m for m in rows if m.filing.status is Status.RETURNED)
            assert returned.filing.events[-1].reasons
        assert db.session.scalar(select(Filing).where(Filing.kind == FilingKind.MEETING,
                                                      Filing.title == "营养补充剂产品知识讲解"))
