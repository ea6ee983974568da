"""Uploaded files kept between the import steps: under VAR_DIR/imports/, mode 0600, bound to
the uploader, swept after a day."""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404

MAX_AGE_SECONDS = 24 * 3600


class UploadGone(Http404):
    """No upload waits under this token for this user: committed, cancelled, swept after a
    day, never made, or another user's (all alike, so a token tells nothing of others')."""


def _dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)  # a folder made by an older version or under another umask
    return path


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when the file existed with a wider mode
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)


def sweep() -> int:
    """Delete uploads older than a day; returns how many files went."""
    cutoff = time.time() - MAX_AGE_SECONDS
    gone = 0
    for stale in _dir().glob("*"):
        if stale.is_file() and stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)
            gone += 1
    return gone


def store(data: bytes, meta: dict[str, Any]) -> str:
    """Keep ``data`` with its ``meta`` (user_id, key, filename, …); returns the token."""
    sweep()
    token = secrets.token_urlsafe(18)
    _write(_dir() / f"{token}.bin", data)
    _write(_dir() / f"{token}.json", json.dumps(meta).encode())
    return token


def carry(token: str, meta: dict[str, Any]) -> str:
    """A new token for the file kept under ``token`` (claimed or not), with ``meta``: the
    workbook's next sheet with the same table, offered once this one is committed."""
    data = (_dir() / f"{token}.bin").read_bytes()
    return store(data, meta)


def _valid(token: str) -> bool:
    return bool(token) and all(c.isalnum() or c in "-_" for c in token) and len(token) < 64


def meta(token: str, user_id: int, key: str) -> dict[str, Any]:
    """The upload's meta alone, without reading the file; 404 as :func:`load`."""
    if not _valid(token):
        raise UploadGone
    try:
        found = json.loads((_dir() / f"{token}.json").read_bytes())
    except (OSError, ValueError):
        raise UploadGone from None
    if found.get("user_id") != user_id or found.get("key") != key:
        raise UploadGone
    return dict(found)


def load(token: str, user_id: int, key: str) -> tuple[bytes, dict[str, Any]]:
    """The file and its meta; 404 when missing, expired or another user's."""
    found = meta(token, user_id, key)
    try:
        data = (_dir() / f"{token}.bin").read_bytes()
    except OSError:
        raise UploadGone from None
    return data, found


def update(token: str, meta: dict[str, Any]) -> None:
    _write(_dir() / f"{token}.json", json.dumps(meta).encode())


def claim(token: str) -> bool:
    """Take the token for one commit: its meta is renamed aside, which only one of two
    concurrent requests (a double click, two web processes) can do; False for the other.
    :func:`release` gives it back when the commit writes nothing."""
    if not _valid(token):
        return False
    try:
        os.rename(_dir() / f"{token}.json", _dir() / f"{token}.claimed")
    except OSError:
        return False
    return True


def release(token: str) -> None:
    """Give a claimed token back (its commit was refused and wrote nothing)."""
    if _valid(token):
        os.rename(_dir() / f"{token}.claimed", _dir() / f"{token}.json")


def discard(token: str) -> None:
    if _valid(token):
        for suffix in (".bin", ".json", ".claimed"):
            (_dir() / f"{token}{suffix}").unlink(missing_ok=True)
