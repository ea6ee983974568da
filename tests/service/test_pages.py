"""Staff pages: roles, scope and query counts that do not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kompeten.service.actions import do_bulk_add_complaints, do_submit_skm_response
from kompeten.service.actions.complaints import ComplaintInput
from tests.service.helpers import all_scores, make_service_unit

pytestmark = pytest.mark.django_db


def _data(world, n: int) -> None:
    sus = [make_service_unit(world.alfa, code=f"alfa-{n}-{i}") for i in range(n)]
    for su in sus:
        for score in (3, 4):
            do_submit_skm_response(
                service_unit=su, service=su.services.get(), scores=all_scores(score), sex="L"
            )
    now = timezone.now()
    items = [
        ComplaintInput(
            tracking_number=f"Q-{n}-{i}",
            unit_id=world.alfa.pk,
            category="informasi",
            received_at=now - timedelta(days=3 + i),
            officer_nip=world.dave_emp.nip,
        )
        for i in range(n * 3)
    ]
    do_bulk_add_complaints(world.instansi, items, source="form")


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("user", ["dave", "carol", "erin"])
def test_pegawai_cannot_open_staff_pages(world, user: str) -> None:
    su = make_service_unit(world.alfa)
    client = _client(getattr(world, user))
    for url in ("/layanan/", f"/layanan/unit/{su.pk}/", "/layanan/pengaduan/", "/layanan/impor/"):
        assert client.get(url).status_code == 403


def test_anonymous_users_are_sent_to_login(world) -> None:
    assert Client().get("/layanan/")["Location"].startswith("/masuk/")


def test_a_pengelola_sees_only_service_units_of_their_opd(world) -> None:
    mine = make_service_unit(world.layanan, code="mine")
    other = make_service_unit(world.beta, code="other")
    do_submit_skm_response(service_unit=mine, scores=all_scores(4))
    do_submit_skm_response(service_unit=other, scores=all_scores(4))
    client = _client(world.bob)
    home = client.get("/layanan/").content.decode()
    assert mine.name in home and other.name not in home
    assert client.get(f"/layanan/unit/{mine.pk}/").status_code == 200
    assert client.get(f"/layanan/unit/{other.pk}/").status_code == 404
    assert client.get(f"/layanan/unit/{other.pk}/poster.pdf").status_code == 404
    assert _client(world.mallory).get(f"/layanan/unit/{mine.pk}/").status_code == 404
    assert _client(world.pia).get(f"/layanan/unit/{other.pk}/").status_code == 200


def test_the_poster_is_an_a4_pdf_with_a_qr_code(world) -> None:
    import io

    from pypdf import PdfReader

    su = make_service_unit(world.alfa)
    response = _client(world.alice).get(f"/layanan/unit/{su.pk}/poster.pdf?layanan=ktp")
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert round(width) == 595 and round(height) == 842  # A4 in points
    assert su.name in page.extract_text()


PAGES = [
    "/layanan/",
    "/layanan/unit/{pk}/",
    "/layanan/pengaduan/",
    "/layanan/pengaduan/daftar/",
    "/layanan/?format=xlsx",
    "/layanan/unit/{pk}/?format=xlsx",
    "/layanan/pengaduan/?format=xlsx",
    "/layanan/pengaduan/daftar/?format=xlsx",
]


@pytest.mark.parametrize("url", PAGES)
def test_query_counts_do_not_grow_with_the_data(
    world, url: str, django_assert_max_num_queries
) -> None:
    """Every list and dashboard page reads rollups and aggregates in a fixed number of queries;
    a count that grows with the rows means an N+1 loop on a request path."""
    client = _client(world.alice)
    _data(world, 1)
    from kompeten.service.models import ServiceUnit

    pk = ServiceUnit.objects.order_by("pk").first().pk
    with django_assert_max_num_queries(16) as small:
        assert client.get(url.format(pk=pk)).status_code == 200
    _data(world, 4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url.format(pk=pk)).status_code == 200


def test_the_unit_page_keeps_to_the_chosen_months_and_orders_the_profile(world) -> None:  # type: ignore[no-untyped-def]
    """January-June chosen: the monthly table has those months only (it listed the whole year
    under a January-June headline); age bands youngest first, education SD before S2."""
    from kompeten.service.actions.skm import SkmRecord, do_bulk_add_skm_responses
    from tests.service.helpers import SLUGS, jkt

    su = make_service_unit(world.alfa, code="alfa-bulan")
    records = [
        SkmRecord(
            submitted=jkt(2025, month, 10, 9),
            scores=dict.fromkeys(SLUGS, 3),
            profile={"age_group": age, "education": education},
        )
        for month, age, education in (
            (2, "50+", "S2+"),
            (3, "<20", "SD"),
            (5, "30-39", "SMA"),
            (9, "20-29", "D4-S1"),
        )
    ]
    do_bulk_add_skm_responses(su, records)
    client = _client(world.alice)
    html = client.get(
        f"/layanan/unit/{su.pk}/", {"year": "2025", "month_from": "1", "month_to": "6"}
    ).content.decode()
    monthly = html.split("IKM per bulan", 1)[1].split("</table>", 1)[0]
    assert [m for m in ("Februari", "Maret", "Mei", "September") if m in monthly] == [
        "Februari",
        "Maret",
        "Mei",
    ]
    ages = [a for a in ("Di bawah 20 tahun", "30–39 tahun", "50 tahun ke atas") if a in html]
    assert ages == ["Di bawah 20 tahun", "30–39 tahun", "50 tahun ke atas"]
    assert (
        html.index("Di bawah 20 tahun") < html.index("30–39 tahun") < html.index("50 tahun ke atas")
    )
    assert html.index("SD ke bawah") < html.index("SMA/SMK") < html.index("S2 ke atas")
