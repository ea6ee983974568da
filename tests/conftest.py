"""Personas, as in Healthchecks' tests.

Pemerintah Kota Uji has two dinas. In Dinas Alfa (with a sub-unit Bidang Layanan):
- alice is admin BKPSDM (sees everything);
- bob is pengelola of Dinas Alfa (sees Alfa and its sub-unit);
- carol is an atasan in Bidang Layanan; dave reports to carol;
- pia is pimpinan (reads everything).
In Dinas Beta: erin, a pegawai whom bob, carol and dave must not see.
Another instansi, Kabupaten Lain, has mallory (admin there) who must see nothing of Kota Uji.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres_only`` exercise PostgreSQL itself (a server that can go down);
    on SQLite they do not apply, so they are deselected (reported in the summary), and CI's
    PostgreSQL run executes them."""
    import os

    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    keep = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in Bahasa Indonesia, the default. A request with the English cookie
    leaves English active in the test's thread (LocaleMiddleware activates a language and
    nothing deactivates it), and messages are translated when they are raised."""
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[tuple[str, str]]:
    """A new, empty PostgreSQL database on the suite's server, outside the test transaction,
    dropped on the way out: (its URL, a DSN of the server's ``postgres`` database to administer
    it from)."""
    import uuid

    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}", admin
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if TYPE_CHECKING:  # imported lazily so that pure-library tests run without Django
    from kompeten.core.models import Instansi, User
    from kompeten.people.models import Employee, Unit


@dataclass
class World:
    instansi: Instansi
    alfa: Unit
    layanan: Unit
    beta: Unit
    carol_emp: Employee
    dave_emp: Employee
    erin_emp: Employee
    bob_emp: Employee
    alice: User
    bob: User
    carol: User
    dave: User
    erin: User
    pia: User
    mallory: User


@pytest.fixture
def world(db: None) -> World:
    from kompeten.core.models import Role
    from kompeten.people.models import UnitKind
    from tests import factories

    instansi = factories.make_instansi()
    root = factories.make_unit(instansi, "Pemerintah Kota Uji", kind=UnitKind.OTHER, code="KOTA")
    alfa = factories.make_unit(instansi, "Dinas Alfa", parent=root, code="ALFA")
    layanan = factories.make_unit(
        instansi, "Bidang Layanan", parent=alfa, kind=UnitKind.BAGIAN, code="ALFA-LAY"
    )
    beta = factories.make_unit(instansi, "Dinas Beta", parent=root, code="BETA")
    bob_emp = factories.make_employee(alfa, "Bobby Santoso")
    carol_emp = factories.make_employee(
        layanan, "Carolina Putri", sex="P", birth_date=date(1980, 6, 2), jabatan_kind="pengawas"
    )
    dave_emp = factories.make_employee(layanan, "Dave Saputra", supervisor=carol_emp)
    erin_emp = factories.make_employee(beta, "Erin Lestari", sex="P", birth_date=date(1992, 1, 20))
    other = factories.make_instansi("Kabupaten Lain", "kab-lain")
    return World(
        instansi=instansi,
        alfa=alfa,
        layanan=layanan,
        beta=beta,
        carol_emp=carol_emp,
        dave_emp=dave_emp,
        erin_emp=erin_emp,
        bob_emp=bob_emp,
        alice=factories.make_user(instansi, "alice", Role.ADMIN),
        bob=factories.make_user(
            instansi, "bob", Role.PENGELOLA, employee=bob_emp, managed_unit=alfa
        ),
        carol=factories.make_user(instansi, "carol", Role.PEGAWAI, employee=carol_emp),
        dave=factories.make_user(instansi, dave_emp.nip, Role.PEGAWAI, employee=dave_emp),
        erin=factories.make_user(instansi, "erin", Role.PEGAWAI, employee=erin_emp),
        pia=factories.make_user(instansi, "pia", Role.PIMPINAN),
        mallory=factories.make_user(other, "mallory", Role.ADMIN),
    )
