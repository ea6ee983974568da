"""`kompeten backup` / `kompeten restore`: a round trip keeps every row; a wrong file is refused.

Runs on the database of the test run: SQLite (online backup API) or PostgreSQL (pg_dump and
pg_restore from /usr/bin), depending on DATABASE_URL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kompeten.api.models import ApiToken
from kompeten.core import backup
from kompeten.core.models import Instansi
from kompeten.people.models import Employee
from tests.api.helpers import make_token


def _counts_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


def _counts_sqlite(conn: sqlite3.Connection, tables: list[str]) -> dict[str, int]:
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _restore_into_empty_database_and_count(
    path: Path, tmp_path: Path, tables: list[str]
) -> dict[str, int]:
    if connection.vendor == "sqlite":
        target = sqlite3.connect(tmp_path / "empty.sqlite3")
        try:
            backup.restore_sqlite(path, target)
            return _counts_sqlite(target, tables)
        finally:
            target.close()
    import psycopg

    settings_dict = dict(connection.settings_dict)
    name = f"{settings_dict['NAME']}_restore"
    params = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        backup.restore_postgres(path, {**settings_dict, "NAME": name})
        with psycopg.connect(dbname=name, **params) as restored:
            return {
                t: restored.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                for t in tables
            }
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_row(world, tmp_path):
    make_token(world.instansi, actor=world.alice)
    before = _counts_here()
    assert before["people_employee"] == 4
    out = tmp_path / "kompeten.backup"
    call_command("backup", out=out)
    assert backup.file_kind(out) == ("sqlite" if connection.vendor == "sqlite" else "postgres")
    after = _restore_into_empty_database_and_count(out, tmp_path, sorted(before))
    assert after == before


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_what_was_deleted_after_the_backup(world, tmp_path):
    make_token(world.instansi)
    out = tmp_path / "kompeten.backup"
    call_command("backup", out=out)
    before = _counts_here()
    ApiToken.objects.all().delete()
    Employee.objects.filter(pk=world.erin_emp.pk).update(name="Diubah Setelah Cadangan")
    call_command("restore", str(out))
    assert _counts_here() == before
    assert Employee.objects.get(pk=world.erin_emp.pk).name == "Erin Lestari"


def test_it_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    text = tmp_path / "catatan.txt"
    text.write_text("bukan cadangan")
    with pytest.raises(CommandError, match="bukan cadangan Kompeten"):
        call_command("restore", str(text))
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("restore", str(tmp_path / "hilang.sqlite3"))


def test_it_refuses_a_backup_of_the_other_database_kind(db, tmp_path):
    other = tmp_path / "lain.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP" + b"\x00" * 100)
        expected = "cadangan PostgreSQL"
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
        expected = "cadangan SQLite"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other))


def test_it_refuses_a_database_file_that_is_not_kompeten(db, tmp_path):
    kept = Instansi.objects.create(name="Tetap Ada", code="tetap")
    if connection.vendor != "sqlite":
        foreign = tmp_path / "asing.pgdump"
        foreign.write_bytes(b"PGDMP garbage that pg_restore cannot list")
    else:
        foreign = tmp_path / "asing.sqlite3"
        conn = sqlite3.connect(foreign)
        conn.execute("CREATE TABLE pelanggan (nama TEXT)")
        conn.commit()
        conn.close()
    with pytest.raises(CommandError, match="bukan"):
        call_command("restore", str(foreign))
    assert Instansi.objects.filter(pk=kept.pk).exists()
