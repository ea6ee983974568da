"""`kompeten import employees FILE [--instansi CODE] [--create-units] [--partial]`."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kompeten.core.models import PendingRow
from kompeten.people.models import Employee, Unit
from tests.people.importing import person, write, xlsx_bytes

SIASN = (
    Path(__file__).parent.parent
    / "fixtures/bkpsdm-2025/Data_PNS_Kota_Sawahlunto_SIASN_02122026.xlsx"
)


def rows():
    head = person("ALFA", "Nina Kepala", sex="P")
    return [head, person("ALFA-LAY", "Oki Staf", supervisor=str(head["NIP"]))]


def test_it_imports_and_prints_counts(world, tmp_path, capsys) -> None:
    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(rows()))
    call_command("import_employees", str(path), "--instansi", "kota-uji")
    out = capsys.readouterr().out
    assert "2 baris diimpor (baru: 2" in out
    assert Employee.objects.count() == 6


def test_its_progress_and_counts_follow_the_language(world, tmp_path, capsys) -> None:
    """The progress lines the employee import writes, and its counts, in English when the
    command line speaks English (KOMPETEN_LANGUAGE=en activates it; here the caller's)."""
    from django.utils import translation

    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(rows()))
    with translation.override("en"):
        call_command("import_employees", str(path), "--instansi", "kota-uji")
    captured = capsys.readouterr()
    assert "New employees saved: 1/2" in captured.err  # the head first, then her staff
    assert "2 rows imported (new: 2, changed: 0, unchanged: 0)" in captured.out
    assert "baris" not in captured.out + captured.err


def test_it_needs_a_known_instansi(world, tmp_path) -> None:
    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(rows()))
    with pytest.raises(CommandError, match="--instansi"):
        call_command("import_employees", str(path))
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("import_employees", str(path), "--instansi", "kota-lain")


def test_a_rejected_row_prints_problems_writes_nothing_and_fails(world, tmp_path) -> None:
    data = rows()
    data[1]["PENDIDIKAN"] = "TK"
    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(data))
    problems = tmp_path / "masalah.xlsx"
    with pytest.raises(CommandError, match="Tidak ada yang disimpan") as caught:
        call_command(
            "import_employees", str(path), "--instansi", "kota-uji", "--problems", str(problems)
        )
    assert "Baris 3, kolom PENDIDIKAN: Pendidikan tidak dikenal" in str(caught.value)
    assert problems.stat().st_size > 0
    assert Employee.objects.count() == 4


def test_the_map_option_names_a_column(world, tmp_path, capsys) -> None:
    data = rows()
    for row in data:
        row["NOMOR"] = row.pop("NIP")
    headers = ["NOMOR", *[h for h in data[0] if h != "NOMOR"]]
    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(data, headers))
    call_command("import_employees", str(path), "--instansi", "kota-uji", "--map", "NOMOR=nip")
    assert Employee.objects.count() == 6


def test_siasn_with_create_units_and_partial(world, tmp_path, capsys) -> None:
    call_command(
        "import_employees", str(SIASN), "--instansi", "kota-uji", "--create-units", "--partial"
    )
    out = capsys.readouterr().out
    assert "288 baris diimpor (baru: 288" in out and "12 baris tertunda" in out
    assert out.count("Tertunda baris") == 12
    assert out.count("NIP rusak oleh Excel (hanya 15 digit pertama yang tersisa: ") == 12
    assert Unit.objects.filter(name="DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL").exists()
    assert PendingRow.objects.filter(reason="nip_damaged").count() == 12


def test_without_create_units_unknown_units_are_listed_and_nothing_written(world) -> None:
    with pytest.raises(CommandError, match="belum ada di pohon OPD"):
        call_command("import_employees", str(SIASN), "--instansi", "kota-uji")
    assert Employee.objects.count() == 4


def test_the_console_script_exits_non_zero_on_a_rejected_row(
    world, tmp_path, capsys, monkeypatch
) -> None:
    from django.core.management import base

    from kompeten.cli import main

    # run_from_argv closes every connection when it ends; keep the test's open.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    data = rows()
    data[0]["JENIS KELAMIN"] = "?"
    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(data))
    with pytest.raises(SystemExit) as exited:
        main(["kompeten", "import", "employees", str(path), "--instansi", "kota-uji"])
    assert exited.value.code == 1
    assert "Baris 2, kolom JENIS KELAMIN" in capsys.readouterr().err
    assert Employee.objects.count() == 4


def _without_a_nip_header() -> bytes:
    data = rows()
    for row in data:
        row["NOMOR"] = row.pop("NIP")
    return xlsx_bytes(data, ["NOMOR", *[h for h in data[0] if h != "NOMOR"]])


def test_a_missing_column_is_named_with_the_option_that_maps_it(world, tmp_path) -> None:
    path = write(tmp_path / "pegawai.xlsx", _without_a_nip_header())
    with pytest.raises(CommandError) as caught:
        call_command("import_employees", str(path), "--instansi", "kota-uji")
    message = str(caught.value)
    assert (
        'Berkas: Kolom wajib NIP tidak ditemukan; sebutkan kolomnya dengan --map "Judul Kolom=nip".'
        " Judul kolom yang dikenali: NIP, NIP BARU," in message
    )
    assert "langkah pemetaan" not in message


def test_in_the_wizard_a_missing_column_points_to_the_mapping_step(world) -> None:
    from kompeten.core.importing import engine

    the_plan = engine.plan(
        "employees", _without_a_nip_header(), "pegawai.xlsx", instansi=world.instansi, user=None
    )
    (missing,) = [p for p in the_plan.file_problems if p.field == "nip"]
    assert missing.message == "Kolom wajib NIP tidak ditemukan; pilih kolomnya di langkah pemetaan."
    assert "NIP BARU" in missing.accepted


def test_siasn_after_a_hand_made_tree_puts_each_sekretariat_under_its_own_opd(
    world, capsys
) -> None:
    """The tree holds one OPD's Sekretariat; the SIASN export has the Sekretariat of five
    OPDs. Each OPD's SEKRETARIAT employees go to their own OPD's (created) Sekretariat, never
    all into the one that exists."""
    from tests import factories

    dinkes = factories.make_unit(world.instansi, "Dinas Kesehatan", code="1.02")
    hand_made = factories.make_unit(
        world.instansi, "Sekretariat", parent=dinkes, kind="bagian", code="1.02.01"
    )
    call_command(
        "import_employees", str(SIASN), "--instansi", "kota-uji", "--create-units", "--partial"
    )
    assert "288 baris diimpor" in capsys.readouterr().out
    sekretariat = Unit.objects.filter(instansi=world.instansi, name__iexact="sekretariat")
    by_parent = {u.parent.name.upper(): u for u in sekretariat}
    assert "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in by_parent
    assert len(by_parent) == sekretariat.count() == 5
    assert by_parent["DINAS KESEHATAN"] == hand_made
    # SIASN's SEKRETARIAT rows by UNOR INDUK (one Disdukcapil NIP damaged by Excel waits)
    assert {name: Employee.objects.filter(unit=u).count() for name, u in by_parent.items()} == {
        "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL": 12,
        "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA": 6,
        "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU": 5,
        "SATUAN POLISI PAMONG PRAJA": 5,
        "DINAS KESEHATAN": 3,
    }
