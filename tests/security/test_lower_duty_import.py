"""The duty-calendar import answers a malformed workbook with a clear refusal, never a 500,
whatever shape the damage takes, for the admin and for a pengelola."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from kompeten.scheduling.models import DutyEntry
from tests.workbooks import xlsx_rows


def _zip_without_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "bukan buku kerja")
    return buffer.getvalue()


def _broken_sheet_xml() -> bytes:
    good = io.BytesIO(xlsx_rows([["NIP", "Jenis", "Mulai", "Selesai"]], sheet="Data"))
    out = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # cut in the middle of the XML
            dst.writestr(item, data)
    return out.getvalue()


# shape -> (bytes, file name, the reason the page must give)
MALFORMED = {
    "empty file": (b"", "tugas.xlsx", "Berkas yang dikirimkan kosong"),
    "truncated workbook": (
        xlsx_rows([["NIP", "Jenis"], ["1", "cuti"]], sheet="Data")[:300],
        "tugas.xlsx",
        "Berkas rusak",
    ),
    "zip without a workbook": (
        _zip_without_a_workbook(),
        "tugas.xlsx",
        "tidak berisi lembar kerja XLSX atau ODS",
    ),
    "sheet XML cut in half": (_broken_sheet_xml(), "tugas.xlsx", "tidak dapat dibaca"),
    "random bytes as .xls": (bytes(range(256)) * 8, "tugas.xls", "bukan XLS yang sah"),
    "random bytes as .ods": (b"PK\x03\x04" + bytes(range(200)), "tugas.ods", "Berkas rusak"),
    "a workbook with no rows": (xlsx_rows([], sheet="Data"), "tugas.xlsx", "tidak ada baris data"),
}


@pytest.mark.parametrize("who", ["alice", "bob"])
@pytest.mark.parametrize("shape", sorted(MALFORMED))
def test_a_malformed_duty_workbook_is_refused_clearly(client, world, who, shape):
    data, name, reason = MALFORMED[shape]
    upload = io.BytesIO(data)
    upload.name = name
    client.force_login(getattr(world, who))
    response = client.post(reverse("imports:upload", args=["duties"]), {"file": upload})
    assert response.status_code == 400, shape
    assert reason in response.content.decode(), shape
    assert not DutyEntry.objects.exists()


def test_binary_garbage_named_csv_goes_to_the_column_step_without_an_error(client, world):
    upload = io.BytesIO(b"\x00\xff\xfe" * 500)
    upload.name = "tugas.csv"
    client.force_login(world.bob)
    response = client.post(
        reverse("imports:upload", args=["duties"]), {"file": upload}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain and "/kolom/" in response.redirect_chain[-1][0]
    assert not DutyEntry.objects.exists()
