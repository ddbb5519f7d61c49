"""Engine set-up that makes SQLite safe for concurrent requests.

SQLite with Python's default transaction handling loses read-modify-write updates under
concurrency, and a plain BEGIN fails them with "database is locked". So every connection
uses WAL and a busy timeout, the driver's own transaction handling is switched off, and
each transaction begins IMMEDIATE (takes the write lock at once and waits for it), except
for requests with a safe method, which only read.
"""

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError

from .extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 30_000


def _on_connect(dbapi_connection, _record):
    """Switch pysqlite to manual transactions and tune the connection."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_begin(connection):
    """Begin IMMEDIATE unless this is a read-only request."""
    read_only = has_request_context() and request.method in SAFE_METHODS
    connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


def ping_pooled_connections(engine) -> None:
    """Test each pooled connection before lending it out, so a database server that restarted
    costs no failed request: a dead connection is dropped and the pool opens a new one.

    This is ``pool_pre_ping``'s check, attached here because Flask-SQLAlchemy has built the
    engine before :func:`configure_engine` sees it.
    """
    dialect = engine.dialect

    def ping(dbapi_connection, _record, _proxy):
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            # The pool catches this, discards the connection and checks out a fresh one.
            raise DisconnectionError("pooled connection was closed by the server")

    event.listen(engine.pool, "checkout", ping)


WROTE = "portal.wrote"  # in a connection's info: a statement other than SELECT ran


def _note_writes(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[WROTE] = True


def _forget_writes(conn) -> None:
    conn.info.pop(WROTE, None)


def end_reading_transaction(exc) -> None:
    """After a request with a safe method that raised nothing and wrote nothing: COMMIT its
    transaction instead of letting the session's removal roll it back.

    For a transaction that only read, the two are the same to the database, but psycopg
    forgets every statement it prepared on the connection at each ROLLBACK (DDL might have
    been undone) and sends DEALLOCATE ALL. Since every request ended in a rollback, the
    queries a page repeats were parsed and planned afresh on each view (on the review
    queue about 0.7 ms of PostgreSQL's time); after a commit psycopg prepares them from the
    fifth run on. Any statement but a SELECT (an INSERT, an UPDATE, a flush) or an exception
    keeps the rollback.
    """
    if exc is not None or request.method not in SAFE_METHODS or not db.session.registry.has():
        return
    session = db.session()
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    if not session.connection().info.get(WROTE):
        session.commit()


def configure_engine(app) -> None:
    """Attach the SQLite listeners to the app's engine; elsewhere ping pooled connections and
    end reading requests with a commit (see end_reading_transaction)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        if not event.contains(engine, "connect", _on_connect):
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "begin", _on_begin)
        return
    if not app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("pool_pre_ping"):
        ping_pooled_connections(engine)
    if not event.contains(engine, "before_cursor_execute", _note_writes):
        event.listen(engine, "before_cursor_execute", _note_writes)
        event.listen(engine, "commit", _forget_writes)
        event.listen(engine, "rollback", _forget_writes)
    app.teardown_request(end_reading_transaction)


def dialect_insert(table):
    """An INSERT that supports ``on_conflict_do_update`` on the current database."""
    name = db.session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)
