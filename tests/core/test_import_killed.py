"""Killing a real import process halfway leaves nothing written; re-running it is idempotent.

Every import is one transaction: a separate `kompeten import employees` process is
started against its own fresh database (a SQLite file, or a fresh PostgreSQL database when the
suite runs on PostgreSQL), killed with SIGKILL after it reports its first batch of stored rows
(inside the transaction, before the commit), and the database is then inspected from outside.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import fresh_postgres_database
from tests.people.importing import csv_bytes, person

KOMPETEN = str(Path(sys.executable).parent / "kompeten")

SETUP = """
from kompeten.core.models import Instansi
from kompeten.people.actions import compute_path
from kompeten.people.models import Unit
instansi = Instansi.objects.create(name="Pemerintah Kota Uji", code="kota-uji")
path, depth = compute_path(None, "DINAS-UJI")
Unit.objects.create(instansi=instansi, code="DINAS-UJI", name="Dinas Uji", kind="dinas",
                    path=path, depth=depth)
"""

COUNT = """
from kompeten.people.models import Employee, EmploymentEvent
print("COUNTS", Employee.objects.count(), EmploymentEvent.objects.count())
"""


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database of the kind the suite runs on, outside the test transaction."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'killed.sqlite3'}"
        return
    with fresh_postgres_database("kompeten_killed") as (url, _admin):
        yield url


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "KOMPETEN_VAR_DIR": str(tmp_path),
        "KOMPETEN_TESTING": "true",
        "DEBUG": "false",
    }


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KOMPETEN, *args], env=env, capture_output=True, text=True, check=False, timeout=300
    )


def _counts(env: dict[str, str]) -> tuple[int, int]:
    done = _run(env, "shell", "-c", COUNT)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("COUNTS "))
    _, employees, events = line.split()
    return int(employees), int(events)


def _rows(n: int) -> list[dict[str, object]]:
    """A head, 40 middle managers under them, the rest under the managers: three levels, so
    the importer reports stored rows level by level inside one transaction."""
    head = person("DINAS-UJI", "Kepala Dinas Uji")
    managers = [
        person("DINAS-UJI", f"Kepala Seksi {i}", supervisor=str(head["NIP"])) for i in range(40)
    ]
    staff = [
        person("DINAS-UJI", f"Staf {i}", supervisor=str(managers[i % 40]["NIP"]))
        for i in range(n - 41)
    ]
    return [head, *managers, *staff]


def test_a_killed_import_writes_nothing_and_a_rerun_is_idempotent(database_url, tmp_path):
    env = _env(database_url, tmp_path)
    assert _run(env, "migrate", "-v", "0").returncode == 0
    setup = _run(env, "shell", "-c", SETUP)
    assert setup.returncode == 0, setup.stderr
    rows = _rows(6000)
    source = tmp_path / "pegawai.csv"
    source.write_bytes(csv_bytes(rows))

    process = subprocess.Popen(
        [KOMPETEN, "import", "employees", str(source)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if "Pegawai baru tersimpan" in line:  # the first level is written, not committed
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    assert any("Pegawai baru tersimpan: 1/" in line for line in seen), "".join(seen)

    assert _counts(env) == (0, 0)  # nothing half-written

    first = _run(env, "import", "employees", str(source))
    assert first.returncode == 0, first.stderr
    shown = "6.000"  # len(rows), counted in Indonesian as the progress lines count it
    assert len(rows) == 6000
    assert f"{shown} baris diimpor (baru: {shown}, berubah: 0" in first.stdout
    assert _counts(env) == (len(rows), len(rows))  # every employee and one JOINED event each

    again = _run(env, "import", "employees", str(source))
    assert again.returncode == 0, again.stderr
    assert f"{shown} baris diimpor (baru: 0, berubah: 0, tetap: {shown})" in again.stdout
    assert _counts(env) == (len(rows), len(rows))
