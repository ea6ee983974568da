"""An STTPP of PKA/PKP/PKN or of a diklat fungsional uploaded as an external certificate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompeten.participation.actions.jp import (
    ExternalInput,
    do_review_external_certificate,
    do_submit_external_certificate,
)
from kompeten.participation.models import JpEntry
from kompeten.people.models import Employee
from kompeten.reports.ipasn import ip_for_employees
from tests.participation.builders import at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _submit(world, employee, form="pkp", amount="761", unit="jp"):
    data = ExternalInput(
        title="Pelatihan Kepemimpinan Pengawas Angkatan III",
        organiser="BPSDM Provinsi Sumatera Barat",
        form=form,
        start_date=date(2026, 3, 2),
        end_date=date(2026, 7, 10),
        amount=Decimal(amount),
        unit=unit,
    )
    with time_machine.travel(at(date(2026, 8, 1), 9), tick=False):
        return do_submit_external_certificate(
            employee=employee, data=data, file=SimpleUploadedFile("sttpp.pdf", PDF), actor=None
        )


def test_a_pkp_certificate_credits_the_jp_on_the_sttpp_and_counts_for_a_pengawas_ip(world):
    carol = world.carol_emp  # pengawas
    cert = _submit(world, carol)
    assert cert.minutes == Decimal(761 * 45)
    do_review_external_certificate(certificate=cert, approve=True, actor=world.alice)
    entry = JpEntry.objects.get(employee=carol)
    assert entry.form == "pkp" and entry.group == "klasikal"
    assert entry.minutes == Decimal(761 * 45)
    [ip] = ip_for_employees(Employee.objects.filter(pk=carol.pk), 2026)
    ids = {item.rule_id for item in ip.result.kompetensi_items}
    assert "kepemimpinan" in ids


def test_a_leadership_training_for_another_level_does_not_match_the_post(world):
    carol = world.carol_emp  # pengawas, but the certificate is a PKA (administrator)
    cert = _submit(world, carol, form="pka", amount="961")
    do_review_external_certificate(certificate=cert, approve=True, actor=world.alice)
    [ip] = ip_for_employees(Employee.objects.filter(pk=carol.pk), 2026)
    assert "kepemimpinan" not in {item.rule_id for item in ip.result.kompetensi_items}


def test_a_leadership_certificate_in_days_is_refused_with_the_unit_to_use(world):
    with pytest.raises(ValidationError) as caught:
        _submit(world, world.dave_emp, form="pkn_2", amount="30", unit="day")
    assert "dihitung per JP (sesuai sertifikat)" in caught.value.message_dict["unit"][0]
    assert not JpEntry.objects.exists()


def test_the_upload_page_offers_the_kinds_and_shows_the_conversion_table(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.dave)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("participation:upload_external"))
    html = page.content.decode()
    for label in ("Pelatihan Kepemimpinan Pengawas (PKP", "PKN II", "PKA", "Pelatihan fungsional"):
        assert label in html
    assert 'data-testid="credit-rules"' in html and "sesuai sertifikat" in html
    assert 'value="jp"' in html


def test_the_upload_page_takes_a_diklat_fungsional_in_jp(world, client):
    client.force_login(world.dave)
    with time_machine.travel(at(date(2026, 8, 1), 9), tick=False):
        response = client.post(
            reverse("participation:upload_external"),
            {
                "title": "Diklat Pembentukan Analis Kebijakan",
                "organiser": "LAN RI",
                "form": "pelatihan_fungsional",
                "start_date": "2026-05-04",
                "end_date": "2026-05-15",
                "amount": "72",
                "unit": "jp",
                "file": SimpleUploadedFile("sertifikat.pdf", PDF),
            },
        )
    assert response.status_code == 302
    cert = world.dave_emp.external_certificates.get()
    assert cert.form == "pelatihan_fungsional" and cert.minutes == Decimal(72 * 45)
