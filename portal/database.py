"""Engine set-up that makes SQLite safe for concurrent requests.

SQLite with Python's default transaction handling loses read-modify-write updates under
concurrency, and a plain BEGIN fails them with "database is locked". So every connection
uses WAL and a busy timeout, the driver's own transaction handling is switched off, and
each transaction begins IMMEDIATE (takes the write lock at once and waits for it), except
for requests with a safe method, which only read.

On PostgreSQL, requests with a safe method read outside transactions until they write, and
pooled connections are checked without a round trip while they are busy (see
_read_outside_transactions and ping_pooled_connections).
"""

import re
import select
from functools import lru_cache
from time import monotonic

from flask import has_request_context, request
from psycopg import ServerCursor
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


PING_AFTER_IDLE = 10.0  # seconds a pooled connection may rest before a real ping
IDLE_SINCE = "portal.idle_since"  # in a pooled connection's record: monotonic checkin time


def _server_spoke(dbapi_connection) -> bool:
    """True when an idle connection has something to read. The server sends nothing to an
    idle session unless it is closing it (a FATAL message, then the end of the stream, when
    it shuts down or the session is terminated); the portal uses no LISTEN/NOTIFY."""
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    except Exception:  # a closed connection has no socket: let the ping decide
        return True


def ping_pooled_connections(engine) -> None:
    """Make sure a pooled connection is alive before lending it out, so a database server
    that restarted costs no failed request: a dead connection is dropped and the pool opens
    a new one.

    ``pool_pre_ping`` sends a statement on every checkout: a round trip per request, which
    on the two shared cores of a small server cost a few per cent of every page. Here the
    round trip is only paid when a connection rested longer than PING_AFTER_IDLE seconds,
    is new, or shows something to read (the server closing it). A server that closes a
    connection in the very millisecond it is lent out can still fail that one request, which
    answers the 503 page; the pool then drops its other connections of that generation.
    """
    dialect = engine.dialect

    def ping(dbapi_connection, record, _proxy):
        idle_since = record.info.get(IDLE_SINCE)
        if (idle_since is not None and monotonic() - idle_since < PING_AFTER_IDLE
                and not _server_spoke(dbapi_connection)):
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            # The pool catches this, discards the connection and checks out a fresh one.
            raise DisconnectionError("pooled connection was closed by the server")

    def rest(_dbapi_connection, record):
        record.info[IDLE_SINCE] = monotonic()

    event.listen(engine.pool, "checkout", ping)
    event.listen(engine.pool, "checkin", rest)


# A SELECT that takes row locks or a lock or snapshot held until the transaction ends (the
# audit chain's advisory lock, audit.py): in autocommit mode it would end at once.
_LOCKING = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b"
                      r"|advisory_xact_lock|pg_export_snapshot", re.IGNORECASE)


@lru_cache(maxsize=2048)
def _writes(statement: str) -> bool:
    """Whether *statement* may change rows or take locks: anything but a plain SELECT.

    A SELECT calling a function with side effects (``nextval``, ``set_config(..., true)``,
    a session advisory lock, a function that writes) would pass for a read and, in a GET
    request, run outside the request's transaction: the portal has none; a new one must be
    added to ``_LOCKING``. Likewise an engine-wide ``isolation_level`` in
    ``SQLALCHEMY_ENGINE_OPTIONS`` does not apply to reading requests.

    Remembered per statement text: SQLAlchemy hands over the same few hundred compiled
    strings again and again, and searching a long one cost about 0.07 ms, close to a
    millisecond on a page of eleven statements."""
    return statement.lstrip()[:6].upper() != "SELECT" or _LOCKING.search(statement) is not None


READING = "portal.reading"  # in a pooled connection's record: lent in autocommit mode to read


def _read_outside_transactions(dbapi_connection, record, _proxy) -> None:
    """Checkout on PostgreSQL: within a GET/HEAD/OPTIONS request, run in autocommit mode.

    psycopg opens a transaction with BEGIN, a round trip of its own, before the first
    statement, and the request ends with COMMIT or ROLLBACK, another; a page that only
    reads gains nothing from them (at PostgreSQL's READ COMMITTED every statement reads its
    own snapshot, inside a transaction or not). A rollback also makes psycopg forget every
    statement it prepared on the connection. So reading requests send their SELECTs alone;
    the first statement that may write or lock rows, or that reads through a server-side
    cursor, switches the connection back to transactions before it runs
    (:func:`_begin_before_writing`), so what such a request writes is committed or rolled
    back as one, exactly as before. Anything else (a POST, a task, the command line) uses
    transactions throughout.
    """
    reading = has_request_context() and request.method in SAFE_METHODS
    record.info[READING] = reading
    if dbapi_connection.autocommit != reading:
        dbapi_connection.autocommit = reading


def _begin_before_writing(conn, cursor, statement, _parameters, _context,
                          _executemany) -> None:
    """Before a statement that may write or lock rows, or one read through a server-side
    cursor (DECLARE needs a transaction: the streamed exports), open a transaction."""
    pooled = conn.connection
    if (pooled.info.get(READING) and (_writes(statement) or isinstance(cursor, ServerCursor))
            and "isolation_level" not in conn.get_execution_options()):
        # (Only the reading mode set at checkout: a connection asked for AUTOCOMMIT, as
        # VACUUM needs, keeps it.)
        pooled.info[READING] = False
        pooled.dbapi_connection.autocommit = False


def configure_engine(app) -> None:
    """Attach the SQLite listeners to the app's engine; elsewhere ping pooled connections
    cheaply (see ping_pooled_connections) and let reading requests run without transactions
    (see _read_outside_transactions)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        if not event.contains(engine, "connect", _on_connect):
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "begin", _on_begin)
        return
    if not app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("pool_pre_ping"):
        ping_pooled_connections(engine)
    if not event.contains(engine.pool, "checkout", _read_outside_transactions):
        event.listen(engine.pool, "checkout", _read_outside_transactions)
        event.listen(engine, "before_cursor_execute", _begin_before_writing)


def dialect_insert(table):
    """An INSERT that supports ``on_conflict_do_update`` on the current database."""
    name = db.session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)
