"""Concurrent writes are all kept (SQLite: WAL + BEGIN IMMEDIATE; PostgreSQL: locks/upserts).

Sixteen sign-in attempts at once each read and extend the audit hash chain and bump the
failure counter: a lost update would show as a short count or a broken chain.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from portal import audit
from portal.extensions import db
from portal.models import AuditEvent, LoginThrottle

N = 16


@pytest.fixture
def no_lockout(app):
    saved = app.config["LOGIN_MAX_FAILURES"]
    app.config["LOGIN_MAX_FAILURES"] = 10_000
    yield
    app.config["LOGIN_MAX_FAILURES"] = saved


def run_at_once(work, n=N):
    """Run *work* in *n* threads released together; return their results."""
    barrier = threading.Barrier(n)

    def task(i):
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(task, range(n)))


def test_concurrent_failed_logins_are_all_counted_and_chained(world, app, no_lockout):
    def attempt(_):
        client = app.test_client()
        response = client.post(
            "/auth/login", data={"username": "regulator", "password": "wrong-password-1"}
        )
        return response.status_code

    assert run_at_once(attempt) == [200] * N
    with app.app_context():
        assert db.session.get(LoginThrottle, "regulator").failures == N
        failed = select(func.count()).where(AuditEvent.action == "auth.login_failed")
        assert db.session.scalar(failed) == N
        checked, broken = audit.verify()
        assert broken is None


def test_concurrent_audit_appends_from_background_work_keep_one_chain(world, app):
    def append(i):
        with app.app_context():
            audit.record("test.concurrent_append", n=i)
            db.session.commit()
        return i

    run_at_once(append)
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "test.concurrent_append")
        ).all()
        assert sorted(r.details["n"] for r in rows) == list(range(N))
        assert len({r.prev_hash for r in rows}) == N  # nobody chained onto the same row
        assert audit.verify()[1] is None
