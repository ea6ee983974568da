"""The report model: one typed dataset per programme, collected once per data version and
cached; the page and every download render it; a changed input gives a fresh report."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from kompeten.evaluation.actions.scores import ScoreInput, do_record_test_scores
from kompeten.reports import assemble, model
from kompeten.reports.export import render_bytes
from kompeten.service.models import Complaint
from tests.reports.builders import scored_programme


@pytest.fixture
def trained(world):  # type: ignore[no-untyped-def]
    return scored_programme(world)


def belajar(report: model.Report) -> dict[str, object]:
    found = report.table("belajar")
    assert found is not None
    return {str(row[0]): row[1] for row in found[0].rows}


def test_the_report_is_typed_and_round_trips_to_the_stored_dict(world, trained) -> None:  # type: ignore[no-untyped-def]
    report = model.programme_report(trained.programme)
    assert isinstance(report.sections[0], model.Section)
    assert all(isinstance(t, model.Table) for _s, t in report.tables())
    data = report.as_dict()
    json.dumps(data)  # JSON-able as a cycle stores it
    again = model.Report.from_dict(data)
    assert again.as_dict() == data and again.data_hash == report.data_hash
    assert report.rows is not None and report.rows.programme_id == trained.programme.pk


def test_the_data_hash_is_the_datas_in_either_language_and_moves_with_a_number(
    world, trained
) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override("id"):
        indonesian = model.programme_report(trained.programme)
    with translation.override("en"):
        english = model.programme_report(trained.programme)
    assert indonesian.as_dict()["sections"] != english.as_dict()["sections"]  # other words
    assert indonesian.data_hash == english.data_hash  # the same figures
    data = indonesian.as_dict()
    table = next(t for s in data["sections"] for t in s["tables"] if t["slug"] == "belajar")
    row = next(r for r in table["rows"] if isinstance(r[1], float))
    row[1] += 0.01
    assert model.dict_hash(data) != indonesian.data_hash


def test_a_second_read_takes_the_cached_report_without_collecting_it(
    world, trained, monkeypatch, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    first = model.programme_report(trained.programme)

    def collect_again(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the report was collected again")

    monkeypatch.setattr(assemble, "build_programme", collect_again)
    # one query: the insert watermarks (the write token lives in the cache)
    with django_assert_max_num_queries(1):
        second = model.programme_report(trained.programme)
    assert second.generated == first.generated and second.data_version == first.data_version


def test_a_changed_score_gives_a_fresh_report(world, trained) -> None:  # type: ignore[no-untyped-def]
    before = model.programme_report(trained.programme)
    assert belajar(before)["Rata-rata post-test"] == pytest.approx(70.0)
    # a replaced total is written by bulk_update: no save() signal, no new row
    do_record_test_scores(
        trained.programme,
        entries=[ScoreInput(subject_id=trained.employees[0].pk, pre=40, post=90)],
        actor=world.alice,
    )
    after = model.programme_report(trained.programme)
    assert after.data_version != before.data_version
    assert belajar(after)["Rata-rata post-test"] == pytest.approx(75.0)


def test_a_bulk_insert_without_signals_moves_the_data_version(world, trained) -> None:  # type: ignore[no-untyped-def]
    version = model.data_version()
    assert model.data_version() == version  # nothing written: the same version
    Complaint.objects.bulk_create(
        [
            Complaint(
                instansi=world.instansi,
                unit=world.alfa,
                tracking_number="BULK-1",
                category="informasi",
                status="selesai",
                received_at="2026-03-10T09:00:00+07:00",
            )
        ]
    )
    assert model.data_version() != version


def test_a_write_outside_the_input_apps_keeps_the_cache(world, trained) -> None:  # type: ignore[no-untyped-def]
    from kompeten.reports.actions import do_add_narrative

    version = model.data_version()
    do_add_narrative(
        actor=world.alice,
        scope=f"programme:{trained.programme.pk}",
        section="kesimpulan",
        text="Narasi admin.",
    )
    # narratives are read per page, outside the cached model
    assert model.data_version() == version


def test_another_day_or_language_is_another_entry(world, trained) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from django.utils import translation

    version = model.data_version()
    key = model.programme_key(trained.programme.pk, None, date(2026, 4, 1), version)
    assert key != model.programme_key(trained.programme.pk, None, date(2026, 4, 2), version)
    with translation.override("en"):
        assert key != model.programme_key(trained.programme.pk, None, date(2026, 4, 1), version)


def test_an_engine_crash_is_a_crash_not_a_sentence(world, trained, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("engine bug")

    monkeypatch.setattr(assemble, "evaluate_programme", broken)
    with pytest.raises(ZeroDivisionError):
        assemble.build_programme(trained.programme)


def test_the_page_and_the_downloads_render_the_one_cached_model(
    client, world, trained, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.pia)
    url = f"/laporan/program/{trained.programme.pk}/"
    assert client.get(url).status_code == 200  # collects and caches the model
    report = model.programme_report(trained.programme)
    # session, user, instansi, programme, watermarks, narratives, logo settings: the figures
    # come from the cache, not from the evaluation's hundred queries
    with django_assert_max_num_queries(9):
        page = client.get(url)
    assert page.status_code == 200
    assert report.data_hash[:16] in page.content.decode()
    figures = json.loads(client.get(f"{url}unduh.json").content)
    assert figures["data_hash"] == report.data_hash
    book = load_workbook(io.BytesIO(client.get(f"{url}unduh.xlsx").content))
    assert book["Ringkasan"]["C2"].value == report.data_hash
    assert report.title.encode() in render_bytes(world.instansi, report, "html")


def test_a_public_skm_answer_writes_no_token_but_moves_the_version(world, trained) -> None:  # type: ignore[no-untyped-def]
    from kompeten.service.actions import do_fold_skm_responses, do_submit_skm_response
    from tests.service.helpers import all_scores, make_service_unit

    su = make_service_unit(world.alfa)
    version, token = model.data_version(), model.token()
    do_submit_skm_response(service_unit=su, scores=all_scores(4))
    # the busiest endpoint replaces no token; the answer's insert raises the watermark
    assert model.token() == token and model.data_version() != version
    version = model.data_version()
    assert do_fold_skm_responses() == 1  # the rollups the report reads: a new version
    assert model.data_version() != version


def test_the_same_html_gives_the_cached_pdf_and_a_new_narrative_a_new_one(
    world, trained, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import weasyprint

    from kompeten.reports import render
    from kompeten.reports.actions import do_add_narrative

    report = model.programme_report(trained.programme)
    first = render.render_pdf(render.context(world.instansi, report))
    assert first.startswith(b"%PDF")
    real = weasyprint.HTML
    calls = []

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", counting)
    assert render.render_pdf(render.context(world.instansi, report)) == first
    assert calls == []  # the layout was not run again
    do_add_narrative(
        actor=world.alice,
        scope=f"programme:{trained.programme.pk}",
        section="kesimpulan",
        text="Narasi baru.",
    )
    assert render.render_pdf(render.context(world.instansi, report)) != first
    assert calls == [1]


def test_the_pdf_keeps_each_table_row_on_one_page(world, trained) -> None:  # type: ignore[no-untyped-def]
    """A table longer than a page breaks between rows, never inside one: each row's first cell
    and the last words of its long cell are on the same page (the sample's item table had the
    start of a row on one page and the rest of it on the next)."""
    from pypdf import PdfReader

    data = model.programme_report(trained.programme).as_dict()
    words = "kalimat panjang yang memaksa sel ini turun beberapa baris dalam kolom sempit " * 3
    rows = [[f"R{n:03d}X", f"{words}ujung{n:03d}", n, "–"] for n in range(60)]
    data["sections"][0]["tables"].append(
        {
            "slug": "uji_panjang",
            "title": "Tabel panjang",
            "headers": ["No", "Isi", "n", "Akhir"],
            "rows": rows,
        }
    )
    pdf = render_bytes(world.instansi, data, "pdf")
    pages = ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    spread = [i for i, t in enumerate(pages) if "R000X" in t or "ujung059" in t]
    assert spread[-1] > spread[0]  # the table does run over several pages
    for n in range(60):
        first = [i for i, t in enumerate(pages) if f"R{n:03d}X" in t]
        last = [i for i, t in enumerate(pages) if f"ujung{n:03d}" in t]  # the cell's last words
        assert first == last and len(first) == 1, (n, first, last)
