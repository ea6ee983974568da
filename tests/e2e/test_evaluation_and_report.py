"""An admin reads a programme's evaluation by level and downloads its report as a PDF."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from tests.e2e.console import ConsoleWatch
from tests.e2e.test_login_scope import login
from tests.evaluation import builders
from tests.reports.builders import trained_programme

TABS = [
    ("L1 Reaksi", "L1 Reaksi"),
    ("L2 Pembelajaran", "L2 Pembelajaran"),
    ("L3 Perilaku", "L3 Perilaku"),
    ("L4 Hasil", "L4 Hasil layanan publik"),
    ("L5 ROI", "L5 ROI (Phillips)"),
]


@pytest.mark.django_db(transaction=True)
def test_an_admin_switches_between_the_five_levels(live_server, page: Page, world) -> None:
    s = builders.build(world, n=4)
    reaction = s.instruments["reaksi"]
    do_submit_responses(
        reaction,
        entries=[
            ResponseInput(e.pk, e.pk, builders.likert_answers(reaction, 4, [s.trainer.pk]))
            for e in s.participants
        ],
    )
    watch = ConsoleWatch()
    watch.attach(page)
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/evaluasi/program/{s.programme.pk}/")
    tabs = page.get_by_role("navigation", name="Level evaluasi")
    sentences: dict[str, str] = {}
    for tab, heading in TABS:
        tabs.get_by_role("link", name=tab, exact=True).click()
        expect(tabs.get_by_role("link", name=tab, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        section = page.locator("#tab section.card").first
        expect(section.get_by_role("heading", level=2)).to_have_text(heading)
        sentence = section.locator("> p").first.inner_text().strip()
        # a plain Indonesian sentence, not an empty slot or a template variable
        assert re.search(r"[A-Za-z].*\s.*[a-z]", sentence), (tab, sentence)
        assert "{{" not in sentence and "None" not in sentence, (tab, sentence)
        sentences[tab] = sentence
    # every level says something of its own
    assert len(set(sentences.values())) == len(TABS), sentences
    # the four participants' reaction answers are what L1 talks about
    assert "n = 4" in sentences["L1 Reaksi"] and "respons 100%" in sentences["L1 Reaksi"]
    assert "ROI" in sentences["L5 ROI"]
    assert watch.csp_violations() == []


@pytest.mark.django_db(transaction=True)
def test_an_admin_downloads_the_programme_report_as_a_real_pdf(
    live_server, page: Page, world
) -> None:
    trained = trained_programme(world)
    watch = ConsoleWatch()
    watch.attach(page)
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/laporan/program/{trained.programme.pk}/")
    expect(page.locator("article.report-screen")).to_contain_text("Rekomendasi untuk Perbaikan")
    # the PDF is served inline and Chromium's viewer takes over the tab, so fetch the link's
    # target with this browser's own session (its cookies), as a download would
    link = page.get_by_role("link", name="Unduh PDF")
    href = link.get_attribute("href")
    assert href is not None and href.endswith("unduh.pdf")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="laporan-PP-01.pdf"' in response.headers["content-disposition"]
    data = response.body()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Rekomendasi" in text
    assert "Pelayanan Prima Kependudukan" in text
    assert "3 dari 7 undangan" in text  # the workload rule's sentence, from this programme's data
    assert watch.csp_violations() == []
