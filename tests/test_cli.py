"""`flask create-user` and `flask regions load`."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Region, Role, User


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_create_user_makes_an_administrator(app):
    result = invoke(app, "create-user", "--username", "Root-Admin", "--display-name", "管理员",
                    "--role", "admin", "--password", "Long-enough-9")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "root-admin"))
        assert user.role is Role.ADMIN and user.check_password("Long-enough-9")
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created"))


def test_create_user_refuses_a_weak_password(app):
    result = invoke(app, "create-user", "--username", "x", "--display-name", "x",
                    "--role", "admin", "--password", "short")
    assert result.exit_code != 0 and "too_short" in result.output


def test_create_user_needs_the_organisation_its_role_belongs_to(app):
    result = invoke(app, "create-user", "--username", "reg", "--display-name", "x",
                    "--role", "regulator", "--password", "Long-enough-9")
    assert result.exit_code != 0 and "--bureau-id" in result.output


def test_regions_load_is_idempotent_and_complete(app):
    assert "regions loaded" in invoke(app, "regions", "load").output
    assert "regions loaded" in invoke(app, "regions", "load").output
    with app.app_context():
        by_level = dict(db.session.execute(
            select(Region.level, func.count()).group_by(Region.level)).all())
        assert by_level[1] >= 31 and by_level[2] >= 330 and by_level[3] >= 2800
        assert db.session.get(Region, "140525").name_zh == "泽州县"
        assert db.session.get(Region, "140525").parent_code == "140500"
