"""Demo trainers: every state for both demo enterprises, re-runnable, approved ones eligible."""

from collections import Counter

from sqlalchemy import select

from portal import demo_trainers
from portal.extensions import db
from portal.models import Enterprise, Filing, FilingKind, Trainer
from portal.rules.problems import errors
from portal.trainers import operations


def test_demo_trainers_cover_every_state_and_rerunning_adds_nothing(demo_app):
    with demo_app.app_context():  # seed-demo made the trainers among the rest
        assert demo_trainers.seed() == 0
        assert len(db.session.scalars(select(Trainer)).all()) == 16
        for prefix in demo_trainers.TRAINERS:
            enterprise = db.session.scalar(
                select(Enterprise).where(Enterprise.credit_code.like(prefix + "%")))
            filings = db.session.scalars(select(Filing).where(
                Filing.enterprise_id == enterprise.id, Filing.kind == FilingKind.TRAINER)).all()
            states = Counter(f.status.value for f in filings)
            assert states == {"approved": 3, "returned": 1, "rejected": 1, "draft": 1,
                              "submitted": 1, "withdrawn": 1}
            assert all(f.region_code == enterprise.region_code for f in filings)
            for filing in filings:
                trainer = db.session.get(Trainer, filing.id)
                if filing.status.value in ("approved", "submitted", "returned"):
                    assert errors(operations.problems(trainer)) == []
            returned = next(f for f in filings if f.status.value == "returned")
            assert "不满1年" in returned.events[-1].reasons[0]
