"""Complaints: lifecycle, working-day timings across holidays, SLA, Kaplan–Meier on the page."""

from __future__ import annotations

import base64
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from kompeten.service.actions import (
    do_advance_complaint,
    do_create_complaint,
    do_rate_complaint,
    do_reopen_complaint,
)
from kompeten.service.actions.complaints import ComplaintInput
from kompeten.service.models import Complaint, CutiBersama
from kompeten.service.queries import complaint_durations, summarise
from tests.service.helpers import jkt

pytestmark = pytest.mark.django_db


def _create(world, number: str = "P-1", **kw: object) -> Complaint:
    data = ComplaintInput(
        tracking_number=number,
        unit_id=world.alfa.pk,
        category=str(kw.pop("category", "informasi")),
        received_at=kw.pop("received_at", jkt(2026, 3, 17, 9)),  # type: ignore[arg-type]
        officer_nip=str(kw.pop("officer_nip", world.dave_emp.nip)),
    )
    return do_create_complaint(
        instansi=world.instansi, data=data, allowed_units={world.alfa.pk}, actor=world.alice
    )


def _walk(c: Complaint, world, *moments) -> Complaint:
    for status, at in zip(
        ("diverifikasi", "didisposisi", "ditindaklanjuti", "selesai"), moments, strict=False
    ):
        c = do_advance_complaint(c, to_status=status, at=at, actor=world.alice)
    return c


def _closed_over_nyepi(world) -> Complaint:
    """Received Tue 17 March 2026, verified and forwarded that day, answered Wed 25 March
    (across Nyepi, Idul Fitri and their cuti bersama), closed Mon 30 March."""
    return _walk(
        _create(world),
        world,
        jkt(2026, 3, 17, 10),
        jkt(2026, 3, 17, 11),
        jkt(2026, 3, 25, 9),
        jkt(2026, 3, 30, 9),
    )


def test_working_days_skip_nyepi_idul_fitri_and_cuti_bersama(world) -> None:
    # Received Tue 17 March 2026; 18 cuti bersama Nyepi, 19 Nyepi, 20–21 Idul Fitri, 22 Sunday,
    # 23–24 cuti bersama Idul Fitri: answered Wed 25 March = 1 working day.
    c = _closed_over_nyepi(world)
    d = complaint_durations(Complaint.objects.filter(pk=c.pk), date(2026, 11, 1), world.instansi.pk)
    assert int(d.response_days[0]) == 1 and bool(d.response_event[0])
    assert int(d.resolution_days[0]) == 4  # 25, 26, 27, 30 March
    assert bool(d.resolution_met[0])  # informasi: 5 working days


def test_an_instansi_day_off_counts_as_a_holiday(world) -> None:
    CutiBersama.objects.create(
        instansi=world.instansi, date=date(2026, 3, 26), name="Hari jadi kota"
    )
    c = _closed_over_nyepi(world)
    d = complaint_durations(Complaint.objects.filter(pk=c.pk), date(2026, 11, 1), world.instansi.pk)
    assert int(d.resolution_days[0]) == 3


def test_open_complaints_are_censored_and_breach_when_past_due(world) -> None:
    _create(world, received_at=jkt(2026, 6, 1, 9))
    d = complaint_durations(Complaint.objects.all(), date(2026, 6, 15), world.instansi.pk)
    assert not d.resolution_event[0] and int(d.resolution_days[0]) == 10
    assert bool(d.resolution_breached[0]) and not bool(d.response_event[0])


def test_the_lifecycle_refuses_skipping_steps_and_bad_dates(world) -> None:
    c = _create(world)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        do_advance_complaint(c, to_status="selesai", actor=world.alice)
    with pytest.raises(ValidationError, match="sebelum tanggal pengaduan diterima"):
        do_advance_complaint(c, to_status="diverifikasi", at=jkt(2026, 3, 1, 9), actor=world.alice)
    with pytest.raises(ValidationError, match="masa depan"):
        do_advance_complaint(c, to_status="diverifikasi", at=jkt(2099, 1, 1, 9), actor=world.alice)
    c.refresh_from_db()
    assert c.status == "diterima" and c.verified_at is None


def test_bad_manual_entries_are_refused(world) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(world, officer_nip="199001012015031999")
    assert "tidak dikenal" in str(exc.value)
    with pytest.raises(ValidationError, match="masa depan"):
        _create(world, received_at=jkt(2099, 1, 1, 9))
    assert not Complaint.objects.exists()


def test_quality_flags_reopen_rating_and_not_substantive(world) -> None:
    c = _closed_over_nyepi(world)
    c = do_reopen_complaint(c, actor=world.alice, at=jkt(2026, 4, 1, 9))
    assert c.status == "ditindaklanjuti" and c.reopened_count == 1 and c.closed_at is None
    c = do_advance_complaint(
        c, to_status="selesai", at=jkt(2026, 4, 2, 9), actor=world.alice, substantive=False
    )
    do_rate_complaint(c, rating=2, actor=world.alice)
    with pytest.raises(ValidationError):
        do_rate_complaint(c, rating=9, actor=world.alice)
    s = summarise(
        complaint_durations(Complaint.objects.all(), date(2026, 11, 1), world.instansi.pk)
    )
    assert (s.reopened, s.not_substantive, s.mean_rating) == (1, 1, 2.0)


@time_machine.travel("2026-11-20 10:00 +0700", tick=False)
def test_the_dashboard_shows_medians_compliance_and_a_kaplan_meier_curve(world) -> None:
    for i in range(3):
        c = _create(world, number=f"P-{i}", received_at=jkt(2026, 5, 4 + i, 9))
        if i < 2:
            _walk(
                c,
                world,
                jkt(2026, 5, 4 + i, 10),
                jkt(2026, 5, 4 + i, 11),
                jkt(2026, 5, 6 + i, 9),
                jkt(2026, 5, 8 + i, 9),
            )
    client = Client()
    client.force_login(world.alice)
    response = client.get("/layanan/pengaduan/?year=2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="km-curve"' in html
    uri = html.split('data-testid="km-curve"')[0].rsplit('src="', 1)[1].split('"')[0]
    assert "<svg" in base64.b64decode(uri.split(",", 1)[1]).decode()
    assert "Dave Saputra" in html  # by officer
    export = client.get("/layanan/pengaduan/?year=2026&format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_detail_page_moves_a_complaint_along(world) -> None:
    c = _create(world)
    client = Client()
    client.force_login(world.bob)
    response = client.post(
        f"/layanan/pengaduan/{c.pk}/", {"to_status": "diverifikasi", "at": "2026-03-17T10:00"}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == "diverifikasi" and c.events.count() == 2
    pia = Client()
    pia.force_login(world.pia)
    assert pia.post(f"/layanan/pengaduan/{c.pk}/", {"to_status": "didisposisi"}).status_code == 403


def _imported_closed(world, number: str, received, closed) -> Complaint:
    """A complaint as LAPOR!'s export brings it: received and finished, no first response."""
    c = _create(world, number=number, received_at=received)
    Complaint.objects.filter(pk=c.pk).update(status="selesai", closed_at=closed)
    return c


@time_machine.travel("2026-11-20 10:00 +0700", tick=False)
def test_without_any_first_response_date_the_response_figures_are_not_made_from_closing_dates(
    world,
) -> None:
    # closed after 7 working days each (the national calendar's holidays off): the closing
    # dates would pass for 0 % answered within 3 days
    _imported_closed(world, "L-1", jkt(2026, 5, 4, 9), jkt(2026, 5, 13, 9))
    _imported_closed(world, "L-2", jkt(2026, 5, 5, 9), jkt(2026, 5, 18, 9))
    s = summarise(
        complaint_durations(Complaint.objects.all(), date(2026, 11, 20), world.instansi.pk)
    )
    assert s.response_unknown
    assert (s.median_response, s.response_compliance) == (None, None)
    assert (s.median_resolution, s.resolution_compliance) == (7.0, 0.0)  # informasi: 5 days
    client = Client()
    client.force_login(world.alice)
    html = client.get("/layanan/pengaduan/?year=2026").content.decode()
    assert 'data-testid="response-unknown"' in html
    assert "tidak memuat tanggal tanggapan pertama" in html


@time_machine.travel("2026-11-20 10:00 +0700", tick=False)
def test_recorded_first_responses_and_unanswered_open_complaints_keep_their_figures(world) -> None:
    # one answered after 2 working days, one still waiting since May: not unknown, breached
    answered = _create(world, number="P-1", received_at=jkt(2026, 5, 4, 9))
    _walk(answered, world, jkt(2026, 5, 4, 10), jkt(2026, 5, 4, 11), jkt(2026, 5, 6, 9))
    _create(world, number="P-2", received_at=jkt(2026, 5, 5, 9))
    s = summarise(
        complaint_durations(Complaint.objects.all(), date(2026, 11, 20), world.instansi.pk)
    )
    assert not s.response_unknown
    assert s.response_compliance == 0.5  # met within 3 working days; the other breached
    client = Client()
    client.force_login(world.alice)
    html = client.get("/layanan/pengaduan/?year=2026").content.decode()
    assert 'data-testid="response-unknown"' not in html
