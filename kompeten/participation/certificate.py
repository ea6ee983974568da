"""A certificate as a PDF: WeasyPrint from ``participation/certificate_print.html``, with the
instansi's logo and signatory (:class:`CertificateSettings`) and a QR code of its public
verification address, built from ``SITE_URL`` (the address people reach the site by, whatever
host or port the request came through)."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from kompeten.core.images import image_uri
from kompeten.participation.actions.certificate_settings import settings_for
from kompeten.participation.models import Certificate
from kompeten.standards.nip import format_nip


def verify_url(number: str) -> str:
    return settings.SITE_URL + reverse("certificate_verify", args=[number])


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def certificate_context(cert: Certificate) -> dict[str, Any]:
    """What the certificate template needs: the certificate, its verification address and QR
    code, the logo and the signatory (empty strings where the admin has set none)."""
    url = verify_url(cert.number)
    row = settings_for(cert.instansi_id)
    return {
        "cert": cert,
        "verify_url": url,
        "qr": qr_data_uri(url),
        "logo": image_uri(row.logo) if row else "",
        "signatory": {
            "name": row.signatory_name,
            "nip": format_nip(row.signatory_nip) if row.signatory_nip else "",
            "title": row.signatory_title,
            "place": row.place,
            "signature": image_uri(row.signature),
        }
        if row and row.signatory_name
        else None,
    }


def certificate_html(cert: Certificate) -> str:
    return render_to_string("participation/certificate_print.html", certificate_context(cert))


def certificate_pdf(cert: Certificate) -> bytes:
    from weasyprint import HTML

    # every image is a data: URI, so the renderer fetches nothing
    return HTML(string=certificate_html(cert)).write_pdf()
