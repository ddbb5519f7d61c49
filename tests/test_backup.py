"""`flask backup create|restore`: one archive brings back the database and the files exactly,
and a damaged or too-new archive is refused before anything is touched.

The tests run on a private database (SQLite file or a fresh PostgreSQL database) with its own
upload folder, since a restore replaces the whole database.
"""

import io
import json
import tarfile
import uuid

import pytest
from sqlalchemy import select, update

from portal import audit, create_app
from portal.admin import operations
from portal.extensions import db
from portal.models import AuditEvent, Document, Enterprise, User
from portal.storage import get_store

from . import factories
from .conftest import fresh_database, row_counts


@pytest.fixture(scope="module")
def private_database_url(database_url, tmp_path_factory):
    """A new empty database of the test database's kind, dropped afterwards."""
    with fresh_database(database_url, tmp_path_factory.mktemp("backup-db"),
                        "portal_backup_") as url:
        yield url


@pytest.fixture(scope="module")
def backup_app(app_config, private_database_url, tmp_path_factory):
    """An app on the private database holding the test world (a document among its rows)."""
    folder = tmp_path_factory.mktemp("backup-instance")
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": private_database_url,
                      "UPLOAD_FOLDER": str(folder / "uploads")})
    with app.app_context():
        db.create_all()
        operations.load_regions()
        factories.make_world()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["backup", *args], input=input)


def state(app) -> dict:
    """Row counts, users and enterprises, and every stored file's bytes."""
    with app.app_context():
        root = get_store().root
        return {
            "rows": row_counts(),
            "users": db.session.execute(
                select(User.id, User.username, User.password_hash).order_by(User.id)).all(),
            "enterprises": db.session.execute(
                select(Enterprise.id, Enterprise.name).order_by(Enterprise.id)).all(),
            "files": {p.name: p.read_bytes() for p in root.glob("??/??/*")},
        }


def change_everything(app) -> None:
    """Add rows, rename a user, add an upload and delete a stored document file."""
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.enterprise_id.is_not(None))
                                  .order_by(User.id).limit(1))
        factories.make_enterprise()
        new_bytes = factories.PDF_BYTES + uuid.uuid4().bytes
        factories.make_document(staff.enterprise, staff, data=new_bytes)
        db.session.execute(update(User).where(User.id == staff.id)
                           .values(username=f"renamed-{uuid.uuid4().hex[:6]}"))
        audit.record("test.changed")
        db.session.commit()
        first = db.session.scalar(select(Document).order_by(Document.id))
        get_store().path(first.sha256).unlink(missing_ok=True)


def test_restore_brings_back_the_database_and_the_files(backup_app, tmp_path):
    before = state(backup_app)
    archive = tmp_path / "portal.tar.gz"
    result = run(backup_app, "create", "--output", str(archive))
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format_version"] == 1
    assert manifest["row_counts"]["user"] == before["rows"]["user"]
    assert set(manifest["files"]) == {"database.sqlite3" if "sqlite3" in str(
        backup_app.config["SQLALCHEMY_DATABASE_URI"]) else "database.pgdump"} | {
        f"uploads/{s[:2]}/{s[2:4]}/{s}" for s in before["files"]}

    change_everything(backup_app)
    assert state(backup_app) != before

    result = run(backup_app, "restore", str(archive), "--yes")
    assert result.exit_code == 0, result.output
    assert "counts match the backup" in result.output
    after = state(backup_app)
    assert after["users"] == before["users"]
    assert after["enterprises"] == before["enterprises"]
    assert after["files"] == before["files"]
    # The only new row: the restore itself, chained onto the restored log.
    assert after["rows"] == {**before["rows"], "audit_event": before["rows"]["audit_event"] + 1}
    with backup_app.app_context():
        assert audit.verify()[1] is None
        last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        assert last.action == "backup.restored"
        assert last.details["archive"] == "portal.tar.gz"


def repack(source, target, edit_file=None, edit_manifest=None):
    """Copy an archive, changing a member's bytes or the manifest on the way."""
    with tarfile.open(source) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    if edit_file:
        edit_file(members)
    if edit_manifest:
        edit_manifest(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def flip_a_byte(members):
    name = next(n for n in members if n.startswith("uploads/"))
    data = bytearray(members[name])
    data[10] ^= 0x01
    members[name] = bytes(data)


def drop_an_upload_from_the_manifest(manifest):
    del manifest["files"][next(n for n in manifest["files"] if n.startswith("uploads/"))]


def claim_a_newer_revision(manifest):
    manifest["alembic_revision"] = "ffffffffffff"


@pytest.mark.parametrize(("edit_file", "edit_manifest", "message"), [
    (flip_a_byte, None, "SHA-256 differs from the manifest"),
    (None, drop_an_upload_from_the_manifest, "in the archive but not in the manifest"),
    (lambda m: m.pop("database.sqlite3", None) or m.pop("database.pgdump"), None,
     "in the manifest but missing from the archive"),
    (None, claim_a_newer_revision, "made by a newer version"),
])
def test_a_damaged_or_newer_archive_is_refused_and_nothing_changes(
        backup_app, tmp_path, edit_file, edit_manifest, message):
    good = tmp_path / "good.tar.gz"
    assert run(backup_app, "create", "--output", str(good)).exit_code == 0
    bad = repack(good, tmp_path / "bad.tar.gz", edit_file, edit_manifest)
    change_everything(backup_app)
    before = state(backup_app)

    result = run(backup_app, "restore", str(bad), "--yes")
    assert result.exit_code == 1
    assert message in result.output
    assert state(backup_app) == before
    with backup_app.app_context():
        assert not list(get_store().root.parent.glob(".portal-restore-*"))


def test_restore_asks_first_and_a_no_changes_nothing(backup_app, tmp_path):
    archive = tmp_path / "b.tar.gz"
    assert run(backup_app, "create", "--output", str(archive)).exit_code == 0
    change_everything(backup_app)
    before = state(backup_app)
    result = run(backup_app, "restore", str(archive), input="n\n")
    assert result.exit_code == 1
    assert "nothing was changed" in result.output
    assert state(backup_app) == before


def test_create_records_the_backup_and_leaves_no_partial_file(backup_app, tmp_path):
    result = run(backup_app, "create", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    [archive] = tmp_path.glob("portal-backup-*Z.tar.gz")
    assert not list(tmp_path.glob(".portal-backup-*"))
    with backup_app.app_context():
        last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        assert (last.action, last.details["archive"]) == ("backup.created", archive.name)
