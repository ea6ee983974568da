"""The IKM fast path for rollup counts gives exactly what the exact (fraction) path gives.

The reference here is :func:`compute_ikm` itself (pinned to the regulation's worked example in
test_ikm.py): every field of the result must be equal, floats bit for bit.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompeten.standards.ikm import (
    SKM_2004,
    SKM_2017,
    SkmVersion,
    Unsur,
    compute_ikm,
    compute_ikm_from_counts,
    custom_version,
)

CUSTOM = custom_version(
    "Q1",
    (*SKM_2017.unsur, Unsur(slug="kebersihan", name="Kebersihan ruang tunggu")),
    {**{u.slug: Fraction(9, 100) for u in SKM_2017.unsur}, "kebersihan": Fraction(19, 100)},
)
VERSIONS = [(SKM_2017, "exact"), (SKM_2017, "0.111"), (SKM_2004, "exact"), (SKM_2004, "printed")]
VERSIONS.append((CUSTOM, "exact"))


def exact(counts: dict[str, list[int]], version: SkmVersion, mode: str, n: int | None = None):
    stats = {slug: {i + 1: x for i, x in enumerate(c)} for slug, c in counts.items()}
    return compute_ikm(stats, version, mode, n_responses=n)  # type: ignore[arg-type]


counts_strategy = st.lists(st.integers(0, 10**6), min_size=4, max_size=4).filter(any)


@settings(deadline=None, max_examples=300)
@given(st.data(), st.sampled_from(VERSIONS), st.none() | st.integers(1, 10**7))
def test_the_fast_path_equals_the_exact_path_for_any_counts(data, version_mode, n) -> None:
    version, mode = version_mode
    counts = {u.slug: data.draw(counts_strategy) for u in version.unsur}
    fast = compute_ikm_from_counts(counts, version, mode, n_responses=n)  # type: ignore[arg-type]
    assert fast == exact(counts, version, mode, n)
    assert 25 <= fast.ikm_unit <= 100


@pytest.mark.parametrize(
    ("score_counts", "unit", "mutu"),
    [
        ([0, 0, 0, 1], 100.0, "A"),  # DOMAIN.md worked example: all 4 → 100,00 A
        ([1, 0, 0, 0], 25.0, "D"),
    ],
)
def test_the_fast_path_reproduces_the_worked_example(score_counts, unit, mutu) -> None:
    counts = {u.slug: score_counts for u in SKM_2017.unsur}
    r = compute_ikm_from_counts(counts)
    assert (r.ikm_unit, r.mutu) == (unit, mutu)
    printed = compute_ikm_from_counts(
        {u.slug: [0, 0, 0, 1] for u in SKM_2017.unsur}, SKM_2017, "0.111"
    )
    assert str(printed.ikm_unit_shown) == "99.90"  # 0,111 × 9 × 4 × 25


def test_a_boundary_value_is_graded_on_the_exact_value() -> None:
    # an IKM unit of exactly 88,305 (shown 88,31 → A) must not be graded B by float noise
    version = custom_version("Q2", SKM_2017.unsur[:1], {SKM_2017.unsur[0].slug: 1})
    # Σx/n × 25 = 88,305 ⇔ Σx/n = 3,5322 = 17661/5000: 2339 answers of 3 and 2661 of 4
    counts = {SKM_2017.unsur[0].slug: [0, 0, 2339, 2661]}
    fast = compute_ikm_from_counts(counts, version)
    assert fast == exact(counts, version, "exact")
    assert str(fast.ikm_unit_shown) == "88.31" and fast.mutu == "A"


@pytest.mark.parametrize(
    "counts",
    [
        {u.slug: [0, 0, 0, 1] for u in SKM_2017.unsur[:8]},  # an unsur missing
        {**{u.slug: [0, 0, 0, 1] for u in SKM_2017.unsur[:8]}, "lainnya": [1, 0, 0, 0]},  # unknown
        {**{u.slug: [0, 0, 0, 1] for u in SKM_2017.unsur[:8]}, SKM_2017.unsur[8].slug: [0] * 4},
        {
            **{u.slug: [0, 0, 0, 1] for u in SKM_2017.unsur[:8]},
            SKM_2017.unsur[8].slug: [-1, 0, 0, 2],
        },
    ],
)
def test_bad_counts_raise_the_same_error_as_the_exact_path(counts) -> None:
    with pytest.raises(ValueError) as fast_error:
        compute_ikm_from_counts(counts)
    with pytest.raises(ValueError) as exact_error:
        exact(counts, SKM_2017, "exact")
    assert str(fast_error.value) == str(exact_error.value)
