"""The upload store: an interrupted upload leaves nothing behind; a full disk is an UploadError."""

import errno

import pytest
from werkzeug.exceptions import ClientDisconnected

from portal import storage
from portal.storage import LocalStore, UploadError


class Interrupted:
    """A request body that breaks off after its first megabyte (the client went away)."""

    def __init__(self):
        self.calls = 0

    def read(self, size):
        self.calls += 1
        if self.calls == 1:
            return b"%PDF-1.4\n" + b"x" * (size - 9)
        raise ClientDisconnected()


class Whole:
    """A small complete PDF body."""

    def __init__(self):
        self.done = False

    def read(self, _size):
        if self.done:
            return b""
        self.done = True
        return b"%PDF-1.4\n%%EOF\n"


def test_an_interrupted_upload_leaves_no_partial_file(tmp_path):
    store = LocalStore(tmp_path)
    with pytest.raises(ClientDisconnected):
        store.save(Interrupted(), "半截.pdf")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_full_disk_is_an_upload_error_and_leaves_nothing(tmp_path, monkeypatch):
    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", full)
    with pytest.raises(UploadError) as error:
        LocalStore(tmp_path).save(Whole(), "满.pdf")
    assert error.value.code == "no_space"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
