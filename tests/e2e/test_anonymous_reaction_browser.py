"""An anonymous reaction form imported through the wizard in a real browser: for a programme of
two batches the preview first asks which batch answered, then, with the batch named, says the
answers are stored without a name, stores them, and a second upload of the same export stores
nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kompeten.evaluation.models import Response
from tests.e2e.test_login_scope import login
from tests.evaluation.results_files import START, held_training
from tests.evaluation.test_reaction_anonymous import _anonymous
from tests.participation.builders import make_batch


def _upload(page: Page, base_url: str, path: Path, batch: str = "") -> None:
    page.goto(f"{base_url}/impor/reaction/")
    page.get_by_label("Kode program").fill("PP-2025")
    page.get_by_label("Kode angkatan (kuesioner tanpa nama)").fill(batch)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_test_id("import-upload").click()
    page.get_by_test_id("import-mapping").click()


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_form_is_imported_for_the_batch_named(
    live_server, page: Page, world, tmp_path: Path
) -> None:
    programme, first, _people = held_training(world)
    second = make_batch(programme, [(START + timedelta(days=30 + n), 8, 16) for n in range(3)])
    path = tmp_path / "Evaluasi Penyelenggaraan (Responses).csv"
    path.write_bytes(_anonymous())
    page.set_default_timeout(60_000)  # a busy machine; the counts are what is asserted
    login(page, live_server.url, "alice")

    _upload(page, live_server.url, path)
    expect(page.get_by_test_id("count-file-problems")).to_have_text("1")
    expect(page.get_by_test_id("import-problems")).to_contain_text(
        f"program PP-2025 tidak punya tepat satu angkatan (angkatannya: {first.code}, "
        f"{second.code}): sebutkan angkatannya (unggah ulang dengan Kode angkatan diisi)"
    )
    expect(page.get_by_test_id("import-all")).to_have_count(0)

    _upload(page, live_server.url, path, second.code)
    expect(page.get_by_test_id("count-clean")).to_have_text("52")
    expect(page.get_by_test_id("import-note").filter(has_text="anonim")).to_contain_text(
        f"jawabannya disimpan tanpa nama untuk angkatan {second.code}"
    )
    page.get_by_test_id("import-all").click()
    expect(page.get_by_test_id("result-written")).to_contain_text(
        "jawaban kuesioner tanpa nama: 52"
    )
    assert Response.objects.filter(batch=second, subject=None).count() == 52

    _upload(page, live_server.url, path, second.code)
    expect(page.get_by_test_id("count-skipped")).to_have_text("52")
    page.get_by_test_id("import-all").click()
    expect(page.get_by_test_id("result-skipped")).to_have_text("52")
    assert Response.objects.count() == 52
