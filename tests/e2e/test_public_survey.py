"""A citizen answers the public SKM form on a phone, in a real browser (also without JS)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kompeten.service.actions import do_fold_skm_responses
from kompeten.service.actions.kiosk import do_issue_kiosk_code
from kompeten.service.models import SkmResponse, SkmRollup
from kompeten.service.queries import ikm_rows
from tests.e2e.console import ConsoleWatch
from tests.service.helpers import SLUGS, make_service_unit

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()  # the per-client rate limit lives in the cache


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
    )
    yield context
    context.close()


def answer(page: Page, score: int, *, skip: str | None = None) -> None:
    for slug in SLUGS:
        if slug != skip:
            page.locator(f'input[name="u_{slug}"][value="{score}"]').check()
    page.locator('input[name="sex"][value="P"]').check()
    page.get_by_label("Usia").select_option("30-39")
    page.get_by_label("Pendidikan terakhir").select_option("SMA")
    page.get_by_label("Pekerjaan").select_option("swasta")


@pytest.mark.django_db(transaction=True)
def test_a_citizen_answers_on_a_phone_and_the_ikm_counts_it(live_server, phone, world) -> None:
    su = make_service_unit(world.alfa)
    page = phone.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    page.goto(f"{live_server.url}/survei/{su.code}/")
    expect(page.locator("fieldset.skm-q legend").first).to_contain_text("Persyaratan")
    expect(page.locator("fieldset.skm-q")).to_have_count(len(SLUGS) + 1)  # nine unsur + profile
    # fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    answer(page, 3)
    page.get_by_label("Saran dan masukan (boleh dikosongkan)").fill("Antrian terlalu lama")
    page.get_by_role("button", name="Kirim jawaban").tap()

    expect(page).to_have_url(re.compile(rf"/survei/{su.code}/terima-kasih/$"))
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    row = SkmResponse.objects.get(service_unit=su)
    assert row.scores == dict.fromkeys(SLUGS, 3)
    assert row.suggestion == "Antrian terlalu lama" and row.source == "form"
    assert (row.sex, row.age_group, row.education, row.occupation) == (
        "P",
        "30-39",
        "SMA",
        "swasta",
    )

    # the accept path writes only the response; the fold (a thread in the web process, inline
    # in tests) counts it into the rollups the IKM is read from
    assert do_fold_skm_responses(wait=True) == 1
    assert SkmRollup.objects.filter(service_unit=su).count() == len(SLUGS)
    [ikm] = ikm_rows([su.pk], date(2000, 1, 1), date(2100, 12, 1))
    assert ikm.n_responses == 1
    assert all(ikm.counts[slug] == [0, 0, 1, 0] for slug in SLUGS)
    assert ikm.result is not None and ikm.result.ikm_unit == pytest.approx(75.0)
    assert watch.csp_violations() == []


@pytest.mark.django_db(transaction=True)
def test_a_missing_answer_is_named_in_indonesian_and_what_was_typed_is_kept(
    live_server, phone, world
) -> None:
    su = make_service_unit(world.alfa)
    page = phone.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    page.goto(f"{live_server.url}/survei/{su.code}/")
    answer(page, 4, skip="sarana_prasarana")
    page.get_by_label("Saran dan masukan (boleh dikosongkan)").fill("Ruang tunggu panas")
    page.get_by_role("button", name="Kirim jawaban").tap()

    expect(page.get_by_role("alert")).to_contain_text("belum lengkap")
    wrong = page.locator("fieldset.skm-q.has-error")
    expect(wrong).to_have_count(1)
    expect(wrong.locator("legend")).to_contain_text("Sarana dan prasarana", ignore_case=True)
    expect(wrong).to_contain_text(
        "Mohon pilih salah satu jawaban untuk unsur Sarana dan Prasarana."
    )
    # what the citizen already chose and typed is still there
    expect(page.locator('input[name="u_persyaratan"][value="4"]')).to_be_checked()
    expect(page.locator('input[name="sex"][value="P"]')).to_be_checked()
    expect(page.get_by_label("Pekerjaan")).to_have_value("swasta")
    expect(page.get_by_label("Saran dan masukan (boleh dikosongkan)")).to_have_value(
        "Ruang tunggu panas"
    )
    assert not SkmResponse.objects.exists()

    page.locator('input[name="u_sarana_prasarana"][value="2"]').check()
    page.get_by_role("button", name="Kirim jawaban").tap()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    row = SkmResponse.objects.get()
    assert row.scores["sarana_prasarana"] == 2 and row.scores["persyaratan"] == 4
    assert watch.csp_violations() == []


@pytest.mark.django_db(transaction=True)
def test_the_kiosk_form_resets_itself_after_each_answer(live_server, page: Page, world) -> None:
    su = make_service_unit(world.alfa)
    watch = ConsoleWatch()
    watch.attach(page)
    kiosk = f"{live_server.url}/survei/{su.code}/kios/"
    # the unit's admin issues a one-time code; the tablet types it on the enrolment page
    _device, code = do_issue_kiosk_code(su, name="Tablet loket 1", actor=world.alice)
    page.goto(f"{live_server.url}/survei/daftar-kios/")
    page.get_by_label("Kode pendaftaran kios").fill(code.lower())
    page.get_by_role("button", name="Daftarkan").click()
    expect(page).to_have_url(kiosk)
    for visitor in range(2):
        page.goto(kiosk)
        expect(page.get_by_text("Mode kios")).to_be_visible()
        expect(page.locator("input[type=radio]:checked")).to_have_count(0)  # empty for everyone
        answer(page, 4 - visitor)
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
        expect(page).to_have_url(re.compile(r"/kios/terima-kasih/$"))
        # without anyone touching it, the screen goes back to an empty form
        expect(page).to_have_url(kiosk, timeout=15_000)
        expect(page.get_by_role("button", name="Kirim jawaban")).to_be_visible()
        expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    rows = list(SkmResponse.objects.order_by("id"))
    assert [r.source for r in rows] == ["kiosk", "kiosk"]
    assert [r.scores["persyaratan"] for r in rows] == [4, 3]
    assert watch.csp_violations() == []


@pytest.mark.django_db(transaction=True)
def test_the_form_submits_with_javascript_disabled(
    live_server, browser: Browser, browser_context_args: dict[str, Any], world
) -> None:
    su = make_service_unit(world.alfa)
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "java_script_enabled": False}
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/survei/{su.code}/")
        answer(page, 4)
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    finally:
        context.close()
    assert SkmResponse.objects.get(service_unit=su).scores == dict.fromkeys(SLUGS, 4)
