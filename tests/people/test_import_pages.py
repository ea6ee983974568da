"""The upload page flow: upload → mapping → preview → confirm, the error report, permissions."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kompeten.core.models import AuditLog
from kompeten.people.models import Employee
from tests.people.importing import HEADERS, csv_bytes, person, xlsx_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def rows():
    head = person("ALFA", "Putu Kepala")
    return [head, person("ALFA-LAY", "Rina Staf", sex="P", supervisor=str(head["NIP"]))]


def upload(client, data: bytes, name: str = "pegawai.xlsx"):
    return client.post(reverse("people:import_employees"), {"file": SimpleUploadedFile(name, data)})


def token_of(response) -> str:
    assert response.status_code == 302, response.content[:500]
    return response["Location"].split("/")[-3]


def mapping_post(headers=HEADERS, **overrides) -> dict[str, str]:
    from kompeten.people.imports import detect_mapping

    data = detect_mapping(headers)
    data.update(overrides)
    return data


def test_the_whole_flow_writes_the_employees(world, client, media) -> None:
    client.force_login(world.alice)
    response = upload(client, xlsx_bytes(rows()))
    token = token_of(response)
    assert len(list((media / "imports").iterdir())) == 1
    page = client.get(reverse("people:import_mapping", args=[token]))
    assert page.status_code == 200
    assert 'value="TANGGAL LAHIR" selected' in page.content.decode()
    response = client.post(reverse("people:import_mapping", args=[token]), mapping_post())
    assert response["Location"] == reverse("people:import_preview", args=[token])
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert 'data-testid="count-new">2<' in html and 'data-testid="count-rejected">0<' in html
    assert "Putu Kepala, S.E." in html and "Dinas Alfa" in html
    assert Employee.objects.count() == 4  # nothing written yet
    done = client.post(reverse("people:import_confirm", args=[token]))
    assert done["Location"] == reverse("people:employee_list")
    assert Employee.objects.count() == 6
    assert AuditLog.objects.filter(action="employee.import", actor=world.alice).count() == 1
    assert list((media / "imports").iterdir()) == []
    assert client.get(reverse("people:import_preview", args=[token])).status_code == 404


def test_a_csv_goes_through_as_well(world, client) -> None:
    client.force_login(world.alice)
    token = token_of(upload(client, csv_bytes(rows(), delimiter=";"), "pegawai.csv"))
    client.post(reverse("people:import_mapping", args=[token]), mapping_post())
    client.post(reverse("people:import_confirm", args=[token]))
    assert Employee.objects.count() == 6


def test_the_mapping_form_refuses_a_missing_required_field(world, client) -> None:
    client.force_login(world.alice)
    token = token_of(upload(client, xlsx_bytes(rows())))
    response = client.post(
        reverse("people:import_mapping", args=[token]), mapping_post(education="")
    )
    assert response.status_code == 200
    assert "Kolom wajib belum dipetakan: Pendidikan" in response.content.decode()


def test_problems_are_listed_downloadable_and_block_the_write(world, client) -> None:
    data = rows()
    data[1]["KODE UNIT"] = "ENTAH"
    client.force_login(world.alice)
    token = token_of(upload(client, xlsx_bytes(data)))
    client.post(reverse("people:import_mapping", args=[token]), mapping_post())
    preview = client.get(reverse("people:import_preview", args=[token])).content.decode()
    assert 'data-testid="count-rejected">1<' in preview
    assert "ENTAH" in preview and 'data-testid="import-confirm"' not in preview
    report = client.get(reverse("people:import_error_report", args=[token]))
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(report.content)).get_sheet_by_index(0)
    table = sheet.to_python()
    assert table[0] == ["Baris", "Kolom", "Masalah"]
    assert table[1][:2] == [3.0, "KODE UNIT"] and "ENTAH" in table[1][2]
    refused = client.post(reverse("people:import_confirm", args=[token]))
    assert refused.status_code == 422
    assert Employee.objects.count() == 4


def test_a_bad_upload_is_refused_on_the_upload_page(world, client, media) -> None:
    client.force_login(world.alice)
    response = upload(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert response.status_code == 200
    assert "Berkas dilindungi kata sandi" in response.content.decode()
    response = upload(client, b"NIP,NAMA\n", "kosong.csv")
    assert "tidak berisi baris data" in response.content.decode()
    assert not (media / "imports").exists() or list((media / "imports").iterdir()) == []


def test_an_oversized_upload_is_refused(world, client, settings) -> None:
    settings.KOMPETEN_MAX_UPLOAD_BYTES = 2000
    client.force_login(world.alice)
    response = upload(client, xlsx_bytes(rows() * 20))
    assert "terlalu besar" in response.content.decode()


def test_cancel_deletes_the_file(world, client, media) -> None:
    client.force_login(world.alice)
    token = token_of(upload(client, xlsx_bytes(rows())))
    client.post(reverse("people:import_cancel", args=[token]))
    assert list((media / "imports").iterdir()) == []
    assert Employee.objects.count() == 4


def test_another_admins_token_is_not_found(world, client) -> None:
    client.force_login(world.alice)
    token = token_of(upload(client, xlsx_bytes(rows())))
    client.force_login(world.mallory)
    assert client.get(reverse("people:import_preview", args=[token])).status_code == 404
    assert client.post(reverse("people:import_confirm", args=[token])).status_code == 404
    assert Employee.objects.count() == 4


@pytest.mark.parametrize("persona", ["carol", "dave", "pia"])
def test_only_admins_and_pengelola_may_import(world, client, persona) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(reverse("people:import_employees")).status_code == 403
    assert upload(client, xlsx_bytes(rows())).status_code == 403
    assert client.get(reverse("people:import_preview", args=["x"])).status_code == 403
    assert Employee.objects.count() == 4


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(reverse("people:import_employees"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]
