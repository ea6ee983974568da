"""IKM: the worked example, categories, weights, the 2004 table, through engine, pages and rollups."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kompeten.service.actions import (
    do_create_questionnaire,
    do_create_service_unit,
    do_fold_skm_responses,
    do_import_skm_summary,
    do_submit_skm_response,
)
from kompeten.service.queries import (
    IkmRow,
    compute_row,
    ikm_rows,
    monthly_ikm_series,
    published_rows,
)
from kompeten.standards.ikm import SKM_2017, categorise
from tests.service.helpers import all_scores, make_service_unit

pytestmark = pytest.mark.django_db


def _month() -> date:
    today = timezone.localdate()
    return date(today.year, today.month, 1)


def test_the_worked_example_gives_100_and_99_90_with_the_printed_weight(world) -> None:
    su = make_service_unit(world.alfa)
    do_submit_skm_response(service_unit=su, scores=all_scores(4))
    do_fold_skm_responses()
    exact = ikm_rows([su.pk], _month(), _month())[0].result
    printed = ikm_rows([su.pk], _month(), _month(), weight_mode="0.111")[0].result
    assert exact.ikm_unit == 100.0 and exact.mutu == "A" and exact.kinerja == "Sangat Baik"
    assert printed.ikm_unit == pytest.approx(99.9) and printed.mutu == "A"
    client = Client()
    client.force_login(world.alice)
    page = client.get(f"/layanan/unit/{su.pk}/").content.decode()
    assert "100,00" in page and "Sangat Baik" in page
    page = client.get(f"/layanan/unit/{su.pk}/?weight=0.111").content.decode()
    assert "99,90" in page


@pytest.mark.parametrize(
    ("value", "mutu"),
    [("88.30", "B"), ("88.31", "A"), ("76.60", "C"), ("64.99", "D"), ("88.305", "A")],
)
def test_category_boundaries_follow_the_2017_table(value: str, mutu: str) -> None:
    from decimal import Decimal

    assert categorise(Decimal(value), SKM_2017).mutu == mutu


def test_a_unit_questionnaire_with_unequal_weights(world) -> None:
    weights = {u.slug: "1/12" for u in SKM_2017.unsur}
    weights["kebersihan"] = "1/4"
    q = do_create_questionnaire(
        instansi=world.instansi,
        code="rsud",
        name="SKM RSUD",
        extra_unsur=[
            {
                "slug": "kebersihan",
                "name": "Kebersihan Ruang Tunggu",
                "labels": ["Kotor", "Kurang bersih", "Bersih", "Sangat bersih"],
            }
        ],
        weights=weights,
    )
    su = do_create_service_unit(unit=world.alfa, code="rsud-uji", name="RSUD Uji", questionnaire=q)
    scores = all_scores(4)
    scores["Kebersihan Ruang Tunggu"] = 2
    do_submit_skm_response(service_unit=su, scores=scores)
    do_fold_skm_responses()
    row = ikm_rows([su.pk], _month(), _month())[0]
    # 9 × 4/12 + 2/4 = 3.5 → 87.5 (B); equal weights would give (36+2)/10 = 3.8 → 95 (A)
    assert row.result.ikm == pytest.approx(3.5)
    assert row.result.ikm_unit == pytest.approx(87.5) and row.result.mutu == "B"
    form = Client().get(f"/survei/{su.code}/").content.decode()
    assert "Kebersihan Ruang Tunggu" in form and "Sangat bersih" in form


def test_weights_that_do_not_sum_to_one_are_refused(world) -> None:
    weights = {u.slug: "1/9" for u in SKM_2017.unsur}
    weights["persyaratan"] = "1/3"
    with pytest.raises(ValidationError, match="Jumlah bobot"):
        do_create_questionnaire(instansi=world.instansi, code="x", name="x", weights=weights)


def test_published_2004_results_are_graded_on_the_2004_table(world) -> None:
    su = make_service_unit(world.alfa)
    from kompeten.standards.ikm import SKM_2004

    lines = ["unit,tahun,regulasi,unsur,nrr,n"]
    lines += [f'{su.code},2016,2004,"{u.name}",3.3,100' for u in SKM_2004.unsur]
    do_import_skm_summary(world.instansi, "\n".join(lines).encode(), "r.csv")
    row = published_rows([su.pk])[0]
    assert row.result.ikm_unit == pytest.approx(82.5)
    assert row.result.mutu == "A"  # 81,26–100 under 2004; the 2017 table would say B
    assert categorise(82.5, SKM_2017).mutu == "B"


def test_the_monthly_series_for_the_evaluation_engine_reads_the_rollups(world) -> None:
    su = make_service_unit(world.alfa)
    for score in (4, 3):
        do_submit_skm_response(service_unit=su, scores=all_scores(score))
    do_fold_skm_responses()
    series = monthly_ikm_series([su.pk], _month(), _month())
    assert series == [
        {
            "service_unit_id": su.pk,
            "month": _month(),
            "version": "SKM_2017",
            "n": 2,
            "ikm": 3.5,
            "ikm_unit": 87.5,
            "mutu": "B",
        }
    ]


def test_the_sample_adequacy_warning_uses_krejcie_morgan(world) -> None:
    su = make_service_unit(world.alfa, population=100)
    do_submit_skm_response(service_unit=su, scores=all_scores(4))
    client = Client()
    client.force_login(world.alice)
    page = client.get(f"/layanan/unit/{su.pk}/").content.decode()
    assert "Sampel belum memadai" in page and "diperlukan 80" in page


@settings(deadline=None, max_examples=60)
@given(st.lists(st.lists(st.integers(0, 50), min_size=4, max_size=4), min_size=9, max_size=9))
def test_the_ikm_from_rollup_counts_stays_within_25_and_100(counts: list[list[int]]) -> None:
    from kompeten.service.queries import IkmRow, compute_row

    for c in counts:
        c[3] += 1  # every unsur answered at least once
    row = compute_row(
        IkmRow(
            key=(1,),
            version="SKM_2017",
            counts=dict(zip([u.slug for u in SKM_2017.unsur], counts, strict=True)),
        )
    )
    assert row.result is not None
    assert 25 <= row.result.ikm_unit <= 100
    assert row.result.mutu in {"A", "B", "C", "D"}


def test_a_group_lacking_an_unsur_names_it_in_the_readers_language() -> None:
    first, *rest = SKM_2017.unsur
    counts = {u.slug: [0, 1, 2, 3] for u in rest}
    with translation.override("id"):
        row = compute_row(IkmRow(key=(1,), version="SKM_2017", counts=dict(counts)))
    assert row.result is None
    assert row.problem == f"Belum ada jawaban untuk unsur: {first.name}"
    with translation.override("en"):
        row = compute_row(IkmRow(key=(1,), version="SKM_2017", counts=dict(counts)))
    assert row.problem == f"No answers yet for the unsur: {first.name}"
