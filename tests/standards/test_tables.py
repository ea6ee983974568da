from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompeten.standards._tables import (
    BandTable,
    FrozenDict,
    check_confidence,
    make_bands,
    round_half_up,
    to_fraction,
)


def test_round_half_up_rounds_halves_away_from_zero() -> None:
    assert round_half_up(88.305) == Decimal("88.31")
    assert round_half_up(2.675) == Decimal("2.68")  # the float is just below 2,675 …
    assert round(2.675, 2) == 2.67  # … so Python's round() goes down
    assert round(2.5) == 2  # and rounds halves to even
    assert round_half_up(2.5, 0) == Decimal("3")
    assert round_half_up(-2.5, 0) == Decimal("-3")
    assert round_half_up(Fraction(1, 3)) == Decimal("0.33")


def test_floats_are_read_as_written() -> None:
    assert to_fraction(0.1) == Fraction(1, 10)
    assert to_fraction(np.float64(2.5)) == Fraction(5, 2)
    assert to_fraction(np.int64(7)) == 7
    assert to_fraction(Decimal("1.25")) == Fraction(5, 4)


def test_non_numbers_and_non_finite_numbers_are_refused() -> None:
    with pytest.raises(TypeError):
        to_fraction(True)
    with pytest.raises(ValueError):
        to_fraction(float("nan"))
    with pytest.raises(TypeError):
        to_fraction([1])  # type: ignore[arg-type]


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=6))
def test_round_half_up_agrees_with_decimal_round_half_up(value: Decimal) -> None:
    from decimal import ROUND_HALF_UP

    assert round_half_up(value) == value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_confidence_levels() -> None:
    assert check_confidence("LOW") == "LOW"
    with pytest.raises(ValueError):
        check_confidence("low")


def test_band_tables_must_be_contiguous() -> None:
    with pytest.raises(ValueError, match="contiguous"):
        BandTable(
            regulation="x",
            effective_from=date(2020, 1, 1),
            confidence="LOW",
            bands=make_bands([("0.00", "50.00", "a", "A"), ("50.02", "100.00", "b", "B")]),
        )


def test_band_bounds_must_fit_the_rounding_grid() -> None:
    with pytest.raises(ValueError, match="places"):
        BandTable(
            regulation="x",
            effective_from=date(2020, 1, 1),
            confidence="LOW",
            bands=make_bands([("0.000", "50.005", "a", "A")]),
        )


def test_frozen_mappings_refuse_changes() -> None:
    frozen = FrozenDict({"a": 1})
    assert frozen == {"a": 1}
    with pytest.raises(TypeError):
        frozen["b"] = 2
    with pytest.raises(TypeError):
        frozen.update(b=2)


def test_tables_and_results_pickle_for_caching() -> None:
    from kompeten.standards.ikm import SKM_2017, compute_ikm
    from kompeten.standards.ip_asn import IP_ASN_2019
    from kompeten.standards.jp import JP_FORMS
    from kompeten.standards.skp import SKP_2022

    result = compute_ikm({u.slug: {3: 2, 4: 1} for u in SKM_2017.unsur})
    for value in (SKM_2017, IP_ASN_2019, JP_FORMS, SKP_2022, result):
        assert pickle.loads(pickle.dumps(value)) == value  # noqa: S301 - our own data


def test_the_package_never_imports_django() -> None:
    code = (
        "import sys, kompeten.standards.ikm, kompeten.standards.ip_asn, kompeten.standards.jp, "
        "kompeten.standards.nip, kompeten.standards.sampling, kompeten.standards.score_bands, "
        "kompeten.standards.skp, kompeten.standards.sla, kompeten.standards.workdays; "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_labelled_enum_member_declared_without_its_label_is_refused() -> None:
    from kompeten.standards._tables import LabelledStrEnum

    class Kind(LabelledStrEnum):
        A = "a", "Alfa"

    assert Kind("a") is Kind.A and Kind.A.label == "Alfa" and Kind.A == "a"
    with pytest.raises(TypeError, match="'b' needs its label"):

        class Broken(LabelledStrEnum):
            A = "a", "Alfa"
            B = "b"
