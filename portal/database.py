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


def configure_engine(app) -> None:
    """Attach the SQLite listeners to the app's engine; elsewhere ping pooled connections."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        if not event.contains(engine, "connect", _on_connect):
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "begin", _on_begin)
    elif not app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("pool_pre_ping"):
        ping_pooled_connections(engine)


def dialect_insert(table):
    """An INSERT that supports ``on_conflict_do_update`` on the current database."""
    name = db.session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)
