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


def test_demo_data_shape(app):
    app.test_cli_runner().invoke(args=["seed-demo", "--password", "First-demo-123"])
    with app.app_context():
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


def test_every_demo_user_lands_on_a_working_home_page(app):
    app.test_cli_runner().invoke(args=["seed-demo", "--password", "First-demo-123"])
    with app.app_context():
        users = db.session.scalars(select(User).where(User.username.like("demo-%"))).all()
        roles = {u.username: u.role for u in users}
    for username, role in roles.items():
        client = app.test_client()
        response = client.post(
            "/auth/login", data={"username": username, "password": "First-demo-123"}
        )
        assert response.status_code == 302, username
        home = client.get(response.headers["Location"])
        assert home.status_code == 200, username
        assert HOME_ENDPOINTS[role].split(".")[0] in response.headers["Location"]


def test_demo_outlets_cover_every_status_with_history(app):
    from portal.models import Filing, FilingEvent, FilingKind
    from portal.rules.workflow import Status

    app.test_cli_runner().invoke(args=["seed-demo", "--password", "First-demo-123"])
    app.test_cli_runner().invoke(args=["seed-demo", "--password", "First-demo-123"])
    with app.app_context():
        rows = db.session.execute(
            select(Filing.enterprise_id, Filing.status).where(Filing.kind == FilingKind.OUTLET)
        ).all()
        assert {status for _, status in rows} == set(Status)
        assert len({enterprise for enterprise, _ in rows}) == 2
        assert len(rows) == 14  # seeding twice created them once
        returned = db.session.scalars(
            select(FilingEvent).where(FilingEvent.action == "return")).first()
        assert returned.reasons and returned.actor_name.startswith("demo-regulator")


def test_demo_has_flags_and_warnings_for_both_bureaus(app):
    from portal.models import Bureau, Filing, FilingFlag

    app.test_cli_runner().invoke(args=["seed-demo", "--password", "First-demo-123"])
    app.test_cli_runner().invoke(args=["seed-demo", "--password", "First-demo-123"])
    with app.app_context():
        demo_bureaus = select(User.bureau_id).where(User.username.like("demo-regulator%"))
        for bureau in db.session.scalars(select(Bureau).where(Bureau.id.in_(demo_bureaus))):
            in_area = Filing.region_code.like(bureau.jurisdiction_prefix + "%")
            flags = db.session.scalars(select(FilingFlag).join(FilingFlag.filing)
                                       .where(in_area)).all()
            assert len(flags) == 3, bureau.name_zh  # seeding twice created them once
            assert sum(f.is_open for f in flags) == 2
        assert db.session.scalar(select(func.count(Filing.id)).where(Filing.warning_count > 0))


def test_demo_has_a_drawn_and_a_draft_plan_per_bureau_that_verify(app):
    from portal.inspections.operations import verify
    from portal.models import CheckPlan, PlanStatus

    app.test_cli_runner().invoke(args=["seed-demo", "--password", "First-demo-123"])
    app.test_cli_runner().invoke(args=["seed-demo", "--password", "First-demo-123"])
    with app.app_context():
        plans = db.session.scalars(select(CheckPlan).order_by(CheckPlan.id)).all()
        assert len(plans) == 4  # seeding twice created them once
        assert len({p.bureau_id for p in plans}) == 2
        drawn = [p for p in plans if p.status is PlanStatus.DRAWN]
        assert len(drawn) == 2 and all(verify(p).ok and p.checks for p in drawn)
        inspector = db.session.scalar(select(User).where(User.username == "demo-inspector"))
        assert any(inspector in c.inspectors for p in drawn for c in p.checks)
