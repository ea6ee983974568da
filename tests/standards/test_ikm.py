from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import proportion_confint

from kompeten.standards.ikm import (
    IKM_2004_INTERVALS,
    IKM_2017_INTERVALS,
    SKM_2004,
    SKM_2017,
    SkmVersion,
    UnknownUnsurError,
    Unsur,
    UnsurStats,
    categorise,
    compute_ikm,
    custom_version,
    margin_of_error,
    margin_of_error_from_respondent_scores,
    match_unsur,
    normalise_header,
    nrr,
)

SLUGS_2017 = [u.slug for u in SKM_2017.unsur]


def all_answer(score: int, version: SkmVersion = SKM_2017, n: int = 1) -> dict[str, dict[int, int]]:
    return {u.slug: {score: n} for u in version.unsur}


# --- the questionnaire -------------------------------------------------------------------------


def test_skm_2017_has_the_nine_unsur_in_the_regulation_order() -> None:
    assert [u.name for u in SKM_2017.unsur] == [
        "Persyaratan",
        "Sistem, Mekanisme, dan Prosedur",
        "Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk Spesifikasi Jenis Pelayanan",
        "Kompetensi Pelaksana",
        "Perilaku Pelaksana",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Sarana dan Prasarana",
    ]
    assert SKM_2017.confidence == "HIGH"


def test_skm_2017_carries_the_official_answer_labels() -> None:
    # PermenPANRB 14/2017, Lampiran: answer options of each unsur (1 = worst, 4 = best).
    assert SKM_2017.get("biaya_tarif").labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert SKM_2017.get("penanganan_pengaduan").labels == (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    )
    assert SKM_2017.get("sarana_prasarana").label_for(1) == "Buruk"
    assert SKM_2017.get("perilaku_pelaksana").label_for(4) == "Sangat sopan dan ramah"
    assert all(len(u.labels) == 4 for u in SKM_2017.unsur)


def test_label_for_refuses_a_score_outside_1_to_4() -> None:
    with pytest.raises(ValueError):
        SKM_2017.get("persyaratan").label_for(5)


def test_skm_2004_has_fourteen_unsur() -> None:
    assert len(SKM_2004.unsur) == 14
    assert SKM_2004.weights_for("exact")["prosedur_pelayanan"] == Fraction(1, 14)


def test_the_exact_weight_is_one_ninth_and_the_printed_one_0_111() -> None:
    assert set(SKM_2017.weights_for("exact").values()) == {Fraction(1, 9)}
    assert set(SKM_2017.weights_for("0.111").values()) == {Fraction("0.111")}
    assert SKM_2017.weights_for("printed") == SKM_2017.weights_for("0.111")


def test_weight_mode_0_111_is_refused_for_skm_2004() -> None:
    with pytest.raises(ValueError, match="printed"):
        SKM_2004.weights_for("0.111")


def test_an_unknown_weight_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="weight_mode"):
        compute_ikm(all_answer(4), weight_mode="0.1")  # type: ignore[arg-type]


# --- matching column headers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "slug"),
    [
        ("Persyaratan", "persyaratan"),
        ("persyaratan", "persyaratan"),
        ("Sistem, Mekanisme, dan Prosedur", "sistem_mekanisme_prosedur"),
        ("Sistem, Mekanisme dan Prosedur", "sistem_mekanisme_prosedur"),
        ("sistem_mekanisme_prosedur", "sistem_mekanisme_prosedur"),
        ("Prosedur", "sistem_mekanisme_prosedur"),
        ("  WAKTU   PENYELESAIAN ", "waktu_penyelesaian"),
        ("Biaya / Tarif", "biaya_tarif"),
        ("Biaya", "biaya_tarif"),
        ("Produk Spesifikasi Jenis Pelayanan", "produk_spesifikasi_jenis_pelayanan"),
        ("Kompetensi Pelaksana", "kompetensi_pelaksana"),
        ("Perilaku Petugas", "perilaku_pelaksana"),
        ("Penanganan Pengaduan, Saran dan Masukan", "penanganan_pengaduan"),
        ("Penanganan Pengaduan Saran & Masukan", "penanganan_pengaduan"),
        ("Sarana dan Prasarana", "sarana_prasarana"),
        ("Sarana & Prasarana", "sarana_prasarana"),
        ("U8. Sarana dan Prasarana", "sarana_prasarana"),
        ("U9 Penanganan Pengaduan", "penanganan_pengaduan"),
        ("Unsur 1 - Persyaratan", "persyaratan"),
    ],
)
def test_it_matches_column_headers_by_name(header: str, slug: str) -> None:
    assert match_unsur(header, SKM_2017).slug == slug


def test_it_raises_on_an_unknown_header_with_an_indonesian_message() -> None:
    with pytest.raises(UnknownUnsurError) as info:
        match_unsur("Kebersihan Toilet", SKM_2017)
    assert "tidak dikenali" in str(info.value)
    assert "Sarana dan Prasarana" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_a_position_code_alone_names_no_unsur() -> None:
    # U8 is Sarana in most questionnaires but Pengaduan in the regulation's order.
    with pytest.raises(UnknownUnsurError):
        match_unsur("U8", SKM_2017)


def test_normalising_drops_case_punctuation_dan_and_codes() -> None:
    assert normalise_header("U8. Sarana & Prasarana") == "sarana prasarana"
    assert normalise_header("Sistem, Mekanisme, dan Prosedur") == "sistem mekanisme prosedur"


def test_it_matches_2004_headers_against_the_2004_version() -> None:
    assert match_unsur("Kesopanan dan Keramahan Petugas", SKM_2004).slug == (
        "kesopanan_keramahan_petugas"
    )
    with pytest.raises(UnknownUnsurError):
        match_unsur("Kesopanan dan Keramahan Petugas", SKM_2017)


def test_aliases_that_would_name_two_unsur_are_refused() -> None:
    with pytest.raises(ValueError, match="would name both"):
        SkmVersion(
            id="X",
            regulation="test",
            effective_from=SKM_2017.effective_from,
            confidence="LOW",
            intervals=IKM_2017_INTERVALS,
            unsur=(Unsur("a", "Alfa", aliases=("Sama",)), Unsur("b", "Beta", aliases=("sama",))),
        )


# --- NRR and IKM -------------------------------------------------------------------------------


def test_nrr_is_the_mean_of_the_answers() -> None:
    assert nrr(7, 2) == 3.5
    with pytest.raises(ValueError):
        nrr(7, 0)


def test_one_respondent_answering_4_everywhere_scores_100_sangat_baik() -> None:
    # DOMAIN.md worked example (PermenPANRB 14/2017 formula with weight 1/9): IKM 100,00, A.
    result = compute_ikm(all_answer(4))
    assert result.ikm == 4.0
    assert result.ikm_unit == 100.0
    assert result.ikm_unit_shown == Decimal("100.00")
    assert (result.mutu, result.kinerja) == ("A", "Sangat Baik")
    assert result.n == 1
    assert result.version == "SKM_2017"


def test_with_the_printed_weight_0_111_a_perfect_survey_scores_99_90() -> None:
    # DOMAIN.md: the regulation prints 0,111, which caps a perfect survey at 99,90.
    result = compute_ikm(all_answer(4), weight_mode="0.111")
    assert result.ikm_unit == 99.9
    assert result.ikm_unit_shown == Decimal("99.90")
    assert result.mutu == "A"


def test_one_respondent_answering_1_everywhere_scores_25_tidak_baik() -> None:
    result = compute_ikm(all_answer(1))
    assert result.ikm_unit == 25.0
    assert (result.mutu, result.kinerja) == ("D", "Tidak Baik")


def test_a_mixed_survey_matches_a_hand_computation() -> None:
    # 4 respondents × 9 unsur; computed independently with numpy: 25 × mean of column means.
    answers = np.array(
        [
            [3, 3, 2, 4, 3, 3, 4, 2, 3],
            [4, 3, 3, 4, 3, 4, 4, 3, 3],
            [3, 2, 2, 4, 3, 3, 3, 2, 4],
            [4, 4, 3, 4, 4, 4, 4, 3, 3],
        ]
    )
    stats = {slug: UnsurStats.from_scores(answers[:, j]) for j, slug in enumerate(SLUGS_2017)}
    result = compute_ikm(stats)
    column_means = answers.mean(axis=0)
    assert result.nrr["waktu_penyelesaian"] == pytest.approx(2.5)
    assert result.ikm == pytest.approx(column_means.mean())
    assert result.ikm_unit == pytest.approx(25 * column_means.mean())
    assert result.ikm_unit_shown == Decimal("81.25")  # 25 × 117/36
    assert (result.mutu, result.kinerja) == ("B", "Baik")
    assert sum(result.nrr_weighted.values()) == pytest.approx(result.ikm)


def test_counts_tuples_and_stats_give_the_same_result() -> None:
    counts = {slug: {2: 1, 3: 2, 4: 1} for slug in SLUGS_2017}
    tuples = dict.fromkeys(SLUGS_2017, (4, 12))
    stats = {slug: UnsurStats(n=4, total=12) for slug in SLUGS_2017}
    assert compute_ikm(counts).ikm_unit == compute_ikm(tuples).ikm_unit == 75.0
    assert compute_ikm(stats).mutu == "C"


def test_counts_may_have_string_keys_as_stored_in_json() -> None:
    assert compute_ikm({slug: {"4": 2} for slug in SLUGS_2017}).ikm_unit == 100.0


def test_answers_are_keyed_by_name_not_by_position() -> None:
    # A questionnaire printed with Sarana as U8 and Pengaduan as U9.
    stats: dict[str, dict[int, int]] = {
        name: {3: 1} for name in [u.name for u in SKM_2017.unsur][:7]
    }
    stats["U8. Sarana dan Prasarana"] = {4: 1}
    stats["U9. Penanganan Pengaduan, Saran dan Masukan"] = {1: 1}
    result = compute_ikm(stats)
    assert result.nrr["sarana_prasarana"] == 4.0
    assert result.nrr["penanganan_pengaduan"] == 1.0


def test_unsur_answered_by_different_numbers_of_respondents() -> None:
    stats = {slug: UnsurStats(n=10, total=30) for slug in SLUGS_2017}
    stats["biaya_tarif"] = UnsurStats(n=8, total=32)  # two skipped the cost question
    result = compute_ikm(stats)
    assert result.nrr["biaya_tarif"] == 4.0
    assert result.n == 10
    assert result.n_per_unsur["biaya_tarif"] == 8
    assert result.ikm == pytest.approx((8 * 3 + 4) / 9)
    assert compute_ikm(stats, n_responses=11).n == 11


def test_a_missing_unsur_is_an_error() -> None:
    stats = all_answer(4)
    del stats["sarana_prasarana"]
    with pytest.raises(ValueError, match="Sarana dan Prasarana"):
        compute_ikm(stats)


def test_an_unsur_without_answers_is_an_error() -> None:
    stats = {slug: UnsurStats(n=3, total=9) for slug in SLUGS_2017}
    stats["persyaratan"] = UnsurStats(n=0, total=0)
    with pytest.raises(ValueError, match="belum ada jawabannya"):
        compute_ikm(stats)


def test_an_impossible_sum_is_an_error() -> None:
    stats = {slug: UnsurStats(n=3, total=9) for slug in SLUGS_2017}
    stats["persyaratan"] = UnsurStats(n=3, total=13)  # above 3 × 4
    with pytest.raises(ValueError, match="tidak mungkin"):
        compute_ikm(stats)


def test_the_same_unsur_twice_is_an_error() -> None:
    stats: dict[str, dict[int, int]] = dict(all_answer(4))
    stats["Biaya"] = {4: 1}
    with pytest.raises(ValueError, match="lebih dari sekali"):
        compute_ikm(stats)


# --- categories --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "mutu", "kinerja"),
    [
        (100, "A", "Sangat Baik"),
        (88.31, "A", "Sangat Baik"),
        (88.30, "B", "Baik"),
        (76.61, "B", "Baik"),
        (76.60, "C", "Kurang Baik"),
        (65.00, "C", "Kurang Baik"),
        (64.99, "D", "Tidak Baik"),
        (25, "D", "Tidak Baik"),
    ],
)
def test_the_2017_interval_boundaries(value: float, mutu: str, kinerja: str) -> None:
    # PermenPANRB 14/2017: 88,31–100 A; 76,61–88,30 B; 65,00–76,60 C; 25,00–64,99 D.
    category = categorise(value)
    assert (category.mutu, category.kinerja) == (mutu, kinerja)


def test_it_categorises_on_the_value_rounded_to_two_decimals() -> None:
    # 88,305 is shown as 88,31 (half-up) and so graded A, as a reader of the report expects.
    assert categorise(88.305).shown == Decimal("88.31")
    assert categorise(88.305).mutu == "A"
    assert categorise(Decimal("88.30499")).mutu == "B"
    assert categorise(Fraction(88305, 1000)).mutu == "A"
    assert categorise(64.995).mutu == "C"


def test_an_exact_ikm_of_88_305_is_graded_a() -> None:
    # One unsur of weight 1 with NRR 17661/5000 = 3,5322 → IKM unit exactly 88,305.
    only = custom_version("SATU", [Unsur("layanan", "Layanan")], {"layanan": 1})
    result = compute_ikm({"layanan": UnsurStats(n=5000, total=17661)}, only)
    assert result.ikm_unit == 88.305
    assert result.ikm_unit_shown == Decimal("88.31")
    assert result.mutu == "A"


def test_values_outside_25_to_100_are_refused() -> None:
    with pytest.raises(ValueError):
        categorise(24.99)
    with pytest.raises(ValueError):
        categorise(100.01)


@pytest.mark.parametrize(
    ("value", "mutu"),
    [
        (100, "A"),
        (81.26, "A"),
        (81.25, "B"),
        (62.51, "B"),
        (62.50, "C"),
        (43.76, "C"),
        (43.75, "D"),
        (25, "D"),
    ],
)
def test_the_2004_interval_boundaries(value: float, mutu: str) -> None:
    # Kepmenpan 25/2004: 81,26–100 A; 62,51–81,25 B; 43,76–62,50 C; 25,00–43,75 D.
    assert categorise(value, SKM_2004).mutu == mutu


def test_the_2004_kinerja_labels() -> None:
    assert [b.label for b in IKM_2004_INTERVALS.bands] == [
        "Tidak Baik",
        "Kurang Baik",
        "Baik",
        "Sangat Baik",
    ]


def test_a_2004_survey_uses_the_2004_table_and_fourteen_weights() -> None:
    stats = {u.slug: {3: 2, 4: 1} for u in SKM_2004.unsur}  # NRR 10/3 everywhere
    result = compute_ikm(stats, SKM_2004)
    assert result.ikm_unit == pytest.approx(25 * 10 / 3)  # 83,33
    assert result.mutu == "A"  # A under 2004 (≥ 81,26); it would be B under 2017
    assert categorise(result.ikm_unit, SKM_2017).mutu == "B"
    assert compute_ikm(all_answer(4, SKM_2004), SKM_2004, "printed").ikm_unit == pytest.approx(99.4)


# --- custom unsur and weights ------------------------------------------------------------------

KEBERSIHAN = Unsur(
    "kebersihan", "Kebersihan", ("Tidak bersih", "Kurang bersih", "Bersih", "Sangat bersih")
)


def ten_unsur_weights() -> dict[str, float]:
    weights = dict.fromkeys(SLUGS_2017, 0.08)  # 9 × 0,08 = 0,72
    weights["persyaratan"] = 0.2
    weights["kebersihan"] = 0.16  # 0,64 + 0,2 + 0,16 = 1
    return weights


def test_unequal_weights_weigh_each_unsur() -> None:
    version = custom_version("KOTA_2025", [*SKM_2017.unsur, KEBERSIHAN], ten_unsur_weights())
    stats: dict[str, dict[int, int]] = {slug: {3: 1} for slug in SLUGS_2017}
    stats["persyaratan"] = {4: 1}
    stats["Kebersihan"] = {2: 1}
    result = compute_ikm(stats, version)
    expected = 0.2 * 4 + 0.16 * 2 + 0.08 * 3 * 8
    assert result.ikm == pytest.approx(expected)
    assert result.ikm_unit == pytest.approx(25 * expected)
    assert result.weights["persyaratan"] == 0.2
    assert result.version == "KOTA_2025"


def test_custom_weights_must_sum_to_one() -> None:
    weights = ten_unsur_weights()
    weights["kebersihan"] = 0.1
    with pytest.raises(ValueError, match="Jumlah bobot unsur harus 1"):
        custom_version("X", [*SKM_2017.unsur, KEBERSIHAN], weights)


def test_custom_weights_within_the_tolerance_are_accepted() -> None:
    third = 1 / 3  # 3 × float(1/3) is not exactly 1
    version = custom_version(
        "TIGA",
        [Unsur("a", "Alfa"), Unsur("b", "Beta"), Unsur("c", "Gamma")],
        {"a": third, "b": third, "c": third},
    )
    assert compute_ikm({"a": {4: 1}, "b": {4: 1}, "c": {4: 1}}, version).ikm_unit == pytest.approx(
        100
    )


def test_every_custom_unsur_needs_a_positive_weight() -> None:
    with pytest.raises(ValueError, match="tanpa bobot: kebersihan"):
        custom_version("X", [*SKM_2017.unsur, KEBERSIHAN], dict.fromkeys(SLUGS_2017, 1 / 9))
    weights = ten_unsur_weights()
    weights["kebersihan"], weights["persyaratan"] = -0.04, 0.4
    with pytest.raises(ValueError, match="lebih dari 0"):
        custom_version("X", [*SKM_2017.unsur, KEBERSIHAN], weights)


def test_a_custom_version_has_no_printed_weight() -> None:
    version = custom_version("KOTA", [*SKM_2017.unsur, KEBERSIHAN], ten_unsur_weights())
    with pytest.raises(ValueError, match="no printed weight"):
        version.weights_for("printed")


@pytest.mark.parametrize(
    "version",
    [
        SKM_2017,
        SKM_2004,
        custom_version("KOTA", [*SKM_2017.unsur, KEBERSIHAN], ten_unsur_weights()),
    ],
)
def test_versions_round_trip_through_a_dict(version: SkmVersion) -> None:
    import json

    data = json.loads(json.dumps(version.to_dict()))
    assert SkmVersion.from_dict(data) == version


# --- property: the index stays in range --------------------------------------------------------


counts_per_unsur = st.dictionaries(
    st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=1000), min_size=1
).filter(lambda c: sum(c.values()) > 0)


@given(st.lists(counts_per_unsur, min_size=9, max_size=9))
def test_the_ikm_unit_stays_within_25_and_100(counts: list[dict[int, int]]) -> None:
    result = compute_ikm(dict(zip(SLUGS_2017, counts, strict=True)))
    assert 25 <= result.ikm_unit <= 100
    assert 1 <= result.ikm <= 4
    assert result.mutu in {"A", "B", "C", "D"}


# --- margin of error ---------------------------------------------------------------------------


def correlated_answers(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    general = rng.normal(3.0, 0.6, size=(n, 1))
    raw = general + rng.normal(0, 0.4, size=(n, 9))
    return np.clip(np.rint(raw), 1, 4).astype(int)


def quasi_binomial_wilson(y: np.ndarray, population: int | None = None) -> tuple[float, float]:
    """Reference for values y in [0, 1]: statsmodels' Wilson interval at the effective size
    n/(φ·f²), φ from the sample with z²/2 pseudo-observations at 0 and at 1 (numpy)."""
    z = scipy_stats.norm.ppf(0.975)
    k = z * z / 2
    n = len(y)
    # weighted augmented sample: y with weight 1, 0 and 1 with weight k (divisor n + z²)
    p_aug = (y.sum() + k) / (n + 2 * k)
    var_aug = (((y - p_aug) ** 2).sum() + k * p_aug**2 + k * (1 - p_aug) ** 2) / (n + 2 * k)
    phi = var_aug / (p_aug * (1 - p_aug))
    fpc2 = 1.0 if population is None else (population - n) / (population - 1)
    n_eff = n / (phi * fpc2)
    lo, hi = proportion_confint(y.mean() * n_eff, n_eff, alpha=0.05, method="wilson")
    return float(lo), float(hi)


def test_the_exact_margin_matches_statsmodels_wilson_at_the_effective_size() -> None:
    # Deliberately changed (was Student t on the mean): the quasi-binomial Wilson interval.
    answers = correlated_answers(60, seed=1)
    y = 25 * answers.mean(axis=1)  # respondent weighted scores, weights 1/9
    result = margin_of_error_from_respondent_scores(len(y), y.sum(), (y * y).sum())
    lo, hi = quasi_binomial_wilson((y / 25 - 1) / 3)
    assert result.estimate == pytest.approx(y.mean())
    assert result.lower == pytest.approx(25 + 75 * lo, rel=1e-9)
    assert result.upper == pytest.approx(25 + 75 * hi, rel=1e-9)
    assert result.margin == pytest.approx(max(y.mean() - result.lower, result.upper - y.mean()))
    assert result.df == 59


def test_the_exact_margin_accepts_sums_on_the_1_to_4_scale() -> None:
    answers = correlated_answers(40, seed=2)
    y = answers.mean(axis=1)
    on_unit = margin_of_error_from_respondent_scores(40, 25 * y.sum(), 625 * (y * y).sum())
    on_ikm = margin_of_error_from_respondent_scores(40, y.sum(), (y * y).sum(), scale="ikm")
    assert on_ikm.margin == pytest.approx(on_unit.margin)
    assert on_ikm.lower == pytest.approx(on_unit.lower)
    assert on_ikm.estimate == pytest.approx(on_unit.estimate)


def test_the_rollup_margin_bounds_the_exact_margin_from_above() -> None:
    answers = correlated_answers(80, seed=3)
    stats = {slug: UnsurStats.from_scores(answers[:, j]) for j, slug in enumerate(SLUGS_2017)}
    bound = margin_of_error(stats)
    y = 25 * answers.mean(axis=1)
    exact = margin_of_error_from_respondent_scores(len(y), y.sum(), (y * y).sum())
    assert bound.estimate == pytest.approx(exact.estimate)
    assert exact.margin <= bound.margin
    assert bound.lower <= exact.lower and exact.upper <= bound.upper
    # the bound itself: 25 · Σ (1/9) · (1 + 3·[L_j, U_j]), per-unsur reference intervals
    per_unsur = [quasi_binomial_wilson((answers[:, j] - 1) / 3) for j in range(9)]
    assert bound.lower == pytest.approx(25 * sum(1 + 3 * lo for lo, _ in per_unsur) / 9)
    assert bound.upper == pytest.approx(25 * sum(1 + 3 * hi for _, hi in per_unsur) / 9)


def test_the_rollup_margin_is_exact_when_unsur_move_together() -> None:
    rng = np.random.default_rng(4)
    column = rng.integers(1, 5, size=30)
    answers = np.repeat(column[:, None], 9, axis=1)
    stats = {slug: UnsurStats.from_scores(answers[:, j]) for j, slug in enumerate(SLUGS_2017)}
    y = 25 * answers.mean(axis=1)
    exact = margin_of_error_from_respondent_scores(30, y.sum(), (y * y).sum())
    rollup = margin_of_error(stats)
    assert rollup.margin == pytest.approx(exact.margin)
    assert (rollup.lower, rollup.upper) == pytest.approx((exact.lower, exact.upper))


def test_the_finite_population_correction_shrinks_the_margin() -> None:
    # Deliberately changed (was margin × √((N − n)/(N − 1))): the correction now divides the
    # effective size of each unsur's score interval.
    answers = correlated_answers(50, seed=5)
    stats = {slug: UnsurStats.from_scores(answers[:, j]) for j, slug in enumerate(SLUGS_2017)}
    infinite = margin_of_error(stats)
    finite = margin_of_error(stats, population=100)
    assert finite.margin < infinite.margin
    per_unsur = [quasi_binomial_wilson((answers[:, j] - 1) / 3, population=100) for j in range(9)]
    assert finite.lower == pytest.approx(25 * sum(1 + 3 * lo for lo, _ in per_unsur) / 9)
    assert finite.upper == pytest.approx(25 * sum(1 + 3 * hi for _, hi in per_unsur) / 9)
    census = margin_of_error(stats, population=50)
    assert census.margin == 0
    assert census.lower == census.upper == pytest.approx(census.estimate)


def test_the_margin_needs_sums_of_squares_and_two_answers() -> None:
    with pytest.raises(ValueError, match="Σx²"):
        margin_of_error({slug: UnsurStats(n=5, total=15) for slug in SLUGS_2017})
    with pytest.raises(ValueError, match="2 jawaban"):
        margin_of_error(all_answer(4))
    with pytest.raises(ValueError, match="smaller than the sample"):
        margin_of_error(all_answer(4, n=5), population=3)
