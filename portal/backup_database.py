"""The database half of a backup: a consistent snapshot, its facts, and putting it back.

SQLite is copied with the online backup API (never the file itself, which may be mid-write);
PostgreSQL with ``pg_dump --format=custom`` inside an exported snapshot, so the row counts and
the documents read for the manifest are those of exactly the dumped state.
"""

import os
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, literal_column, select, table, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool

# Columns holding the SHA-256 of a file in the upload store (storage.LocalStore).
STORE_REFERENCES = (("document", "sha256"), ("checklist_bundle", "document_sha256"))
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class DatabaseToolError(RuntimeError):
    """A snapshot or restore of the database itself failed (message fit for an operator)."""


@dataclass
class Snapshot:
    """A database snapshot on disk and what it contains."""

    path: Path
    kind: str
    revision: str | None
    row_counts: dict[str, int] = field(default_factory=dict)
    document_hashes: set[str] = field(default_factory=set)


def database_kind(engine: Engine) -> str:
    """``sqlite`` or ``postgresql``.

    :raise DatabaseToolError: for any other database.
    """
    name = engine.dialect.name
    if name not in DUMP_NAMES:
        raise DatabaseToolError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def libpq_target(url) -> tuple[str, dict[str, str]]:
    """The libpq URL for pg_dump/pg_restore (no password in it) and the environment to run in.

    The password travels in PGPASSWORD, never on the command line (visible in ``ps``).
    """
    url = make_url(url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return dsn, env


def table_row_counts(conn: Connection) -> dict[str, int]:
    """Table name -> number of rows, for every table of the database (alembic_version too)."""
    names = sorted(inspect(conn).get_table_names())
    return {name: conn.scalar(select(func.count()).select_from(table(name))) for name in names}


def document_hashes(conn: Connection) -> set[str]:
    """The SHA-256 of every file the database references in the upload store."""
    tables = set(inspect(conn).get_table_names())
    hashes = set()
    for name, column in STORE_REFERENCES:
        if name in tables:
            hashes |= set(conn.scalars(
                select(literal_column(column)).select_from(table(name)).distinct()))
    return hashes - {None}


def current_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at (None when it has no alembic_version table)."""
    return MigrationContext.configure(conn).get_current_revision()


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    """Run a PostgreSQL client tool; :raise DatabaseToolError: when it fails."""
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  (an argument list, no shell)
    except FileNotFoundError:
        raise DatabaseToolError(f"{command[0]} is not installed or not on PATH") from None
    if done.returncode != 0:
        raise DatabaseToolError(f"{what} failed: {done.stderr.strip()}")


def _facts(conn: Connection, snapshot: Snapshot) -> Snapshot:
    snapshot.revision = current_revision(conn)
    snapshot.row_counts = table_row_counts(conn)
    snapshot.document_hashes = document_hashes(conn)
    return snapshot


def _snapshot_sqlite(engine: Engine, target: Path) -> Snapshot:
    source_path = engine.url.database
    if not source_path or source_path == ":memory:" or not Path(source_path).exists():
        raise DatabaseToolError(f"no SQLite database file at {source_path!r}")
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one read transaction, one state
        copy.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        copy.close()
        source.close()
    snapshot_engine = create_engine(f"sqlite:///{target}", poolclass=NullPool)
    try:
        with snapshot_engine.connect() as conn:
            return _facts(conn, Snapshot(target, "sqlite", None))
    finally:
        snapshot_engine.dispose()


def _snapshot_postgresql(engine: Engine, target: Path) -> Snapshot:
    dsn, env = libpq_target(engine.url)
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            # The first statement fixes the transaction's snapshot; pg_dump shares it.
            snapshot_id = conn.scalar(text("SELECT pg_export_snapshot()"))
            _run(["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot_id}",
                  f"--file={target}", f"--dbname={dsn}"], env, "pg_dump")
            return _facts(conn, Snapshot(target, "postgresql", None))


def snapshot(engine: Engine, folder: Path) -> Snapshot:
    """Write a consistent copy of the database into *folder* and read its facts.

    :raise DatabaseToolError: unsupported database, no SQLite file, or pg_dump failed.
    """
    kind = database_kind(engine)
    target = folder / DUMP_NAMES[kind]
    if kind == "sqlite":
        return _snapshot_sqlite(engine, target)
    return _snapshot_postgresql(engine, target)


def restore(engine: Engine, dump: Path) -> None:
    """Replace the configured database with *dump* (the engine's pool is emptied first).

    :raise DatabaseToolError: pg_restore failed (it runs in one transaction: nothing changed).
    """
    kind = database_kind(engine)
    engine.dispose()
    if kind == "sqlite":
        source = sqlite3.connect(dump)
        target = sqlite3.connect(engine.url.database, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        dsn, env = libpq_target(engine.url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--no-password", f"--dbname={dsn}", str(dump)], env, "pg_restore")
    engine.dispose()
