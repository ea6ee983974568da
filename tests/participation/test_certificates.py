"""Certificates: the PDF with a QR code, the public verification page (rate-limited), badges."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from kompeten.learning.actions.akp import do_create_campaign
from kompeten.learning.actions.codesign import do_comment, do_create_proposal, do_vote
from kompeten.learning.models import AkpCampaign
from kompeten.participation.actions.attendance import (
    do_record_learning_gain,
)
from kompeten.participation.actions.incentives import (
    do_award_badges,
    do_recompute_codesign_points,
    policy_for,
)
from kompeten.participation.models import (
    Certificate,
    CertificateKind,
    JpEntry,
    PointAward,
    PointKind,
)
from kompeten.participation.views import incentives as views
from tests.participation.builders import at, dave_completes

DAY = date(2026, 3, 3)


@pytest.fixture
def certificate(world):
    return Certificate.objects.get(enrolment=dave_completes(world, "Pelayanan Prima", DAY))


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()


def test_anyone_can_verify_a_real_number_without_logging_in(client, certificate):
    response = client.get(reverse("certificate_verify", args=[certificate.number]))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="verified"' in text and "Dave Saputra" in text and "Pelayanan Prima" in text


def test_an_unknown_number_gets_a_clear_404(client, certificate):
    response = client.get(reverse("certificate_verify", args=["KOTA-U-2026-P-999999-ABCDEF"]))
    assert response.status_code == 404
    assert "Tidak ada sertifikat bernomor" in response.content.decode()


def test_verification_is_rate_limited_per_address(client, certificate, monkeypatch):
    monkeypatch.setattr(views, "VERIFY_LIMIT", 3)
    url = reverse("certificate_verify", args=[certificate.number])
    codes = [client.get(url).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    other = client.get(url, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_owner_downloads_the_pdf_with_the_number_and_others_cannot(client, world, certificate):
    client.force_login(world.dave)
    response = client.get(reverse("participation:certificate_pdf", args=[certificate.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert certificate.number in text and "Dave Saputra" in text
    client.force_login(world.erin)
    assert (
        client.get(reverse("participation:certificate_pdf", args=[certificate.number])).status_code
        == 404
    )


def test_badges_need_the_jp_target_and_enough_points_and_are_issued_once(world, certificate):
    # dave: 24 JP from the programme (≥ 20) and 24 + 10 + 5 = 39 points, below a threshold of 45
    policy = policy_for(world.instansi.pk)
    policy.badge_min_points = Decimal(45)
    policy.save(update_fields=["badge_min_points"])
    assert do_award_badges(instansi=world.instansi, year=2026, actor=world.alice) == []
    with time_machine.travel(at(date(2026, 3, 10), 9), tick=False):
        do_record_learning_gain(enrolment=certificate.enrolment, gain=Decimal("0.62"))
    assert PointAward.objects.filter(kind=PointKind.HIGH_GAIN, employee=world.dave_emp).exists()
    issued = do_award_badges(instansi=world.instansi, year=2026, actor=world.alice)
    assert [c.employee for c in issued] == [world.dave_emp] and issued[
        0
    ].kind == CertificateKind.BADGE
    assert do_award_badges(instansi=world.instansi, year=2026, actor=world.alice) == []
    assert JpEntry.objects.get(employee=world.dave_emp).minutes == 24 * 45


def test_co_design_contributions_earn_points_once_per_year(world):
    with time_machine.travel(at(date(2026, 1, 5), 9), tick=False):
        campaign = do_create_campaign(
            instansi=world.instansi,
            name="AKP 2026",
            year=2026,
            opens_at=at(date(2026, 1, 1), 0),
            closes_at=at(date(2026, 12, 31), 0),
            actor=world.alice,
        )
        # opening needs a competency dictionary; only the proposal window matters here
        AkpCampaign.objects.filter(pk=campaign.pk).update(status="open")
        campaign.refresh_from_db()
        proposal = do_create_proposal(
            campaign=campaign,
            actor=world.dave,
            title="Menangani pengaduan",
            problem="Antrean panjang",
            learning_type="pelatihan",
        )
        do_vote(proposal=proposal, actor=world.erin)
        do_comment(proposal=proposal, actor=world.erin, text="Setuju")
    do_recompute_codesign_points(instansi=world.instansi, year=2026)
    do_recompute_codesign_points(instansi=world.instansi, year=2026)
    points = dict(
        PointAward.objects.filter(kind=PointKind.CODESIGN).values_list("employee__name", "points")
    )
    assert points == {"Dave Saputra": Decimal(3), "Erin Lestari": Decimal(2)}
