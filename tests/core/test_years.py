"""The year a page of yearly figures opens on (kompeten.core.years): this year while it has
data, else the latest year that has; the pages say which and why."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from kompeten.core.years import opened_on_note, year_with_data
from kompeten.participation.models import Enrolment, JpEntry
from kompeten.service.actions import do_bulk_add_complaints
from kompeten.service.actions.complaints import ComplaintInput
from kompeten.service.models import Complaint, SkmPublishedSummary
from tests.participation.builders import make_batch, make_programme
from tests.service.helpers import SLUGS, jkt, make_service_unit

pytestmark = pytest.mark.django_db

DEC_2026 = jkt(2026, 12, 7, 9)


def _complaint(world, number: str, received) -> None:  # type: ignore[no-untyped-def]
    do_bulk_add_complaints(
        world.instansi,
        [
            ComplaintInput(
                tracking_number=number,
                unit_id=world.alfa.pk,
                category="informasi",
                received_at=received,
                officer_nip=world.dave_emp.nip,
            )
        ],
        source="form",
    )


def test_this_year_while_it_has_data_else_the_latest_year_before(world) -> None:  # type: ignore[no-untyped-def]
    rows = (Complaint.objects.filter(instansi=world.instansi), "received_at")
    assert year_with_data(2026, rows) == 2026  # nothing at all: this year
    _complaint(world, "A", jkt(2024, 3, 1, 9))
    _complaint(world, "B", jkt(2025, 12, 31, 23))  # late on New Year's Eve in WIB (UTC: 16:00)
    _complaint(world, "C", jkt(2024, 5, 1, 9))
    # a later year never decides (a date an import got wrong, set here past the form's check)
    Complaint.objects.filter(tracking_number="C").update(received_at=jkt(2027, 2, 1, 9))
    assert year_with_data(2026, rows) == 2025
    _complaint(world, "D", jkt(2026, 1, 1, 6))  # early on New Year's Day in WIB: 2026
    assert year_with_data(2026, rows) == 2026
    # several sources: the latest year any of them has
    jp = (JpEntry.objects.all(), "date")
    assert year_with_data(2027, jp, rows) == 2027
    assert opened_on_note(2026, 2026) == ""
    assert opened_on_note(2026, 2025) == (
        "Belum ada data tahun 2026; ditampilkan tahun 2025, tahun terakhir yang memiliki data. "
        "Pilih tahun lain di penyaring."
    )


@time_machine.travel(DEC_2026, tick=False)
def test_the_complaints_pages_open_on_last_years_file_and_say_so(world) -> None:  # type: ignore[no-untyped-def]
    _complaint(world, "L-1", DEC_2026 - timedelta(days=400))  # 2025
    client = Client()
    client.force_login(world.alice)
    for url in ("/layanan/pengaduan/", "/layanan/pengaduan/daftar/"):
        html = client.get(url).content.decode()
        assert 'data-testid="year-note"' in html, url
        assert "ditampilkan tahun 2025" in html
        assert '<option value="2025" selected>' in html
    asked = client.get("/layanan/pengaduan/daftar/?year=2026").content.decode()
    assert 'data-testid="year-note"' not in asked and "L-1" not in asked
    assert "L-1" in client.get("/layanan/pengaduan/daftar/").content.decode()


@time_machine.travel(DEC_2026, tick=False)
def test_the_jp_and_participation_pages_open_on_the_latest_year_with_training(world) -> None:  # type: ignore[no-untyped-def]

    programme = make_programme(world.instansi, "Pelayanan Prima", code="PP-25")
    batch = make_batch(programme, [(date(2025, 6, 24), 8, 16)], capacity=10)
    Enrolment.objects.create(
        instansi=world.instansi,
        employee=world.dave_emp,
        batch=batch,
        status="diterima",
        invited_at=jkt(2025, 6, 1, 9),
        source="terlaksana",  # recorded from a held training's attendance list
    )
    JpEntry.objects.create(
        instansi=world.instansi,
        employee=world.dave_emp,
        year=2025,
        date=date(2025, 6, 24),
        minutes=24 * 45,
        group="klasikal",
        form="pelatihan",
        title="Pelayanan Prima",
        source="penyelesaian",
    )
    client = Client()
    client.force_login(world.alice)
    jp = client.get("/pelaksanaan/jp/").content.decode()
    assert "ditampilkan tahun 2025" in jp and '<option value="2025" selected>' in jp
    assert (
        'data-testid="year-note"' not in client.get("/pelaksanaan/jp/?year=2026").content.decode()
    )
    landing = client.get("/pelaksanaan/").content.decode()
    assert "Kepesertaan 2025 dalam cakupan Anda" in landing and "ditampilkan tahun 2025" in landing
    # a participant recorded from an attendance list is registered, but accepted no invitation
    assert (
        '<div class="value">1</div><div class="label">terdaftar (diundang atau dicatat dari '
        "daftar hadir)</div>" in landing
    )
    assert '<div class="value">0</div><div class="label">menerima undangan</div>' in landing
    # its year filter shows 2026 as asked, without the note
    asked = client.get("/pelaksanaan/?year=2026").content.decode()
    assert "Kepesertaan 2026 dalam cakupan Anda" in asked and 'data-testid="year-note"' not in asked


@time_machine.travel(DEC_2026, tick=False)
def test_the_ikm_pages_open_on_the_latest_year_with_answers(world) -> None:  # type: ignore[no-untyped-def]

    su = make_service_unit(world.alfa, code="alfa")
    for slug in SLUGS:  # a published result of the nine unsur
        SkmPublishedSummary.objects.create(
            service_unit=su,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 6, 30),
            version="SKM_2017",
            unsur=slug,
            nrr=Decimal("3.1"),
            n=100,
        )
    client = Client()
    client.force_login(world.alice)
    for url in ("/layanan/", f"/layanan/unit/{su.pk}/"):
        html = client.get(url).content.decode()
        assert "ditampilkan tahun 2025" in html and '<option value="2025" selected>' in html, url
