"""The employee import in the engine's pages: the SIASN export, the units to create, the write."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompeten.people.models import Employee, Unit

SIASN = (
    Path(__file__).parent.parent
    / "fixtures/bkpsdm-2025/Data_PNS_Kota_Sawahlunto_SIASN_02122026.xlsx"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KOMPETEN_IMPORT_DIR = tmp_path
    return tmp_path


def test_the_siasn_export_with_units_created_in_the_browser(
    world, client, django_assert_max_num_queries
) -> None:
    client.force_login(world.alice)
    start = client.get(reverse("people:import_employees"))
    assert start["Location"] == reverse("imports:upload", kwargs={"key": "employees"})
    upload = SimpleUploadedFile(SIASN.name, SIASN.read_bytes())
    response = client.post(start["Location"], {"file": upload, "opt-create_units": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview_url = response["Location"]
    assert "/kolom/" in preview_url
    form = client.get(preview_url).context["form"]
    prefilled = {name: f.initial or "" for name, f in form.fields.items()}
    assert prefilled["col_1"] == "nip"  # NIP BARU, pre-filled
    response = client.post(preview_url, prefilled)
    preview_url = response["Location"]
    with django_assert_max_num_queries(40):
        page = client.get(preview_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        'data-testid="import-units"' in html and "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in html
    )
    assert 'data-testid="count-pending">12<' in html
    assert not Unit.objects.filter(name="DINAS KESEHATAN").exists()  # nothing written yet
    done = client.post(preview_url.rstrip("/") + "/simpan/", {"partial": "1"})
    assert done.status_code == 302
    assert Employee.objects.count() == 4 + 288
    assert Unit.objects.filter(name="DINAS KESEHATAN").exists()
