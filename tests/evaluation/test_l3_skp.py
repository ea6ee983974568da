"""L3 from the records app: the participants' SKP predikat before and after training, per
programme, batch and OPD, with an untrained comparison group; and the trained officers'
complaint handling before and after."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import numpy as np
import pytest
from python_calamine import CalamineWorkbook

from kompeten.evaluation.levels import l3
from kompeten.standards.skp import Predikat
from tests.evaluation import builders

# hasil kerja, perilaku → predikat (PermenPANRB 6/2022)
SB = ("di_atas", "di_atas")  # Sangat Baik
B = ("sesuai", "sesuai")  # Baik
BP = ("di_bawah", "sesuai")  # Butuh Perbaikan
K = ("sesuai", "di_bawah")  # Kurang/Misconduct


def _rate(employee, year, pair):  # type: ignore[no-untyped-def]
    from kompeten.records.actions import do_set_skp_rating

    do_set_skp_rating(
        actor=None, employee=employee, year=year, hasil_kerja=pair[0], perilaku=pair[1]
    )


# --- the pure part ---------------------------------------------------------------------------


def test_the_ordinal_codes_follow_the_regulation_order():
    assert [l3.SKP_CODE[p.value] for p in Predikat] == [5, 4, 3, 2, 1]


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2026, 3, 2), date(2026, 3, 3), (2025, 2026)),
        (date(2026, 9, 1), date(2026, 9, 30), (2025, 2026)),
        (date(2026, 9, 28), date(2026, 10, 1), (2025, 2027)),
        (date(2025, 12, 15), date(2026, 1, 9), (2024, 2026)),
    ],
)
def test_the_compared_rating_years_leave_three_months_after_training(start, end, years):
    assert l3.skp_years(start, end) == years


def test_a_significant_change_takes_its_direction_from_the_test_not_the_counts():
    # 40 people up one level (code 3 → 4) and 30 down three (5 → 2): more improved than
    # worsened, but W+ = 40 × 20,5 = 820 < W− = 30 × 55,5 = 1665.
    # scipy: wilcoxon([1]*40 + [-3]*30, zero_method="wilcox", correction=True,
    #        method="asymptotic") → statistic 820.0, pvalue 0.010653744143443417
    by_code = {v: k for k, v in l3.SKP_CODE.items()}
    ratings = {}
    for i in range(70):
        b, a = (3, 4) if i < 40 else (5, 2)
        ratings[(i, 2025)], ratings[(i, 2026)] = by_code[b], by_code[a]
    people = [(i, 2025, 2026) for i in range(70)]
    r = l3.skp_change(key="x", label="Predikat SKP peserta", people=people, ratings=ratings)
    assert (r.improved, r.worse) == (40, 30)
    assert r.wilcoxon is not None
    assert (r.wilcoxon.statistic, r.wilcoxon.w_minus) == (820.0, 1665.0)
    assert r.wilcoxon.pvalue == pytest.approx(0.010653744143443417, rel=1e-9)
    assert "bermakna secara statistik ke arah memburuk" in r.sentence
    assert "membaik (uji" not in r.sentence


def test_the_skp_change_counts_pairs_and_pins_the_signed_rank_test():
    # Codes before 3 4 4 3 2 4 3 4 4 3, after 4 4 5 4 3 5 4 4 3 4: differences
    # 1 0 1 1 1 1 1 0 -1 1, two zeros dropped, eight tied |d| = 1 (rank 4,5 each):
    # W+ = 7 × 4,5 = 31,5; E = 8·9/4 = 18; Var = 8·9·17/24 − (8³ − 8)/48 = 40,5;
    # z = (31,5 − 18 − 0,5)/√40,5 = 2,04275; p = 0,041077.
    # R: wilcox.test(after, before, paired = TRUE, exact = FALSE, correct = TRUE)
    #    → V = 31.5, p-value = 0.04108
    # scipy: wilcoxon(after - before, zero_method="wilcox", correction=True,
    #        method="asymptotic") → pvalue 0.04107690290648808
    by_code = {v: k for k, v in l3.SKP_CODE.items()}
    before = [3, 4, 4, 3, 2, 4, 3, 4, 4, 3]
    after = [4, 4, 5, 4, 3, 5, 4, 4, 3, 4]
    ratings = {}
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        ratings[(i, 2025)] = by_code[b]
        ratings[(i, 2026)] = by_code[a]
    people = [(i, 2025, 2026) for i in range(10)] + [(99, 2025, 2026)]  # 99 has no SKP
    r = l3.skp_change(key="x", label="Predikat SKP peserta", people=people, ratings=ratings)
    assert (r.n_people, r.n_pairs) == (11, 10)
    assert (r.improved, r.unchanged, r.worse) == (7, 2, 1)
    assert r.share_improved == pytest.approx(0.7)
    assert r.wilcoxon is not None
    assert r.wilcoxon.statistic == 31.5
    assert r.wilcoxon.z == pytest.approx(2.042752923427804, rel=1e-12)
    assert r.wilcoxon.pvalue == pytest.approx(0.04107690290648808, rel=1e-12)
    assert not r.wilcoxon.exact
    counts = {c.predikat: (c.before, c.after) for c in r.counts}
    assert counts == {
        "sangat_baik": (0, 2),
        "baik": (5, 6),
        "butuh_perbaikan": (4, 2),
        "kurang": (1, 0),
        "sangat_kurang": (0, 0),
    }
    assert r.counts[0].label == "Sangat Baik"
    assert r.sentence == (
        "Predikat SKP peserta (SKP 2025 → 2026, 10 dari 11 orang dengan kedua predikat): "
        "70 % membaik, 20 % tetap, 10 % memburuk; 1 orang tanpa predikat salah satu tahun "
        "tidak dihitung; perubahan bermakna secara statistik ke arah membaik (uji peringkat "
        "bertanda Wilcoxon pada kode ordinal 1–5, pendekatan normal, p = 0,041, n = 10)."
    )


def test_a_small_group_is_described_but_not_concluded():
    ratings = {(1, 2025): "baik", (1, 2026): "sangat_baik", (2, 2025): "baik", (2, 2026): "baik"}
    r = l3.skp_change(
        key="x",
        label="Predikat SKP peserta",
        people=[(1, 2025, 2026), (2, 2025, 2026)],
        ratings=ratings,
    )
    assert r.n_pairs == 2
    assert r.sentence.endswith("n = 2 terlalu kecil untuk menyimpulkan.")


def test_nobody_changing_says_the_test_does_not_apply():
    ratings = {(i, y): "baik" for i in range(6) for y in (2025, 2026)}
    r = l3.skp_change(
        key="x", label="P", people=[(i, 2025, 2026) for i in range(6)], ratings=ratings
    )
    assert r.wilcoxon is None
    assert "tidak ada yang berubah predikat" in r.sentence


def test_participants_whose_after_year_has_not_come_are_counted_apart(world):
    from kompeten.evaluation.queries import evaluate_programme

    s = builders.build(world, n=3, start=date(2026, 10, 5))  # after year: 2027
    for e in s.participants:
        _rate(e, 2025, B)
        _rate(e, 2026, SB)  # the training year itself is not "after" for an October batch
    ev = evaluate_programme(s.programme, today=date(2026, 11, 28))
    assert ev.l3.skp is not None
    assert (ev.l3.skp.n_people, ev.l3.skp.n_pairs, ev.l3.skp.n_not_due) == (0, 0, 3)
    assert ev.l3.skp_sentence == (
        "Predikat SKP peserta: belum ada yang memiliki predikat SKP tahun sebelum dan sesudah "
        "pelatihan (3 peserta belum sampai tahun penilaian sesudah pelatihan)."
    )


# --- from the records app, through the engine ------------------------------------------------


@pytest.fixture
def s(world):
    s = builders.build(world, n=6, start=date(2026, 3, 2))  # years compared: 2025 → 2026
    plan = [(BP, B), (B, SB), (B, B), (K, B), (B, BP)]  # + one participant rated 2026 only
    for e, (before, after) in zip(s.participants, plan, strict=False):
        _rate(e, 2025, before)
        _rate(e, 2026, after)
    _rate(s.participants[5], 2026, SB)
    _rate(s.participants[0], 2024, SB)  # an older year is not compared
    return s


def test_the_participants_skp_comes_from_the_records_app(world, s):
    from kompeten.evaluation.queries import evaluate_programme

    ev = evaluate_programme(s.programme, today=date(2026, 11, 28))
    skp = ev.l3.skp
    assert skp is not None
    assert (skp.n_people, skp.n_pairs) == (6, 5)
    assert (skp.before_years, skp.after_years) == ((2025,), (2026,))
    assert (skp.improved, skp.unchanged, skp.worse) == (3, 1, 1)
    # codes 3 4 4 2 4 → 4 5 4 4 3: d = 1 1 0 2 -1; W+ = 2 + 2 + 4 = 8.
    # R: wilcox.test(c(4,5,4,4,3), c(3,4,4,2,4), paired = TRUE, exact = FALSE) → p = 0.3447
    assert skp.wilcoxon is not None
    assert skp.wilcoxon.statistic == 8.0
    assert skp.wilcoxon.pvalue == pytest.approx(0.3447042220069576, rel=1e-12)
    assert "tidak bermakna" in skp.sentence
    assert ev.l3.skp_sentence == skp.sentence
    assert ev.l3.skp_groups == ()  # one batch, one OPD


def test_imported_skp_ratings_feed_l3_and_old_numeric_years_are_missing(world):
    from kompeten.core import importing as imp
    from kompeten.evaluation.queries import evaluate_programme

    s = builders.build(world, n=2, start=date(2026, 3, 2))
    a, b = s.participants
    lines = [
        "NIP;Tahun;Hasil Kerja;Perilaku;Nilai SKP",
        f"{a.nip};2025;Di Bawah Ekspektasi;Sesuai Ekspektasi;",
        f"{a.nip};2026;Di Atas Ekspektasi;Di Atas Ekspektasi;",
        f"{b.nip};2025;;;88",  # an old numeric SKP has no predikat: missing, not guessed
        f"{b.nip};2026;Sesuai Ekspektasi;Sesuai Ekspektasi;",
    ]
    the_plan = imp.plan(
        "skp", "\n".join(lines).encode(), "skp.csv", instansi=world.instansi, user=world.alice
    )
    assert the_plan.problems == [] and the_plan.is_clean
    assert imp.commit(the_plan).imported == 4
    ev = evaluate_programme(s.programme, today=date(2026, 11, 28))
    assert ev.l3.skp is not None
    assert (ev.l3.skp.n_people, ev.l3.skp.n_pairs, ev.l3.skp.improved) == (2, 1, 1)
    assert "1 orang tanpa predikat salah satu tahun tidak dihitung" in ev.l3.skp.sentence


def test_the_comparison_group_is_untrained_colleagues_of_the_same_units(world, s):
    from kompeten.evaluation.queries import evaluate_programme
    from tests import factories

    rekan = factories.make_employee(world.layanan, "Rekan Tidak Dilatih")
    for e in (world.carol_emp, rekan):
        _rate(e, 2025, B)
        _rate(e, 2026, B)
    _rate(world.erin_emp, 2025, BP)  # another OPD: never a comparison
    _rate(world.erin_emp, 2026, SB)
    ev = evaluate_programme(s.programme, today=date(2026, 11, 28))
    cmp = ev.l3.skp_comparison
    assert cmp is not None
    assert (cmp.n_people, cmp.n_pairs, cmp.unchanged) == (2, 2, 2)
    assert cmp.wilcoxon is None
    assert "pembanding" in cmp.sentence and "terlalu kecil" in cmp.sentence


def test_skp_is_broken_down_by_opd_and_follows_the_opd_filter(world, s):
    from kompeten.evaluation.queries import evaluate_programme
    from kompeten.participation.actions.enrolment import do_accept, do_invite
    from tests.participation.builders import at

    early = at(date(2026, 2, 10), 9)
    enrolment = do_invite(
        batch=s.batch, employee=world.erin_emp, actor=world.alice, notify=False, now=early
    )
    do_accept(enrolment=enrolment, actor=None, now=early)
    _rate(world.erin_emp, 2025, BP)
    _rate(world.erin_emp, 2026, SB)
    ev = evaluate_programme(s.programme, today=date(2026, 11, 28))
    groups = {g.label: g for g in ev.l3.skp_groups}
    assert set(groups) == {"OPD Dinas Alfa", "OPD Dinas Beta"}
    assert (groups["OPD Dinas Alfa"].n_pairs, groups["OPD Dinas Beta"].n_pairs) == (5, 1)
    assert groups["OPD Dinas Beta"].improved == 1
    beta = evaluate_programme(s.programme, unit=world.beta, today=date(2026, 11, 28))
    assert beta.l3.skp is not None and beta.l3.skp.n_people == 1


def test_the_l3_tab_and_export_show_the_skp_result(world, client, s, django_assert_max_num_queries):
    client.force_login(world.alice)
    with django_assert_max_num_queries(45):
        r = client.get(f"/evaluasi/program/{s.programme.pk}/?tab=l3")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Predikat SKP sebelum dan sesudah pelatihan" in body
    assert "Predikat SKP peserta (SKP 2025 → 2026, 5 dari 6 orang" in body
    assert "perubahan tidak bermakna secara statistik (uji peringkat bertanda" in body
    assert "Wilcoxon signed-rank" in body
    assert "zero differences dropped" in body  # the method is stated
    r = client.get(f"/evaluasi/program/{s.programme.pk}/?export=xlsx")
    wb = CalamineWorkbook.from_filelike(BytesIO(r.content))
    assert {"L3 SKP", "L3 SKP sebaran", "L3 pengaduan"} <= set(wb.sheet_names)
    rows = wb.get_sheet_by_name("L3 SKP").to_python()
    assert rows[0][:3] == ["kelompok", "orang", "n pasangan"]
    assert rows[1][0] == "Predikat SKP peserta"
    assert rows[1][2] == 5
    assert rows[1][9] == pytest.approx(0.3447042220069576)


# --- complaint handling of the trained officers ---------------------------------------------


def test_officer_complaints_compare_speed_and_quality_before_and_after_training():
    days = np.array([8, 9, 10, 12, 7, 11, 3, 4, 5, 2, 4, 6], dtype=np.int64)
    received = np.array(
        ["2026-01-05"] * 6 + ["2026-05-04"] * 6, dtype="datetime64[D]"
    )  # six before the batch (March), six after
    r = l3.officer_complaints(
        officer_ids=np.array([1, 2] * 6, dtype=np.int64),
        received=received,
        resolution_days=days,
        resolution_event=np.ones(12, dtype=bool),
        met=np.array([False] * 4 + [True] * 2 + [True] * 6),
        breached=np.array([True] * 4 + [False] * 2 + [False] * 6),
        rating=np.array([2, 3, 2, 3, 3, 2, 4, 5, 4, 4, 5, 4], dtype=float),
        training={
            1: (np.datetime64("2026-03-02"), np.datetime64("2026-03-03")),
            2: (np.datetime64("2026-03-02"), np.datetime64("2026-03-03")),
        },
    )
    assert r is not None
    assert (r.n_officers, r.n_before, r.n_after) == (2, 6, 6)
    # Kaplan-Meier median; S = 0,5 on [9, 10), so the midpoint (R's rule):
    # R: survival::survfit(Surv(c(8,9,10,12,7,11), rep(1,6)) ~ 1) → median 9.5
    assert r.median_resolution_before == 9.5
    assert r.median_resolution_after == 4
    assert (r.compliance_before, r.compliance_after) == (pytest.approx(2 / 6), 1.0)
    assert (r.rating_before, r.rating_after) == (pytest.approx(2.5), pytest.approx(26 / 6))
    assert "median waktu penyelesaian 9,5 → 4,0 hari kerja" in r.sentence
    assert "tepat waktu 33 % → 100 %" in r.sentence
    assert "rata-rata penilaian pelapor 2,50 → 4,33" in r.sentence
    assert "log-rank" in r.sentence


# --- the demo ---------------------------------------------------------------------------------


def test_the_demo_rates_participants_skp_and_isolates_pp01_benefits(world):
    from kompeten.evaluation.models import ParticipantEstimate
    from kompeten.evaluation.queries import evaluate_programme
    from kompeten.records.models import SkpRating
    from tests.evaluation.roi_setup import DEMO_DAY, demo_evaluated

    s, _n = demo_evaluated(world, code="PP-01")
    # every participant rated 2025 and 2026 through the records action (audit-logged)
    assert SkpRating.objects.filter(employee__in=s.participants).count() == 24
    ev = evaluate_programme(s.programme, today=DEMO_DAY)
    assert ev.l3.skp is not None and ev.l3.skp.n_pairs == 12
    assert ev.l3.skp.improved > ev.l3.skp.worse
    lines = {b.method: b for b in ev.l5.benefits}
    assert set(lines) == {"tren", "pembanding", "estimasi"}
    n = ParticipantEstimate.objects.count()
    assert n > 0 and lines["estimasi"].n_estimates == n
    assert lines["estimasi"].isolated_value > 0
    # the test world has no service units: said, not hidden, and nothing is claimed
    assert lines["pembanding"].inputs and lines["pembanding"].isolated_value == 0
    assert lines["tren"].inputs and lines["tren"].isolated_value == 0
    assert ev.l5.intangibles == ("Warga merasa lebih dihargai di loket",)
