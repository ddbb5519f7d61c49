"""The demo supervisions: both bureaus, every state, demo-inspector one click from a sheet."""

from collections import Counter

from sqlalchemy import select

from portal import demo_supervision
from portal.extensions import db
from portal.models import Conclusion, Supervision, SupervisionStatus, User, utcnow


def test_demo_supervisions(demo_app):
    with demo_app.app_context():
        assert demo_supervision.seed() == 0  # re-running adds nothing
        rows = db.session.scalars(select(Supervision)).all()
        assert len(rows) == sum(len(r) for r in demo_supervision.PLAN.values())
        by_bureau = {}
        for s in rows:
            by_bureau.setdefault(s.bureau.short_name, Counter())[s.status] += 1
        assert set(by_bureau) == {"晋城市监", "并市监"}
        for counts in by_bureau.values():
            assert set(counts) == set(SupervisionStatus)
        now = utcnow()
        for s in rows:  # nothing happened in the future
            assert s.marked_at <= now
            assert s.cancelled_at is None or s.marked_at <= s.cancelled_at <= now
            decided_at = s.meeting.filing.decided_at
            if s.status is SupervisionStatus.CANCELLED and decided_at is not None:
                assert decided_at <= s.marked_at  # marked once the meeting was approved
            assert s.completed_at is None or s.completed_at <= now
        done = [s for s in rows if s.status is SupervisionStatus.DONE]
        assert all(s.photos and s.observations and s.completed_at for s in done)
        assert {Conclusion.CONCERNS, Conclusion.COMPLIANT} <= {s.conclusion for s in done}
        for s in rows:  # the meeting lies in the bureau's jurisdiction
            assert s.meeting.filing.region_code.startswith(s.bureau.jurisdiction_prefix)
            assert all(u.bureau_id == s.bureau_id for u in s.staff)
        inspector = db.session.scalar(select(User).where(User.username == "demo-inspector"))
        planned = [s.id for s in rows if s.status is SupervisionStatus.PLANNED
                   and inspector in s.staff]
        assert planned
    client = demo_app.test_client()
    client.post("/auth/login", data={"username": "demo-inspector",
                                     "password": "First-demo-123"})
    mine = client.get("/supervision/mine").get_data(as_text=True)
    assert f"/supervision/{planned[0]}/sheet.pdf" in mine
    sheet = client.get(f"/supervision/{planned[0]}/sheet.pdf")
    assert sheet.status_code == 200 and sheet.data.startswith(b"%PDF")
