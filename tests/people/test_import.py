"""The employees import on the engine: SIASN and template files, the diff, problems, pending rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kompeten.core import importing as imp
from kompeten.core.importing import engine
from kompeten.core.models import AuditLog, ImportMapping, PendingRow
from kompeten.people.actions import do_create_unit
from kompeten.people.imports import (
    NIP_DAMAGED,
    UNIT_UNKNOWN,
    EmployeesImport,
    import_employees,
    offer_full_nips,
)
from kompeten.people.models import Employee, EmploymentEvent, Unit
from tests.people.importing import HEADERS, csv_bytes, person, xlsx_bytes

SIASN = (
    Path(__file__).parent.parent
    / "fixtures/bkpsdm-2025/Data_PNS_Kota_Sawahlunto_SIASN_02122026.xlsx"
)


def snapshot() -> tuple[int, int, int, list[tuple]]:
    return (
        Employee.objects.count(),
        EmploymentEvent.objects.count(),
        AuditLog.objects.filter(action="employee.import").count(),
        sorted(Employee.objects.values_list("nip", "name", "unit_id", "supervisor_id", "updated")),
    )


def team(world):
    head = person("ALFA", "Hana Kepala", sex="P")
    head["JENIS JABATAN"] = "Administrator"
    staff = [
        person("ALFA-LAY", "Iwan Staf", supervisor=str(head["NIP"])),
        person("ALFA-LAY", "Joko Staf", supervisor=str(head["NIP"]), status="PPPK"),
        person("BETA", "Kiki Staf", sex="P", supervisor=world.erin_emp.nip),
    ]
    return [head, *staff]


def run(world, data: bytes, name: str = "pegawai.xlsx", **kwargs):
    kwargs.setdefault("user", world.alice)
    return import_employees(data, name, instansi=world.instansi, **kwargs)


def written(world, data: bytes, name: str = "pegawai.xlsx", **kwargs) -> dict[str, int]:
    plan, outcome = run(world, data, name, **kwargs)
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    return outcome.written


def test_it_imports_a_template_xlsx(world) -> None:
    rows = team(world)
    assert written(world, xlsx_bytes(rows)) == {"baru": 4, "berubah": 0, "tetap": 0}
    head = Employee.objects.get(nip=rows[0]["NIP"])
    assert head.jabatan_kind == "administrator"
    assert head.sex == "P" and head.golongan == "III/a" and head.education == "S-1"
    assert head.unit == world.alfa and head.back_title == "S.E."
    joko = Employee.objects.get(nip=rows[2]["NIP"])
    assert joko.status == "PPPK" and joko.pppk_grade == "9" and joko.golongan == ""
    assert joko.supervisor == head
    assert Employee.objects.get(nip=rows[3]["NIP"]).supervisor == world.erin_emp
    assert EmploymentEvent.objects.filter(kind="masuk", employee__nip=rows[1]["NIP"]).count() == 1
    audit = AuditLog.objects.get(action="employee.import")
    assert audit.after == {"new": 4, "changed": 0, "unchanged": 0, "rejected": 0}
    assert audit.actor == world.alice


@pytest.mark.parametrize(("delimiter", "bom"), [(",", False), (";", True)])
def test_it_imports_a_csv_with_either_delimiter_and_optional_bom(world, delimiter, bom) -> None:
    rows = team(world)
    data = csv_bytes(rows, delimiter=delimiter, bom=bom)
    assert written(world, data, "pegawai.csv")["baru"] == 4
    assert Employee.objects.get(nip=rows[0]["NIP"]).birth_date == rows[0]["TANGGAL LAHIR"]


def test_a_second_run_of_the_same_file_changes_nothing(world) -> None:
    data = xlsx_bytes(team(world))
    written(world, data)
    before = snapshot()
    assert written(world, data) == {"baru": 0, "berubah": 0, "tetap": 4}
    assert snapshot() == before


def test_a_changed_row_updates_only_its_changed_fields_and_records_a_mutasi(world) -> None:
    rows = team(world)
    written(world, xlsx_bytes(rows))
    iwan = Employee.objects.get(nip=rows[1]["NIP"])
    untouched = Employee.objects.get(nip=rows[3]["NIP"])
    rows[1]["KODE UNIT"] = "BETA"
    rows[1]["GOLONGAN"] = "III/b"
    rows[1]["NIP ATASAN"] = world.erin_emp.nip
    assert written(world, xlsx_bytes(rows)) == {"baru": 0, "berubah": 1, "tetap": 3}
    iwan.refresh_from_db()
    assert (iwan.unit, iwan.golongan, iwan.supervisor) == (world.beta, "III/b", world.erin_emp)
    moved = EmploymentEvent.objects.get(employee=iwan, kind="mutasi")
    assert (moved.from_unit, moved.to_unit) == (world.layanan, world.beta)
    assert Employee.objects.get(pk=untouched.pk).updated == untouched.updated


def test_it_updates_an_employee_created_in_the_app(world) -> None:
    row = person("ALFA-LAY", world.dave_emp.name, birth=world.dave_emp.birth_date)
    row["NIP"] = world.dave_emp.nip
    row["NIP ATASAN"] = world.carol_emp.nip
    row["GOLONGAN"] = "3b"  # dave is III/b already
    row["GELAR BELAKANG"] = ""
    row["AKTIF"] = "Tidak"
    assert written(world, xlsx_bytes([row]))["berubah"] == 1
    dave = Employee.objects.get(pk=world.dave_emp.pk)
    assert not dave.is_active and dave.end_date is not None
    assert EmploymentEvent.objects.filter(employee=dave, kind="nonaktif").exists()


def test_a_missing_optional_column_keeps_the_stored_value(world) -> None:
    row = person("ALFA-LAY", world.dave_emp.name, birth=world.dave_emp.birth_date)
    row["NIP"] = world.dave_emp.nip
    row["GOLONGAN"] = "III/b"
    headers = [h for h in HEADERS if h not in ("GELAR BELAKANG", "NIP ATASAN", "AKTIF")]
    assert written(world, xlsx_bytes([row], headers)) == {"baru": 0, "berubah": 0, "tetap": 1}
    assert Employee.objects.get(pk=world.dave_emp.pk).supervisor == world.carol_emp


def refused(world, data: bytes, name: str = "pegawai.xlsx", **kwargs) -> list[imp.Problem]:
    before = snapshot()
    plan, outcome = run(world, data, name, **kwargs)
    assert outcome is None and plan.problems
    assert snapshot() == before
    return plan.problems


def test_one_bad_row_means_nothing_is_written(world) -> None:
    rows = team(world)
    rows[2]["JENIS KELAMIN"] = "X"
    problems = refused(world, xlsx_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [(4, "JENIS KELAMIN")]
    assert "L (laki-laki) atau P" in problems[0].message
    assert "Perempuan" in problems[0].accepted


def test_with_partial_the_clean_rows_are_written_and_the_bad_one_kept_pending(world) -> None:
    rows = team(world)
    rows[2]["JENIS KELAMIN"] = "X"
    _plan, outcome = run(world, xlsx_bytes(rows), partial=True)
    assert outcome is not None and outcome.imported == 3 and outcome.pending == 1
    kept = PendingRow.objects.get()
    assert kept.row_number == 4 and "JENIS KELAMIN" in kept.message
    assert kept.values["NAMA"] == "Joko Staf"


def test_it_refuses_a_nip_duplicated_in_the_file(world) -> None:
    rows = team(world)
    rows[3]["NIP"] = rows[1]["NIP"]
    rows[3]["KODE UNIT"] = "ALFA-LAY"
    problems = refused(world, xlsx_bytes(rows))
    assert any(p.row == 5 and "ganda" in p.message and "baris 3" in p.message for p in problems)


def test_an_unknown_unit_is_pending_and_completes_once_the_unit_exists(world) -> None:
    rows = team(world)
    rows[1]["KODE UNIT"] = "ALFA-BARU"
    rows[1]["NIP ATASAN"] = ""
    plan, outcome = run(world, xlsx_bytes(rows))
    assert outcome is None and not plan.problems
    [waiting] = plan.pending_rows
    assert waiting.number == 3 and waiting.pending_reason == UNIT_UNKNOWN
    assert "ALFA-BARU" in waiting.pending_message
    plan, outcome = run(world, xlsx_bytes(rows), partial=True)
    assert outcome is not None and outcome.written["baru"] == 3
    assert not Employee.objects.filter(nip=rows[1]["NIP"]).exists()
    unit = do_create_unit(
        instansi=world.instansi,
        code="ALFA-BARU",
        name="Bidang Baru",
        kind="bagian",
        parent=world.alfa,
    )
    assert imp.retry_pending(world.instansi, world.alice) == 1
    assert Employee.objects.get(nip=rows[1]["NIP"]).unit == unit
    assert PendingRow.objects.get().resolved_at is not None


def test_it_matches_units_by_name_as_people_write_them(world) -> None:
    row = person("", "Lala Staf", sex="P")
    row["UNIT KERJA"] = "bidang  layanan"
    headers = [h if h != "KODE UNIT" else "UNIT KERJA" for h in HEADERS]
    assert written(world, xlsx_bytes([row], headers))["baru"] == 1
    assert Employee.objects.get(nip=row["NIP"]).unit == world.layanan
    other = person("", "Mira Staf", sex="P")
    other["UNIT KERJA"] = "Dinas Gamma"
    plan, outcome = run(world, xlsx_bytes([other], headers))
    assert outcome is None and plan.pending_rows[0].pending_reason == UNIT_UNKNOWN


def test_it_refuses_a_supervisor_neither_in_the_file_nor_in_the_database(world) -> None:
    rows = team(world)
    rows[1]["NIP ATASAN"] = "196001012000011999"
    problems = refused(world, xlsx_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [(3, "NIP ATASAN")]


def test_a_row_under_a_refused_supervisor_waits_for_it(world) -> None:
    rows = team(world)
    rows[0]["PENDIDIKAN"] = "TK"
    plan, outcome = run(world, xlsx_bytes(rows), partial=True)
    assert outcome is not None and outcome.imported == 1  # Kiki, whose atasan is erin
    kept = {r.number: " ".join(p.message for p in r.problems) for r in plan.pending_rows}
    assert sorted(kept) == [2, 3, 4]
    assert f"Atasan dengan NIP {rows[0]['NIP']}" in kept[3]
    assert PendingRow.objects.count() == 3


def test_it_refuses_a_supervisor_cycle_within_the_file(world) -> None:
    a = person("ALFA", "Ana")
    b = person("ALFA", "Beni", supervisor=str(a["NIP"]))
    a["NIP ATASAN"] = b["NIP"]
    problems = refused(world, xlsx_bytes([a, b]))
    assert {p.row for p in problems} == {2, 3}
    assert all("melingkar" in p.message for p in problems)


def test_it_refuses_a_cycle_closed_through_the_database(world) -> None:
    # dave reports to carol in the database; the file makes carol report to dave.
    row = person("ALFA-LAY", world.carol_emp.name, sex="P", birth=world.carol_emp.birth_date)
    row["NIP"] = world.carol_emp.nip
    row["JENIS JABATAN"] = "Pengawas"
    row["GOLONGAN"] = "III/b"
    row["GELAR BELAKANG"] = ""
    row["NIP ATASAN"] = world.dave_emp.nip
    problems = refused(world, xlsx_bytes([row]))
    assert "melingkar" in problems[0].message
    assert Employee.objects.get(pk=world.carol_emp.pk).supervisor is None


def test_it_refuses_self_supervision(world) -> None:
    row = person("ALFA", "Sendiri")
    row["NIP ATASAN"] = row["NIP"]
    problems = refused(world, xlsx_bytes([row]))
    assert "dirinya sendiri" in problems[0].message


def test_it_refuses_a_nip_that_disagrees_with_birth_date_and_sex(world) -> None:
    row = person("ALFA", "Salah Tanggal")
    row["TANGGAL LAHIR"] = date(1971, 2, 3)
    row["JENIS KELAMIN"] = "P"
    problems = refused(world, xlsx_bytes([row]))
    messages = " ".join(p.message for p in problems)
    assert "Tanggal lahir" in messages and "Jenis kelamin" in messages
    assert {p.column for p in problems} == {"NIP"}


def test_a_nip_damaged_by_excel_is_pending_and_completed_by_a_full_nip_offered_later(
    world,
) -> None:
    row = person("ALFA", "Angka Rusak")
    full = str(row["NIP"])
    row["NIP"] = float(full)
    plan, outcome = run(world, xlsx_bytes([row]), partial=True)
    assert outcome is not None and outcome.pending == 1
    assert plan.rows[0].pending_reason == NIP_DAMAGED
    assert full[:15] in plan.rows[0].pending_message
    other = str(person("ALFA", "Angka Rusak")["NIP"])  # another NIP: other first 15 digits
    assert offer_full_nips(world.instansi, [("Angka Lain", full), ("Angka Rusak", other)]) == 0
    assert offer_full_nips(world.instansi, [("ANGKA  RUSAK", full)]) == 1
    assert Employee.objects.get(nip=full).name == "Angka Rusak"


def test_a_nip_registered_in_another_instansi_is_a_new_employee_here(world) -> None:
    """A NIP is unique per instansi: an ASN who moved here from another instansi on the same
    server is registered here, and the file learns nothing about the other instansi."""
    from tests import factories

    other_unit = factories.make_unit(world.mallory.instansi, "Dinas Lain", code="LAIN")
    stranger = factories.make_employee(other_unit, "Orang Lain", birth_date=date(1979, 9, 9))
    row = person("ALFA", stranger.name, birth=date(1979, 9, 9))
    row["NIP"] = stranger.nip
    assert written(world, xlsx_bytes([row]))["baru"] == 1
    assert Employee.objects.filter(nip=stranger.nip).count() == 2
    stranger.refresh_from_db()
    assert stranger.unit == other_unit


def test_an_unreadable_birth_date_names_the_value(world) -> None:
    row = person("ALFA", "Tanggal Aneh")
    row["TANGGAL LAHIR"] = "kemarin"
    problems = refused(world, xlsx_bytes([row]))
    assert any(p.column == "TANGGAL LAHIR" and "'kemarin'" in p.message for p in problems)


@pytest.mark.parametrize(
    ("written_as", "born"),
    [
        ("05-03-85", date(1985, 3, 5)),
        ("5/3/85", date(1985, 3, 5)),
        ("29.02.00", date(2000, 2, 29)),
        ("01-07-02", date(2002, 7, 1)),
        ("01-07-25", date(1925, 7, 1)),  # 2025 would make a baby; the NIP says 1925 too
    ],
)
def test_a_two_digit_birth_year_is_the_century_that_makes_an_adult(world, written_as, born) -> None:
    row = person("ALFA", "Tahun Pendek", birth=born)
    row["TANGGAL LAHIR"] = written_as
    plan, outcome = run(world, xlsx_bytes([row]))
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    assert Employee.objects.get(nip=row["NIP"]).birth_date == born


def test_plain_struktural_is_refused_with_advice(world) -> None:
    row = person("ALFA", "Pak Struktural")
    row["JENIS JABATAN"] = "Struktural"
    problems = refused(world, xlsx_bytes([row]))
    assert any("Struktural" in p.message and p.column == "JENIS JABATAN" for p in problems)


def test_an_unreadable_file_is_a_read_error_and_nothing_is_written(world) -> None:
    before = snapshot()
    with pytest.raises(imp.ReadError):
        run(world, b"ini bukan lembar kerja", "pegawai.xlsx")
    assert snapshot() == before


def test_a_missing_required_column_is_refused(world) -> None:
    headers = [h for h in HEADERS if h != "NAMA JABATAN"]
    problems = refused(world, xlsx_bytes(team(world), headers))
    assert any(p.row is None and "Nama jabatan" in p.message for p in problems)


def test_a_named_sheet_is_read(world) -> None:
    data = xlsx_bytes(team(world), sheet="Pegawai Aktif")
    assert written(world, data, sheet="Pegawai Aktif")["baru"] == 4


def test_a_user_mapping_overrides_detection_and_is_remembered(world) -> None:
    rows = team(world)
    for row in rows:
        row["NOMOR PEGAWAI"] = row.pop("NIP")
    headers = ["NOMOR PEGAWAI", *HEADERS[1:]]
    data = xlsx_bytes(rows, headers)
    assert written(world, data, mapping={"NOMOR PEGAWAI": "nip"})["baru"] == 4
    assert ImportMapping.objects.get(declaration="employees").mapping["NOMOR PEGAWAI"] == "nip"
    plan, _outcome = run(world, data)
    assert plan.mapping["NOMOR PEGAWAI"] == "nip"


def test_the_export_of_the_list_imports_back_unchanged(world, client) -> None:
    client.force_login(world.alice)
    response = client.get("/pegawai/ekspor.xlsx?active=all")
    plan, outcome = run(world, response.content, "ekspor.xlsx")
    assert plan.source is not None and plan.source.key == "kompeten"
    assert outcome is not None and outcome.written == {"baru": 0, "berubah": 0, "tetap": 4}


def test_header_detection_ignores_case_spacing_and_punctuation() -> None:
    headers = ["Nip", "Nama", "Tgl. Lahir", "jenis_kelamin", "Nama Jabatan", "Unit Kerja"]
    mapping = engine.auto_mapping(EmployeesImport(), headers, None)
    assert mapping == {
        "Nip": "nip",
        "Nama": "name",
        "Tgl. Lahir": "birth_date",
        "jenis_kelamin": "sex",
        "Nama Jabatan": "jabatan_name",
        "Unit Kerja": "unit_name",
    }


def test_the_siasn_export_is_read_as_siasn_writes_it(world) -> None:
    """Title rows, SIASN's own headers and values, 12 NIPs damaged by Excel, units by UNOR."""
    plan, outcome = run(
        world, SIASN.read_bytes(), SIASN.name, options={"create_units": True}, partial=True
    )
    assert plan.source is not None and plan.source.key == "siasn"
    assert plan.header_row == 4
    assert plan.mapping["NIP BARU"] == "nip" and plan.mapping["NIP LAMA"] == ""
    assert plan.mapping["TINGKAT PENDIDIKAN NAMA"] == "education"
    assert not plan.problems
    assert {r.pending_reason for r in plan.pending_rows} == {NIP_DAMAGED}
    assert len(plan.pending_rows) == 12
    assert outcome is not None and outcome.written["baru"] == 288
    head = Employee.objects.get(nip="196909041996011001")
    assert (head.name, head.back_title, head.sex) == ("KHAIRUL MELAYU", "S.E., M.M.", "L")
    assert (head.golongan, head.education, head.jabatan_kind) == ("IV/b", "S-2", "jpt")
    assert head.unit.name == "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    assert head.birth_date == date(1969, 9, 4) and head.is_active
    kinds = dict(
        Employee.objects.filter(jabatan_name__startswith="Kepala Seksi").values_list(
            "jabatan_name", "jabatan_kind"
        )
    )
    assert set(kinds.values()) == {"pengawas"}
    sekretariat = Unit.objects.filter(name="SEKRETARIAT")
    assert sekretariat.count() >= 4  # one per OPD: the parent's name tells them apart
    assert len({u.parent_id for u in sekretariat}) == sekretariat.count()


def test_without_create_units_the_siasn_rows_wait_for_their_units(world) -> None:
    plan, outcome = run(world, SIASN.read_bytes(), SIASN.name)
    assert outcome is None and not plan.problems
    assert {r.pending_reason for r in plan.pending_rows} == {UNIT_UNKNOWN, NIP_DAMAGED}


def test_a_damaged_nip_is_completed_by_a_later_file_that_has_it_beside_the_same_name(
    world,
) -> None:
    """The SIASN row waits; a score recap (here an SKP file) names the person with the full NIP
    as text: the employee is imported, then the recap's row too."""
    from tests.workbooks import xlsx_rows

    row = person("ALFA", "Rina Wati")
    full = str(row["NIP"])
    row["NIP"] = float(full)
    _plan, outcome = run(world, xlsx_bytes([row]), partial=True)
    assert outcome is not None and outcome.pending == 1
    recap = xlsx_rows(
        [["NIP", "NAMA", "Tahun", "Nilai SKP"], [f"'{full}", "Hj. RINA WATI, S.K.M.", 2025, 90]]
    )
    plan = imp.plan("skp", recap, "skp.xlsx", instansi=world.instansi, user=world.alice)
    assert plan.pending_rows[0].pending_reason == "person_unknown"
    done = imp.commit(plan, partial=True)
    assert done.resolved == 1  # the employee row, completed from the recap's full NIP
    rina = Employee.objects.get(nip=full)
    assert imp.retry_pending(world.instansi, world.alice) == 1  # then the recap's own row
    assert rina.skp_ratings.get().score == 90


def test_a_full_nip_seen_earlier_completes_the_row_at_once(world) -> None:
    from tests.workbooks import xlsx_rows

    row = person("ALFA", "Budi Santoso")
    full = str(row["NIP"])
    recap = xlsx_rows([["NIP", "NAMA", "Tahun", "Nilai SKP"], [full, "Budi  Santoso", 2025, 80]])
    plan = imp.plan("skp", recap, "skp.xlsx", instansi=world.instansi, user=world.alice)
    imp.commit(plan, partial=True)
    row["NIP"] = float(full)
    plan, outcome = run(world, xlsx_bytes([row]))
    assert outcome is not None and outcome.written["baru"] == 1
    assert Employee.objects.filter(nip=full).exists()
    assert any(full in w for w in plan.rows[0].warnings)  # said on the preview and the CLI
