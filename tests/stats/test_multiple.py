"""Adjusted p-values, pinned to R p.adjust and statsmodels multipletests."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from kompeten.stats import adjust_pvalues

P = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.8]


@pytest.mark.parametrize(
    ("method", "r_values"),
    [
        # R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.8), "holm")
        ("holm", [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.8]),
        # R: p.adjust(p, "BH")
        ("bh", [0.035, 0.056, 0.056, 0.035, 0.233333333333333365, 0.056, 0.8]),
        # R: p.adjust(p, "BY")
        ("by", [0.09075, 0.1452, 0.1452, 0.09075, 0.605, 0.1452, 1.0]),
        # R: p.adjust(p, "bonferroni")
        ("bonferroni", [0.07, 0.28, 0.21, 0.035, 1.0, 0.28, 1.0]),
    ],
)
def test_it_matches_r_p_adjust(method: str, r_values: list[float]) -> None:
    r = adjust_pvalues(P, method=method)  # type: ignore[arg-type]
    assert r.adjusted == pytest.approx(r_values, rel=1e-12)
    assert r.pvalues == tuple(P)
    assert r.n == 7


@pytest.mark.parametrize(
    ("method", "statsmodels_method"),
    [("holm", "holm"), ("bh", "fdr_bh"), ("by", "fdr_by"), ("bonferroni", "bonferroni")],
)
def test_it_matches_statsmodels_multipletests(method: str, statsmodels_method: str) -> None:
    # statsmodels: multipletests(P, method=statsmodels_method)[1]
    expected = multipletests(P, method=statsmodels_method)[1]
    assert adjust_pvalues(P, method=method).adjusted == pytest.approx(expected, rel=1e-12)  # type: ignore[arg-type]


def test_holm_is_the_default_and_named() -> None:
    r = adjust_pvalues([0.01, 0.02])
    assert "Holm" in r.method
    assert "p.adjust" in r.reference


def test_a_single_p_value_is_unchanged() -> None:
    for method in ("holm", "bh", "by", "bonferroni"):
        assert adjust_pvalues([0.03], method=method).adjusted == (0.03,)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pvalues", "method", "message"),
    [
        ([], "holm", "empty"),
        ([0.1, 1.2], "holm", "between 0 and 1"),
        ([-0.1], "bh", "between 0 and 1"),
        ([0.1, float("nan")], "bh", "NaN"),
        ([0.1], "fdr", "method must be one of"),
        ([0.1], "BH", "method must be one of"),
    ],
)
def test_it_rejects_bad_input(pvalues: object, method: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        adjust_pvalues(pvalues, method=method)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=40),
    st.sampled_from(["holm", "bh", "by", "bonferroni"]),
)
def test_adjusted_values_lie_between_the_raw_value_and_one(ps: list[float], method: str) -> None:
    adjusted = adjust_pvalues(ps, method=method).adjusted  # type: ignore[arg-type]
    for raw, adj in zip(ps, adjusted, strict=True):
        assert raw <= adj <= 1.0
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    assert all(adjusted[a] <= adjusted[b] for a, b in itertools.pairwise(order))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=40))
def test_bh_never_exceeds_holm(ps: list[float]) -> None:
    bh = adjust_pvalues(ps, method="bh").adjusted
    holm = adjust_pvalues(ps, method="holm").adjusted
    assert all(b <= h + 1e-15 for b, h in zip(bh, holm, strict=True))
