"""How requests end their transactions: a reading request commits on PostgreSQL (so psycopg
keeps the statements it prepared), anything that wrote or failed rolls back."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from portal.models import LoginThrottle

from .factories import USERNAMES


@pytest.fixture
def probe_app(app_config, app):
    """An app of the test database with three routes: one reads, one leaves an object added,
    one flushes it; none commits."""
    probe = create_app(app_config)

    @probe.get("/_probe/read")
    def read():
        return str(db.session.scalar(select(func.count()).select_from(LoginThrottle)))

    @probe.get("/_probe/added")
    def added():
        db.session.add(LoginThrottle(username="probe.added", failures=1))
        return "added"

    @probe.get("/_probe/flushed")
    def flushed():
        db.session.add(LoginThrottle(username="probe.flushed", failures=1))
        db.session.flush()
        return "flushed"

    @probe.get("/_probe/updated")
    def updated():
        db.session.execute(text("UPDATE login_throttle SET username = 'probe.updated'"))
        return "updated"

    @probe.get("/_probe/failed")
    def failed():
        db.session.add(LoginThrottle(username="probe.failed", failures=1))
        db.session.flush()
        raise RuntimeError("the view failed")

    return probe


def actions(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(LoginThrottle.username)))


def test_a_reading_request_never_saves_what_it_did_not_commit(probe_app, app):
    """Whatever the database: an object added, a flush, an UPDATE or an exception in a GET
    request that did not commit leave nothing behind."""
    client = probe_app.test_client()
    with app.app_context():
        db.session.add(LoginThrottle(username="kept", failures=1))
        db.session.commit()
    assert client.get("/_probe/read").get_data(as_text=True) == "1"
    for path in ("/_probe/added", "/_probe/flushed", "/_probe/updated"):
        assert client.get(path).status_code == 200
        assert actions(app) == ["kept"]
    probe_app.testing = False  # the error handler answers 500 instead of raising
    assert client.get("/_probe/failed").status_code == 500
    assert actions(app) == ["kept"]


def test_reading_requests_keep_the_statements_psycopg_prepared(app, world, login, client,
                                                               database_url):
    """psycopg forgets its prepared statements at every ROLLBACK; a page that only reads
    ends with COMMIT, so the statements it repeats are prepared from the fifth view on, on
    the connection the pool keeps lending (the last one returned)."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("prepared statements are psycopg's, on PostgreSQL only")
    with app.app_context():  # a pool holding several idle connections, as after a busy spell
        connections = [db.engine.connect() for _ in range(3)]
        for connection in connections:
            connection.close()
    assert login(USERNAMES["regulator"]).status_code == 302
    for _ in range(8):
        assert client.get("/review/queue").status_code == 200
        assert client.get("/healthz").status_code == 200
    with app.app_context():
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements"))
        assert any("FROM filing" in statement for statement in prepared)
