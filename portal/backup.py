"""Back up the portal (database and uploaded documents) into one archive, and restore it.

A backup takes the database snapshot first and then copies the store files that the
snapshot's ``document`` rows reference. Documents are content-addressed and never change,
so uploads arriving meanwhile cannot make the archive inconsistent: they are simply not in
it, and neither are their rows. A restore checks every file of the archive against the
manifest and the archive's Alembic revision against the code *before* it touches anything,
then replaces the database and the uploads and checks the result again. The CLI (``flask
backup create|restore``) is a thin layer over :func:`create_backup`, :func:`verify_archive`
and :func:`restore_archive`.
"""

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import func, select, table

from . import audit, backup_database
from .backup_archive import (
    FORMAT_VERSION,
    ArchiveError,
    ArchiveWriter,
    extract_verified,
    file_sha256,
    move_into_place,
)
from .extensions import db
from .storage import LocalStore, get_store


class BackupError(RuntimeError):
    """A backup or restore refused or failed; the message says why, for an operator."""


@dataclass
class CreatedBackup:
    path: Path
    size: int
    documents: int
    missing_uploads: list[str]
    row_counts: dict[str, int]


@dataclass
class VerifiedArchive:
    """An archive unpacked into a private folder and found to match its manifest."""

    path: Path
    folder: Path
    manifest: dict

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class RestoredBackup:
    row_counts: dict[str, int]
    files_restored: int
    documents_checked: int
    displaced_to: Path | None
    missing_uploads: list[str] = field(default_factory=list)


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def code_head() -> str | None:
    """The newest Alembic revision this code knows."""
    return _scripts().get_current_head()


def default_output(now: datetime) -> Path:
    """``instance/backups/portal-backup-YYYYmmddTHHMMSSZ.tar.gz``."""
    name = f"portal-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    return Path(current_app.instance_path) / "backups" / name


def create_backup(output: Path | None = None) -> CreatedBackup:
    """Write one consistent archive of the database and the uploads; record ``backup.created``.

    *output* is a file name or an existing folder (default: :func:`default_output`).

    :raise BackupError: the database cannot be snapshotted (unsupported, pg_dump failed).
    """
    now = datetime.now(UTC)
    target = Path(output) if output else default_output(now)
    if target.is_dir():
        target = target / default_output(now).name
    store = get_store()
    db.session.remove()
    with ArchiveWriter(target) as writer, tempfile.TemporaryDirectory(
        dir=target.parent, prefix=".portal-backup-"
    ) as work:
        try:
            snap = backup_database.snapshot(db.engine, Path(work))
        except backup_database.DatabaseToolError as exc:
            raise BackupError(str(exc)) from None
        writer.add_file(snap.path.name, snap.path)
        missing = []
        for sha256 in sorted(snap.document_hashes):
            path = store.path(sha256)
            if path.is_file():
                writer.add_file(f"uploads/{sha256[:2]}/{sha256[2:4]}/{sha256}", path)
            else:
                missing.append(sha256)
        path = writer.finish({
            "format_version": FORMAT_VERSION,
            "created_at": now.isoformat(timespec="seconds"),
            "database_kind": snap.kind,
            "database_file": snap.path.name,
            # A schema made by create_all (no alembic_version table) is the models' head.
            "alembic_revision": snap.revision or code_head(),
            "row_counts": snap.row_counts,
            "documents": len(snap.document_hashes),
            "missing_uploads": missing,
        })
    path.chmod(0o600)  # it holds password hashes and every enterprise's documents
    audit.record("backup.created", archive=path.name, size=path.stat().st_size,
                 documents=len(snap.document_hashes), missing_uploads=len(missing))
    db.session.commit()
    return CreatedBackup(path, path.stat().st_size, len(snap.document_hashes), missing,
                         snap.row_counts)


def _check_revision(revision: str | None) -> None:
    """:raise BackupError: when *revision* is one this code does not know (a newer one)."""
    if revision is None:
        return
    try:
        _scripts().get_revision(revision)
    except CommandError:
        raise BackupError(
            f"the archive is at database revision {revision}, which this version of the portal "
            f"does not know (its newest is {code_head()}): it was made by a newer version. "
            "Install that version (or newer) before restoring."
        ) from None


def verify_archive(path: Path) -> VerifiedArchive:
    """Unpack *path* privately and check it completely; nothing of the portal is touched.

    :raise BackupError: a file missing, extra or different from the manifest, another kind of
        database than the configured one, or a revision newer than the code's.
    """
    root = get_store().root
    root.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=root.parent, prefix=".portal-restore-"))
    try:
        manifest = extract_verified(Path(path), folder)
        kind = backup_database.database_kind(db.engine)
        if manifest.get("database_kind") != kind:
            raise BackupError(f"the archive holds a {manifest.get('database_kind')} database; "
                              f"this portal is configured for {kind}")
        _check_revision(manifest.get("alembic_revision"))
    except (ArchiveError, backup_database.DatabaseToolError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise BackupError(str(exc)) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return VerifiedArchive(Path(path), folder, manifest)


def _restore_uploads(folder: Path, store: LocalStore) -> tuple[int, Path | None]:
    """Make the store hold exactly the archive's files; others are moved aside, not deleted."""
    wanted = {p.name: p for p in (folder / "uploads").glob("??/??/*")}
    for sha256, source in wanted.items():
        move_into_place(source, store.path(sha256))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    displaced_to = None
    for path in sorted(store.root.glob("??/??/*")):
        if path.is_file() and path.name not in wanted:
            displaced_to = store.root.with_name(f"{store.root.name}-displaced-{stamp}")
            move_into_place(path, displaced_to / path.relative_to(store.root))
    return len(wanted), displaced_to


def _restored_problems(manifest: dict, store: LocalStore) -> tuple[list[str], int]:
    """Compare the restored database and store with the manifest; (problems, documents)."""
    problems = []
    for name, expected in sorted(manifest["row_counts"].items()):
        actual = db.session.scalar(select(func.count()).select_from(table(name)))
        if actual != expected:
            problems.append(f"table {name}: {actual} rows, the backup had {expected}")
    known_missing = set(manifest.get("missing_uploads", []))
    hashes = backup_database.document_hashes(db.session.connection())
    for sha256 in sorted(hashes - known_missing):
        path = store.path(sha256)
        if not path.is_file() or file_sha256(path) != sha256:
            problems.append(f"stored file {sha256}: missing or damaged")
    db.session.rollback()
    return problems, len(hashes - known_missing)


def restore_archive(verified: VerifiedArchive) -> RestoredBackup:
    """Replace the database and the uploads with a verified archive, check them, and record
    ``backup.restored`` in the restored database.

    :raise BackupError: the database tool failed, or the restored state differs from the
        manifest (the message lists every difference).
    """
    manifest, store = verified.manifest, get_store()
    db.session.remove()
    try:
        backup_database.restore(db.engine, verified.folder / manifest["database_file"])
    except backup_database.DatabaseToolError as exc:
        raise BackupError(str(exc)) from None
    files, displaced_to = _restore_uploads(verified.folder, store)
    problems, documents = _restored_problems(manifest, store)
    if problems:
        raise BackupError("restored, but the result does not match the backup:\n  "
                          + "\n  ".join(problems))
    audit.record("backup.restored", archive=verified.path.name,
                 backup_created_at=manifest["created_at"],
                 alembic_revision=manifest["alembic_revision"], files=files)
    db.session.commit()
    return RestoredBackup(dict(manifest["row_counts"]), files, documents, displaced_to,
                          list(manifest.get("missing_uploads", [])))
