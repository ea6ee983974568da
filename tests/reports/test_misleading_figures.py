"""Figures a report reader was misled by: each fixed, each test failing on the code before the fix."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine

from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from kompeten.evaluation.interpret import alpha_caveat
from kompeten.evaluation.levels.l5 import compute_l5
from kompeten.evaluation.levels.results import CostLine
from kompeten.evaluation.models import FollowUp
from kompeten.participation.actions.enrolment import do_invite
from kompeten.reports import collect as c
from kompeten.reports.actions import do_generate_cycle, is_stale, recommendation_rows
from kompeten.reports.assemble import (
    Section,
    _engine_reaction_learning,
    _opd_table,
    _programme_conclusion,
    _recommendation_section,
    _roi_detail,
    _roi_table,
    _simulations,
    _test_scores_sentence,
    assemble_programme,
)
from kompeten.reports.dashboard import compute_dashboard
from kompeten.reports.evidence import Evidence, OpdParticipation, ServiceChange
from kompeten.reports.models import Recommendation, ReportCycle
from kompeten.reports.queries import cycle_recommendations
from kompeten.reports.rules import Hit, recommend
from tests import factories
from tests.evaluation import builders
from tests.evaluation.reactions import answer_reaction
from tests.participation.builders import at, make_batch, make_programme
from tests.reports.builders import trained_programme
from tests.reports.test_report_json import TODAY, sample_city  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


# --- the follow-up figure: L3 instruments only -----------------------------------------------


def test_the_follow_up_figure_counts_l3_follow_ups_after_training_only(world) -> None:  # type: ignore[no-untyped-def]
    s = builders.build(world, n=6)
    answer_reaction(s)  # six answered reaction follow-ups: not the periodic (L3) evaluation
    later = builders.builders_at(s.batch.end_date + timedelta(days=200))
    with time_machine.travel(later, tick=False):
        data = assemble_programme(s.programme)
    l3_due = FollowUp.objects.filter(
        batch__programme=s.programme,
        instrument__kind="perilaku",
        instrument__phase__in=("3bulan", "6bulan"),
        due_at__lte=later,
    ).count()
    assert l3_due >= 6
    assert (data["evidence"]["followups_due"], data["evidence"]["followups_answered"]) == (
        l3_due,
        0,
    )
    assert "missing_followups" in [h["rule_id"] for h in data["recommendations"]]


# --- sessions at any number of batches -------------------------------------------------------


def test_sessions_are_counted_when_a_programme_has_fifty_batches(world) -> None:  # type: ignore[no-untyped-def]
    programme = make_programme(world.instansi, "Orientasi PPPK", code="PPPK-50")
    start = date(2026, 1, 5)
    for i in range(50):
        make_batch(programme, [(start + timedelta(days=i), 8, 12)], capacity=5)
    data = assemble_programme(programme)
    metode = next(s for s in data["sections"] if s["key"] == "metode")
    assert "50 angkatan dengan 50 sesi." in metode["paragraphs"]


# --- the dashboard's behaviour scale ---------------------------------------------------------


def test_the_dashboard_behaviour_mean_leaves_the_0_100_attribution_answers_out(world) -> None:  # type: ignore[no-untyped-def]
    s = builders.build(world, n=4)
    after = s.instruments["perilaku:3bulan"]
    # each atasan's answer (the figure is theirs): the 1–5 behaviour items at 4 and the
    # attribution/confidence items at 50 %
    do_submit_responses(
        after,
        entries=[
            ResponseInput(e.pk, e.supervisor_id, builders.likert_answers(after, 4))
            for e in s.participants
        ],
    )
    assert after.items.filter(kind="persen").exists()
    data = compute_dashboard(world.instansi, date.today().year)
    rows = dict(data["tables"]["perilaku"]["rows"])
    assert rows["3 bulan setelah"] == pytest.approx(4.0)


# --- completion: the same figure in the table and its chart ----------------------------------


def test_completion_is_a_percentage_in_the_table_as_in_its_chart() -> None:
    s = Section("tantangan", "Tantangan")
    _opd_table(s, c.Funnel(invited=9, opd=[OpdParticipation(1, "Dinas Alfa", 9, 8, 0)]))
    (table,) = s.tables
    assert table["headers"][-1] == "Tingkat penyelesaian (%)"
    assert table["rows"][0][-1] == pytest.approx(800 / 9)  # 88,9 like the bar, not 0,889


# --- Cronbach's alpha caveats ----------------------------------------------------------------


def _ev_with_alphas(*alphas: float) -> SimpleNamespace:
    sections = [
        SimpleNamespace(
            label=f"Aspek {i}", index=80.0, band="Memuaskan", n=30, alpha=SimpleNamespace(alpha=a)
        )
        for i, a in enumerate(alphas, 1)
    ]
    l1 = SimpleNamespace(
        sentence="",
        sections=sections,
        overall=None,
        items=(),
        trainers=(),
        n_responses=30,
        item_mean=None,
    )
    l2 = SimpleNamespace(
        gain_sentence="",
        change_sentence="",
        ttest=None,
        n_pairs=0,
        mean_pre=None,
        mean_post=None,
        gain=None,
        by_batch=(),
        simulations=(),
    )
    return SimpleNamespace(l1=l1, l2=l2)


def test_alpha_of_one_and_negative_alpha_are_shown_with_a_caveat() -> None:
    s = Section("hasil", "Hasil")
    _engine_reaction_learning(s, _ev_with_alphas(1.0, -0.02, 0.85))
    reaksi = next(t for t in s.tables if t["slug"] == "reaksi")
    assert reaksi["headers"][-1] == "Catatan α"
    notes = [row[-1] for row in reaksi["rows"]]
    assert "bukan tanda keandalan sempurna" in notes[0]
    assert "α negatif" in notes[1]
    assert notes[2] == ""
    assert any(p.startswith("α Cronbach aspek Aspek 2: α negatif") for p in s.paragraphs)
    assert alpha_caveat(0.999) and alpha_caveat(None) == ""


def test_the_aspect_table_starts_with_the_headline_index_its_sentence_gives() -> None:
    ev = _ev_with_alphas(0.8, 0.9)
    ev.l1.overall = SimpleNamespace(
        index=79.09, band="Baik", n=52, alpha=SimpleNamespace(alpha=0.91)
    )
    s = Section("hasil", "Hasil")
    _engine_reaction_learning(s, ev)
    reaksi = next(t for t in s.tables if t["slug"] == "reaksi")
    assert [r[:4] for r in reaksi["rows"]] == [
        ["Penyelenggaraan (seluruh aspek, indeks utama)", 79.09, "Baik", 52],
        ["Aspek 1", 80.0, "Memuaskan", 30],
        ["Aspek 2", 80.0, "Memuaskan", 30],
    ]
    (chart,) = [f for f in s.figures if f["table"] == "reaksi"]
    assert "indeks utama" not in chart["svg"]  # the chart compares the aspects only


def test_a_low_alpha_is_read_with_a_caveat_and_an_acceptable_one_without() -> None:
    # the sample's Materi aspect: alpha 0.0048 over its four items (numpy on the file's columns);
    # 0.70 from Nunnally & Bernstein
    assert alpha_caveat(0.0048).startswith("α rendah (0,00, di bawah 0,70 yang lazim")
    assert alpha_caveat(0.69).startswith("α rendah (0,69")
    assert alpha_caveat(0.70) == "" and alpha_caveat(0.85) == ""
    assert alpha_caveat(0.0).startswith("α rendah")  # zero is low, not negative


def test_the_headline_alpha_names_its_scale_and_items_not_the_whole_questionnaire() -> None:
    # the sample's reaction form: the organiser scale (Penyelenggaraan) is items 1-6 (materi,
    # sarana, pelayanan); items 7-8 (relevansi, umum) and the trainer items are outside it.
    # alpha of those six columns as the sample file holds them: -0.0165 (kompeten.stats, the
    # textbook k/(k-1)·(1 - Σvar_i/var_total), which tests/stats pins to pingouin)
    ev = _ev_with_alphas(0.85)
    alpha = SimpleNamespace(alpha=-0.0165, k=6)
    ev.l1.overall = SimpleNamespace(
        label="Penyelenggaraan", alpha=alpha, index=79.09, band="Baik", n=52
    )
    s = Section("hasil", "Hasil")
    _engine_reaction_learning(s, ev)
    [line] = [p for p in s.paragraphs if p.startswith("α Cronbach skala")]
    assert line.startswith("α Cronbach skala Penyelenggaraan (6 butir): α negatif (-0,02)")
    assert not any("seluruh kuesioner" in p for p in s.paragraphs)


# --- codes readers should not see ------------------------------------------------------------


def _l5(costs: tuple = ()) -> Any:
    return compute_l5(
        costs=costs, benefits=[], intangibles=[], estimate_n=0, estimate_attribution=None,
        estimate_confidence=None, estimate_share=None, hourly_table="", hourly_confidence="",
    )  # fmt: skip


def test_a_cost_or_benefit_not_recorded_is_unknown_not_zero_rupiah() -> None:
    s = Section("hasil", "Hasil")
    _roi_table(s, _l5())
    [roi] = [t for t in s.tables if t["slug"] == "roi"]
    assert [row[1] for row in roi["rows"]] == [None, None, None, None]
    # a cost and no benefit: Rp 10 juta; the benefit, BCR and ROI unknown (not 0 and -100 %)
    s = Section("hasil", "Hasil")
    _roi_table(s, _l5(costs=(CostLine("honor", "Honor narasumber", 10_000_000.0),)))
    [roi] = [t for t in s.tables if t["slug"] == "roi"]
    assert [row[1] for row in roi["rows"]] == [10_000_000.0, None, None, None]
    assert s.paragraphs[0].startswith("ROI belum dapat dihitung: belum ada manfaat")


def test_readers_see_rule_titles_and_cost_labels_not_codes() -> None:
    s = Section("rekomendasi", "Rekomendasi")
    evidence = {"relevance_index": 62.5, "n": 20, "max_index": 80.0}
    _recommendation_section(s, [Hit("low_relevance", "Relevansi materi", evidence)])
    [row] = s.tables[0]["rows"]
    assert row[:2] == ["Relevansi materi rendah", "Relevansi materi"]
    assert row[2].startswith("Libatkan ASN") and "low_relevance" not in row[2]
    h = Section("hasil", "Hasil")
    l5 = SimpleNamespace(
        costs=(CostLine("waktu_peserta", "Gaji peserta", 1_000_000.0),), benefits=(), intangibles=()
    )
    _roi_detail(h, l5)
    assert h.tables[0]["rows"][0][0] == "Waktu peserta (gaji selama pelatihan)"


# --- the conclusion's sentence on the test scores --------------------------------------------


def test_the_conclusion_says_scores_fell_when_they_fell_and_too_few_pairs_when_few() -> None:
    from kompeten.stats import normalized_gain, paired_ttest

    pre, post = [80.0, 70, 90, 75, 85, 60], [70.0, 66, 81, 71, 80, 58]
    # scipy.stats.ttest_rel(post, pre): mean −5,667, CI −8,963 to −2,370, p = 0,0069
    t = paired_ttest(pre, post)
    text = _test_scores_sentence(t, normalized_gain(pre, post, 100))
    assert text.startswith("Skor tes turun rata-rata 5,7 poin (SK 95% -9,0 s.d. -2,4, n = 6); ")
    assert "naik" not in text and "tidak bermakna" not in text
    few = _test_scores_sentence(paired_ttest(pre[:3], post[:3]), None)
    assert few == "Skor tes pre/post: n = 3 terlalu kecil untuk menyimpulkan."
    # ttest_rel: mean +0,33, CI −3,16 to 3,82
    mixed = [p + d for p, d in zip(pre, (5, -4, 3, -2, 1, -1), strict=True)]
    flat = _test_scores_sentence(paired_ttest(pre, mixed), None)
    assert flat == (
        "Skor tes naik rata-rata 0,33 poin (SK 95% -3,2 s.d. 3,8, n = 6); perubahan ini tidak "
        "bermakna secara statistik."
    )


# --- simulation (rubric) results -------------------------------------------------------------


def test_simulation_results_are_in_the_report() -> None:
    s = Section("hasil", "Hasil")
    sim = SimpleNamespace(
        title="Simulasi loket",
        n_subjects=12,
        n_observers=2,
        mean_score=81.25,
        level_top=4.0,
        mean_level=3.25,
        criteria=(("Empati", 87.5), ("Solusi", 75.0)),
        icc_value=0.81,
        icc_ci=(0.52, 0.94),
        icc_method="ICC(2,1)",
        sentence="Kesepakatan antarpengamat baik.",
    )
    _simulations(s, SimpleNamespace(simulations=(sim,)))
    sims, crit = s.tables
    assert sims["headers"][3:5] == ["Skor rata-rata (0–100)", "Level rubrik rata-rata"]
    assert sims["rows"] == [
        ["Simulasi loket", 12, 2, 81.25, "3,25 dari 4", 0.81, "0,52 s.d. 0,94", "ICC(2,1)"]
    ]
    assert crit["rows"] == [
        ["Simulasi loket", "Empati", 87.5],
        ["Simulasi loket", "Solusi", 75.0],
    ]
    assert s.paragraphs == [sim.sentence]


# --- negative impact in the rules and the conclusion -----------------------------------------


def _change(label: str, before: float, after: float, half: float, n: int = 60) -> ServiceChange:
    """A change as the impact estimator reports it (here its estimate is the raw change)."""
    d = after - before
    return ServiceChange(
        label, before, after, d, d - half, d + half, n, n, pvalue=0.004,
        design="sebelum–sesudah tanpa pembanding, jadi belum tentu karena pelatihan",
        design_code="its",
    )  # fmt: skip


def test_a_significant_ikm_drop_a_fall_in_timeliness_and_a_negative_roi_fire_rules() -> None:
    e = Evidence(
        "programme:1",
        ikm_changes=(_change("Disdukcapil", 80.0, 76.0, 1.5), _change("DPMPTSP", 80.0, 79.0, 2.0)),
        sla_changes=(_change("Disdukcapil", 70.0, 48.0, 15.0),),
        roi_pct=-86.0,
        total_cost=50_000_000.0,
        total_benefit=7_000_000.0,
    )
    hits = recommend(e)
    assert [(h.rule_id, h.subject) for h in hits] == [
        ("ikm_drop", "Disdukcapil"),  # DPMPTSP's −1 ± 2 is not significant
        ("sla_drop", "Disdukcapil"),
        ("negative_roi", "ROI"),
    ]
    assert "tanpa pembanding" in hits[0].text
    ev = SimpleNamespace(
        l2=SimpleNamespace(ttest=None, gain=None), l1=SimpleNamespace(overall=None)
    )
    text = " ".join(_programme_conclusion(c.Funnel(invited=10, completed=9), ev, [], e, hits))
    assert "IKM Disdukcapil turun bermakna: estimasi dampak -4,00 poin" in text
    assert "p = 0,004 (80,00 sebelum, 76,00 sesudah; desain: sebelum–sesudah tanpa" in text
    assert "Pengaduan Disdukcapil yang selesai dalam SLA turun bermakna" in text
    assert "ROI -86,0%: manfaat terisolasi lebih kecil dari biaya program." in text
    assert "Hasil negatif yang perlu ditindaklanjuti" in text


def test_small_or_insignificant_changes_fire_no_impact_rule() -> None:
    e = Evidence(
        "programme:1",
        ikm_changes=(_change("A", 80.0, 79.0, 2.0),),
        sla_changes=(_change("A", 70.0, 48.0, 25.0), _change("B", 70.0, 40.0, 10.0, n=8)),
        roi_pct=12.0,
    )
    assert recommend(e) == []


# --- cycles: stale reports and repeated recommendations --------------------------------------


def test_a_cycle_generated_from_empty_data_is_regenerated_before_it_is_compared(world) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(at(date(2026, 1, 10), 9), tick=False):
        old = do_generate_cycle(instansi=world.instansi, code="2025-S2")
    assert old.data["metrics"]["completion"]["n"] == 0
    programme = make_programme(world.instansi, "Etika ASN", code="ETK")
    batch = make_batch(programme, [(date(2025, 11, 4), 8, 12)], capacity=5)
    employee = factories.make_employee(world.alfa, "Peserta Baru")
    do_invite(
        batch=batch,
        employee=employee,
        actor=world.alice,
        notify=False,
        check_clash=False,
        now=at(date(2025, 10, 1), 9),
    )
    old.refresh_from_db()
    assert is_stale(old)
    with time_machine.travel(at(date(2026, 7, 2), 9), tick=False):
        do_generate_cycle(instansi=world.instansi, code="2026-S1")
    old.refresh_from_db()
    assert old.data["metrics"]["completion"]["n"] == 1
    assert not is_stale(old)
    assert ReportCycle.objects.filter(instansi=world.instansi).count() == 2


def test_overlapping_cycles_do_not_repeat_an_open_recommendation(world, client) -> None:  # type: ignore[no-untyped-def]
    trained_programme(world)  # 3 of 7 invitations declined for workload in March 2026
    with time_machine.travel(at(date(2026, 7, 2), 9), tick=False):
        q1 = do_generate_cycle(instansi=world.instansi, code="2026-Q1")
        s1 = do_generate_cycle(instansi=world.instansi, code="2026-S1")
    assert "workload_declines" in [h["rule_id"] for h in q1.data["recommendations"]]
    assert "workload_declines" in [h["rule_id"] for h in s1.data["recommendations"]]
    assert Recommendation.objects.filter(rule_id="workload_declines").count() == 1
    # the semester's report still lists the finding it made, tracked by the quarter's
    tracked = Recommendation.objects.get(rule_id="workload_declines")
    assert tracked in cycle_recommendations(s1) and tracked.cycle == q1
    (row,) = [
        r
        for r in recommendation_rows(cycle_recommendations(s1), s1)
        if r["rule_id"] == "workload_declines"
    ]
    assert row["status"] == "Terbuka (dipantau di siklus 2026-Q1)"
    assert recommendation_rows([tracked], q1)[0]["status"] == "Terbuka"
    client.force_login(world.pia)
    page = client.get("/laporan/siklus/2026-S1/").content.decode()
    assert "Terbuka (dipantau di siklus 2026-Q1)" in page
    assert "(dipantau di siklus 2026-Q1)</span>" in page


def test_the_programme_report_has_one_public_service_comparison_not_two_that_disagree(  # type: ignore[no-untyped-def]
    sample_city,  # noqa: F811 (the fixture imported above)
) -> None:
    with time_machine.travel(TODAY, tick=False):
        data = assemble_programme(sample_city)
    hasil = next(s for s in data["sections"] if s["key"] == "hasil")
    slugs = [t["slug"] for t in hasil["tables"]]
    assert "layanan_terlatih" not in slugs and "dampak_ikm" in slugs
    assert not any("unit terlatih dan pembanding belum cukup" in g for g in hasil["gaps"])


def test_the_worker_generates_a_stale_due_cycle_again(world) -> None:  # type: ignore[no-untyped-def]
    from kompeten.reports.tasks import generate_due_cycles

    with time_machine.travel(at(date(2026, 7, 2), 9), tick=False):
        generate_due_cycles.call()
        cycle = ReportCycle.objects.get(instansi=world.instansi, code="2026-S1")
        assert cycle.data["metrics"]["completion"]["n"] == 0
        trained_programme(world)  # March 2026: the semester's data arrives after the report
        assert f"{world.instansi.code}:2026-S1" in generate_due_cycles.call()["generated"]
        cycle.refresh_from_db()
        assert cycle.data["metrics"]["completion"]["n"] == 7
        assert f"{world.instansi.code}:2026-S1" not in generate_due_cycles.call()["generated"]


def test_none_completed_for_want_of_a_post_test_is_said_with_the_rule(world) -> None:  # type: ignore[no-untyped-def]
    """A held training imported before its score recap: "0 menyelesaikannya" alone reads as if
    nobody finished; the introduction says what completing takes and how many of those who
    came lack a post-test."""
    from kompeten.core import importing as imp
    from kompeten.participation.actions.held import do_record_day_attendance
    from kompeten.participation.models import Enrolment
    from kompeten.reports.assemble import _completion_rule_sentence
    from tests.evaluation.results_files import SCORES, START, held_training

    programme, batch, people = held_training(world)
    enrolments = Enrolment.objects.filter(batch__programme=programme)
    tree = c.unit_tree(world.instansi.pk)
    assert c.funnel(enrolments, tree).without_posttest == 0  # nobody came: not the post-test
    came = people[:50]
    days = [START + timedelta(days=n) for n in range(3)]
    do_record_day_attendance(batch, {e: dict.fromkeys(days, "hadir") for e in came}, world.alice)
    f = c.funnel(enrolments, tree)
    assert f.completed == 0 and f.without_posttest == 50
    assert _completion_rule_sentence(programme, f) == (
        " Menyelesaikan berarti hadir sedikitnya 80% dan mengerjakan post-test (aturan "
        "penyelesaian program); 50 peserta yang hadir belum punya post-test dan belum dihitung "
        "selesai."
    )
    imp.commit(
        imp.plan(
            "scores", SCORES.read_bytes(), SCORES.name, instansi=world.instansi, user=world.alice,
            options={"programme": programme.code},
        ),
        partial=True,
    )  # fmt: skip
    posted = set(
        enrolments.filter(posttest_done_at__isnull=False).values_list("employee_id", flat=True)
    )
    assert c.funnel(enrolments, tree).without_posttest == sum(e.pk not in posted for e in came)


def test_a_finding_is_told_apart_by_its_subject_as_stored() -> None:
    """The generator and the cycle page compare findings as a recommendation stores them: a
    subject longer than its column is cut the same way on both sides (a long one was created
    again at every regeneration)."""
    long = "Dinas " + "Pelayanan " * 20
    assert Recommendation.finding({"rule_id": "r", "subject": long}) == ("r", long[:120])
