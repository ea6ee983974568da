"""Crafted monthly series for the L4 tests (pure: no database)."""

from __future__ import annotations

from datetime import date

import numpy as np

Observation = tuple[int, date, float]


def crafted_series(
    months: list[date],
    n_units: int,
    treated: int,
    effect: float,
    *,
    seed: int,
    unit_step: float = 1,
) -> tuple[list[Observation], dict[int, date]]:
    """(unit, month, value) of ``n_units`` units over ``months``: 80, plus ``unit_step`` per unit,
    plus 0.2 a month, plus noise N(0, 0.5) drawn with ``seed``; units below ``treated`` are
    trained from the seventh month and gain ``effect`` from then. Also each trained unit's
    first trained month."""
    rng = np.random.default_rng(seed)
    obs: list[Observation] = []
    treated_from: dict[int, date] = {}
    for u in range(n_units):
        if u < treated:
            treated_from[u] = months[6]
        for i, m in enumerate(months):
            post = u < treated and i >= 6
            obs.append(
                (u, m, 80 + u * unit_step + i * 0.2 + (effect if post else 0) + rng.normal(0, 0.5))
            )
    return obs, treated_from
