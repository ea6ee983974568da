"""The L4 engine on crafted monthly series: its outcome carries the calibrated estimator of
`kompeten impact` (l4.impact_of) and a sentence naming the design and its limits."""

from datetime import date

import numpy as np
import pytest

from kompeten.evaluation.actions.followups import add_months
from kompeten.evaluation.levels.l4 import NO_COMPARISON, did_outcome, impact_of
from tests.evaluation.series import crafted_series

MONTHS = [add_months(date(2025, 12, 1), i) for i in range(12)]


def _series(n_units: int, treated: int, effect: float):  # type: ignore[no-untyped-def]
    return crafted_series(MONTHS, n_units, treated, effect, seed=3, unit_step=0.5)


def _outcome(obs, treated_from, comparison):  # type: ignore[no-untyped-def]
    return did_outcome(
        key="ikm",
        label="IKM",
        unit_label="poin",
        observations=obs,
        treated_from=treated_from,
        comparison=comparison,
        months=MONTHS,
    )


def test_with_comparison_units_the_outcome_is_the_estimators_did_and_says_so():
    obs, treated_from = _series(12, 6, 4.0)
    out = _outcome(obs, treated_from, list(range(6, 12)))
    ref = impact_of(observations=obs, treated_from=treated_from, comparison=list(range(6, 12)))
    assert out.impact == ref and out.impact is not None and out.impact.design == "did"
    assert out.impact.estimate == pytest.approx(4.0, abs=0.5)
    assert "naik bermakna" in out.sentence
    assert "selisih-dalam-selisih, 6 unit terlatih dibanding 6 unit pembanding" in out.sentence
    # the page shows the method in the interface language, not the estimator's English text
    assert out.method == (
        "selisih-dalam-selisih atas perubahan tiap unit (rata-rata sesudah − sebelum): "
        "6 unit terlatih dibanding 6 unit pembanding, uji t dengan ragam tiap unit dari deret "
        "bulanannya sendiri"
    )
    assert out.impact.variance == "unit"
    assert out.treated_series[0] == pytest.approx(np.mean([o[2] for o in obs[:72:12]]))


def test_without_comparison_units_it_is_the_before_after_series_and_names_its_limit():
    obs, treated_from = _series(3, 3, 3.0)
    out = _outcome(obs, treated_from, [])
    assert out.impact is not None and out.impact.design == "its"
    assert out.impact.ci_low is not None and out.impact.ci_high is not None
    assert out.impact.ci_low < out.impact.estimate < out.impact.ci_high  # type: ignore[operator]
    assert NO_COMPARISON in out.sentence
    assert out.method.startswith("deret waktu terputus 3 unit terlatih tanpa unit pembanding")


def test_too_few_months_says_why_in_indonesian():
    obs, treated_from = _series(2, 2, 3.0)
    short = [o for o in obs if o[1] >= MONTHS[5]]  # one month before training
    out = _outcome(short, treated_from, [])
    assert out.impact is not None and out.impact.design == "none"
    assert "bulan sebelum atau sesudah pelatihan terlalu sedikit" in out.sentence


def test_no_trained_unit_says_so():
    obs, _ = _series(3, 0, 0.0)
    out = _outcome(obs, {}, [0, 1, 2])
    assert out.sentence == "IKM: belum ada unit layanan dengan pegawai terlatih."


def test_trained_units_without_months_in_the_window_are_said_so() -> None:
    # the units were trained (they have a first month after training) but have no figure in
    # the window: not "no trained unit", which the page printed beside their names
    o = _outcome([], {1: date(2026, 6, 1), 2: date(2026, 6, 1)}, [])
    assert o.impact is None
    assert o.sentence == (
        "IKM: belum ada data bulanan unit yang pegawainya dilatih pada Desember 2025 – "
        "November 2026."
    )
    assert _outcome([], {}, []).sentence == "IKM: belum ada unit layanan dengan pegawai terlatih."
