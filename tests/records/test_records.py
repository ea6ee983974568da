"""SKP ratings and discipline records: actions, all-or-nothing imports, the upload page."""

from __future__ import annotations

import io
from datetime import date

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from kompeten.people.imports import ImportFileError
from kompeten.records.actions import do_add_discipline_record, do_set_skp_rating
from kompeten.records.imports import import_discipline, import_skp
from kompeten.records.models import DisciplineRecord, SkpRating


def xlsx(rows: list[list[object]]) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    book.close()
    return buf.getvalue()


def test_the_predikat_is_derived_from_the_two_ratings(world) -> None:  # type: ignore[no-untyped-def]
    r = do_set_skp_rating(
        actor=world.alice,
        employee=world.dave_emp,
        year=2025,
        hasil_kerja="Di Atas Ekspektasi",
        perilaku="sesuai",
    )
    assert (r.hasil_kerja, r.perilaku, r.predikat) == ("di_atas", "sesuai", "baik")
    again = do_set_skp_rating(actor=world.alice, employee=world.dave_emp, year=2025, score=85)
    assert again.pk == r.pk and again.predikat == "" and float(again.score) == 85.0


def test_it_refuses_both_or_neither_kind_of_skp(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="salah satu"):
        do_set_skp_rating(
            actor=None,
            employee=world.dave_emp,
            year=2025,
            hasil_kerja="sesuai",
            perilaku="sesuai",
            score=80,
        )
    with pytest.raises(ValidationError, match="Isi hasil kerja"):
        do_set_skp_rating(actor=None, employee=world.dave_emp, year=2025)
    with pytest.raises(ValidationError, match="0–100"):
        do_set_skp_rating(actor=None, employee=world.dave_emp, year=2025, score=150)


def test_a_discipline_record_needs_a_known_level(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="ringan, sedang atau berat"):
        do_add_discipline_record(
            actor=None, employee=world.dave_emp, day=date(2025, 1, 2), level="parah"
        )
    rec = do_add_discipline_record(
        actor=None, employee=world.dave_emp, day=date(2025, 1, 2), level="Sedang"
    )
    assert rec.level == "sedang"


def test_a_good_skp_file_imports_and_a_second_run_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["NIP", "Tahun", "Hasil Kerja", "Perilaku", "Nilai SKP"],
            [world.dave_emp.nip, 2025, "Sesuai Ekspektasi", "Di Atas Ekspektasi", ""],
            [world.erin_emp.nip, 2024, "", "", 88],
        ]
    )
    result = import_skp(data, "skp.xlsx", instansi=world.instansi, actor=world.alice)
    assert (result.created, result.updated, result.problems) == (2, 0, [])
    assert SkpRating.objects.get(employee=world.dave_emp).predikat == "baik"
    again = import_skp(data, "skp.xlsx", instansi=world.instansi, actor=world.alice)
    assert (again.created, again.updated) == (0, 0)


def test_a_bad_skp_file_saves_nothing_and_names_row_column_and_problem(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["NIP", "Tahun", "Hasil Kerja", "Perilaku"],
            [world.dave_emp.nip, 2025, "Sesuai", "Sesuai"],
            ["199999999999999999", 2025, "Sesuai", "Sesuai"],
            [world.erin_emp.nip, 2025, "Luar biasa", "Sesuai"],
            [world.dave_emp.nip, 2025, "Sesuai", "Sesuai"],
        ]
    )
    result = import_skp(data, "skp.xlsx", instansi=world.instansi, actor=world.alice)
    problems = [(p.row, p.column) for p in result.problems]
    assert problems == [(3, "NIP"), (4, "Hasil Kerja"), (5, "Tahun")]
    assert "tidak terdaftar" in result.problems[0].message
    assert SkpRating.objects.count() == 0


def test_an_skp_file_of_another_instansi_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    from kompeten.core.models import Instansi

    other = Instansi.objects.get(code="kab-lain")
    data = xlsx([["NIP", "Tahun", "Nilai SKP"], [world.dave_emp.nip, 2025, 80]])
    result = import_skp(data, "skp.xlsx", instansi=other, actor=None)
    assert result.problems and SkpRating.objects.count() == 0


def test_a_file_without_required_columns_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFileError, match="Tanggal"):
        import_discipline(
            xlsx([["NIP", "Tingkat"], [world.dave_emp.nip, "ringan"]]),
            "d.xlsx",
            instansi=world.instansi,
            actor=None,
        )
    with pytest.raises(ImportFileError, match="XLSX atau CSV"):
        import_skp(b"hello", "skp.pdf", instansi=world.instansi, actor=None)


def test_discipline_csv_imports_all_or_nothing(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "disiplin.csv"
    good.write_text(
        f"NIP;Tanggal;Tingkat;Keterangan\n{world.dave_emp.nip};03-02-2025;ringan;Terlambat\n"
    )
    call_command("import_discipline", str(good), "--instansi", "kota-uji")
    assert DisciplineRecord.objects.filter(employee=world.dave_emp, level="ringan").count() == 1
    bad = tmp_path / "buruk.csv"
    bad.write_text(
        f"NIP;Tanggal;Tingkat\n{world.erin_emp.nip};31-02-2025;berat\n{world.erin_emp.nip};01-02-2025;berat\n"
    )
    with pytest.raises(CommandError, match="tidak ada yang disimpan"):
        call_command("import_discipline", str(bad), "--instansi", "kota-uji")
    assert not DisciplineRecord.objects.filter(employee=world.erin_emp).exists()


def test_only_the_admin_may_upload(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.bob)
    assert client.get("/catatan/impor/").status_code == 403
    client.force_login(world.alice)
    upload = io.BytesIO(xlsx([["NIP", "Tahun", "Nilai SKP"], [world.dave_emp.nip, 2025, 91]]))
    upload.name = "skp.xlsx"
    response = client.post("/catatan/impor/", {"kind": "skp", "file": upload}, follow=True)
    assert "Impor selesai" in response.content.decode()
    assert SkpRating.objects.get(employee=world.dave_emp).score == 91


def test_an_outsider_cannot_see_an_employees_records(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.erin)
    assert client.get(f"/catatan/pegawai/{world.dave_emp.pk}/").status_code == 404
    client.force_login(world.mallory)
    assert client.get(f"/catatan/pegawai/{world.dave_emp.pk}/").status_code == 404
