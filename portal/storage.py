"""Content-addressed upload store under the instance folder, behind a small interface.

Files are kept by SHA-256 (``uploads/ab/cd/abcd…``), so the same bytes are stored once and a
stored file never changes. The type is decided by the content, never by the name. A file is
written to a temporary name in the same folder and renamed into place, so an interrupted
upload leaves no partial file behind.
"""

import errno
import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

# media type -> (magic prefix, file name extension)
SIGNATURES = {
    "application/pdf": (b"%PDF-", ".pdf"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
}
PDF_ONLY = frozenset({"application/pdf"})
PDF_OR_PHOTO = frozenset(SIGNATURES)
CHUNK = 1024 * 1024
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}  # the disk or the quota is full


class UploadError(ValueError):
    """An upload refused; ``code`` is ``empty``, ``too_large``, ``wrong_type`` or
    ``no_space``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str
    original_name: str


def sniff(head: bytes) -> str | None:
    """The media type the first bytes of a file show, or None if it is none we accept."""
    for media_type, (magic, _ext) in SIGNATURES.items():
        if head.startswith(magic):
            return media_type
    return None


def safe_name(name: str, media_type: str) -> str:
    """A file name safe to show and to send back: no path, no control characters, right suffix."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*/]", "", name).strip(" .") or "document"
    stem = os.path.splitext(name)[0][:100] or "document"
    return stem + SIGNATURES[media_type][1]


class LocalStore:
    """Keeps files on the local filesystem (a shared volume when there are several servers)."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def save(self, stream, original_name: str, allowed=PDF_OR_PHOTO, max_bytes=None) -> StoredFile:
        """Check and store an uploaded stream.

        :raise UploadError: empty, larger than *max_bytes*, not one of *allowed* by content,
            or ``no_space`` when the disk (or the user's quota) is full: nothing is kept then.
        """
        try:
            return self._save(stream, original_name, allowed, max_bytes)
        except OSError as error:
            if error.errno in NO_SPACE:
                raise UploadError("no_space") from error
            raise

    def _save(self, stream, original_name, allowed, max_bytes) -> StoredFile:
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        media_type = None
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    if media_type is None:
                        media_type = sniff(chunk[:16])
                        if media_type not in allowed:
                            raise UploadError("wrong_type")
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise UploadError("too_large")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise UploadError("empty")
            target = self.path(digest.hexdigest())
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        name = safe_name(original_name, media_type)
        return StoredFile(digest.hexdigest(), size, media_type, name)

    def open(self, sha256: str):
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()


def get_store() -> LocalStore:
    """The store configured for this app (UPLOAD_FOLDER, default instance/uploads)."""
    root = current_app.config.get("UPLOAD_FOLDER") or os.path.join(
        current_app.instance_path, "uploads"
    )
    return LocalStore(Path(root))
