"""Sample sizes for the SKM survey.

Krejcie–Morgan (the rule the SKM guideline uses)::

    s = χ²·N·P·(1 − P) / (d²·(N − 1) + χ²·P·(1 − P)),   χ² = 3,841, P = 0,5, d = 0,05

rounded to the **nearest** integer; this reproduces the published table (Krejcie & Morgan 1970,
Table 1), e.g. N = 100 → 80, N = 1.000 → 278, N = 1.000.000 → 384.

Slovin (a common alternative, no regulation behind it)::

    n = N / (1 + N·e²)

rounded **up** (a fractional respondent must be a whole one to reach the precision).

Computed exactly (fractions), so the rounding never depends on binary floating point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

from kompeten.standards._tables import (
    RegulationTable,
    to_fraction,
)

Method: TypeAlias = Literal["krejcie_morgan", "slovin"]


@dataclass(frozen=True)
class KrejcieMorganTable(RegulationTable):
    """Parameters of the Krejcie–Morgan formula (HIGH: the published formula)."""

    chi_square: Decimal
    proportion: Decimal
    precision: Decimal

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.chi_square <= 0 or not 0 < self.proportion < 1 or not 0 < self.precision < 1:
            raise ValueError("chi_square > 0, 0 < proportion < 1 and 0 < precision < 1 are needed")


@dataclass(frozen=True)
class SlovinTable(RegulationTable):
    """Slovin's margin of error ``e`` (MED: a convention, not a regulation; editable)."""

    error: Decimal

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.error < 1:
            raise ValueError("Slovin's e must be between 0 and 1")


KREJCIE_MORGAN = KrejcieMorganTable(
    regulation="Krejcie, R. V. & Morgan, D. W. (1970). Determining sample size for research "
    "activities. Educational and Psychological Measurement, 30, 607–610; used by the SKM guideline "
    "(PermenPANRB 14/2017)",
    effective_from=date(2017, 1, 1),
    confidence="HIGH",
    chi_square=Decimal("3.841"),
    proportion=Decimal("0.5"),
    precision=Decimal("0.05"),
)

SLOVIN = SlovinTable(
    regulation="Slovin's formula n = N/(1 + N·e²), e = 5% by convention",
    effective_from=date(2017, 1, 1),
    confidence="MED",
    error=Decimal("0.05"),
)


def _check_population(population: int) -> None:
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ValueError(f"population must be a positive integer, got {population!r}")


def krejcie_morgan_exact(population: int, table: KrejcieMorganTable = KREJCIE_MORGAN) -> Fraction:
    """The unrounded Krejcie–Morgan sample size (exact)."""
    _check_population(population)
    chi2 = to_fraction(table.chi_square)
    p = to_fraction(table.proportion)
    d = to_fraction(table.precision)
    pq = p * (1 - p)
    return chi2 * population * pq / (d * d * (population - 1) + chi2 * pq)


def krejcie_morgan(population: int, table: KrejcieMorganTable = KREJCIE_MORGAN) -> int:
    """Krejcie–Morgan sample size for a population of ``population``, rounded to the nearest
    integer (halves up), as in the published table: ``krejcie_morgan(100) == 80``."""
    exact = krejcie_morgan_exact(population, table)
    return math.floor(exact + Fraction(1, 2))


def slovin(
    population: int, table: SlovinTable = SLOVIN, *, error: Decimal | float | None = None
) -> int:
    """Slovin sample size ``N/(1 + N·e²)``, rounded up; ``error`` overrides the table's ``e``."""
    _check_population(population)
    e = to_fraction(table.error if error is None else error)
    if not 0 < e < 1:
        raise ValueError("Slovin's e must be between 0 and 1")
    return math.ceil(population / (1 + population * e * e))


def required_sample(
    population: int,
    method: Method = "krejcie_morgan",
    *,
    krejcie_morgan_table: KrejcieMorganTable = KREJCIE_MORGAN,
    slovin_table: SlovinTable = SLOVIN,
) -> int:
    if method == "krejcie_morgan":
        return krejcie_morgan(population, krejcie_morgan_table)
    if method == "slovin":
        return slovin(population, slovin_table)
    raise ValueError(f"method must be 'krejcie_morgan' or 'slovin', got {method!r}")


@dataclass(frozen=True)
class SampleAdequacy:
    population: int
    n_responses: int
    required: int
    adequate: bool
    shortfall: int
    method: str


def sample_adequacy(
    n_responses: int,
    population: int,
    method: Method = "krejcie_morgan",
    *,
    krejcie_morgan_table: KrejcieMorganTable = KREJCIE_MORGAN,
    slovin_table: SlovinTable = SLOVIN,
) -> SampleAdequacy:
    """Whether ``n_responses`` reach the required sample for ``population``; ``shortfall`` is
    how many more responses are needed (0 when adequate)."""
    if n_responses < 0:
        raise ValueError("n_responses must not be negative")
    required = required_sample(
        population,
        method,
        krejcie_morgan_table=krejcie_morgan_table,
        slovin_table=slovin_table,
    )
    return SampleAdequacy(
        population=population,
        n_responses=n_responses,
        required=required,
        adequate=n_responses >= required,
        shortfall=max(0, required - n_responses),
        method=method,
    )
