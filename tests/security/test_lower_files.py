"""Backups, data-subject exports, pending imports and uploaded files are owner-only (0600),
whatever the process umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection

from kompeten.core import backup
from kompeten.core.importing import uploads


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


@pytest.fixture
def var_dir(tmp_path, settings) -> Path:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_owner_only(var_dir, umask):
    out = backup.backup()
    assert _mode(out) == 0o600
    assert _mode(out.parent) == 0o700


@pytest.mark.django_db(transaction=True)
def test_a_backup_over_a_world_readable_file_is_owner_only(var_dir, umask):
    out = var_dir / "nightly.sqlite3"
    out.write_bytes(b"old")
    out.chmod(0o644)
    backup.backup(out)
    assert _mode(out) == 0o600
    if connection.vendor == "sqlite":  # on PostgreSQL the file is a pg_dump archive
        backup.check_sqlite_backup(out)


def test_a_data_subject_export_is_owner_only(world, var_dir, umask):
    out = var_dir / "dave.json"
    call_command("export_personal_data", world.dave_emp.nip, "--out", str(out))
    assert _mode(out) == 0o600
    assert world.dave_emp.nip in out.read_text()


def test_a_pending_import_is_owner_only(var_dir, umask):
    (var_dir / "imports").mkdir(mode=0o755)
    (var_dir / "imports").chmod(0o755)
    token = uploads.store(b"NIP,Nama\n", {"user_id": 1, "key": "employees"})
    assert _mode(var_dir / "imports") == 0o700
    assert _mode(var_dir / "imports" / f"{token}.bin") == 0o600
    assert _mode(var_dir / "imports" / f"{token}.json") == 0o600


def test_an_uploaded_file_is_owner_only(var_dir, umask):
    name = FileSystemStorage().save("sertifikat-eksternal/2026/a.pdf", ContentFile(b"%PDF-1.4"))
    path = var_dir / "media" / name
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
