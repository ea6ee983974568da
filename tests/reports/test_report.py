"""The programme report: every section present and filled from the data, in HTML, PDF, XLSX."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from kompeten.reports.assemble import SECTIONS, assemble_programme
from kompeten.reports.export import render_bytes
from tests.reports.builders import trained_programme


@pytest.fixture
def trained(world):  # type: ignore[no-untyped-def]
    return trained_programme(world)


def test_the_report_data_has_every_section_filled_from_the_data(world, trained) -> None:  # type: ignore[no-untyped-def]
    data = assemble_programme(trained.programme)
    assert [s["title"] for s in data["sections"]] == [t for _, t in SECTIONS]
    intro = " ".join(data["sections"][0]["paragraphs"])
    assert "Pelayanan Prima Kependudukan" in intro and "7 pegawai diundang" in intro
    challenges = next(s for s in data["sections"] if s["key"] == "tantangan")
    funnel = next(t for t in challenges["tables"] if t["slug"] == "corong_partisipasi")
    assert funnel["rows"][0] == ["Diundang", 7] and funnel["rows"][2] == ["Menolak", 3]
    assert [r["rule_id"] for r in data["recommendations"]] == ["workload_declines"]
    assert data["recommendations"][0]["evidence"]["workload_declines"] == 3


def test_objectives_say_whether_they_were_reached(world, trained) -> None:  # type: ignore[no-untyped-def]
    data = assemble_programme(trained.programme)
    goals = next(s for s in data["sections"] if s["key"] == "tujuan")
    assert goals["paragraphs"][0].startswith(
        "Peserta menerapkan standar pelayanan prima — belum dapat dinilai"
    )


def test_the_pdf_reads_back_with_every_section_and_the_recommendation(world, trained) -> None:  # type: ignore[no-untyped-def]
    pdf = render_bytes(world.instansi, assemble_programme(trained.programme), "pdf")
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    for _key, title in SECTIONS:
        assert title in text
    assert "Daftar Isi" in text and "Halaman 2 dari" in text
    assert "3 dari 7 undangan" in text  # the workload rule's sentence, with its numbers
    assert "PEMERINTAH KOTA UJI" in text


def test_the_workbook_holds_every_table(world, trained) -> None:  # type: ignore[no-untyped-def]
    data = assemble_programme(trained.programme)
    book = load_workbook(io.BytesIO(render_bytes(world.instansi, data, "xlsx")))
    slugs = {t["slug"][:28] for s in data["sections"] for t in s["tables"]}
    assert slugs <= set(book.sheetnames)
    sheet = book["corong_partisipasi"]
    assert [c.value for c in sheet[2]] == ["Diundang", 7]


def test_the_cli_writes_each_format(world, trained, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("html", b"<!DOCTYPE")):
        out = tmp_path / f"r.{fmt}"
        call_command("report", "PP-01", "--format", fmt, "-o", str(out), "--instansi", "kota-uji")
        assert out.read_bytes().startswith(magic)


def test_the_cli_refuses_an_unknown_programme(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("report", "NOPE", "-o", "/tmp/x.pdf")
