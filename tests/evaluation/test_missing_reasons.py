"""A figure the statistics cannot give says why, instead of a silent None.

The reasons are the undefined cases of each statistic (kompeten.stats raises StatsError for
them): Hake's gain when every pre-test is already the maximum, the paired t-test when every
pair changed by the same amount, the signed-rank test when every difference is zero. Too few
pairs is no reason of its own: the sentence already names n.
"""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation

from kompeten.evaluation.levels.l2 import class_gain, compute_l2, paired_change, signed_rank
from kompeten.stats.errors import StatsError


def _a(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def test_the_gain_is_missing_because_every_pre_test_is_the_maximum() -> None:
    assert class_gain(_a(100, 100, 100), _a(90, 100, 95)) == (
        None,
        "semua nilai pre-test sudah maksimum",
    )


def test_the_tests_are_missing_because_every_pair_changed_by_the_same_amount() -> None:
    assert paired_change(_a(50, 60, 70), _a(55, 65, 75)) == (None, None, "semua selisih sama")


def test_the_signed_rank_is_missing_because_every_difference_is_zero() -> None:
    assert signed_rank(_a(50, 60, 70), _a(50, 60, 70)) == (None, "semua selisih nol")


def test_too_few_pairs_give_no_reason_of_their_own() -> None:
    assert class_gain(_a(50), _a(60)) == (None, "")
    assert paired_change(_a(50), _a(60)) == (None, None, "")
    assert signed_rank(_a(50), _a(60)) == (None, "")


def test_computable_figures_carry_no_reason() -> None:
    gain, why = class_gain(_a(40, 50, 60), _a(70, 65, 90))
    assert gain is not None and why == ""
    ttest, effect, why = paired_change(_a(40, 50, 60), _a(70, 65, 90))
    assert ttest is not None and effect is not None and why == ""


def test_bad_input_is_not_swallowed_as_a_missing_figure() -> None:
    """A score outside 0–max is a bug upstream, not an undefined statistic: it raises."""
    with pytest.raises(ValueError) as raised:
        class_gain(_a(40, 150), _a(50, 60))
    assert not isinstance(raised.value, StatsError)


def test_the_l2_result_and_its_sentence_name_the_reason() -> None:
    n = 6
    result = compute_l2(
        subjects=np.array(list(range(n)) * 2, dtype=np.int64),
        is_post=np.array([False] * n + [True] * n),
        pct=_a(*([100.0] * n), *([90.0] * n)),
        batches=np.ones(2 * n, dtype=np.int64),
        n_pending=0,
        batch_labels={1: "Angkatan I"},
        items=[],
        simulations=[],
    )
    assert result.gain_missing == "semua nilai pre-test sudah maksimum"
    assert result.tests_missing == "semua selisih sama"
    assert "semua nilai pre-test sudah maksimum" in result.gain_sentence


def test_the_reason_follows_the_readers_language() -> None:
    with translation.override("en"):
        _, why = signed_rank(_a(50, 60), _a(50, 60))
    assert why == "every difference is zero"
