"""Normalized learning gain: Hake's class gain, individual gain and Marx & Cummings' c."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompeten.stats import gain_category, normalized_gain

PRE = [40, 55, 70, 100, 25, 60]
POST = [70, 75, 65, 100, 50, 90]


def test_it_computes_hakes_class_gain_from_the_means() -> None:
    r = normalized_gain(PRE, POST, max_score=100)
    mean_pre, mean_post = np.mean(PRE), np.mean(POST)
    assert r.class_gain == pytest.approx((mean_post - mean_pre) / (100 - mean_pre), rel=1e-14)
    assert (r.mean_pre, r.mean_post, r.n) == (pytest.approx(mean_pre), pytest.approx(mean_post), 6)
    assert r.headline == "class_gain"
    assert r.category == gain_category(r.class_gain)


def test_it_averages_individual_gains_over_those_with_room_to_gain() -> None:
    r = normalized_gain(PRE, POST, max_score=100)
    gains = [(b - a) / (100 - a) for a, b in zip(PRE, POST, strict=True) if a < 100]
    assert r.mean_individual_gain == pytest.approx(np.mean(gains), rel=1e-14)
    assert r.n_excluded == 1


def test_it_computes_marx_and_cummings_normalized_change() -> None:
    pre = [40, 70, 100, 0, 50, 30]
    post = [70, 35, 100, 0, 50, 100]
    # c: (70-40)/60, (35-70)/70, dropped, dropped, 0, (100-30)/70
    expected = np.mean([30 / 60, -35 / 70, 0.0, 70 / 70])
    r = normalized_gain(pre, post, max_score=100)
    assert r.mean_normalized_change == pytest.approx(expected, rel=1e-14)
    assert r.n_change_excluded == 2


def test_it_leaves_normalized_change_undefined_when_every_pair_is_dropped() -> None:
    r = normalized_gain([0, 0], [0, 0.0], max_score=10)
    assert r.class_gain == 0.0
    assert r.mean_normalized_change is None
    assert r.mean_individual_gain == 0.0


@pytest.mark.parametrize(
    ("gain", "category"),
    [
        (-0.4, "low"),
        (0.0, "low"),
        (0.2999, "low"),
        (0.3, "medium"),
        (0.6999, "medium"),
        (0.7, "high"),
        (1.0, "high"),
    ],
)
def test_it_uses_hakes_bands(gain: float, category: str) -> None:
    assert gain_category(gain) == category


def test_the_category_follows_the_class_gain_not_the_individual_mean() -> None:
    # One trainee gains everything from 90, another nothing from 0: the class gain 5/55 is low,
    # while the mean individual gain is 0.5 (medium).
    r = normalized_gain([90, 0], [100, 0], max_score=100)
    assert r.class_gain == pytest.approx(5 / 55, rel=1e-14)
    assert r.mean_individual_gain == pytest.approx(0.5, rel=1e-14)
    assert r.category == "low"


def test_a_fall_in_scores_gives_a_negative_low_gain() -> None:
    r = normalized_gain([60, 70], [50, 60], max_score=100)
    assert r.class_gain == pytest.approx(-10 / 35, rel=1e-14)
    assert r.category == "low"


@pytest.mark.parametrize(
    ("pre", "post", "max_score", "message"),
    [
        ([100, 100], [100, 90], 100, "undefined"),
        ([50, 120], [60, 90], 100, "between 0 and max_score"),
        ([50, 60], [60, -1], 100, "between 0 and max_score"),
        ([50, 60], [60, 70], 0, "greater than 0"),
        ([50, 60], [60, 70], float("nan"), "finite"),
        ([50, 60], [60, 70], "100", "number"),
        ([50], [60], 100, "at least 2 pairs"),
        ([50, 60], [60], 100, "same length"),
    ],
)
def test_it_rejects_bad_input(pre: object, post: object, max_score: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalized_gain(pre, post, max_score)  # type: ignore[arg-type]


def test_gain_category_rejects_nan() -> None:
    with pytest.raises(ValueError, match="finite"):
        gain_category(float("nan"))


scores = st.integers(0, 50)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(scores, scores), min_size=2, max_size=30))
def test_every_gain_is_at_most_one(pairs: list[tuple[int, int]]) -> None:
    pre = [a for a, _ in pairs]
    post = [b for _, b in pairs]
    if all(a == 50 for a in pre):
        with pytest.raises(ValueError):
            normalized_gain(pre, post, 50)
        return
    r = normalized_gain(pre, post, 50)
    assert r.class_gain <= 1.0
    assert r.mean_individual_gain is not None and -50 <= r.mean_individual_gain <= 1.0
    if r.mean_normalized_change is not None:
        assert -1.0 <= r.mean_normalized_change <= 1.0
