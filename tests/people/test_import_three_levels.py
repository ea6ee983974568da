"""A SIMPEG list of three unit levels (SKPD › Unit Kerja › Sub Unit Kerja): each employee is
placed in the sub unit, under its unit kerja, under its OPD; the many Subbagian Umum under the
many Sekretariat are told apart by the OPD above them."""

from __future__ import annotations

import pytest

from kompeten.core import importing as imp
from kompeten.people.imports import import_employees
from kompeten.people.models import Employee, Unit
from tests.people.importing import person, xlsx_bytes

HEADERS = ["NIP", "NAMA", "NAMA JABATAN", "GOLONGAN", "SKPD", "UNIT KERJA", "SUB UNIT KERJA"]


def _row(name: str, skpd: str, unit: str, sub: str) -> dict[str, object]:
    row = person("", name)
    row["SKPD"], row["UNIT KERJA"], row["SUB UNIT KERJA"] = skpd, unit, sub
    return row


def _import(world, rows, *, create_units: bool = True):  # type: ignore[no-untyped-def]
    return import_employees(
        xlsx_bytes(rows, HEADERS),
        "nominatif.xlsx",
        instansi=world.instansi,
        user=world.alice,
        options={"create_units": create_units},
    )


def _path(employee: Employee) -> list[str]:
    names, unit = [], employee.unit
    while unit is not None:
        names.append(unit.name)
        unit = unit.parent
    return names[::-1]


ROWS = [
    ("Ani Umum Alfa", "Dinas Alfa", "Sekretariat", "Subbagian Umum"),
    ("Budi Umum Beta", "Dinas Beta", "Sekretariat", "Subbagian Umum"),
    ("Citra Layanan", "Dinas Alfa", "Bidang Layanan", "Seksi Pengaduan"),
    ("Dodi Sekretariat", "Dinas Beta", "Sekretariat", ""),  # no sub unit: the unit kerja
    ("Eka Bidang", "Dinas Alfa", "Bidang Layanan", "Bidang Layanan"),  # the same name again
]


def test_each_employee_is_placed_in_the_sub_unit_under_its_unit_under_its_opd(world) -> None:
    rows = [_row(*r) for r in ROWS]
    plan, outcome = _import(world, rows)
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    placed = {e.name: _path(e) for e in Employee.objects.filter(nip__in=[r["NIP"] for r in rows])}
    kota = "Pemerintah Kota Uji"
    assert placed == {
        "Ani Umum Alfa": [kota, "Dinas Alfa", "Sekretariat", "Subbagian Umum"],
        "Budi Umum Beta": [kota, "Dinas Beta", "Sekretariat", "Subbagian Umum"],
        "Citra Layanan": [kota, "Dinas Alfa", "Bidang Layanan", "Seksi Pengaduan"],
        "Dodi Sekretariat": [kota, "Dinas Beta", "Sekretariat"],
        "Eka Bidang": [kota, "Dinas Alfa", "Bidang Layanan"],
    }
    assert Unit.objects.filter(name="Subbagian Umum").count() == 2
    assert Unit.objects.filter(name="Bidang Layanan").count() == 1  # the existing one, found

    # the same list again: every unit found (the Subbagian Umum by the OPD above them)
    units = Unit.objects.count()
    plan, outcome = _import(world, rows)
    assert outcome is not None and outcome.written["tetap"] == len(rows)
    assert plan.ctx is not None and plan.ctx.lookups["plan"].unit_plan is None
    assert Unit.objects.count() == units


def test_without_creating_units_a_row_waits_and_names_its_sub_unit(world) -> None:
    row = _row("Fajar Menunggu", "Dinas Alfa", "Bidang Layanan", "Seksi Baru")
    plan, outcome = _import(world, [row], create_units=False)
    assert outcome is None and not plan.problems
    (waiting,) = plan.rows
    assert waiting.pending_message.startswith(
        "Unit kerja 'Seksi Baru (Bidang Layanan)' belum ada di pohon OPD"
    )


@pytest.mark.parametrize("sub_header", ["SUB UNIT KERJA", "Sub Unit", "SUB UNOR"])
def test_the_sub_unit_column_is_recognised_as_simpeg_writes_it(world, sub_header: str) -> None:
    row = _row("Gita Sub", "Dinas Alfa", "Bidang Layanan", "Seksi Data")
    row[sub_header] = row.pop("SUB UNIT KERJA")
    plan, outcome = import_employees(
        xlsx_bytes([row], [*HEADERS[:-1], sub_header]),
        "nominatif.xlsx",
        instansi=world.instansi,
        user=world.alice,
        options={"create_units": True},
    )
    assert plan.mapping[sub_header] == "sub_unit_name" and plan.mapping["UNIT KERJA"] == "unit_name"
    assert outcome is not None
    assert _path(Employee.objects.get(nip=row["NIP"]))[-2:] == ["Bidang Layanan", "Seksi Data"]
