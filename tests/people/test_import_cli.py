"""`kompeten import employees FILE`: counts, problems, exit code."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kompeten.people.models import Employee
from tests.people.importing import person, write, xlsx_bytes


def rows():
    head = person("ALFA", "Nina Kepala", sex="P")
    return [head, person("ALFA-LAY", "Oki Staf", supervisor=str(head["NIP"]))]


def test_it_imports_and_prints_counts(world, tmp_path, capsys) -> None:
    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(rows()))
    call_command("import_employees", str(path), "--instansi", "kota-uji")
    out = capsys.readouterr().out
    assert "Baru: 2" in out and "Impor selesai" in out
    assert Employee.objects.count() == 6


def test_it_picks_the_only_instansi_or_asks_for_one(world, tmp_path) -> None:
    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(rows()))
    with pytest.raises(CommandError, match="--instansi"):
        call_command("import_employees", str(path))
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("import_employees", str(path), "--instansi", "kota-lain")


def test_a_rejected_row_prints_problems_writes_nothing_and_fails(world, tmp_path, capsys) -> None:
    data = rows()
    data[1]["PENDIDIKAN"] = "TK"
    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(data))
    with pytest.raises(CommandError, match="tidak ada yang disimpan"):
        call_command("import_employees", str(path), "--instansi", "kota-uji")
    assert "Baris 3, kolom PENDIDIKAN: Pendidikan tidak dikenal" in capsys.readouterr().out
    assert Employee.objects.count() == 4


def test_dry_run_and_map_options(world, tmp_path, capsys) -> None:
    data = rows()
    for row in data:
        row["NOMOR"] = row.pop("NIP")
    headers = ["NOMOR", *[h for h in data[0] if h != "NOMOR"]]
    path = write(tmp_path / "pegawai.xlsx", xlsx_bytes(data, headers))
    call_command(
        "import_employees", str(path), "--instansi", "kota-uji", "--map", "nip=NOMOR", "--dry-run"
    )
    assert "Baru: 2" in capsys.readouterr().out
    assert Employee.objects.count() == 4
    with pytest.raises(CommandError, match="bidang=Judul"):
        call_command("import_employees", str(path), "--instansi", "kota-uji", "--map", "nomor")


def test_a_bad_file_is_a_command_error(world, tmp_path) -> None:
    path = write(tmp_path / "pegawai.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(CommandError, match="kata sandi"):
        call_command("import_employees", str(path), "--instansi", "kota-uji")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_employees", str(tmp_path / "tidak-ada.xlsx"))


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
    captured = capsys.readouterr()
    assert "Baris 2, kolom JENIS KELAMIN" in captured.out
    assert "tidak ada yang disimpan" in captured.err
    assert Employee.objects.count() == 4
