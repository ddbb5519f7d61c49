"""The demo notices: every state for both demo enterprises and bureaus, one overdue."""

from collections import Counter

from sqlalchemy import select

from portal import demo_notices
from portal.extensions import db
from portal.models import Notice, NoticeStatus
from portal.notices import operations


def test_demo_notices_cover_every_state_in_both_bureaus(demo_app):
    with demo_app.app_context():
        assert demo_notices.seed() == 0  # seeded already: re-running adds nothing
        notices = db.session.scalars(select(Notice)).all()
        by_bureau = {}
        for notice in notices:
            by_bureau.setdefault(notice.bureau.short_name, Counter())[notice.status] += 1
        assert set(by_bureau) == {"晋城市监", "并市监"}
        assert set().union(*by_bureau.values()) == set(NoticeStatus)
        assert sum(operations.is_overdue(n) for n in notices) >= 1
        assert any(n.pending_extension for n in notices)
        assert any(n.check_id for n in notices) and any(n.filing_id for n in notices)
        escalated = [n for n in notices if n.status is NoticeStatus.ESCALATED]
        assert escalated and all("建议依法立案调查" in n.referral for n in escalated)
        for bureau_id in {n.bureau_id for n in notices}:  # numbers 1..n, no gaps
            seqs = sorted(n.sequence for n in notices if n.bureau_id == bureau_id)
            assert seqs == list(range(1, len(seqs) + 1))
    client = demo_app.test_client()
    client.post("/auth/login", data={"username": "demo-enterprise2",
                                     "password": "First-demo-123"})
    page = client.get("/notices/?lang=en").get_data(as_text=True)
    assert "Rectification notices" in page and "并市监责改" in page and "晋城市监责改" not in page
