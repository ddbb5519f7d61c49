"""The backup archive: a .tar.gz written atomically, and read back only after every check.

Layout: ``database.sqlite3`` or ``database.pgdump``, ``uploads/ab/cd/<sha256>`` (the store's
own layout) and ``manifest.json`` (written last) with the SHA-256 and size of every other file.
"""

import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from contextlib import suppress
from pathlib import Path

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
MEMBER = re.compile(
    r"database\.(sqlite3|pgdump)|uploads/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})"
)
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class ArchiveError(ValueError):
    """The archive is damaged, incomplete or not a portal backup (message for an operator)."""


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that went into the archive."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n=-1):
        chunk = self.stream.read(n)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


class ArchiveWriter:
    """Writes ``<target>`` through a hidden temporary file in the same folder.

    Only :meth:`finish` renames it into place, so an interrupted backup leaves nothing that
    looks complete. Use as a context manager; leaving without :meth:`finish` removes the file.
    """

    def __init__(self, target: Path):
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=".portal-backup-", suffix=".partial")
        self.tmp = Path(name)
        self.raw = os.fdopen(fd, "wb")
        self.tar = tarfile.open(fileobj=self.raw, mode="w:gz")
        self.files: dict[str, dict] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.tmp is not None:
            with suppress(Exception):
                self.tar.close()
            self.raw.close()
            self.tmp.unlink(missing_ok=True)

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        return info

    def add_file(self, name: str, path: Path) -> dict:
        """Add *path* as *name*, recording its SHA-256 and size as read."""
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            reader = _HashingReader(stream)
            self.tar.addfile(self._info(name, size), reader)
        self.files[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
        return self.files[name]

    def finish(self, manifest: dict) -> Path:
        """Add the manifest (with the files list), flush to disk and rename into place."""
        manifest = {**manifest, "files": dict(sorted(self.files.items()))}
        data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        self.tar.addfile(self._info(MANIFEST, len(data)), io.BytesIO(data))
        self.tar.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()
        os.replace(self.tmp, self.target)
        self.tmp = None
        return self.target


def _copy_hashing(source, path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _problems(manifest: dict, found: dict[str, tuple[str, int]]) -> list[str]:
    """Every difference between the manifest's files and the archive's, as text."""
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        return ["the manifest has no list of files"]
    problems = [f"{name}: in the archive but not in the manifest"
                for name in sorted(found.keys() - listed.keys())]
    problems += [f"{name}: in the manifest but missing from the archive"
                 for name in sorted(listed.keys() - found.keys())]
    for name in sorted(listed.keys() & found.keys()):
        entry, (sha256, size) = listed[name], found[name]
        if not isinstance(entry, dict) or entry.get("size") != size:
            problems.append(f"{name}: size differs from the manifest")
        elif entry.get("sha256") != sha256:
            problems.append(f"{name}: SHA-256 differs from the manifest")
        match = MEMBER.fullmatch(name)
        if match and match.group(4) and match.group(4) != sha256:
            problems.append(f"{name}: content does not match its content-addressed name")
    if manifest.get("database_file") not in found:
        problems.append("the archive holds no database dump")
    if not isinstance(manifest.get("row_counts"), dict):
        problems.append("the manifest has no row counts")
    return problems


def extract_verified(archive: Path, folder: Path) -> dict:
    """Unpack *archive* into *folder* and check it against its manifest; return the manifest.

    :raise ArchiveError: unreadable, an unexpected or duplicate member, or any file missing,
        extra or different from the manifest (all problems are listed).
    """
    found: dict[str, tuple[str, int]] = {}
    manifest = None
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                name = member.name
                if name in found or (name == MANIFEST and manifest is not None):
                    raise ArchiveError(f"{name}: appears twice in the archive")
                if not member.isfile() or (name != MANIFEST and not MEMBER.fullmatch(name)):
                    raise ArchiveError(f"{name}: not a file a portal backup holds")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise ArchiveError("manifest.json is implausibly large")
                    manifest = json.loads(source.read().decode())
                    continue
                target = folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                found[name] = _copy_hashing(source, target)
    except (tarfile.TarError, OSError, EOFError, zlib.error, UnicodeDecodeError,
            json.JSONDecodeError) as exc:
        raise ArchiveError(f"cannot read {archive.name}: {exc}") from None
    if not isinstance(manifest, dict):
        raise ArchiveError("the archive has no manifest.json")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(f"unknown backup format {manifest.get('format_version')!r}")
    problems = _problems(manifest, found)
    if problems:
        raise ArchiveError("the archive does not match its manifest:\n  " + "\n  ".join(problems))
    return manifest


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file on disk."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def move_into_place(source: Path, target: Path) -> None:
    """Move a verified file to *target* atomically (copied across file systems)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError:
        tmp = target.with_name(f".restore-{target.name}")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
