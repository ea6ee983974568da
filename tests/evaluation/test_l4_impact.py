"""l4.impact_of: the calibrated estimator of `kompeten impact` on the L4 engine's observations."""

from datetime import date

import pytest

from kompeten.evaluation.actions.followups import add_months
from kompeten.evaluation.levels.l4 import impact_of
from kompeten.stats import impact_panel
from tests.evaluation.series import crafted_series

MONTHS = [add_months(date(2025, 7, 1), i) for i in range(12)]


def _obs(n_units: int, treated: int, effect: float):  # type: ignore[no-untyped-def]
    return crafted_series(MONTHS, n_units, treated, effect, seed=8)


def test_with_comparison_units_it_is_the_did_of_kompeten_impact():
    obs, treated_from = _obs(6, 2, 3.0)
    obs.append((99, MONTHS[0], 50.0))  # a unit neither trained nor chosen as comparison
    r = impact_of(observations=obs, treated_from=treated_from, comparison=[2, 3, 4, 5])
    kept = [o for o in obs if o[0] != 99]
    ref = impact_panel(
        [o[0] for o in kept],
        [MONTHS.index(o[1]) for o in kept],
        [o[2] for o in kept],
        [6 if o[0] < 2 else None for o in kept],
    )
    assert r.design == "did" and r.n_treated == 2 and r.n_comparison == 4
    assert (r.estimate, r.ci_low, r.ci_high, r.pvalue) == pytest.approx(
        (ref.estimate, ref.ci_low, ref.ci_high, ref.pvalue)
    )
    assert r.estimate == pytest.approx(3.0, abs=1.0)


def test_without_comparison_units_it_is_the_before_after_series():
    obs, treated_from = _obs(3, 3, 3.0)
    r = impact_of(observations=obs, treated_from=treated_from, comparison=[])
    assert r.design == "its" and r.n_comparison == 0
    assert r.ci_low < r.estimate < r.ci_high


def test_no_observation_of_a_chosen_unit_gives_none():
    obs, _ = _obs(2, 0, 0.0)
    assert impact_of(observations=obs, treated_from={}, comparison=[]) is None
