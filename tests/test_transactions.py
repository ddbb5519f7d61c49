"""How requests use transactions: on PostgreSQL a reading request runs its SELECTs outside a
transaction (no BEGIN, no COMMIT, and psycopg keeps the statements it prepared) until a
statement may write; whatever a request wrote is committed or rolled back as one."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from portal import create_app, database
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

    @probe.get("/_probe/committed")
    def committed():
        db.session.scalar(select(func.count()).select_from(LoginThrottle))
        db.session.add(LoginThrottle(username="probe.committed.1", failures=1))
        db.session.flush()
        db.session.add(LoginThrottle(username="probe.committed.2", failures=1))
        db.session.commit()
        return "committed"

    @probe.get("/_probe/mode")
    def mode():
        """Whether the connection is in a transaction after a read, then after a locking
        read (psycopg's autocommit flag and libpq's transaction status)."""
        connection = db.session.connection().connection.dbapi_connection
        db.session.scalar(select(func.count()).select_from(LoginThrottle))
        after_read = (connection.autocommit, connection.info.transaction_status.name)
        db.session.scalars(select(LoginThrottle.username).with_for_update()).all()
        after_lock = (connection.autocommit, connection.info.transaction_status.name)
        return {"read": after_read, "lock": after_lock}

    @probe.get("/_probe/streamed")
    def streamed():
        """Rows read through a server-side cursor (as the exports stream them)."""
        rows = db.session.execute(select(LoginThrottle.username).order_by(
            LoginThrottle.username).execution_options(yield_per=1))
        return ",".join(rows.scalars())

    @probe.post("/_probe/mode")
    def mode_post():
        connection = db.session.connection().connection.dbapi_connection
        db.session.scalar(select(func.count()).select_from(LoginThrottle))
        return {"read": (connection.autocommit, connection.info.transaction_status.name)}

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


def test_a_reading_request_that_writes_and_commits_keeps_all_it_wrote(probe_app, app):
    client = probe_app.test_client()
    assert client.get("/_probe/committed").status_code == 200
    assert actions(app) == ["probe.committed.1", "probe.committed.2"]


def test_on_postgresql_reads_run_outside_transactions_until_a_row_is_locked(
        probe_app, app, database_url):
    """A GET's plain SELECT leaves the connection idle (no BEGIN was sent); a SELECT ... FOR
    UPDATE opens a transaction first, so its lock holds until the request ends; a POST works
    in a transaction from its first statement."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("psycopg's autocommit mode exists on PostgreSQL only")
    client = probe_app.test_client()
    assert client.get("/_probe/mode").get_json() == {
        "read": [True, "IDLE"], "lock": [False, "INTRANS"]}
    assert client.post("/_probe/mode").get_json() == {"read": [False, "INTRANS"]}
    assert client.get("/_probe/mode").get_json()["read"] == [True, "IDLE"]


def test_a_reading_request_can_stream_rows(probe_app, app):
    """On PostgreSQL a server-side cursor needs a transaction: the request opens one."""
    with app.app_context():
        db.session.add_all([LoginThrottle(username=f"s{i}", failures=1) for i in range(3)])
        db.session.commit()
    assert probe_app.test_client().get("/_probe/streamed").get_data(as_text=True) == "s0,s1,s2"


def test_a_connection_asked_for_autocommit_keeps_it(probe_app, app, database_url):
    """VACUUM runs only outside a transaction: a connection with the AUTOCOMMIT isolation
    level must not be switched back to transactions, in a request or outside one."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("VACUUM's transaction rule is PostgreSQL's")

    @probe_app.get("/_probe/vacuum")
    def vacuum():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE login_throttle"))
        return "vacuumed"

    with app.app_context(), db.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE login_throttle"))
    assert probe_app.test_client().get("/_probe/vacuum").get_data(as_text=True) == "vacuumed"


@pytest.mark.parametrize(("statement", "writes"), [
    ("SELECT 1", False),
    ("  select id FROM filing WHERE number = 'FOR UPDATE'", True),  # cautious: a lock word
    ("SELECT id FROM filing FOR UPDATE", True),
    ("SELECT id FROM filing FOR NO KEY UPDATE SKIP LOCKED", True),
    ("SELECT id FROM filing\nFOR SHARE", True),
    ("SELECT id FROM filing FOR KEY SHARE", True),
    ("SELECT before_update FROM t", False),
    ("INSERT INTO t VALUES (1)", True),
    ("UPDATE t SET a = 1", True),
    ("WITH x AS (DELETE FROM t RETURNING id) SELECT id FROM x", True),
    ("SAVEPOINT sa_savepoint_1", True),
    ("SELECT pg_advisory_xact_lock(%(key)s)", True),  # the audit chain's lock (audit.py)
    ("SELECT pg_try_advisory_xact_lock_shared(1)", True),
    ("SELECT pg_export_snapshot()", True),
])
def test_which_statements_open_a_transaction(statement, writes):
    assert database._writes(statement) is writes


def test_pooled_connections_are_pinged_only_after_resting(app, world, login, client,
                                                          database_url, monkeypatch):
    """A connection lent again at once is not pinged (its socket shows the server has not
    closed it); one that rested longer than PING_AFTER_IDLE is."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("pooled connections to a server only exist on PostgreSQL")
    with app.app_context():
        dialect = db.engine.dialect
    pings = []
    real_ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(1) or real_ping(conn))
    assert login(USERNAMES["regulator"]).status_code == 302
    assert client.get("/review/").status_code == 200
    pings.clear()
    for _ in range(3):
        assert client.get("/review/").status_code == 200
    assert pings == []
    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)
    assert client.get("/review/").status_code == 200
    assert pings


def test_reading_requests_keep_the_statements_psycopg_prepared(app, world, login, client,
                                                               database_url, monkeypatch):
    """psycopg forgets its prepared statements at every ROLLBACK; a page that only reads
    runs outside a transaction and has none to roll back, so the statements it repeats are
    prepared from the fifth view on, on the connection the pool keeps lending (the last one
    returned)."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("prepared statements are psycopg's, on PostgreSQL only")
    # The queue's list is rendered, and its statements run, on every view (not kept).
    monkeypatch.setitem(app.config, "KEPT_UNTIL_CHANGED_SECONDS", 0)
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
