"""Backup and restore of the whole database (`kompeten backup`, `kompeten restore`).

- SQLite: the online backup API (`sqlite3.Connection.backup`), consistent while the site runs;
  the backup is itself a SQLite file.
- PostgreSQL: `pg_dump -Fc` (custom format) and `pg_restore --clean --if-exists`, with the
  host, port, user, password and database name taken from DATABASE_URL.

A restore refuses a file that is not a backup of the same kind of database (or not a Kompeten
database at all) before touching anything. Its errors are said in the active language (the
command line's, kompeten/cli.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from kompeten.core.private_files import create_private, private_folder

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
REQUIRED_TABLES = ("django_migrations", "core_instansi")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator, in the active
    language."""


def vendor() -> str:
    return connection.vendor


def default_filename(now: Any = None) -> str:
    stamp = (now or timezone.localtime()).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if vendor() == "sqlite" else "pgdump"
    return f"kompeten-{stamp}.{suffix}"


def file_kind(path: Path) -> str:
    """'sqlite', 'postgres' or 'unknown', from the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgres"
    return "unknown"


# --- SQLite -------------------------------------------------------------------------------


def _raw_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def backup_sqlite(out: Path) -> None:
    create_private(out)  # sqlite fills the empty file; its journal copies the file's mode
    target = sqlite3.connect(out)
    try:
        _raw_sqlite().backup(target)
    finally:
        target.close()


def check_sqlite_backup(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = source.execute("PRAGMA integrity_check").fetchone()
        if not result or result[0] != "ok":
            raise BackupError(
                gettext("Berkas {path} rusak (integrity_check: {result}).").format(
                    path=path, result=result
                )
            )
        tables = {
            row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            gettext("Berkas {path} bukan basis data SQLite yang dapat dibaca: {error}").format(
                path=path, error=exc
            )
        ) from exc
    finally:
        source.close()
    _require_tables(path, [t for t in REQUIRED_TABLES if t not in tables])


def _require_tables(path: Path, missing: list[str]) -> None:
    """Refuse a database file without Kompeten's own tables."""
    if missing:
        raise BackupError(
            ngettext(
                "Berkas {path} bukan cadangan Kompeten (tabel {tables} tidak ada).",
                "Berkas {path} bukan cadangan Kompeten (tabel {tables} tidak ada).",
                len(missing),
            ).format(path=path, tables=", ".join(missing))
        )


def restore_sqlite(path: Path, target: sqlite3.Connection | None = None) -> None:
    """Copy the backup over the target database (default: Kompeten's own connection)."""
    check_sqlite_backup(path)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(target if target is not None else _raw_sqlite())
    finally:
        source.close()
    if target is None:
        connection.close()  # the schema may differ from what this connection cached


# --- PostgreSQL ---------------------------------------------------------------------------


def pg_env_and_args(settings_dict: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Environment (password) and connection arguments for pg_dump/pg_restore."""
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args: list[str] = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return env, args


def _binary(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else "")
    if not found:
        raise BackupError(
            gettext("Program {name} tidak ditemukan; pasang klien PostgreSQL.").format(name=name)
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed program, arguments from settings
    if result.returncode != 0:
        raise BackupError(
            gettext("{program} gagal (kode {code}): {message}").format(
                program=Path(command[0]).name,
                code=result.returncode,
                message=result.stderr.strip(),
            )
        )


def backup_postgres(out: Path, settings_dict: Mapping[str, Any] | None = None) -> None:
    settings_dict = settings_dict or connection.settings_dict
    env, args = pg_env_and_args(settings_dict)
    _run(
        [
            _binary("pg_dump"),
            *args,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(out),
            str(settings_dict["NAME"]),
        ],
        env,
    )


def check_postgres_backup(path: Path) -> None:
    env = dict(os.environ)
    result = subprocess.run(  # noqa: S603 - fixed program
        [_binary("pg_restore"), "--list", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            gettext("Berkas {path} bukan arsip pg_dump yang sah: {message}").format(
                path=path, message=result.stderr.strip()
            )
        )
    listing = result.stdout
    _require_tables(path, [t for t in REQUIRED_TABLES if f"TABLE public {t} " not in listing])


def restore_postgres(path: Path, settings_dict: Mapping[str, Any] | None = None) -> None:
    check_postgres_backup(path)
    own = settings_dict is None
    settings_dict = settings_dict or connection.settings_dict
    if own:
        connection.close()  # pg_restore --clean drops tables this connection may lock
    env, args = pg_env_and_args(settings_dict)
    _run(
        [
            _binary("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--dbname",
            str(settings_dict["NAME"]),
            str(path),
        ],
        env,
    )


# --- entry points -------------------------------------------------------------------------


def backup(out: Path | None = None) -> Path:
    """Back the database up into `out` (default: var/backups/kompeten-<time>.<kind>)."""
    if out is None:
        from django.conf import settings

        folder = private_folder(Path(settings.VAR_DIR) / "backups")
        out = folder / default_filename()
    out.parent.mkdir(parents=True, exist_ok=True)
    if vendor() == "sqlite":
        backup_sqlite(out)
    elif vendor() == "postgresql":
        create_private(out)  # pg_dump writes into the existing 0600 file
        backup_postgres(out)
    else:
        raise BackupError(
            gettext("Basis data {vendor} tidak didukung untuk pencadangan.").format(vendor=vendor())
        )
    return out


def restore(path: Path) -> None:
    """Replace the whole database with the backup in `path`, after checking the file."""
    if not path.is_file():
        raise BackupError(gettext("Berkas {path} tidak ada.").format(path=path))
    kind = file_kind(path)
    current = "sqlite" if vendor() == "sqlite" else "postgres"
    if kind == "unknown":
        raise BackupError(
            gettext(
                "Berkas {path} bukan cadangan Kompeten (bukan berkas SQLite maupun arsip pg_dump)."
            ).format(path=path)
        )
    if kind != current:
        names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
        raise BackupError(
            gettext(
                "Berkas {path} adalah cadangan {kind}, sedangkan basis data ini {current}; "
                "pulihkan ke basis data sejenis."
            ).format(path=path, kind=names[kind], current=names[current])
        )
    if kind == "sqlite":
        restore_sqlite(path)
    else:
        restore_postgres(path)
