"""Imports: responses by unsur name in any order (through the import engine's ``skm``
declaration), published summaries, SP4N-LAPOR! complaints; bad input gives a clear error and
writes nothing; the old upload page redirects to the engine's pages."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.test import Client

from kompeten.core import importing as imp
from kompeten.service.actions import do_import_complaints, do_import_skm_summary
from kompeten.service.models import Complaint, SkmPublishedSummary, SkmResponse, SkmRollup
from kompeten.standards.ikm import SKM_2017
from tests.service.helpers import lapor_row, make_service_unit

pytestmark = pytest.mark.django_db

# Printed-questionnaire order (Sarana U8 before Pengaduan U9), with position codes and other spellings.
HEADER = [
    "Tanggal",
    "U9. Penanganan Pengaduan, Saran dan Masukan",
    "U8. Sarana & Prasarana",
    "Perilaku Pelaksana",
    "KOMPETENSI PELAKSANA",
    "Produk Spesifikasi Jenis Pelayanan",
    "Biaya/Tarif",
    "Waktu Penyelesaian",
    "Sistem, Mekanisme dan Prosedur",
    "persyaratan",
    "Jenis Kelamin",
    "Usia",
    "Pendidikan",
    "Pekerjaan",
    "Jenis Layanan",
    "Saran",
]


def _csv(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    lines = [",".join(f'"{h}"' for h in header)]
    lines += [",".join(f'"{c}"' for c in row) for row in rows]
    return "\n".join(lines).encode()


def do_import_skm_responses(su, data: bytes, filename: str) -> int:
    """The engine's skm import into ``su``, all rows or none (ValidationError listing every
    problem), as the browser's "Impor semua" and the CLI do."""
    the_plan = imp.plan(
        "skm", data, filename, instansi=su.instansi, user=None, options={"service_unit": su.pk}
    )
    if not the_plan.is_clean:
        raise ValidationError([imp.describe_problem(p) for p in the_plan.problems])
    return imp.commit(the_plan).imported


def _row(date: str = "2026-02-03", first: int = 1, rest: int = 4) -> list[object]:
    return [
        date,
        first,
        rest,
        rest,
        rest,
        rest,
        rest,
        rest,
        rest,
        rest,
        "P",
        34,
        "S1",
        "Wiraswasta",
        "KTP-el",
        "",
    ]


def test_it_imports_responses_with_columns_in_another_order_by_name(world) -> None:
    su = make_service_unit(world.alfa)
    n = do_import_skm_responses(su, _csv([_row(), _row("03/02/2026 10:15", 2, 3)]), "skm.csv")
    assert n == 2
    first = SkmResponse.objects.order_by("id").first()
    assert first.scores["penanganan_pengaduan"] == 1 and first.scores["sarana_prasarana"] == 4
    assert first.age_group == "30-39" and first.education == "D4-S1" and first.service.code == "ktp"
    assert SkmRollup.objects.get(unsur="penanganan_pengaduan").c1 == 1


def test_it_imports_xlsx_too(world) -> None:
    su = make_service_unit(world.alfa)
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, _row())
    book.close()
    assert do_import_skm_responses(su, buf.getvalue(), "skm.xlsx") == 1


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda h, r: r[1].__setitem__(2, 5), "tidak dikenal"),
        (lambda h, r: r[1].__setitem__(0, "2099-01-01"), "di masa depan"),
        (
            lambda h, r: (h.pop(4), r[0].pop(4), r[1].pop(4)),
            "Kolom wajib U6 Kompetensi Pelaksana tidak ditemukan",
        ),
        (lambda h, r: r[1].__setitem__(11, "seratus"), "Usia"),
    ],
)
def test_bad_response_files_are_refused_whole(world, mutate, message: str) -> None:
    su = make_service_unit(world.alfa)
    header, rows = list(HEADER), [_row(), _row()]
    mutate(header, rows)
    with pytest.raises(ValidationError) as exc:
        do_import_skm_responses(su, _csv(rows, header), "skm.csv")
    assert any(message in m for m in exc.value.messages)
    assert not SkmResponse.objects.exists() and not SkmRollup.objects.exists()


def test_an_unknown_extra_column_is_ignored_and_named(world) -> None:
    su = make_service_unit(world.alfa)
    header = [*HEADER, "Keramahan Satpam"]
    the_plan = imp.plan(
        "skm",
        _csv([[*_row(), "x"]], header),
        "skm.csv",
        instansi=world.instansi,
        user=world.alice,
        options={"service_unit": su.pk},
    )
    assert the_plan.is_clean and the_plan.ignored_columns == ["Keramahan Satpam"]


def test_a_new_jenis_layanan_is_created_with_the_import(world) -> None:
    su = make_service_unit(world.alfa)
    row = _row()
    row[14] = "Paspor"
    assert do_import_skm_responses(su, _csv([row]), "skm.csv") == 1
    assert SkmResponse.objects.get().service.name == "Paspor"


def test_published_summaries_need_every_unsur(world) -> None:
    su = make_service_unit(world.alfa)
    lines = ["Unit,Tahun,Unsur,NRR,N"] + [f'{su.code},2025,"{u.name}",3,25' for u in SKM_2017.unsur]
    assert do_import_skm_summary(world.instansi, "\n".join(lines).encode(), "s.csv") == 9
    with pytest.raises(ValidationError, match="tidak lengkap"):
        do_import_skm_summary(
            world.instansi, "\n".join(lines[:-1]).replace("2025", "2024").encode(), "s.csv"
        )
    assert SkmPublishedSummary.objects.count() == 9


def test_a_published_count_written_with_the_thousands_dot_is_read_whole(world) -> None:
    su = make_service_unit(world.alfa)
    lines = ["Unit;Tahun;Unsur;NRR;Jumlah Responden"] + [
        f'{su.code};2025;"{u.name}";3,21;1.234' for u in SKM_2017.unsur
    ]
    assert do_import_skm_summary(world.instansi, "\n".join(lines).encode(), "s.csv") == 9
    assert set(SkmPublishedSummary.objects.values_list("n", flat=True)) == {1234}


def test_a_summary_names_its_unit_as_people_write_the_opd_and_its_unsur_by_number(world) -> None:
    """The OPD's full name with the Pemda's behind it, and the unsur as 1 … 9 in the
    regulation's order, as a published recap writes them."""
    su = make_service_unit(world.alfa)
    written = f"{world.alfa.name} Kota Uji"
    lines = ["Unit;Tahun;Kode Unsur;NRR;N"] + [
        f"{written};2024;{n};3,{n};120" for n in range(1, 10)
    ]
    assert do_import_skm_summary(world.instansi, "\n".join(lines).encode(), "s.csv") == 9
    stored = dict(SkmPublishedSummary.objects.filter(service_unit=su).values_list("unsur", "nrr"))
    assert stored[SKM_2017.unsur[0].slug] == Decimal("3.1")
    assert stored[SKM_2017.unsur[8].slug] == Decimal("3.9")


def test_a_summary_with_its_unit_year_and_n_merged_down_the_nine_unsur_imports(world) -> None:
    """A published recap merges Unit, Tahun and N down over a unit's nine unsur rows: each row
    is read with them, as the sheet shows it."""
    su = make_service_unit(world.alfa)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.merge_range("A1:E1", "REKAPITULASI HASIL SKM 2024")
    sheet.write_row("A2", ["Unit", "Tahun", "Unsur", "NRR", "N"])
    sheet.merge_range("A3:A11", su.code)
    sheet.merge_range("B3:B11", 2024)
    sheet.merge_range("E3:E11", 120)
    for index in range(9):
        sheet.write(2 + index, 2, index + 1)
        sheet.write(2 + index, 3, f"3,{index + 1}")
    book.close()
    assert do_import_skm_summary(world.instansi, buffer.getvalue(), "rekap.xlsx") == 9
    stored = SkmPublishedSummary.objects.filter(service_unit=su, period_start=date(2024, 1, 1))
    assert list(stored.values_list("n", flat=True)) == [120] * 9
    assert dict(stored.values_list("unsur", "nrr"))[SKM_2017.unsur[8].slug] == Decimal("3.9")


LAPOR = [
    "No. Tracking",
    "Tanggal Laporan",
    "Tanggal Verifikasi",
    "Tanggal Disposisi",
    "Tanggal Tanggapan Pertama",
    "Tanggal Selesai",
    "Kategori",
    "Status",
    "Instansi Tujuan",
    "NIP Petugas",
    "Rating",
]


def _lapor(world, **override: str) -> list[str]:
    return lapor_row(world, LAPOR, **override)


def test_it_imports_an_sp4n_lapor_export_with_the_preset(world) -> None:
    data = _csv(
        [
            _lapor(world),
            _lapor(
                world, **{"No. Tracking": "LAP-2", "Status": "Dalam Proses", "Tanggal Selesai": ""}
            ),
        ],
        LAPOR,
    )
    assert do_import_complaints(world.instansi, data, "lapor.csv") == 2
    done = Complaint.objects.get(tracking_number="LAP-1")
    assert (
        done.officer == world.dave_emp and done.citizen_rating == 4 and done.topic == "Kependudukan"
    )
    assert done.category == "tanpa_pemeriksaan_lapangan" and done.substantive is True
    assert Complaint.objects.get(tracking_number="LAP-2").status == "ditindaklanjuti"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"Tanggal Selesai": "2026-03-01 08:00"}, "sebelum tanggal diterima"),
        ({"NIP Petugas": "199001012015031999"}, "tidak dikenal"),
        ({"Tanggal Laporan": "2099-01-01"}, "masa depan"),
        ({"Instansi Tujuan": "TIDAK-ADA"}, "Unit kerja tidak dikenal"),
    ],
)
def test_bad_complaint_rows_are_refused_and_nothing_is_written(
    world, override, message: str
) -> None:
    data = _csv([_lapor(world, **{"No. Tracking": "OK-1"}), _lapor(world, **override)], LAPOR)
    with pytest.raises(ValidationError) as exc:
        do_import_complaints(world.instansi, data, "lapor.csv")
    assert any(message in m for m in exc.value.messages)
    assert not Complaint.objects.exists()


def test_the_old_upload_page_leads_to_the_engines_import_pages(world) -> None:
    client = Client()
    client.force_login(world.alice)
    assert client.get("/layanan/impor/")["Location"] == "/impor/"
    assert client.get("/layanan/impor/?jenis=skm")["Location"] == "/impor/skm/"
    response = client.post("/layanan/impor/", {"kind": "summary"})
    assert response.status_code == 302 and response["Location"] == "/impor/skm_summary/"


def test_the_old_upload_page_writes_nothing_and_refuses_a_pegawai(world) -> None:
    su = make_service_unit(world.alfa)
    client = Client()
    client.force_login(world.bob)
    f = io.BytesIO(_csv([_row()]))
    f.name = "skm.csv"
    response = client.post(
        "/layanan/impor/", {"kind": "responses", "service_unit": su.pk, "file": f}
    )
    assert response.status_code == 302 and response["Location"] == "/impor/skm/"
    assert not SkmResponse.objects.exists()
    client.force_login(world.carol)
    assert client.get("/layanan/impor/").status_code == 403
