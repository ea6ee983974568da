"""Files holding secrets or personal data are the owner's alone (0600) from their first byte."""

import os
import stat

import pytest

from kompeten.core.private_files import private_draft, write_private


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_draft_is_private_complete_and_beside_its_target(tmp_path):
    target = tmp_path / "state" / "token"
    old_umask = os.umask(0)
    try:
        draft = private_draft(target, "rahasia\n")
    finally:
        os.umask(old_umask)
    assert draft.parent == target.parent and draft.name.startswith(".token.")
    assert draft.read_text(encoding="utf-8") == "rahasia\n"
    assert _mode(draft) == 0o600
    assert not target.exists()  # publishing is the caller's step


def test_a_draft_that_cannot_be_written_leaves_nothing(tmp_path, monkeypatch):
    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        private_draft(tmp_path / "secret_key", "x")
    assert list(tmp_path.iterdir()) == []


def test_write_private_narrows_an_existing_file(tmp_path):
    path = tmp_path / "ekspor.json"
    path.write_text("lama")
    path.chmod(0o644)
    write_private(path, "{}")
    assert path.read_text() == "{}"
    assert _mode(path) == 0o600
