"""The demo policies: every state for both demo enterprises, a current version, re-runnable."""

from collections import Counter

from sqlalchemy import select

from portal import demo_policies
from portal.extensions import db
from portal.models import Enterprise, Filing, FilingKind, ReturnPolicy
from portal.policies.operations import current_policy, problems, roles_of
from portal.rules.policies import VersionRole
from portal.rules.workflow import Status
from portal.storage import get_store


def test_demo_policies_cover_every_state_and_can_be_seeded_again(demo_app):
    with demo_app.app_context():  # seed-demo made the policies among the rest
        check_demo_policies()


def check_demo_policies():
    assert len(db.session.scalars(select(ReturnPolicy)).all()) == 12
    for prefix in demo_policies.POLICIES:
        enterprise = db.session.scalar(
            select(Enterprise).where(Enterprise.credit_code.like(prefix + "%")))
        filings = db.session.scalars(select(Filing).where(
            Filing.enterprise_id == enterprise.id,
            Filing.kind == FilingKind.RETURN_POLICY)).all()
        states = Counter(f.status for f in filings)
        assert states[Status.APPROVED] == 2
        for status in (Status.DRAFT, Status.RETURNED, Status.REJECTED):
            assert states[status] == 1
        assert all(f.region_code == enterprise.region_code for f in filings)
        roles = roles_of(enterprise.id)
        assert sorted(roles.values()) == sorted([VersionRole.CURRENT, VersionRole.PREVIOUS])
        current = current_policy(enterprise.id)
        assert "修订" in current.title
        returned = next(f for f in filings if f.status is Status.RETURNED)
        assert "第二十五条" in returned.events[-1].reasons[0]
        for filing in filings:
            policy = db.session.get(ReturnPolicy, filing.id)
            if policy.document is not None:
                with get_store().open(policy.document.sha256) as pdf:
                    assert pdf.read(5) == b"%PDF-"
            # Only drafts break a rule; everything that reached the bureau passed them.
            blocking = [p for p in problems(policy) if p.is_error]
            assert bool(blocking) == (filing.status is Status.DRAFT), filing.title
    assert demo_policies.seed() == 0
