import pytest
from django.utils import translation

from kompeten.evaluation import interpret


def test_a_large_significant_effect_reads_naturally():
    text = interpret.mean_change(
        what="Rata-rata nilai", diff=18.06, ci_low=13.9, ci_high=22.2, p=0.0001, d=1.3, n=40
    )
    assert (
        text == "Rata-rata nilai naik 18,1 poin (SK 95%: 13,9–22,2); efeknya besar "
        "(d terhadap rata-rata SD = 1,30; p < 0,001, n = 40)."
    )


def test_a_small_effect_is_called_small():
    text = interpret.mean_change(
        what="Rata-rata nilai", diff=2.0, ci_low=0.5, ci_high=3.5, p=0.01, d=0.3, n=60
    )
    assert "efeknya kecil" in text


def test_an_insignificant_change_says_so():
    text = interpret.mean_change(
        what="Rata-rata nilai", diff=-1.2, ci_low=-4.0, ci_high=1.6, p=0.21, d=-0.1, n=30
    )
    assert "turun 1,2 poin" in text and "tidak bermakna" in text and "p = 0,210" in text


def test_a_small_n_refuses_to_conclude():
    text = interpret.mean_change(
        what="Rata-rata nilai", diff=20, ci_low=1, ci_high=39, p=0.04, d=2.0, n=3
    )
    assert text == "Rata-rata nilai: n = 3 terlalu kecil untuk menyimpulkan."


def test_roi_sentence_gives_bcr_and_roi():
    assert interpret.roi_sentence(30_000_000, 12_000_000, 2.5, 150.0) == (
        "Manfaat tahun pertama Rp30.000.000 dibanding biaya Rp12.000.000: BCR 2,50, ROI 150 % — "
        "setiap Rp1 biaya kembali Rp2,50."
    )


@pytest.mark.parametrize(
    ("score", "indonesian", "english"),
    [
        (95, "Sangat Memuaskan", "Very satisfactory"),
        (90.0, "Memuaskan", "Satisfactory"),
        (75, "Cukup Memuaskan", "Fairly satisfactory"),
        (60.01, "Kurang Memuaskan", "Less than satisfactory"),
        (12, "Tidak Memuaskan", "Unsatisfactory"),
    ],
)
def test_a_lan_score_band_is_named_in_the_readers_language(score, indonesian, english) -> None:
    with translation.override("id"):
        assert interpret.score_band_name(score) == indonesian
    with translation.override("en"):
        assert interpret.score_band_name(score) == english


def test_the_effect_is_named_by_d_av_not_by_d_z() -> None:
    """Cohen's benchmarks are for a d standardised by the scores' SD (d_av, Lakens 2013); d_z,
    by the SD of the differences, grows with the before/after correlation. A 4-point gain on
    scores spread by 15 is a small effect however alike each participant's two scores are."""
    import numpy as np

    from kompeten.evaluation.levels.l2 import paired_sentence
    from kompeten.stats import paired_effect_size, paired_ttest

    rng = np.random.default_rng(1)
    ability = rng.normal(60, 15, 30)
    pre, post = ability + rng.normal(0, 3, 30), ability + 4 + rng.normal(0, 3, 30)
    effect = paired_effect_size(pre, post)
    assert effect.d_z > 0.8 > 0.5 > effect.d_av > 0.2  # "besar" by d_z, "kecil" by d_av
    text = paired_sentence(
        what="Rata-rata nilai", ttest=paired_ttest(pre, post), effect=effect, n=30
    )
    assert "efeknya kecil (d terhadap rata-rata SD = " in text and "besar" not in text
