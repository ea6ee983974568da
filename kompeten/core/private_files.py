"""Files that hold secrets or personal data, readable by their owner only (0600, whatever the
umask): the secret key, the first-run token, backups, personal-data exports.

Each file is created with its narrow mode before anything is written into it, so it is never
briefly readable by others."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`; an existing file is narrowed to 0600 first."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            fd = -1
            handle.write(text)
    finally:
        if fd >= 0:
            os.close(fd)


def create_private(path: Path) -> None:
    """Create `path` empty, for a tool (sqlite's backup, pg_dump) to write into."""
    if path.exists() or path.is_symlink():
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def private_folder(folder: Path) -> Path:
    """`folder`, created if needed; a folder made here is 0700."""
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
    return folder


def private_draft(path: Path, text: str) -> Path:
    """Write `text` (flushed to disk) into a new private file beside `path` and return it, for
    the caller to publish whole: ``os.replace(draft, path)``, or ``os.link(draft, path)`` where
    an existing file must win. The caller removes the draft afterwards; on an error here it is
    already gone. Raises OSError."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        draft.unlink(missing_ok=True)
        raise
    return draft
