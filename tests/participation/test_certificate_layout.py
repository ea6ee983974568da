"""The certificate PDF: nothing printed over anything else (the layout boxes WeasyPrint draws),
the logo and signatory from the instansi's settings, the QR code and link from SITE_URL; the
signatory settings with Indonesian refusals; the SKM poster's and ticket page's link from
SITE_URL."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import segno
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from kompeten.core.models import AuditLog
from kompeten.participation import certificate as cert_pdf
from kompeten.participation.actions.certificate_settings import (
    do_set_certificate_logo,
    do_set_certificate_signatory,
)
from kompeten.participation.checks import site_url_is_set
from kompeten.participation.models import Certificate, CertificateSettings
from tests.participation.builders import dave_completes

SITE = "https://kompeten.sawahluntokota.go.id"
# as long as a programme title may be (200 characters, the field's limit)
LONG_TITLE = (
    "Pelatihan Teknis Pelayanan Prima Administrasi Kependudukan dan Pencatatan Sipil bagi "
    "Petugas Loket Pelayanan Terpadu Satu Pintu, Kecamatan dan Kelurahan se-Kota Sawahlunto "
    "dengan Simulasi Pengaduan"
)
assert len(LONG_TITLE) <= 200
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18"/></svg>'
SIGNATURE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    b'<path d="M0 30 Q30 0 60 30 T120 20" stroke="#000" fill="none"/></svg>'
)
NIP = "196805121990031005"


def make_certificate(world, title: str) -> Certificate:  # type: ignore[no-untyped-def]
    enrolment = dave_completes(world, title, date(2026, 3, 3))
    return Certificate.objects.select_related("employee__unit", "instansi").get(enrolment=enrolment)


@pytest.fixture(autouse=True)
def _clear_rate_limit():  # type: ignore[no-untyped-def]
    cache.clear()


@pytest.fixture
def signed(world):  # type: ignore[no-untyped-def]
    do_set_certificate_logo(actor=world.alice, filename="logo.svg", content=LOGO)
    do_set_certificate_signatory(
        actor=world.alice,
        name="Drs. Hendra Gunawan, M.Si",
        nip="19680512 199003 1 005",
        title="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        place="Sawahlunto",
        signature=("ttd.svg", SIGNATURE),
    )


def _boxes(html: str) -> tuple[int, dict[str, tuple[float, float, float, float]]]:
    """(pages, the border box of each ``data-box`` element and of each image as WeasyPrint lays
    them out for the PDF), in CSS px: (x0, y0, x1, y1); an element's box spans all its pieces."""
    from weasyprint import HTML

    doc = HTML(string=html).render()
    found: dict[str, tuple[float, float, float, float]] = {}

    def walk(box: Any) -> Iterator[Any]:
        yield box
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    for box in walk(doc.pages[0]._page_box):
        element = getattr(box, "element", None)
        if element is None:
            continue
        name = element.get("data-box") or (
            f"img.{element.get('class') or element.get('alt')}" if element.tag == "img" else None
        )
        if not name or box.element_tag == "html":
            continue
        x0, y0 = box.border_box_x(), box.border_box_y()
        rect = (x0, y0, x0 + box.border_width(), y0 + box.border_height())
        old = found.get(name)
        found[name] = (
            rect
            if old is None
            else (
                min(old[0], rect[0]),
                min(old[1], rect[1]),
                max(old[2], rect[2]),
                max(old[3], rect[3]),
            )
        )
    return len(doc.pages), found


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@override_settings(SITE_URL=SITE)
def test_a_long_title_wraps_above_the_qr_code_on_one_page(world, signed) -> None:  # type: ignore[no-untyped-def]
    cert = make_certificate(world, LONG_TITLE)
    pages, boxes = _boxes(cert_pdf.certificate_html(cert))
    assert pages == 1
    expected = {"cert-head", "cert-heading", "cert-name", "cert-title", "cert-verify", "cert-sign"}
    assert expected <= set(boxes)
    assert "img.qr" in boxes and "img.logo" in boxes
    assert boxes["cert-title"][3] <= boxes["img.qr"][1]  # the title ends above the QR code
    names = sorted(expected)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not _overlap(boxes[a], boxes[b]), (a, b, boxes[a], boxes[b])


@override_settings(SITE_URL=SITE)
def test_the_pdf_prints_the_logo_the_signatory_and_the_site_address(client, world, signed) -> None:  # type: ignore[no-untyped-def]
    cert = make_certificate(world, "Pelayanan Prima")
    client.force_login(world.dave)
    # whatever host the request came through, the printed address is SITE_URL's
    response = client.get(
        reverse("participation:certificate_pdf", args=[cert.number]), HTTP_HOST="127.0.0.1:8000"
    )
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "Drs. Hendra Gunawan, M.Si",
        "NIP 19680512 199003 1 005",
        "Kepala Badan Kepegawaian",
        "Sawahlunto, 3 Maret 2026",
    ):
        assert expected in text.replace("\n", " "), expected
    # the address wraps in its narrow column
    assert f"{SITE}/sertifikat/{cert.number}/" in text.replace("\n", "")
    assert "8000" not in text
    context = cert_pdf.certificate_context(cert)
    assert context["qr"] == segno.make(f"{SITE}/sertifikat/{cert.number}/", error="m").svg_data_uri(
        scale=4, border=1
    )
    assert context["logo"].startswith("data:image/svg+xml;base64,")
    assert context["signatory"]["signature"].startswith("data:image/svg+xml;base64,")


def test_without_settings_the_certificate_has_no_logo_and_no_signatory(world) -> None:  # type: ignore[no-untyped-def]
    cert = make_certificate(world, "Pelayanan Prima")
    context = cert_pdf.certificate_context(cert)
    assert context["logo"] == "" and context["signatory"] is None
    pages, boxes = _boxes(cert_pdf.certificate_html(cert))
    assert pages == 1 and "img.logo" not in boxes


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"nip": "1968"}, "signatory_nip", "NIP penanda tangan tidak sah: NIP harus 18 digit"),
        ({"title": ""}, "signatory_title", "Isi jabatan penanda tangan, atau kosongkan ketiganya."),
        ({"name": "x" * 121}, "signatory_name", "Paling banyak 120 karakter."),
        (
            {"signature": ("ttd.png", b"not a png")},
            "signature",
            "Isi berkas bukan PNG.",
        ),
        (
            {"signature": ("ttd.svg", b"<svg><script>alert(1)</script></svg>")},
            "signature",
            "Berkas SVG tidak sah atau berisi skrip.",
        ),
        (
            {"signature": ("ttd.gif", b"GIF89a")},
            "signature",
            "Gambar harus berkas SVG, PNG atau JPG.",
        ),
    ],
)
def test_a_bad_signatory_is_refused_with_the_field_and_reason(
    world, fields, field, message
) -> None:  # type: ignore[no-untyped-def]
    data: dict[str, Any] = {"name": "Hendra", "nip": NIP, "title": "Kepala BKPSDM", **fields}
    with pytest.raises(ValidationError) as exc:
        do_set_certificate_signatory(actor=world.alice, **data)
    assert any(message in m for m in exc.value.message_dict[field]), exc.value.message_dict
    assert not CertificateSettings.objects.exists()


def test_the_signatory_is_saved_audited_and_can_be_cleared(world) -> None:  # type: ignore[no-untyped-def]
    row = do_set_certificate_signatory(
        actor=world.alice, name="Hendra", nip="19680512 199003 1 005", title="Kepala BKPSDM"
    )
    assert row.signatory_nip == NIP
    assert AuditLog.objects.filter(action="certificate.signatory").count() == 1
    row = do_set_certificate_signatory(actor=world.alice, name="", nip="", title="")
    assert (row.signatory_name, row.signatory_nip, row.signatory_title) == ("", "", "")


def test_the_settings_page_saves_the_signatory_and_keeps_what_was_typed_on_error(
    client, world
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.alice)
    # user, instansi, the report settings (twice: the form, the logo), the certificate
    # settings: a fixed number (the session's own reads and writes are the middleware's)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/laporan/pengaturan/").status_code == 200
    page_queries = [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    assert len(page_queries) <= 5, page_queries
    bad = client.post(
        "/laporan/pengaturan/",
        {
            "form": "signatory",
            "signatory_name": "Hendra",
            "signatory_nip": "12",
            "signatory_title": "Kepala",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "NIP penanda tangan tidak sah" in html and 'value="Hendra"' in html
    good = client.post(
        "/laporan/pengaturan/",
        {
            "form": "signatory",
            "signatory_name": "Hendra",
            "signatory_nip": NIP,
            "signatory_title": "Kepala BKPSDM",
            "place": "Sawahlunto",
            "signature": SimpleUploadedFile("ttd.svg", SIGNATURE),
        },
        follow=True,
    )
    assert "Penanda tangan sertifikat disimpan." in good.content.decode()
    row = CertificateSettings.objects.get(instansi=world.instansi)
    assert row.signature.name.endswith(".svg") and row.place == "Sawahlunto"
    for user in (world.pia, world.bob, world.dave):
        client.force_login(user)
        assert client.post("/laporan/pengaturan/", {"form": "signatory"}).status_code == 403


def test_the_report_logo_upload_puts_the_logo_on_the_certificates_too(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.alice)
    client.post("/laporan/pengaturan/", {"logo": SimpleUploadedFile("logo.svg", LOGO)})
    row = CertificateSettings.objects.get(instansi=world.instansi)
    assert row.logo.name.endswith(".svg")
    with row.logo.open("rb") as fh:
        assert fh.read() == LOGO


@override_settings(SITE_URL=SITE)
def test_the_poster_and_the_ticket_page_link_to_site_url(client, world) -> None:  # type: ignore[no-untyped-def]
    from kompeten.service.actions.skm import do_create_service_unit

    su = do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa")
    client.force_login(world.alice)
    poster = client.get(reverse("service:poster", args=[su.pk]), HTTP_HOST="127.0.0.1:8000")
    assert poster.status_code == 200
    text = PdfReader(io.BytesIO(poster.content)).pages[0].extract_text()
    assert f"{SITE}/survei/alfa/" in text.replace("\n", "") and "8000" not in text
    page = client.get(reverse("service:manage_unit", args=[su.pk]), HTTP_HOST="127.0.0.1:8000")
    assert f"{SITE}/survei/alfa/" in page.content.decode()


def test_the_deploy_check_warns_when_site_url_is_not_set(monkeypatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    with override_settings(DEBUG=False):
        [warning] = site_url_is_set()
    assert warning.id == "participation.W001" and "SITE_URL" in warning.msg
    monkeypatch.setenv("SITE_URL", SITE)
    assert site_url_is_set() == []
