"""A SIMPEG list's Keterangan column: "Pensiun TMT 01-03-2025", "Meninggal dunia", "Mutasi
keluar" end the employee's service (since the day it names); a day still to come, or any other
note ("Tugas belajar", "MPP", a transfer in), keeps the employee active. An Aktif or Kedudukan
column, where the list has one, decides instead."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from kompeten.core import importing as imp
from kompeten.people.imports import import_employees
from kompeten.people.imports.values import end_remark
from kompeten.people.models import Employee, EmploymentEvent
from tests.people.importing import person, xlsx_bytes

HEADERS = ["NIP", "NAMA", "NAMA JABATAN", "GOLONGAN", "KODE UNIT", "KETERANGAN"]


def _with_remark(name: str, remark: str) -> dict[str, object]:
    row = person("ALFA-LAY", name)
    row["KETERANGAN"] = remark
    return row


def _import(world, rows, headers=HEADERS):  # type: ignore[no-untyped-def]
    plan, outcome = import_employees(
        xlsx_bytes(rows, headers), "nominatif.xlsx", instansi=world.instansi, user=world.alice
    )
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    return plan


def test_a_remark_that_ends_the_service_stores_the_employee_inactive_since_its_day(world) -> None:
    rows = [
        _with_remark("Ahmad Purna", "Pensiun TMT 01-03-2025"),
        _with_remark("Bunga Wafat", "Meninggal dunia"),
        _with_remark("Candra Pindah", "Pindah ke Kab. Solok 12/05/2025"),
        _with_remark("Dewi Belajar", "Tugas Belajar S2"),
        _with_remark("Eko Persiapan", "MPP (masa persiapan pensiun)"),
        _with_remark("Fani Nanti", "Pensiun TMT 01-03-2099"),
        _with_remark("Gilang Pindahan", "Pindahan dari Kab. Tanah Datar"),
    ]
    plan = _import(world, rows)
    stored = {
        e.name: (e.is_active, e.end_reason, e.end_date)
        for e in Employee.objects.filter(nip__in=[r["NIP"] for r in rows])
    }
    today = timezone.localdate()
    assert stored == {
        "Ahmad Purna": (False, "pensiun", date(2025, 3, 1)),
        "Bunga Wafat": (False, "meninggal", today),
        "Candra Pindah": (False, "mutasi", date(2025, 5, 12)),
        "Dewi Belajar": (True, "", None),
        "Eko Persiapan": (True, "", None),
        "Fani Nanti": (True, "", None),
        "Gilang Pindahan": (True, "", None),
    }
    # what was read is said on the preview, row by row
    assert plan.warnings == [
        (2, "Keterangan 'Pensiun TMT 01-03-2025': dicatat tidak aktif (pensiun)."),
        (3, "Keterangan 'Meninggal dunia': dicatat tidak aktif (meninggal dunia)."),
        (4, "Keterangan 'Pindah ke Kab. Solok 12/05/2025': dicatat tidak aktif (mutasi keluar)."),
        (7, "Keterangan 'Pensiun TMT 01-03-2099': tetap aktif sampai 1 Maret 2099 (pensiun)."),
    ]


def test_a_later_list_ends_a_stored_employee_with_the_day_its_remark_names(world) -> None:
    row = _with_remark("Hadi Mutasi", "")
    _import(world, [row])
    assert Employee.objects.get(nip=row["NIP"]).is_active
    row["KETERANGAN"] = "Mutasi keluar 02-06-2025"
    _import(world, [row])
    employee = Employee.objects.get(nip=row["NIP"])
    assert (employee.is_active, employee.end_reason, employee.end_date) == (
        False,
        "mutasi",
        date(2025, 6, 2),
    )
    assert employee.events.filter(kind=EmploymentEvent.Kind.ENDED).exists()
    # a list still naming them without the remark does not bring them back: only an Aktif or
    # Kedudukan column says a service goes on
    row["KETERANGAN"] = ""
    _import(world, [row])
    assert not Employee.objects.get(nip=row["NIP"]).is_active


def test_an_aktif_column_decides_over_the_remark(world) -> None:
    row = _with_remark("Intan Aktif", "Pensiun TMT 01-03-2025")
    row["AKTIF"] = "Ya"
    _import(world, [row], [*HEADERS, "AKTIF"])
    assert Employee.objects.get(nip=row["NIP"]).is_active


def test_a_remark_with_an_impossible_date_still_ends_but_as_of_the_import() -> None:
    remark = end_remark("Pensiun TMT 31-02-2025")
    assert remark is not None and (remark.reason, remark.on) == ("pensiun", None)
    assert end_remark("") is None and end_remark(None) is None and end_remark(20250301) is None
