"""The audit log is append-only and its hash chain exposes tampering."""

import pytest
from sqlalchemy import select, update

from portal import audit
from portal.extensions import db
from portal.models import AuditEvent, User


def test_every_creation_is_audited_with_its_actor(world, app_ctx):
    admin = db.session.get(User, world.users["admin"])
    event = audit.record("test.action", admin, actor=admin, note="見")
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.actor_name, stored.action) == ("admin", "test.action")
    assert (stored.object_type, stored.object_id) == ("User", str(admin.id))
    assert stored.details == {"note": "見"}
    assert audit.verify()[1] is None


def test_verify_finds_the_first_changed_row(world, app_ctx):
    count, broken = audit.verify()
    assert broken is None and count > 5
    target = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id).offset(3)).first()
    db.session.execute(  # a change made behind the portal's back, straight in SQL
        update(AuditEvent).where(AuditEvent.id == target.id).values(action="auth.logout")
    )
    db.session.commit()
    count, broken = audit.verify()
    assert broken.id == target.id and count == 4


def test_verify_finds_a_deleted_row(world, app_ctx):
    ids = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.id == ids[2]))
    db.session.commit()
    assert audit.verify()[1].id == ids[3]


def test_orm_refuses_to_change_or_delete_events(world, app_ctx):
    event = db.session.scalars(select(AuditEvent)).first()
    event.action = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditEvent)).first())
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()


def test_cli_audit_verify_exit_codes(world, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output
    with app.app_context():
        db.session.execute(update(AuditEvent).values(actor_name="mallory"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN" in result.output
