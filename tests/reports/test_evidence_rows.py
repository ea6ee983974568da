"""Evidence pages: the rows behind a report figure, paginated and exportable, read from the
cached report model (the report is not collected again)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kompeten.reports import assemble
from kompeten.reports.views import reports as views
from tests.reports.builders import scored_programme


@pytest.fixture
def trained(world):  # type: ignore[no-untyped-def]
    return scored_programme(world, spread=True)


def url(trained, slug: str) -> str:  # type: ignore[no-untyped-def]
    return f"/laporan/program/{trained.programme.pk}/bukti/{slug}/"


def test_the_funnel_evidence_lists_the_participants_page_by_page(
    client, world, trained, monkeypatch, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "EVIDENCE_PAGE_ROWS", 3)
    client.force_login(world.pia)
    client.get(f"/laporan/program/{trained.programme.pk}/")  # the report, collected once

    def collect_again(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the evidence page collected the whole report again")

    monkeypatch.setattr(assemble, "build_programme", collect_again)
    # session, user, instansi, programme, watermarks, the row count and one page of rows
    with django_assert_max_num_queries(8):
        first = client.get(url(trained, "corong_partisipasi"))
    html = first.content.decode()
    assert first.status_code == 200
    assert "1–3 dari 7 baris" in html and "Halaman 1 dari 3" in html
    # ordered by unit, then name: Dinas Alfa's first participants, with their status
    assert "Peserta Alfa 0" in html and "Peserta Alfa 1" in html and "Ditolak" in html
    assert "Peserta Beta 2" not in html
    last = client.get(url(trained, "corong_partisipasi"), {"halaman": 3}).content.decode()
    assert "7–7 dari 7 baris" in last and "Peserta Beta 2" in last
    # the figure is the report's; its aggregate table is not printed again
    assert "Corong partisipasi" in html and "Hadir (minimal satu sesi)" in html


def test_the_rows_are_exported_whole_as_xlsx_and_csv(client, world, trained, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "EVIDENCE_PAGE_ROWS", 2)
    client.force_login(world.pia)
    response = client.get(url(trained, "partisipasi_opd"), {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('bukti-PP-01-partisipasi_opd.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nama", "NIP", "Unit kerja") and len(rows) == 1 + 7
    assert sorted(r[0] for r in rows[1:])[0] == "Peserta Alfa 0"
    csv = b"".join(client.get(url(trained, "partisipasi_opd"), {"format": "csv"}).streaming_content)
    lines = csv.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 7 and lines[0].startswith("Nama,NIP,Unit kerja")


def test_the_learning_evidence_lists_each_participants_scores(client, world, trained) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.pia)
    html = client.get(url(trained, "belajar")).content.decode()
    assert "Skor pre-test dan post-test per peserta" in html
    assert "8 dari 8 baris" in html  # four participants, a pre-test and a post-test each
    assert "<td>73,00</td>" in html  # the last participant's post-test
    declines = client.get(url(trained, "alasan_menolak")).content.decode()
    assert "3 dari 3 baris" in declines and "Beban kerja" in declines


def test_a_table_that_is_its_own_record_lists_its_rows(client, world, trained) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.pia)
    html = client.get(url(trained, "rekomendasi")).content.decode()
    assert html.count("<tr>") >= 1 and "Rekomendasi dan bukti pemicunya" in html


def test_evidence_pages_are_scoped_and_unknown_slugs_are_404(client, world, trained) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.pia)
    assert client.get(url(trained, "tidak-ada")).status_code == 404
    client.force_login(world.bob)
    assert client.get(url(trained, "corong_partisipasi")).status_code == 403
    client.force_login(world.mallory)
    assert client.get(url(trained, "corong_partisipasi")).status_code == 404


def test_the_complaint_evidence_lists_the_units_complaints_in_the_windows(
    client, world, trained
) -> None:  # type: ignore[no-untyped-def]
    from kompeten.service.models import Complaint
    from tests.service.helpers import make_service_unit

    make_service_unit(world.alfa)
    for number, unit, received in (
        ("SEBELUM-1", world.alfa, "2025-12-01T09:00:00+07:00"),
        ("SESUDAH-1", world.alfa, "2026-05-04T09:00:00+07:00"),
        ("TERLALU-AWAL", world.alfa, "2025-01-06T09:00:00+07:00"),
        ("UNIT-LAIN", world.beta, "2025-12-01T09:00:00+07:00"),
    ):
        Complaint.objects.create(
            instansi=world.instansi,
            unit=unit,
            tracking_number=number,
            category="informasi",
            status="selesai",
            received_at=received,
            closed_at=received,
        )
    client.force_login(world.pia)
    html = client.get(url(trained, "dampak_pengaduan")).content.decode()
    assert "Pengaduan unit layanan dalam jendela sebelum dan sesudah" in html
    assert "SEBELUM-1" in html and "SESUDAH-1" in html
    assert "TERLALU-AWAL" not in html and "UNIT-LAIN" not in html
    assert "<td>sebelum</td>" in html and "<td>sesudah</td>" in html
    # the SLA tier by its name, not its code
    assert "<td>Permintaan informasi atau pengaduan sederhana</td>" in html
    assert ">informasi<" not in html


def test_an_skm_answer_lists_its_unsur_by_name_in_the_regulations_order() -> None:
    from django.utils import translation

    from kompeten.reports.evidence_rows import _answers

    scores = {"waktu_penyelesaian": 3, "persyaratan": 4, "sistem_mekanisme_prosedur": 2, "lama": 1}
    # PermenPANRB 14/2017: persyaratan, sistem/prosedur, waktu penyelesaian, …; an unknown key last
    assert _answers(scores) == (
        "Persyaratan 4; Sistem, Mekanisme, dan Prosedur 2; Waktu Penyelesaian 3; lama 1"
    )
    assert _answers({"prosedur_pelayanan": 4}) == "Prosedur Pelayanan 4"  # Kepmenpan 25/2004
    assert _answers(None) == ""
    with translation.override("en"):
        from kompeten.reports.evidence_rows import SKM_SOURCE

        assert SKM_SOURCE("kiosk") != "kiosk"
