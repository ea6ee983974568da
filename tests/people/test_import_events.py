"""The employee import's employment events: one 'masuk' per new employee, into the unit it was
stored with, and none for the employees already there (the database writes them from the rows
just inserted)."""

from __future__ import annotations

from django.utils import timezone

from kompeten.core import importing as imp
from kompeten.people.imports import import_employees
from kompeten.people.models import Employee, EmploymentEvent
from tests.people.importing import person, xlsx_bytes


def _import(world, rows: list[dict[str, object]]) -> dict[str, int]:
    plan, outcome = import_employees(
        xlsx_bytes(rows), "pegawai.xlsx", instansi=world.instansi, user=world.alice
    )
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    return outcome.written


def test_each_new_employee_gets_one_joined_event_into_its_unit(world) -> None:
    head = person("ALFA", "Hana Kepala", sex="P")
    head["JENIS JABATAN"] = "Administrator"
    rows = [
        head,
        person("ALFA-LAY", "Iwan Staf", supervisor=str(head["NIP"])),
        person("BETA", "Kiki Staf", sex="P", supervisor=world.erin_emp.nip),
    ]
    nips = [str(r["NIP"]) for r in rows]
    stored = Employee.objects.exclude(nip__in=nips)
    before = sorted(EmploymentEvent.objects.filter(employee__in=stored).values_list("id", "kind"))
    assert _import(world, rows)["baru"] == 3
    new = EmploymentEvent.objects.filter(employee__nip__in=nips)
    assert sorted(new.values_list("employee__nip", "kind", "from_unit", "to_unit__code")) == sorted(
        (str(r["NIP"]), EmploymentEvent.Kind.JOINED, None, str(r["KODE UNIT"])) for r in rows
    )
    assert set(new.values_list("date", "detail")) == {(timezone.localdate(), "")}
    after = sorted(EmploymentEvent.objects.filter(employee__in=stored).values_list("id", "kind"))
    assert after == before


def test_a_later_file_adds_events_only_for_its_new_employees(world) -> None:
    first = [person("ALFA-LAY", "Iwan Staf"), person("BETA", "Kiki Staf", sex="P")]
    _import(world, first)
    second = [*first, person("ALFA", "Lina Baru", sex="P")]
    assert _import(world, second) == {"baru": 1, "berubah": 0, "tetap": 2}
    counts = {
        nip: EmploymentEvent.objects.filter(employee__nip=nip).count()
        for nip in (str(r["NIP"]) for r in second)
    }
    assert counts == dict.fromkeys(counts, 1)
    assert EmploymentEvent.objects.get(employee__nip=second[2]["NIP"]).to_unit == world.alfa


def test_an_ended_kedudukan_keeps_why_it_ended(world) -> None:
    """A new row "Pensiun" and an existing one now "Meninggal Dunia": inactive with their
    reasons (models.EndReason), not a bare inactive flag."""
    retired, staying = person("ALFA-LAY", "Rudi Purna"), person("BETA", "Sari Tetap", sex="P")
    retired["AKTIF"] = "Pensiun"
    _import(world, [retired, staying])
    stored = Employee.objects.get(nip=retired["NIP"])
    assert (stored.is_active, stored.end_reason, stored.end_date) == (
        False, "pensiun", timezone.localdate())  # fmt: skip
    staying["AKTIF"] = "Meninggal Dunia"
    _import(world, [retired, staying])
    gone = Employee.objects.get(nip=staying["NIP"])
    assert (gone.is_active, gone.end_reason) == (False, "meninggal")
    assert Employee.objects.get(nip=retired["NIP"]).end_reason == "pensiun"


def test_a_pppk_grade_written_in_the_golongan_column_is_kept(world) -> None:
    """SIASN writes a PPPK's grade (IX) in GOL AKHIR NAMA; a file without a PPPK grade column
    kept neither."""
    row = person("ALFA-LAY", "Tina Pppk", sex="P", status="PPPK")
    row["GOLONGAN"], row["STATUS"] = "IX", "PPPK"
    del row["GOLONGAN PPPK"]
    _import(world, [row])
    stored = Employee.objects.get(nip=row["NIP"])
    assert (stored.status, stored.pppk_grade, stored.golongan) == ("PPPK", "9", "")


def test_the_head_of_an_opd_without_a_unit_below_it_works_in_the_opd(world) -> None:
    """SIMPEG: SKPD = the OPD, Unit Kerja = the bidang, "-" for the OPD's head; its golongan
    under "Pangkat/Gol" after the pangkat's name."""
    head, staff = person("", "Kepala Dinas Alfa"), person("", "Staf Layanan")
    for row, unit in ((head, "-"), (staff, "Bidang Layanan")):
        del row["KODE UNIT"], row["GOLONGAN"]
        row["SKPD"], row["UNIT KERJA"] = "Dinas Alfa", unit
        row["Pangkat/Gol"] = "Penata Muda / III/a"
    headers = list(head)
    plan, outcome = import_employees(
        xlsx_bytes([head, staff], headers), "simpeg.xlsx", instansi=world.instansi,
        user=world.alice,
    )  # fmt: skip
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    assert Employee.objects.get(nip=head["NIP"]).unit == world.alfa
    assert Employee.objects.get(nip=staff["NIP"]).unit == world.layanan
    assert Employee.objects.get(nip=staff["NIP"]).golongan == "III/a"


def test_a_full_name_repeating_its_own_gelar_columns_is_stored_without_them(world) -> None:
    """SIMPEG's "Nama Lengkap" carries the gelar its Gelar columns also give: the name is
    stored without them; a name whose gelar no column gives is left as written."""
    titled, plain = person("ALFA-LAY", "x"), person("BETA", "y", sex="P")
    titled["NAMA"], titled["GELAR DEPAN"], titled["GELAR BELAKANG"] = (
        "DR. H. ERNI LUBIS, S.E., M.M.", "Dr. H.", "S.E., M.M.")  # fmt: skip
    plain["NAMA"], plain["GELAR BELAKANG"] = "Sari Wati, S.H.", ""
    _import(world, [titled, plain])
    assert Employee.objects.get(nip=titled["NIP"]).name == "ERNI LUBIS"
    assert Employee.objects.get(nip=plain["NIP"]).name == "Sari Wati, S.H."
