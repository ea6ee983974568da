"""The service app's import commands on the import engine: `kompeten import skm FILE --unit
NAME|CODE`, `kompeten import skm_summary|complaints [CODE] FILE`.

A good file is imported and counted; an unknown target, a missing file or a rejected row exits
non-zero (CommandError) with every problem, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kompeten.service.models import Complaint, SkmPublishedSummary, SkmResponse
from kompeten.standards.ikm import SKM_2017
from tests.service.helpers import make_service_unit
from tests.service.test_imports import HEADER, LAPOR, _csv, _lapor, _row

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_skm_reads_a_file_into_the_named_unit(world, tmp_path: Path) -> None:
    su = make_service_unit(world.alfa)
    path = tmp_path / "skm.csv"
    path.write_bytes(_csv([_row(), _row(first=2)]))
    out = _run("import_skm", world.instansi.code, str(path), "--unit", su.code)
    assert out == "2 baris diimpor (jawaban SKM: 2, jenis layanan baru: 0).\n"
    assert SkmResponse.objects.filter(service_unit=su).count() == 2


def test_import_skm_refuses_a_bad_row_and_writes_nothing(world, tmp_path: Path) -> None:
    su = make_service_unit(world.alfa)
    bad = _row()
    bad[2] = 5
    path = tmp_path / "skm.csv"
    path.write_bytes(_csv([_row(), bad], HEADER))
    with pytest.raises(CommandError, match=r"(?s)Tidak ada yang disimpan:.*Baris 3.*tidak dikenal"):
        _run("import_skm", world.instansi.code, str(path), "--unit", su.code)
    assert not SkmResponse.objects.exists()


def test_import_skm_names_an_unknown_unit_and_a_missing_file(world, tmp_path: Path) -> None:
    su = make_service_unit(world.alfa)
    path = tmp_path / "skm.csv"
    path.write_bytes(_csv([_row()]))
    with pytest.raises(CommandError, match="Unit 'NOPE' tidak dikenal"):
        _run("import_skm", world.instansi.code, str(path), "--unit", "NOPE")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        _run("import_skm", world.instansi.code, str(tmp_path / "missing.csv"), "--unit", su.code)


def test_import_skm_summary_and_complaints_take_an_instansi(world, tmp_path: Path) -> None:
    su = make_service_unit(world.alfa)
    summary = tmp_path / "summary.csv"
    lines = ["Unit,Tahun,Unsur,NRR,N"] + [f'{su.code},2025,"{u.name}",3,25' for u in SKM_2017.unsur]
    summary.write_text("\n".join(lines))
    assert _run("import_skm_summary", world.instansi.code, str(summary)) == (
        "9 baris diimpor (baris ringkasan: 9).\n"
    )
    assert SkmPublishedSummary.objects.count() == 9

    lapor = tmp_path / "lapor.csv"
    lapor.write_bytes(_csv([_lapor(world)], LAPOR))
    assert "pengaduan baru: 1" in _run("import_complaints", world.instansi.code, str(lapor))
    assert Complaint.objects.count() == 1

    with pytest.raises(CommandError, match="Instansi 'NOPE' tidak dikenal"):
        _run("import_complaints", "NOPE", str(lapor))


def test_a_rejected_complaint_file_writes_nothing(world, tmp_path: Path) -> None:
    lapor = tmp_path / "lapor.csv"
    rows = [
        _lapor(world),
        _lapor(world, **{"No. Tracking": "LAP-2", "Tanggal Selesai": "2026-03-01 08:00"}),
    ]
    lapor.write_bytes(_csv(rows, LAPOR))
    with pytest.raises(CommandError, match="sebelum tanggal diterima"):
        _run("import_complaints", world.instansi.code, str(lapor))
    assert not Complaint.objects.exists()
