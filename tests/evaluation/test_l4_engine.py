"""The L4 engine on crafted monthly series, pinned to kompeten.stats.did / interrupted_time_series."""

from datetime import date

import numpy as np
import pytest

from kompeten.evaluation.actions.followups import add_months
from kompeten.evaluation.levels.l4 import did_outcome
from kompeten.stats import did, interrupted_time_series

MONTHS = [add_months(date(2025, 12, 1), i) for i in range(12)]


def _series(n_units: int, treated: int, effect: float):
    rng = np.random.default_rng(3)
    obs, treated_from = [], {}
    for u in range(n_units):
        if u < treated:
            treated_from[u] = MONTHS[6]
        for m in MONTHS:
            post = u < treated and m >= MONTHS[6]
            obs.append(
                (
                    u,
                    m,
                    80
                    + u * 0.5
                    + MONTHS.index(m) * 0.2
                    + (effect if post else 0)
                    + rng.normal(0, 0.5),
                )
            )
    return obs, treated_from


def test_many_units_use_two_way_fixed_effects_with_clustered_errors():
    obs, treated_from = _series(12, 6, 4.0)
    out = did_outcome(
        key="ikm",
        label="IKM",
        unit_label="poin",
        observations=obs,
        treated_from=treated_from,
        comparison=list(range(6, 12)),
        months=MONTHS,
    )
    ref = did(
        [o[2] for o in obs],
        [1 if o[0] < 6 else 0 for o in obs],
        [1 if o[1] >= MONTHS[6] else 0 for o in obs],
        unit=[o[0] for o in obs],
        period=[o[1].toordinal() for o in obs],
    )
    assert out.did.estimate == pytest.approx(ref.estimate)
    assert out.did.se == pytest.approx(ref.se)
    assert out.did.n_clusters == 12
    assert out.did.estimate == pytest.approx(4.0, abs=0.5)
    assert "naik" in out.sentence and "bermakna secara statistik" in out.sentence
    treated_mean = [np.mean([o[2] for o in obs if o[0] < 6 and o[1] == m]) for m in MONTHS]
    its = interrupted_time_series(treated_mean, 6)
    assert out.its.level_change == pytest.approx(its.level_change)


def test_few_units_fall_back_to_the_two_by_two_estimator():
    obs, treated_from = _series(4, 2, 3.0)
    out = did_outcome(
        key="ikm",
        label="IKM",
        unit_label="poin",
        observations=obs,
        treated_from=treated_from,
        comparison=[2, 3],
        months=MONTHS,
    )
    ref = did(
        [o[2] for o in obs],
        [1 if o[0] < 2 else 0 for o in obs],
        [1 if o[1] >= MONTHS[6] else 0 for o in obs],
    )
    assert out.did.estimate == pytest.approx(ref.estimate)
    assert out.did.n_clusters is None


def test_without_comparison_units_it_says_so():
    obs, treated_from = _series(3, 3, 3.0)
    out = did_outcome(
        key="ikm",
        label="IKM",
        unit_label="poin",
        observations=obs,
        treated_from=treated_from,
        comparison=[],
        months=MONTHS,
    )
    assert out.did is None
    assert "belum ada unit pembanding" in out.sentence
