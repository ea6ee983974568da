"""The pages leadership reads, on a phone, a laptop and a wide screen: the dashboard, the
programme report and the certificate at 390, 1366 and 1920 px. Each is screenshotted (under a
temporary directory, or $KOMPETEN_SCREENSHOTS) and its boxes are read from the DOM: no chart or
text box may overlap another, and the dashboard's charts stay inside their cards without
scrolling the page sideways."""

from __future__ import annotations

import io
import os
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kompeten.participation import certificate as cert_pdf
from kompeten.reports.actions import do_store_dashboard
from kompeten.reports.dashboard import compute_dashboard
from kompeten.service.actions.skm import (
    SkmRecord,
    do_bulk_add_skm_responses,
    do_create_service_unit,
)
from kompeten.standards.ikm import SKM_2017
from tests import factories
from tests.e2e.console import ConsoleWatch
from tests.e2e.test_login_scope import login
from tests.participation.test_certificate_layout import LONG_TITLE, make_certificate, signed  # noqa: F401
from tests.reports.builders import trained_programme

WIDTHS = (390, 1366, 1920)
JKT = ZoneInfo("Asia/Jakarta")

# block-level boxes a reader sees as separate: none may cover another unless it contains it
BOXES = "main figure, main img, main table, main p, main h1, main h2, main h3, main li, main .card, main form"

OVERLAPS_JS = """(selector) => {
  const seen = [...document.querySelectorAll(selector)].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
  });
  const name = (e) => e.tagName.toLowerCase() + (e.dataset.box ? "[" + e.dataset.box + "]" : "")
    + (e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : "")
    + ": " + (e.innerText || e.getAttribute("alt") || "").trim().slice(0, 40);
  const out = [];
  for (let i = 0; i < seen.length; i++) {
    for (let j = i + 1; j < seen.length; j++) {
      const a = seen[i], b = seen[j];
      if (a.contains(b) || b.contains(a)) continue;
      const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
      const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      if (w > 1 && h > 1) out.push([name(a), name(b), Math.round(w), Math.round(h)]);
    }
  }
  return out;
}"""

CHARTS_INSIDE_JS = """() => [...document.querySelectorAll("figure.dash-chart")].map((f) => {
  const card = f.getBoundingClientRect(), img = f.querySelector("img").getBoundingClientRect();
  return {
    inside: img.left >= card.left - 0.5 && img.right <= card.right + 0.5
      && img.top >= card.top - 0.5 && img.bottom <= card.bottom + 0.5,
    width: img.width, natural: f.querySelector("img").naturalWidth,
  };
})"""


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KOMPETEN_SCREENSHOTS") or tmp_path / "layar")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _jkt(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=JKT)


def _check(page: Page, shots: Path, name: str, width: int, selector: str = BOXES) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_load_state("load")
    path = shots / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    overlaps: list[Any] = page.evaluate(OVERLAPS_JS, selector)
    assert overlaps == [], (name, width, overlaps[:10])


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_fits_every_screen(live_server, page: Page, world, shots: Path) -> None:  # type: ignore[no-untyped-def]
    year = date.today().year
    trained_programme(world)
    # staff of Dinas Alfa were trained in March; Dinas Beta's unit is the comparison
    scores = [u.slug for u in SKM_2017.unsur]
    for unit, code, before, after in ((world.alfa, "alfa", 3, 4), (world.beta, "beta", 2, 3)):
        su = do_create_service_unit(unit=unit, code=code, name=f"Layanan {unit.name}")
        do_bulk_add_skm_responses(
            su,
            [
                SkmRecord(submitted=_jkt(date(year, 1, 20)), scores=dict.fromkeys(scores, before)),
                SkmRecord(submitted=_jkt(date(year, 4, 20)), scores=dict.fromkeys(scores, after)),
            ],
        )
    for i in range(12):  # a long OPD list: the tallest chart
        factories.make_unit(world.instansi, f"Dinas Nomor {i} Urusan Pemerintahan", code=f"D{i}")
    do_store_dashboard(
        instansi=world.instansi, year=year, data=compute_dashboard(world.instansi, year)
    )
    watch = ConsoleWatch()
    watch.attach(page)
    login(page, live_server.url, "pia")
    page.goto(f"{live_server.url}/laporan/dasbor/?year={year}")
    expect(page.get_by_role("heading", name="Angka utama")).to_be_visible()
    for width in WIDTHS:
        _check(page, shots, "dasbor", width)
        charts = page.evaluate(CHARTS_INSIDE_JS)
        assert charts and all(c["inside"] for c in charts), (width, charts)
        # nothing wider than the screen: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # the headline comes first, above every chart
        first_chart = page.locator("figure.dash-chart").first.bounding_box()
        headline = page.locator("[data-box=kpi-rekomendasi]").bounding_box()
        assert first_chart is not None and headline is not None
        assert headline["y"] + headline["height"] <= first_chart["y"]
    # printed: the same boxes on A4, nothing overlapping
    page.emulate_media(media="print")
    _check(page, shots, "dasbor-cetak", 794)
    assert watch.csp_violations() == []


@pytest.mark.django_db(transaction=True)
def test_the_programme_report_fits_every_screen(
    live_server, page: Page, world, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    trained = trained_programme(world)
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/laporan/program/{trained.programme.pk}/")
    expect(page.locator("article.report-screen")).to_be_visible()
    for width in WIDTHS:
        _check(page, shots, "laporan-program", width)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("signed")
def test_the_certificate_fits_every_screen_and_its_pdf(
    live_server,
    page: Page,
    world,
    shots: Path,
) -> None:  # type: ignore[no-untyped-def]
    cert = make_certificate(world, LONG_TITLE)
    page.set_content(cert_pdf.certificate_html(cert))
    selector = "[data-box], img"
    for width in WIDTHS:
        _check(page, shots, "sertifikat", width, selector)
        title = page.locator("[data-box=cert-title]").bounding_box()
        qr = page.locator("img.qr").bounding_box()
        assert title is not None and qr is not None
        assert title["y"] + title["height"] <= qr["y"]  # the QR code sits below the title
    # the PDF the participant downloads is one A4 page with the whole title on it
    login(page, live_server.url, world.dave.username)
    pdf_url = reverse("participation:certificate_pdf", args=[cert.number])
    response = page.request.get(f"{live_server.url}{pdf_url}")
    assert response.status == 200
    reader = PdfReader(io.BytesIO(response.body()))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert " ".join(LONG_TITLE.split()) in text
