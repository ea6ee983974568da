"""L4 results: monthly outcomes of service units whose staff were trained against comparison
units not (yet) trained — difference-in-differences (two-way fixed effects, cluster-robust by
unit, t(G−1), when there are at least :data:`MANY_UNITS` units; else the 2×2 estimator with
classical errors) and an interrupted time series of the treated units' mean."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np

from kompeten.evaluation import interpret
from kompeten.evaluation.levels.results import DidOutcome
from kompeten.stats import ImpactResult, did, impact_panel, interrupted_time_series

MANY_UNITS = 10


def _try(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return fn(*args, **kwargs)
    except ValueError:
        return None


def did_outcome(
    *,
    key: str,
    label: str,
    unit_label: str,
    observations: Sequence[tuple[int, date, float]],
    treated_from: Mapping[int, date],
    comparison: Sequence[int],
    months: Sequence[date],
) -> DidOutcome:
    """``observations``: (unit, month, value); ``treated_from``: unit → first post month."""
    comp = set(comparison)
    obs = [o for o in observations if o[0] in treated_from or o[0] in comp]
    intervention = sorted(treated_from.values())[len(treated_from) // 2] if treated_from else None
    month_index = {m: i for i, m in enumerate(months)}
    treated_sum = np.zeros(len(months))
    treated_n = np.zeros(len(months))
    comp_sum = np.zeros(len(months))
    comp_n = np.zeros(len(months))
    for u, m, v in obs:
        i = month_index.get(m)
        if i is None:
            continue
        if u in treated_from:
            treated_sum[i] += v
            treated_n[i] += 1
        else:
            comp_sum[i] += v
            comp_n[i] += 1
    t_series = tuple(
        float(s / n) if n else None for s, n in zip(treated_sum, treated_n, strict=True)
    )
    c_series = tuple(float(s / n) if n else None for s, n in zip(comp_sum, comp_n, strict=True))
    n_units = len({o[0] for o in obs})
    result = None
    if intervention is not None and obs:
        y = np.array([o[2] for o in obs], dtype=float)
        treated = np.array([1 if o[0] in treated_from else 0 for o in obs])
        post = np.array([1 if o[1] >= treated_from.get(o[0], intervention) else 0 for o in obs])
        if n_units >= MANY_UNITS:
            result = _try(
                did,
                y,
                treated,
                post,
                unit=[o[0] for o in obs],
                period=[o[1].toordinal() for o in obs],
            )
        else:
            result = _try(did, y, treated, post)
    if result is not None:
        sentence = interpret.did_sentence(
            label if key == "ikm" else label[:1].lower() + label[1:],
            result.estimate,
            result.ci_low,
            result.ci_high,
            result.pvalue,
            n_units,
            unit_label,
        )
    elif not treated_from:
        sentence = f"{label}: belum ada unit layanan dengan pegawai terlatih."
    elif not comp:
        sentence = f"{label}: belum ada unit pembanding yang belum dilatih."
    else:
        sentence = f"{label}: data bulanan belum cukup untuk selisih-dalam-selisih."
    its = None
    its_sentence = ""
    if intervention is not None and intervention in month_index:
        series = [(m, v) for m, v in zip(months, t_series, strict=True) if v is not None]
        idx = next((i for i, (m, _v) in enumerate(series) if m >= intervention), None)
        if idx is not None and 3 <= idx <= len(series) - 3:
            its = _try(interrupted_time_series, [v for _m, v in series], idx)
        if its is not None:
            its_sentence = interpret.its_sentence(
                its.level_change,
                its.level_ci_low,
                its.level_ci_high,
                its.level_pvalue,
                its.n,
                what=label[:1].lower() + label[1:] if key != "ikm" else label,
                unit=unit_label,
            )
        else:
            its_sentence = "Deret waktu: terlalu sedikit bulan sebelum atau sesudah pelatihan."
    return DidOutcome(
        key=key,
        label=label,
        n_treated_units=len({o[0] for o in obs if o[0] in treated_from}),
        n_comparison_units=len({o[0] for o in obs if o[0] in comp}),
        months=tuple(months),
        treated_series=t_series,
        comparison_series=c_series,
        intervention=intervention,
        did=result,
        its=its,
        sentence=sentence,
        its_sentence=its_sentence,
    )


def _month_number(d: date) -> int:
    return d.year * 12 + d.month - 1


def impact_of(
    *,
    observations: Sequence[tuple[int, date, float]],
    treated_from: Mapping[int, date],
    comparison: Sequence[int],
) -> ImpactResult | None:
    """The calibrated impact estimator (:func:`kompeten.stats.impact_panel`, the one behind
    ``kompeten impact``) on the observations :func:`did_outcome` takes: difference-in-differences
    on unit changes when comparison units have data, else the trained units' before/after time
    series. ``None`` when no observation belongs to a trained or comparison unit.

    Not yet shown by the report (``did_outcome`` still gives the report's DiD and ITS); see
    docs/statistics.md for why its intervals hold with few units and autocorrelated months."""
    comp = set(comparison)
    obs = [o for o in observations if o[0] in treated_from or o[0] in comp]
    if not obs:
        return None
    return impact_panel(
        [o[0] for o in obs],
        [_month_number(o[1]) for o in obs],
        [o[2] for o in obs],
        [_month_number(treated_from[o[0]]) if o[0] in treated_from else None for o in obs],
    )
