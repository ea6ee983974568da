"""The employee import engine: reading, mapping, validation, all-or-nothing upsert."""

from __future__ import annotations

from datetime import date

import pytest

from kompeten.core.models import AuditLog
from kompeten.people.imports import (
    ImportFileError,
    detect_mapping,
    import_employees,
    parse_date,
    parse_education,
    parse_golongan,
    parse_jabatan_kind,
    read_table,
)
from kompeten.people.models import Employee, EmploymentEvent
from tests.people.importing import HEADERS, csv_bytes, person, xlsx_bytes


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
    return import_employees(data, name, instansi=world.instansi, actor=world.alice, **kwargs)


def test_it_imports_a_siasn_style_xlsx(world) -> None:
    rows = team(world)
    result = run(world, xlsx_bytes(rows))
    assert result.problems == []
    assert result.counts == {"new": 4, "changed": 0, "unchanged": 0, "rejected": 0}
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
    result = run(world, csv_bytes(rows, delimiter=delimiter, bom=bom), "pegawai.csv")
    assert result.problems == []
    assert result.counts["new"] == 4
    assert Employee.objects.get(nip=rows[0]["NIP"]).birth_date == rows[0]["TANGGAL LAHIR"]


def test_a_second_run_of_the_same_file_changes_nothing(world) -> None:
    data = xlsx_bytes(team(world))
    run(world, data)
    before = snapshot()
    result = run(world, data)
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 4, "rejected": 0}
    assert not result.written
    assert snapshot() == before


def test_a_changed_row_updates_only_its_changed_fields_and_records_a_mutasi(world) -> None:
    rows = team(world)
    run(world, xlsx_bytes(rows))
    iwan = Employee.objects.get(nip=rows[1]["NIP"])
    untouched = Employee.objects.get(nip=rows[3]["NIP"])
    rows[1]["KODE UNIT"] = "BETA"
    rows[1]["GOLONGAN"] = "III/b"
    rows[1]["NIP ATASAN"] = world.erin_emp.nip
    result = run(world, xlsx_bytes(rows))
    assert result.counts == {"new": 0, "changed": 1, "unchanged": 3, "rejected": 0}
    iwan.refresh_from_db()
    assert (iwan.unit, iwan.golongan, iwan.supervisor) == (world.beta, "III/b", world.erin_emp)
    moved = EmploymentEvent.objects.get(employee=iwan, kind="mutasi")
    assert (moved.from_unit, moved.to_unit) == (world.layanan, world.beta)
    assert Employee.objects.get(pk=untouched.pk).updated == untouched.updated
    assert AuditLog.objects.filter(action="employee.import").count() == 2


def test_it_updates_an_employee_created_in_the_app(world) -> None:
    row = person("ALFA-LAY", world.dave_emp.name, birth=world.dave_emp.birth_date)
    row["NIP"] = world.dave_emp.nip
    row["NIP ATASAN"] = world.carol_emp.nip
    row["GOLONGAN"] = "3b"  # dave is III/b already
    row["GELAR BELAKANG"] = ""
    row["AKTIF"] = "Tidak"
    result = run(world, xlsx_bytes([row]))
    assert result.counts["changed"] == 1
    dave = Employee.objects.get(pk=world.dave_emp.pk)
    assert not dave.is_active and dave.end_date is not None
    assert EmploymentEvent.objects.filter(employee=dave, kind="nonaktif").exists()


def test_a_missing_optional_column_keeps_the_stored_value(world) -> None:
    row = person("ALFA-LAY", world.dave_emp.name, birth=world.dave_emp.birth_date)
    row["NIP"] = world.dave_emp.nip
    row["GOLONGAN"] = "III/b"
    headers = [h for h in HEADERS if h not in ("GELAR BELAKANG", "NIP ATASAN", "AKTIF")]
    result = run(world, xlsx_bytes([row], headers))
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 1, "rejected": 0}
    assert Employee.objects.get(pk=world.dave_emp.pk).supervisor == world.carol_emp


def assert_refused(world, data: bytes, name: str = "pegawai.xlsx", **kwargs):
    before = snapshot()
    result = run(world, data, name, **kwargs)
    assert result.problems and not result.written
    assert snapshot() == before
    return result.problems


def test_one_bad_row_means_nothing_is_written(world) -> None:
    rows = team(world)
    rows[2]["JENIS KELAMIN"] = "X"
    problems = assert_refused(world, xlsx_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [(4, "JENIS KELAMIN")]
    assert "L (laki-laki) atau P" in problems[0].message


def test_it_refuses_a_nip_duplicated_in_the_file(world) -> None:
    rows = team(world)
    rows[3]["NIP"] = rows[1]["NIP"]
    rows[3]["KODE UNIT"] = "ALFA-LAY"
    problems = assert_refused(world, xlsx_bytes(rows))
    assert any(p.row == 5 and "ganda" in p.message and "baris 3" in p.message for p in problems)


def test_it_refuses_an_unknown_unit(world) -> None:
    rows = team(world)
    rows[1]["KODE UNIT"] = "TIDAK-ADA"
    problems = assert_refused(world, xlsx_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [(3, "KODE UNIT")]
    assert "TIDAK-ADA" in problems[0].message


def test_it_matches_units_by_exact_name_and_refuses_an_unknown_name(world) -> None:
    row = person("", "Lala Staf", sex="P")
    row["UNIT KERJA"] = "bidang  layanan"
    headers = [h if h != "KODE UNIT" else "UNIT KERJA" for h in HEADERS]
    result = run(world, xlsx_bytes([row], headers))
    assert result.problems == []
    assert Employee.objects.get(nip=row["NIP"]).unit == world.layanan
    other = person("", "Mira Staf", sex="P")
    other["UNIT KERJA"] = "Dinas Gamma"
    problems = assert_refused(world, xlsx_bytes([other], headers))
    assert problems[0].column == "UNIT KERJA"


def test_it_refuses_a_supervisor_neither_in_the_file_nor_in_the_database(world) -> None:
    rows = team(world)
    rows[1]["NIP ATASAN"] = "196001012000011999"
    problems = assert_refused(world, xlsx_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [(3, "NIP ATASAN")]


def test_it_refuses_a_supervisor_cycle_within_the_file(world) -> None:
    a = person("ALFA", "Ana")
    b = person("ALFA", "Beni", supervisor=str(a["NIP"]))
    a["NIP ATASAN"] = b["NIP"]
    problems = assert_refused(world, xlsx_bytes([a, b]))
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
    problems = assert_refused(world, xlsx_bytes([row]))
    assert "melingkar" in problems[0].message
    assert Employee.objects.get(pk=world.carol_emp.pk).supervisor is None


def test_it_refuses_self_supervision(world) -> None:
    row = person("ALFA", "Sendiri")
    row["NIP ATASAN"] = row["NIP"]
    problems = assert_refused(world, xlsx_bytes([row]))
    assert "dirinya sendiri" in problems[0].message


def test_it_refuses_a_nip_that_disagrees_with_birth_date_and_sex(world) -> None:
    row = person("ALFA", "Salah Tanggal")
    row["TANGGAL LAHIR"] = date(1971, 2, 3)
    row["JENIS KELAMIN"] = "P"
    problems = assert_refused(world, xlsx_bytes([row]))
    messages = " ".join(p.message for p in problems)
    assert "Tanggal lahir" in messages and "Jenis kelamin" in messages
    assert {p.column for p in problems} == {"NIP"}


def test_it_refuses_a_nip_stored_as_a_number(world) -> None:
    row = person("ALFA", "Angka")
    row["NIP"] = float(str(row["NIP"]))
    problems = assert_refused(world, xlsx_bytes([row]))
    assert "sebagai angka" in problems[0].message


def test_it_refuses_a_nip_registered_in_another_instansi(world) -> None:
    from tests import factories

    other_unit = factories.make_unit(world.mallory.instansi, "Dinas Lain", code="LAIN")
    stranger = factories.make_employee(other_unit, "Orang Lain", birth_date=date(1979, 9, 9))
    row = person("ALFA", stranger.name, birth=date(1979, 9, 9))
    row["NIP"] = stranger.nip
    problems = assert_refused(world, xlsx_bytes([row]))
    assert "instansi lain" in problems[0].message


def test_an_unreadable_birth_date_names_the_value(world) -> None:
    row = person("ALFA", "Tanggal Aneh")
    row["TANGGAL LAHIR"] = "kemarin"
    problems = assert_refused(world, xlsx_bytes([row]))
    assert any(p.column == "TANGGAL LAHIR" and "'kemarin'" in p.message for p in problems)


def test_plain_struktural_is_refused_with_advice(world) -> None:
    row = person("ALFA", "Pak Struktural")
    row["JENIS JABATAN"] = "Struktural"
    problems = assert_refused(world, xlsx_bytes([row]))
    assert any("Struktural" in p.message and p.column == "JENIS JABATAN" for p in problems)


def test_dry_run_writes_nothing(world) -> None:
    before = snapshot()
    result = run(world, xlsx_bytes(team(world)), dry_run=True)
    assert result.counts["new"] == 4 and result.dry_run
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("pegawai.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "kata sandi"),
        ("pegawai.xlsx", b"ini bukan lembar kerja", "bukan XLSX"),
        ("pegawai.xlsx", b"PK\x03\x04rusak" + b"\x00" * 100, "tidak dapat dibaca"),
        ("pegawai.pdf", b"%PDF-1.4", "tidak didukung"),
        ("pegawai.csv", b"", "kosong"),
        ("pegawai.csv", b"NIP,NAMA\n", "tidak berisi baris data"),
        ("pegawai.csv", "NIP,NAMA\nÀ".encode("latin-1"), "UTF-8"),
        ("pegawai.csv", b"PK\x03\x04" + b"\x00" * 10, "bukan CSV"),
    ],
)
def test_bad_files_get_a_clear_message_and_nothing_is_written(world, name, data, fragment) -> None:
    before = snapshot()
    with pytest.raises(ImportFileError) as caught:
        run(world, data, name)
    assert fragment in caught.value.message
    assert snapshot() == before


def test_an_xlsx_with_only_headers_is_empty(world) -> None:
    with pytest.raises(ImportFileError, match="tidak berisi baris data"):
        run(world, xlsx_bytes([]))


def test_an_oversized_file_is_refused(world, settings) -> None:
    settings.KOMPETEN_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ImportFileError, match="terlalu besar"):
        run(world, xlsx_bytes(team(world)))


def test_a_missing_required_column_is_refused(world) -> None:
    headers = [h for h in HEADERS if h != "PENDIDIKAN"]
    with pytest.raises(ImportFileError, match="Pendidikan"):
        run(world, xlsx_bytes(team(world), headers))


def test_a_named_sheet_is_read(world) -> None:
    rows = team(world)
    result = run(world, xlsx_bytes(rows, sheet="Pegawai Aktif"), sheet="Pegawai Aktif")
    assert result.counts["new"] == 4
    with pytest.raises(ImportFileError, match="tidak ada"):
        run(world, xlsx_bytes(rows), sheet="Lain")


def test_a_user_mapping_overrides_detection(world) -> None:
    rows = team(world)
    for row in rows:
        row["NIP LAMA TAPI BARU"] = row.pop("NIP")
    headers = ["NIP LAMA TAPI BARU", *HEADERS[1:]]
    result = run(world, xlsx_bytes(rows, headers), mapping={"nip": "NIP LAMA TAPI BARU"})
    assert result.counts["new"] == 4


def test_the_export_of_the_list_imports_back_unchanged(world, client) -> None:
    client.force_login(world.alice)
    response = client.get("/pegawai/ekspor.xlsx?active=all")
    result = run(world, response.content, "ekspor.xlsx")
    assert result.problems == []
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 4, "rejected": 0}


def test_header_detection_ignores_case_spacing_and_punctuation() -> None:
    mapping = detect_mapping(
        ["N I P", "Nama", "Tgl. Lahir", "jenis_kelamin", "Nama Jabatan", "Unit Kerja"]
    )
    assert mapping == {
        "nip": "N I P",
        "name": "Nama",
        "birth_date": "Tgl. Lahir",
        "sex": "jenis_kelamin",
        "jabatan_name": "Nama Jabatan",
        "unit_name": "Unit Kerja",
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("III/a", "III/a"),
        ("III/A", "III/a"),
        ("3A", "III/a"),
        ("4/e", "IV/e"),
        ("Penata Muda (III/a)", "III/a"),
        ("V/a", "V/a"),
    ],
)
def test_golongan_spellings(raw, expected) -> None:
    assert parse_golongan(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("S1", "S-1"),
        ("S-1", "S-1"),
        ("D3", "D-III"),
        ("D-III", "D-III"),
        ("SMA", "SLTA"),
        ("SMK", "SLTA"),
        ("D IV", "D-IV"),
    ],
)
def test_education_spellings(raw, expected) -> None:
    assert parse_education(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("JPT Pratama", "jpt"),
        ("Struktural eselon III", "administrator"),
        ("Struktural Pengawas", "pengawas"),
        ("Fungsional Tertentu", "fungsional"),
        ("Fungsional Umum", "pelaksana"),
        ("pelaksana", "pelaksana"),
    ],
)
def test_jabatan_kind_spellings(raw, expected) -> None:
    assert parse_jabatan_kind(raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("14-03-1985", date(1985, 3, 14)),
        ("14/03/1985", date(1985, 3, 14)),
        ("1985-03-14", date(1985, 3, 14)),
        ("31-02-1985", None),
        (31120.0, date(1985, 3, 14)),
    ],
)
def test_date_spellings(raw, expected) -> None:
    assert parse_date(raw) == expected


def test_row_numbers_are_those_of_the_spreadsheet(world) -> None:
    table = read_table(b"\n\nNIP;NAMA\n1;a\n\n2;b\n", "x.csv")
    assert table.header_row == 3
    assert [n for n, _cells in table.rows] == [4, 6]
