"""`flask seed-demo`: realistic, re-runnable, one login per role."""

from sqlalchemy import func, select
from stdnum.cn import uscc

from portal.extensions import db
from portal.models import Bureau, Enterprise, Role, User
from portal.navigation import HOME_ENDPOINTS


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in
                 (Bureau, Enterprise, User))


def test_seed_demo_is_safe_to_rerun_and_resets_passwords(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--password", "First-demo-123"])
    assert result.exit_code == 0, result.output
    assert "demo-regulator2" in result.output and "First-demo-123" in result.output
    with app.app_context():
        before = counts()
    result = runner.invoke(args=["seed-demo", "--password", "Second-demo-456"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert counts() == before
        user = db.session.scalar(select(User).where(User.username == "demo-enterprise"))
        assert user.check_password("Second-demo-456")
        assert not user.check_password("First-demo-123")


def test_seed_demo_if_empty_leaves_data_alone(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo", "--password", "First-demo-123"])
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "left as it is" in result.output and "First-demo-123" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "demo-admin"))
        assert user.check_password("First-demo-123")


def test_seed_demo_generates_a_password_when_none_is_given(app, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    password = result.output.split("password for all of them:")[1].split()[0]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "demo-admin"))
        assert user.check_password(password)


def test_seeding_again_adds_no_row_anywhere(demo_app):
    from portal.filings import tally

    from .conftest import row_counts

    with demo_app.app_context():
        assert tally.drift() == {}
        after = row_counts()
    first = dict(demo_app.rows_after_first_seed)
    # The audit log grows: re-seeding resets the demo passwords, and says so.
    assert after.pop("audit_event") > first.pop("audit_event")
    assert after == first
    assert after["filing"] > 50 and after["notification"] > 0 and after["spot_check"] > 0


def test_demo_data_shape(demo_app):
    with demo_app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        assert users["demo-regulator"].bureau_id != users["demo-regulator2"].bureau_id
        assert users["demo-regulator"].bureau.region.parent_code == "140000"
        regulator, regulator2 = users["demo-regulator"], users["demo-regulator2"]
        assert regulator2.bureau.region_code != regulator.bureau.region_code
        assert users["demo-inspector"].bureau_id == users["demo-regulator"].bureau_id
        assert users["demo-enterprise"].enterprise_id != users["demo-enterprise2"].enterprise_id
        assert {u.role for u in users.values()} == set(Role)
        enterprises = db.session.scalars(select(Enterprise)).all()
        assert len(enterprises) >= 4
        assert all(uscc.is_valid(e.credit_code) for e in enterprises)


def test_every_demo_user_lands_on_a_working_home_page(demo_app):
    with demo_app.app_context():
        users = db.session.scalars(select(User).where(User.username.like("demo-%"))).all()
        roles = {u.username: u.role for u in users}
    for username, role in roles.items():
        client = demo_app.test_client()
        response = client.post(
            "/auth/login", data={"username": username, "password": "First-demo-123"}
        )
        assert response.status_code == 302, username
        home = client.get(response.headers["Location"])
        assert home.status_code == 200, username
        assert HOME_ENDPOINTS[role].split(".")[0] in response.headers["Location"]


def test_demo_outlets_cover_every_status_with_history(demo_app):
    from portal.models import Filing, FilingEvent, FilingKind
    from portal.rules.workflow import Status

    with demo_app.app_context():
        rows = db.session.execute(
            select(Filing.enterprise_id, Filing.status).where(Filing.kind == FilingKind.OUTLET)
        ).all()
        assert {status for _, status in rows} == set(Status)
        assert len({enterprise for enterprise, _ in rows}) == 2
        assert len(rows) == 14  # seeding twice created them once
        returned = db.session.scalars(
            select(FilingEvent).where(FilingEvent.action == "return")).first()
        assert returned.reasons and returned.actor_name.startswith("demo-regulator")


def test_demo_has_flags_and_warnings_for_both_bureaus(demo_app):
    from portal.models import Bureau, Filing, FilingFlag

    with demo_app.app_context():
        demo_bureaus = select(User.bureau_id).where(User.username.like("demo-regulator%"))
        for bureau in db.session.scalars(select(Bureau).where(Bureau.id.in_(demo_bureaus))):
            in_area = Filing.region_code.like(bureau.jurisdiction_prefix + "%")
            flags = db.session.scalars(select(FilingFlag).join(FilingFlag.filing)
                                       .where(in_area)).all()
            assert len(flags) == 3, bureau.name_zh  # seeding twice created them once
            assert sum(f.is_open for f in flags) == 2
        assert db.session.scalar(select(func.count(Filing.id)).where(Filing.warning_count > 0))


def test_demo_has_drawn_and_draft_plans_per_bureau_that_verify(demo_app):
    from portal.inspections.operations import verify
    from portal.models import CheckPlan, PlanStatus

    with demo_app.app_context():
        plans = db.session.scalars(select(CheckPlan).order_by(CheckPlan.id)).all()
        assert len(plans) == 6  # seeding twice created them once
        assert len({p.bureau_id for p in plans}) == 2
        drawn = [p for p in plans if p.status is PlanStatus.DRAWN]
        assert len(drawn) == 4 and all(verify(p).ok and p.checks for p in drawn)
        assert sum(p.status is PlanStatus.DRAFT for p in plans) == 2
        inspector = db.session.scalar(select(User).where(User.username == "demo-inspector"))
        assert any(inspector in c.inspectors for p in drawn for c in p.checks)
        # Jincheng's current plan has its checklists in one PDF, made and still current.
        from portal.inspections import bundles
        from portal.models import ChecklistBundle

        [bundle] = db.session.scalars(select(ChecklistBundle)).all()
        assert bundle.plan.bureau.short_name == "晋城市监" and bundle.locale == "zh"
        assert bundles.is_current(bundle, bundle.plan) and bundle.done == len(bundle.plan.checks)


def test_demo_histories_are_spread_over_weeks_and_stay_in_order(demo_app):
    from portal.models import Filing, FilingEvent, Meeting, utcnow

    before = demo_app.events_after_first_seed
    with demo_app.app_context():
        after = dict(db.session.execute(select(FilingEvent.id, FilingEvent.created_at)).all())
        assert after == before  # re-seeding moves nothing
        now = utcnow()
        weeks = {t.isocalendar()[1] for t in after.values()}
        assert len(weeks) >= 3
        starts = dict(db.session.execute(select(Meeting.filing_id, Meeting.starts_at)).all())
        for filing in db.session.scalars(select(Filing)):
            times = [e.created_at for e in sorted(filing.events, key=lambda e: e.id)]
            if not times:
                continue  # a draft never submitted has no history
            assert times == sorted(times) and times[-1] <= now
            if filing.submitted_at:
                assert filing.submitted_at in times
            if filing.id in starts:
                assert times[-1] < starts[filing.id]


def test_demo_checks_are_in_every_state_in_both_bureaus(demo_app):
    from datetime import timedelta

    from portal.models import Check, CheckResult, CheckStatus, Verdict, utcnow
    from portal.rules.meetings import china_date
    from portal.rules.publication import due_or_none

    with demo_app.app_context():
        inspector = db.session.scalar(select(User).where(User.username == "demo-inspector"))
        today = china_date(utcnow())
        bureaus = {c.plan.bureau_id for c in db.session.scalars(select(Check))}
        assert len(bureaus) == 2
        for bureau_id in bureaus:
            checks = [c for c in db.session.scalars(select(Check)) if c.plan.bureau_id ==
                      bureau_id]
            answered = {c.id: db.session.scalars(select(CheckResult).where(
                CheckResult.check_id == c.id)).all() for c in checks}
            assigned = [c for c in checks if c.status is CheckStatus.ASSIGNED]
            assert any(not answered[c.id] for c in assigned)  # nothing recorded yet
            assert any(answered[c.id] for c in assigned)  # partly recorded
            completed = [c for c in checks if c.status is CheckStatus.COMPLETED]
            dues = [due_or_none(c.completed_at) for c in completed]
            assert any(d < today for d in dues) and any(d >= today for d in dues)
            published = [c for c in checks if c.status is CheckStatus.PUBLISHED]
            assert any(r.verdict is Verdict.FAIL and r.evidence for c in published
                       for r in answered[c.id])
            assert all(c.published_at > c.completed_at - timedelta(0) for c in published)
        mine = [c for c in db.session.scalars(select(Check)) if inspector in c.inspectors
                and c.status is CheckStatus.ASSIGNED]
        assert mine


def test_demo_has_recusals_in_every_state_and_a_redraw_that_verifies(demo_app):
    from portal.inspections.operations import verify
    from portal.inspections.redraw import verify_redraws
    from portal.models import Bureau, CheckPlan, Reassignment, Recusal

    with demo_app.app_context():
        rows = db.session.scalars(select(Recusal)).all()
        for short in ("晋城市监", "并市监"):
            bureau = db.session.scalar(select(Bureau).where(Bureau.short_name == short))
            states = {r.is_active for r in rows if r.inspector.bureau_id == bureau.id}
            assert states == {True, False}, short
        [row] = db.session.scalars(select(Reassignment)).all()  # seeding twice made one
        assert row.reason and row.old_inspector_id != row.new_inspector_id
        plan = db.session.get(CheckPlan, row.check.plan_id)
        assert verify(plan).ok and all(r.ok for r in verify_redraws(plan))
        assert row.new_inspector in row.check.inspectors
