"""The programme report and the cycle report read in the interface language: every generated
sentence, table header, chart label and verdict goes through gettext, numbers and dates through
the language's formats, and a stored cycle report keeps its prose per language."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from kompeten.core.formatting import day, number
from kompeten.evaluation import interpret
from kompeten.learning.models import ObjectiveComparison
from kompeten.reports import collect as c
from kompeten.reports.actions import do_generate_cycle
from kompeten.reports.assemble import (
    SECTIONS,
    Section,
    _learning,
    assemble_programme,
    compare_cycles,
)
from kompeten.reports.impact import design_name, method_text
from kompeten.reports.models import Recommendation
from kompeten.reports.objectives import Figure, ObjectiveVerdict
from kompeten.reports.rules import RULE_TITLES
from tests.reports.builders import trained_programme

INDONESIAN_WORDS = re.compile(r"\b(peserta|pegawai|dan|dari|diundang|undangan|belum|tercapai)\b")
ENGLISH_WORDS = re.compile(r"\b(participants|employees|invited|invitations|reached|the|of)\b")


@pytest.fixture
def trained(world):  # type: ignore[no-untyped-def]
    return trained_programme(world)


def generated_text(data: dict[str, Any]) -> list[str]:
    """What the report itself writes: titles, sentences, gaps, table and figure titles, headers,
    and the labels in a table's first column that are not data (funnel stages, measures)."""
    out = [data["title"]]
    for s in data["sections"]:
        out.append(s["title"])
        out.extend(s["paragraphs"])
        out.extend(s["gaps"])
        for t in s["tables"]:
            out.append(t["title"])
            out.extend(str(h) for h in t["headers"])
        out.extend(f["title"] for f in s["figures"])
    return out


def stage_labels(data: dict[str, Any]) -> list[str]:
    funnel = next(
        t for s in data["sections"] for t in s["tables"] if t["slug"] == "corong_partisipasi"
    )
    return [row[0] for row in funnel["rows"]]


def test_the_programme_report_reads_english_in_english(world, trained) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        data = assemble_programme(trained.programme)
    titles = [s["title"] for s in data["sections"]]
    assert titles == [
        "Introduction",
        "Programme Objectives",
        "Training Method",
        "Results and Impact",
        "Implementation Challenges",
        "Recommendations for Improvement",
        "Conclusion",
    ]
    intro = data["sections"][0]["paragraphs"][0]
    assert intro.startswith("This report evaluates the programme Pelayanan Prima Kependudukan")
    assert "7 employees were invited and" in intro
    assert stage_labels(data)[:3] == ["Invited", "Accepted", "Declined"]
    conclusion = " ".join(data["sections"][-1]["paragraphs"])
    assert "Completion rate" in conclusion and "of 7 invitations" in conclusion
    assert "improvement recommendation" in conclusion
    # the objectives' verdict sentences (kompeten/reports/objectives.py) and the evaluation
    # engine's group labels ("Predikat SKP peserta") are written outside the report assembly
    objectives = set(data["sections"][1]["paragraphs"])
    text = [
        t
        for t in generated_text(data)
        if t not in objectives and not t.startswith("Predikat SKP peserta")
    ]
    leftovers = [t for t in text if INDONESIAN_WORDS.search(t.replace(trained.programme.title, ""))]
    assert leftovers == [], leftovers
    assert len(text) > 40  # the filter above leaves the report's own prose to check
    # words that mean one thing in Indonesian and two in English, by their place
    headers = {t["slug"]: t["headers"] for s in data["sections"] for t in s["tables"]}
    assert headers["modul"][0] == "No."  # not "Sort by"
    assert headers["dampak_pengaduan"][3:5] == ["Received", "Resolved"]  # not "Accepted", "End"
    method = " ".join(data["sections"][2]["paragraphs"])
    assert re.search(r"\b1 batch with \d+ sessions", method), method


def test_the_same_report_reads_indonesian_in_indonesian(world, trained) -> None:  # type: ignore[no-untyped-def]
    with translation.override("id"):
        data = assemble_programme(trained.programme)
    assert [s["title"] for s in data["sections"]] == [t for _, t in SECTIONS]
    assert data["sections"][0]["paragraphs"][0].startswith(
        "Laporan ini mengevaluasi program Pelayanan Prima Kependudukan"
    )
    assert stage_labels(data)[:3] == ["Diundang", "Menerima", "Menolak"]
    conclusion = " ".join(data["sections"][-1]["paragraphs"])
    assert "Tingkat penyelesaian" in conclusion and "dari 7 undangan" in conclusion
    assert not any(ENGLISH_WORDS.search(t) for t in generated_text(data)[:3])


def test_the_report_page_follows_the_language_cookie(
    client, world, trained, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.pia)
    url = f"/laporan/program/{trained.programme.pk}/"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_assert_max_num_queries(80):
        english = client.get(url).content.decode()
    assert "Implementation Challenges" in english and "Participation funnel" in english
    assert "Tantangan dalam Implementasi" not in english
    assert "Corong partisipasi" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(url).content.decode()
    assert "Tantangan dalam Implementasi" in indonesian and "Corong partisipasi" in indonesian
    assert "Participation funnel" not in indonesian


def test_a_stored_cycle_report_is_shown_in_the_readers_language(client, world, trained) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):  # whoever generates it, the stored report is the site's
        cycle = do_generate_cycle(instansi=world.instansi, code="2026-Q1", actor=world.alice)
    assert cycle.data["title"] == "Laporan Evaluasi Pengembangan Kompetensi 2026-Q1"
    english = cycle.data["by_language"]["en"]
    assert english["title"] == "Competency Development Evaluation Report 2026-Q1"
    assert english["sections"][0]["paragraphs"][0].startswith(
        "The evaluation cycle report 2026-Q1 (1 January 2026 – 31 March 2026) covers"
    )
    # the recommendations' prose too (the workbook's "rekomendasi_bukti" sheet), same rules
    assert cycle.data["recommendations"]
    assert [r["rule_id"] for r in english["recommendations"]] == [
        r["rule_id"] for r in cycle.data["recommendations"]
    ]
    assert english["recommendations"][0]["text"] != cycle.data["recommendations"][0]["text"]
    # the figures are the same in both: only the prose differs
    assert [len(s["tables"]) for s in english["sections"]] == [
        len(s["tables"]) for s in cycle.data["sections"]
    ]
    client.force_login(world.pia)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/laporan/siklus/2026-Q1/").content.decode()
    assert "Competency Development Evaluation Report 2026-Q1" in page
    assert "Participation funnel" in page and "Corong partisipasi" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get("/laporan/siklus/2026-Q1/").content.decode()
    assert "Laporan Evaluasi Pengembangan Kompetensi 2026-Q1" in page
    assert "Corong partisipasi" in page and "Participation funnel" not in page


def test_the_gain_category_is_a_word_of_the_language() -> None:
    learning = c.Learning(
        n_pairs=12,
        mean_pre=40.0,
        mean_post=70.0,
        class_gain=0.5,
        category="medium",
        pre=[],
        post=[],
    )
    with translation.override("id"):
        s = Section("hasil", "Hasil dan Dampak")
        _learning(s, learning)
        assert s.paragraphs[0].endswith("gain ternormalisasi 0,50 (sedang).")
        assert ["Kategori gain", "sedang"] in s.tables[0]["rows"]
        assert "kategori sedang" in interpret.gain(0.5, "medium", None, 12)
    with translation.override("en"):
        s = Section("hasil", "Results and Impact")
        _learning(s, learning)
        assert s.paragraphs[0].endswith("normalised gain 0.50 (medium).")
        assert ["Gain category", "medium"] in s.tables[0]["rows"]
        assert "category medium" in interpret.gain(0.5, "medium", None, 12)
    assert "(medium)" not in " ".join(s.paragraphs).replace("normalised gain 0.50 (medium)", "")


def test_numbers_dates_and_verdicts_follow_the_language() -> None:
    with translation.override("id"):
        assert number(1234.56, 1) == "1.234,6" and day(date(2026, 3, 5)) == "5 Maret 2026"
        assert number(18.06) == "18,1"
        sentence = interpret.mean_change(
            what="Rata-rata nilai", diff=18.06, ci_low=13.9, ci_high=22.2, p=0.0001, d=1.3, n=40
        )
        assert sentence == (
            "Rata-rata nilai naik 18,1 poin (SK 95%: 13,9–22,2); efeknya besar "
            "(d terhadap rata-rata SD = 1,30; p < 0,001, n = 40)."
        )
        rows = compare_cycles(
            {"completion": {"k": 90, "n": 100}}, {"completion": {"k": 50, "n": 100}}
        )
        assert rows[0]["metric"] == "Tingkat penyelesaian" and rows[0]["direction"] == "lebih baik"
    with translation.override("en"):
        assert number(1234.56, 1) == "1,234.6" and day(date(2026, 3, 5)) == "5 March 2026"
        sentence = interpret.mean_change(
            what="Mean score", diff=18.06, ci_low=13.9, ci_high=22.2, p=0.0001, d=1.3, n=40
        )
        assert sentence == (
            "Mean score rose by 18.1 points (95% CI: 13.9–22.2); the effect is large "
            "(d on the mean SD = 1.30; p < 0.001, n = 40)."
        )
        rows = compare_cycles(
            {"completion": {"k": 90, "n": 100}}, {"completion": {"k": 50, "n": 100}}
        )
        assert rows[0]["metric"] == "Completion rate" and rows[0]["direction"] == "better"
        assert rows[0]["trend"] == "better" and rows[0]["method"] == "χ² test of two proportions"


# --- sentences written outside the report assembly: rules, objectives, the impact estimator ---


def test_a_stored_recommendation_reads_in_the_readers_language(
    client, world, trained, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):  # whoever generates it, the stored text is the site's
        cycle = do_generate_cycle(instansi=world.instansi, code="2026-Q1", actor=world.alice)
    rec = Recommendation.objects.get(cycle=cycle, rule_id="workload_declines")
    # 3 of the 7 invitations declined for workload: the row keeps the figures its sentence cites
    assert rec.text.startswith("Jadwalkan lebih lentur") and "3 dari 7 undangan (42,9%)" in rec.text
    assert rec.evidence["workload_declines"] == 3 and rec.evidence["invited"] == 7
    with translation.override("id"):
        assert rec.shown_text == rec.text
        assert rec.shown_subject == "Penolakan karena beban kerja"
    with translation.override("en"):
        assert rec.shown_text.startswith("Schedule more flexibly")
        assert "3 of 7 invitations (42.9%) were declined because of workload" in rec.shown_text
        assert rec.shown_subject == "Declines because of workload"
        assert str(RULE_TITLES["workload_declines"]) == "Declines because of workload"

    client.force_login(world.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_assert_max_num_queries(25):
        page = client.get(f"/laporan/rekomendasi/{rec.pk}/").content.decode()
    assert "Schedule more flexibly" in page and "Created by a rule" in page
    assert "Jadwalkan lebih lentur" not in page and "Dibuat oleh aturan" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(f"/laporan/rekomendasi/{rec.pk}/").content.decode()
    assert "Jadwalkan lebih lentur" in page and "Dibuat oleh aturan" in page
    assert "Schedule more flexibly" not in page


def test_a_recommendation_stored_without_its_figures_shows_its_stored_text(world) -> None:  # type: ignore[no-untyped-def]
    rec = Recommendation(
        instansi=world.instansi, rule_id="workload_declines", text="Teks lama.", evidence={}
    )
    with translation.override("en"):
        assert rec.shown_text == "Teks lama."


def test_an_objective_verdict_reads_in_the_readers_language() -> None:
    verdict = ObjectiveVerdict(
        "Peserta menyelesaikan pelatihan",
        "completion",
        "Tingkat penyelesaian",
        ObjectiveComparison.AT_LEAST,
        80.0,
        Figure(62.5, 40.5, 79.3, 8),
        "belum_tercapai",
    )
    with translation.override("id"):
        assert verdict.sentence() == (
            "Peserta menyelesaikan pelatihan — belum tercapai (tingkat penyelesaian 62,5%, "
            "SK 95% 40,5 s.d. 79,3; target ≥ 80%)."
        )
    with translation.override("en"):
        assert verdict.sentence() == (
            "Peserta menyelesaikan pelatihan — not reached (completion rate 62.5%, "
            "95% CI 40.5 to 79.3; target ≥ 80%)."
        )
        unjudged = ObjectiveVerdict(
            "Layanan lebih cepat", "", "", "", None, Figure(None), "belum_dapat_dinilai"
        )
        assert unjudged.sentence() == (
            "Layanan lebih cepat — cannot be judged yet (no indicator chosen)."
        )


def test_the_impact_method_is_a_label_of_the_language_and_the_json_keeps_the_commands() -> None:
    row = {
        "dataset": "ikm",
        "estimate": -1.2,
        "design": "did",
        "n_treated": 2,
        "n_comparison": 3,
        "n_months": 11,
        "method": "difference-in-differences on unit changes (mean after − mean before): ...",
    }
    with translation.override("id"):
        assert method_text(row) == (
            "selisih-dalam-selisih atas perubahan tiap unit (rata-rata sesudah − sebelum): "
            "2 unit terlatih dibanding 3 unit pembanding, uji t Student gabungan"
        )
        # with each unit's own variance (several months a side)
        assert method_text(row | {"variance": "unit"}).endswith(
            "uji t dengan ragam tiap unit dari deret bulanannya sendiri"
        )
        assert design_name("its") == "sebelum–sesudah (deret waktu)"
    with translation.override("en"):
        assert method_text(row) == (
            "difference-in-differences on each unit's change (mean after − mean before): "
            "2 trained against 3 comparison units, Student's pooled t-test"
        )
        assert method_text(row | {"variance": "unit"}).endswith(
            "t-test with each unit's variance from its own monthly series"
        )
        assert design_name("did") == "difference-in-differences"
        its = row | {"design": "its", "n_comparison": 0}
        assert method_text(its).startswith("interrupted time series of 2 trained units")
    assert row["method"].startswith("difference-in-differences on unit changes")
