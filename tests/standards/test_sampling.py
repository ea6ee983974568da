from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompeten.standards.sampling import (
    KREJCIE_MORGAN,
    SLOVIN,
    SlovinTable,
    krejcie_morgan,
    krejcie_morgan_exact,
    sample_adequacy,
    slovin,
)

# Krejcie, R. V. & Morgan, D. W. (1970), "Determining sample size for research activities",
# Educational and Psychological Measurement 30, 607–610, Table 1 (N → S):
#   10 → 10, 50 → 44, 100 → 80, 200 → 132, 500 → 217, 1000 → 278, 10000 → 370, 1000000 → 384.
PUBLISHED_TABLE = {
    10: 10,
    50: 44,
    100: 80,
    200: 132,
    500: 217,
    1000: 278,
    10000: 370,
    1000000: 384,
}


def formula(population: int) -> float:
    """The formula written out independently in floats: χ²NP(1−P) / (d²(N−1) + χ²P(1−P))."""
    chi2, p, d = 3.841, 0.5, 0.05
    return chi2 * population * p * (1 - p) / (d**2 * (population - 1) + chi2 * p * (1 - p))


@pytest.mark.parametrize(("population", "published"), PUBLISHED_TABLE.items())
def test_the_formula_rounded_to_nearest_reproduces_the_published_table(
    population: int, published: int
) -> None:
    assert round(formula(population)) == published  # the table itself agrees with the formula
    assert krejcie_morgan(population) == published


def test_rounding_is_to_the_nearest_integer_not_up() -> None:
    # N = 1.000: 277,709… → 278 (nearest); N = 50: 44,343… → 44 (rounding up would give 45).
    assert float(krejcie_morgan_exact(50)) == pytest.approx(44.343, abs=1e-3)
    assert krejcie_morgan(50) == 44


def test_a_population_of_one_needs_one_respondent() -> None:
    assert krejcie_morgan(1) == 1


def test_the_parameters_are_the_published_ones() -> None:
    assert KREJCIE_MORGAN.chi_square == Decimal("3.841")
    assert KREJCIE_MORGAN.proportion == Decimal("0.5")
    assert KREJCIE_MORGAN.precision == Decimal("0.05")


@given(st.integers(min_value=1, max_value=10**7))
def test_krejcie_morgan_never_exceeds_the_population_nor_384(population: int) -> None:
    sample = krejcie_morgan(population)
    assert 1 <= sample <= min(population, 384)
    assert abs(sample - formula(population)) <= 0.5 + 1e-9


def test_slovin_rounds_up() -> None:
    # 100 / (1 + 100 × 0,05²) = 80 exactly; 1.000 / 3,5 = 285,71… → 286.
    assert slovin(100) == 80
    assert slovin(1000) == 286
    assert slovin(1000, error=0.1) == math.ceil(1000 / 11)


def test_slovin_e_is_an_editable_table() -> None:
    table = SlovinTable.from_dict({**SLOVIN.to_dict(), "error": "0.1"})
    assert slovin(1000, table) == 91
    assert SlovinTable.from_dict(SLOVIN.to_dict()) == SLOVIN


def test_sample_adequacy_reports_the_shortfall() -> None:
    result = sample_adequacy(60, 100)
    assert (result.required, result.adequate, result.shortfall) == (80, False, 20)
    enough = sample_adequacy(80, 100)
    assert (enough.adequate, enough.shortfall) == (True, 0)
    assert sample_adequacy(300, 1000, "slovin").required == 286


def test_sample_adequacy_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        sample_adequacy(-1, 100)
    with pytest.raises(ValueError):
        sample_adequacy(10, 0)
    with pytest.raises(ValueError):
        sample_adequacy(10, 100, "cochran")  # type: ignore[arg-type]
