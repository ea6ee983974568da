"""Do the 95 % impact intervals keep their promise at a Pemda's scale?

Simulates monthly unit panels — units 1/4/6/12/40 (a third trained, at least one), months
12/24/36, AR(1) noise with ρ 0/0.5/0.8, unit effects, month effects (a common trend and a common
monthly shock) and a known level effect from the middle month — and runs them through
``kompeten impact FILE --format json`` (one call per scenario holding every panel of it: the
panels with the effect and, as a second run, the panels with no effect). Printed per scenario:
the coverage of the 95 % intervals (effect run) and the share of "significant" (p < 0.05) with no
effect, and beside it the same for the L4 code path the report used before it printed this
estimator (:func:`previous`: its DiD, or its ITS level change when there is no comparison unit)
on the same panels. The report runs the same estimator through the same CSV reader
(``kompeten.reports.impact`` → ``kompeten.evaluation.impact_cli``).

Usage::

    .venv/bin/python bench/bench_calibration.py [--reps 1000] [--previous-reps 1000]
        [--units 1,4,6,12,40] [--months 12,24,36] [--rhos 0,0.5,0.8] [--markdown] [--stagger]
        [--table equal|hetero|both] [--hetero-reps 4000]

Targets: every scenario 93–97 % (above only where the method is exact and conservative, never
below 93 %), false significance ≤ 7 %. Monte Carlo error with 1,000 panels: ±1.4 points (95 %)
on a coverage of 95 %. ``--stagger`` spreads the trained units' dates over the middle third
of the period (the previous path then splits comparison units at the median date, as it did).

Every row also shows the DiD as it was before it weighed each unit's own noise (Student's pooled
t on the unit changes, :func:`pooled_before`, computed here on the same panels) and the median
width of today's interval relative to it.

``--table hetero`` (or ``both``, the default) adds the cells where units differ in noise, run
through :func:`kompeten.stats.impact_panels` directly (the function behind ``kompeten impact``)
with ``--hetero-reps`` panels each (default 4,000; Monte Carlo error ±0.7 point on 95 %): a
unit's monthly IKM is the mean of its *m* respondents (SD 10/√m, AR(1) over months with ρ
0/0.5/0.8, unit levels and common month effects as above, effect 2 from the middle month), with
the trained units noisier (5 or 10 vs 100 respondents a month) or quieter (100 vs 10), 1 trained
of 4, 2 of 6 and 4 of 12, over 12, 24 and 48 months (6, 12 and 24 on each side); and complaint
shares (% on time, 90 % probability, Poisson 3 vs 30 complaints a month and the reverse, months
without a complaint dropped, no effect: coverage of 0). Target: every cell ≥ 94 %.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")

EFFECT = 2.0
UNIT_SD = 3.0  # between-unit spread of the level (IKM points)
MONTH_SD = 1.0  # common monthly shock
TREND = 0.05  # common trend per month
NOISE_SD = 2.0  # stationary SD of each unit's AR(1) noise


PREVIOUS_MANY_UNITS = 10  # the previous path's switch to two-way fixed effects


def training_months(units: int, months: int, stagger: bool) -> list[int]:
    """First month after training of each trained unit: the middle month, or (``stagger``)
    spread evenly over the middle third of the period."""
    trained = max(1, round(units / 3))
    if not stagger or trained == 1:
        return [months // 2] * trained
    return [round(months / 3 + (months / 3) * i / (trained - 1)) for i in range(trained)]


def simulate(
    rng: np.random.Generator,
    reps: int,
    units: int,
    months: int,
    rho: float,
    effect: float,
    stagger: bool = False,
) -> tuple[np.ndarray, list[int]]:
    """Panels reps × units × months; returns (values, each trained unit's first post month)."""
    dates = training_months(units, months, stagger)
    trained = len(dates)
    level = 75.0 + rng.normal(0.0, UNIT_SD, (reps, units, 1))
    month_effect = TREND * np.arange(months) + rng.normal(0.0, MONTH_SD, (reps, 1, months))
    z = rng.standard_normal((reps, units, months))
    u = np.empty_like(z)
    u[..., 0] = NOISE_SD * z[..., 0]
    scale = NOISE_SD * np.sqrt(1.0 - rho * rho)
    for t in range(1, months):
        u[..., t] = rho * u[..., t - 1] + scale * z[..., t]
    start = np.array(dates + [months + 1] * (units - trained))
    treated = np.arange(months)[None, :] >= start[:, None]
    return level + month_effect + u + effect * treated, dates


def month_label(i: int) -> str:
    return f"{2023 + i // 12}-{i % 12 + 1:02d}"


def write_csv(path: Path, panels: dict[str, np.ndarray], dates: list[int]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("dataset,unit,month,value,treated_from\n")
        for prefix, y in panels.items():
            reps, units, months = y.shape
            labels = [month_label(m) for m in range(months)]
            tf = [month_label(dates[u]) if u < len(dates) else "" for u in range(units)]
            for r in range(reps):
                name = f"{prefix}{r}"
                fh.write(
                    "".join(
                        f"{name},u{u},{labels[m]},{y[r, u, m]:.6f},{tf[u]}\n"
                        for u in range(units)
                        for m in range(months)
                    )
                )


def run_impact(path: Path) -> list[dict]:
    exe = ROOT / ".venv" / "bin" / "kompeten"
    out = subprocess.run(
        [str(exe), "impact", str(path), "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def previous(y: np.ndarray, dates: list[int]) -> list[tuple[float, float, float] | None]:
    """The L4 code path the report used before the calibrated estimator (removed from the app,
    kept here as the baseline): difference-in-differences by ``kompeten.stats.did`` — two-way
    fixed effects with errors clustered by unit from 10 units, else the 2×2 estimator with
    classical errors, comparison units split at the median training date — else the level
    change of ``kompeten.stats.interrupted_time_series`` on the trained units' monthly mean.
    (ci_low, ci_high, p), or None when it gave no estimate."""
    from kompeten.stats import did, interrupted_time_series

    reps, units, months = y.shape
    n_tr = len(dates)
    treated = np.array([1 if u < n_tr else 0 for u in range(units) for _m in range(months)])
    intervention = sorted(dates)[n_tr // 2]
    post = np.array(
        [
            1 if m >= (dates[u] if u < n_tr else intervention) else 0
            for u in range(units)
            for m in range(months)
        ]
    )
    unit = [u for u in range(units) for _m in range(months)]
    period = [m for _u in range(units) for m in range(months)]
    out: list[tuple[float, float, float] | None] = []
    for r in range(reps):
        values = y[r].reshape(-1)
        res = None
        if units > n_tr:
            try:
                res = (
                    did(values, treated, post, unit=unit, period=period)
                    if units >= PREVIOUS_MANY_UNITS
                    else did(values, treated, post)
                )
            except ValueError:
                res = None
        if res is not None:
            out.append((res.ci_low, res.ci_high, res.pvalue))
            continue
        series = y[r, :n_tr, :].mean(axis=0)
        if 3 <= intervention <= months - 3:
            try:
                its = interrupted_time_series(series, intervention)
            except ValueError:
                its = None
            if its is not None:
                out.append((its.level_ci_low, its.level_ci_high, its.level_pvalue))
                continue
        out.append(None)
    return out


def pooled_before(
    y: np.ndarray, dates: list[int], confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The DiD of ``kompeten.stats.impact`` before it weighed each unit's own noise: Student's
    pooled t on the unit changes d = mean after − mean before (a comparison unit's change
    averaged over the trained units' dates, weighted by how many share each date; s_p² pooling
    the trained changes and the comparison units' single-window changes, windows weighted by
    their share of trained units), with n₁ + n₀ − 2 df. ``y`` is reps × units × months (NaN: no
    value that month; the first ``len(dates)`` units trained). Returns (low, high, p); NaN
    where a unit lacks a side or there are fewer than 3 units with changes (then the estimator
    used another design)."""
    from scipy import stats

    reps, _units, months = y.shape
    n_tr = len(dates)
    ar = np.arange(months)

    def change(block: np.ndarray, t: int) -> np.ndarray:
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(block[..., ar >= t], axis=-1) - np.nanmean(
                block[..., ar < t], axis=-1
            )

    d_t = np.stack([change(y[:, i], t) for i, t in enumerate(dates)], axis=1)
    cohorts, counts = np.unique(dates, return_counts=True)
    share = counts / n_tr
    windows = [change(y[:, n_tr:], int(t)) for t in cohorts]  # each reps × n0
    d_c = sum(w * c for w, c in zip(windows, share, strict=True))
    ok_t, ok_c = np.isfinite(d_t), np.isfinite(d_c)
    n1, n0 = ok_t.sum(axis=1), ok_c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        m1 = np.where(ok_t, d_t, 0).sum(axis=1) / n1
        m0 = np.where(ok_c, d_c, 0).sum(axis=1) / n0
        ss1 = np.where(ok_t, (d_t - m1[:, None]) ** 2, 0).sum(axis=1)
        ss0 = np.zeros(reps)
        for w, c in zip(windows, share, strict=True):
            mw = np.where(ok_c, w, 0).sum(axis=1) / n0
            ss0 += c * np.where(ok_c, (w - mw[:, None]) ** 2, 0).sum(axis=1)
        df = n1 + n0 - 2
        se = np.sqrt((ss1 + ss0) / df * (1 / n1 + 1 / n0))
        est = m1 - m0
        q = stats.t.ppf((1 + confidence) / 2, df)
        p = 2 * stats.t.sf(np.abs(est / se), df)
    bad = (n1 < 1) | (n0 < 1) | (n1 + n0 < 3) | ~(se > 0)
    low, high = np.where(bad, np.nan, est - q * se), np.where(bad, np.nan, est + q * se)
    return low, high, np.where(bad, np.nan, p)


# --- units that differ in noise ----------------------------------------------------------

RESPONDENT_SD = 10.0  # SD of one SKM answer on the IKM scale: a month of m answers has 10/√m


def simulate_noisy(
    rng: np.random.Generator,
    reps: int,
    sd: list[float],
    trained: int,
    months: int,
    rho: float,
    effect: float,
) -> np.ndarray:
    """reps × units × months IKM panels, unit *i* with AR(1) noise of stationary SD ``sd[i]``,
    the first ``trained`` units trained from the middle month."""
    units = len(sd)
    level = 75.0 + rng.normal(0.0, UNIT_SD, (reps, units, 1))
    month_effect = TREND * np.arange(months) + rng.normal(0.0, MONTH_SD, (reps, 1, months))
    z = rng.standard_normal((reps, units, months))
    s = np.asarray(sd, dtype=float)[None, :]
    u = np.empty_like(z)
    u[..., 0] = s * z[..., 0]
    for t in range(1, months):
        u[..., t] = rho * u[..., t - 1] + s * np.sqrt(1.0 - rho * rho) * z[..., t]
    treated = (np.arange(units) < trained)[:, None] & (np.arange(months) >= months // 2)[None]
    return level + month_effect + u + effect * treated


def simulate_shares(
    rng: np.random.Generator, reps: int, lam: list[float], months: int, p_on: float = 0.9
) -> np.ndarray:
    """reps × units × months shares (%) of complaints resolved on time, Poisson(λᵢ) complaints
    a month, each on time with probability ``p_on``; NaN in months without a complaint."""
    k = rng.poisson(np.asarray(lam, dtype=float)[None, :, None], (reps, len(lam), months))
    ok = rng.binomial(k, p_on)
    return np.where(k > 0, 100.0 * ok / np.maximum(k, 1), np.nan)


def run_panels(y: np.ndarray, dates: list[int]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``kompeten.stats.impact_panels`` on every panel (NaN cells left out): (low, high, design)."""
    from kompeten.stats import impact_panels

    _reps, units, _months = y.shape
    ds, unit, month = np.indices(y.shape)
    tf = np.where(unit < len(dates), np.array(dates + [0] * (units - len(dates)))[unit], np.nan)
    keep = np.isfinite(y)
    rs = impact_panels(ds[keep], unit[keep], month[keep], y[keep], tf[keep])
    low = np.array([np.nan if r.ci_low is None else r.ci_low for r in rs])
    high = np.array([np.nan if r.ci_high is None else r.ci_high for r in rs])
    return low, high, [r.design for r in rs]


def hetero_cells() -> list[tuple[str, str, list[float], int]]:
    """(kind, label, per-unit SD or complaints a month, trained units) of the noisy cells."""

    def sd(m: float) -> float:
        return RESPONDENT_SD / np.sqrt(m)

    cells = []
    for units, trained in ((4, 1), (6, 2), (12, 4)):
        for label, m_t, m_c in (
            ("trained noisier: 10 vs 100 resp./month", 10, 100),
            ("trained noisier: 5 vs 100 resp./month", 5, 100),
            ("trained quieter: 100 vs 10 resp./month", 100, 10),
        ):
            cells.append(
                ("ikm", label, [sd(m_t)] * trained + [sd(m_c)] * (units - trained), trained)
            )
        for label, l_t, l_c in (
            ("shares: 3 vs 30 complaints/month", 3, 30),
            ("shares: 30 vs 3 complaints/month", 30, 3),
        ):
            cells.append(("share", label, [l_t] * trained + [l_c] * (units - trained), trained))
    return cells


def hetero_table(args: argparse.Namespace) -> float:
    """Coverage of today's interval and of :func:`pooled_before` on the same panels, per cell;
    returns the worst coverage of today's."""
    reps = args.hetero_reps
    if args.markdown:
        print(
            "| outcome | units (trained) | months | ρ | design | coverage | pooled t before: "
            "coverage | width vs before (median) | seconds |"
        )
        print("|" + "---|" * 9)
    worst = 1.0
    for kind, label, spec, trained in hetero_cells():
        for months in (12, 24, 48):
            for rho in (0.0, 0.5, 0.8) if kind == "ikm" else (0.0,):
                seed = [args.seed, len(spec), trained, months, int(rho * 10), int(spec[0] * 100)]
                rng = np.random.default_rng(seed)
                dates = [months // 2] * trained
                if kind == "ikm":
                    y = simulate_noisy(rng, reps, spec, trained, months, rho, EFFECT)
                    target = EFFECT
                else:
                    y = simulate_shares(rng, reps, spec, months)
                    target = 0.0
                started = time.perf_counter()
                low, high, designs = run_panels(y, dates)
                seconds = time.perf_counter() - started
                did = np.array([d == "did" for d in designs]) & np.isfinite(low)
                cover = float(np.mean((low[did] <= target) & (target <= high[did])))
                o_low, o_high, _ = pooled_before(y, dates)
                o_ok = np.isfinite(o_low)
                o_cover = float(np.mean((o_low[o_ok] <= target) & (target <= o_high[o_ok])))
                both = did & o_ok
                ratio = float(np.median((high - low)[both] / (o_high - o_low)[both]))
                worst = min(worst, cover)
                what = f"{label}"
                design = f"did ({int(did.sum())})"
                if args.markdown:
                    print(
                        f"| {what} | {len(spec)} ({trained}) | {months} | "
                        f"{rho:g} | {design} | {cover:.1%} | {o_cover:.1%} | {ratio:.2f} | "
                        f"{seconds:.1f} |",
                        flush=True,
                    )
                else:
                    print(
                        f"{what:42s} {len(spec):>3} ({trained}) {months:>3} {rho:>4g} {design:>11} "
                        f"{cover:>6.1%} {o_cover:>6.1%} {ratio:>6.2f} {seconds:>5.1f}",
                        flush=True,
                    )
    print(f"\n{reps} panels per cell; kompeten impact: worst coverage {worst:.1%} (target ≥ 94 %).")
    return worst


def rates(
    effect_rows: list[tuple[float, float, float] | None],
    null_rows: list[tuple[float, float, float] | None],
) -> tuple[float, float, int]:
    eff = [r for r in effect_rows if r is not None]
    nul = [r for r in null_rows if r is not None]
    cover = float(np.mean([lo <= EFFECT <= hi for lo, hi, _p in eff])) if eff else float("nan")
    sig = float(np.mean([p < 0.05 for _lo, _hi, p in nul])) if nul else float("nan")
    return cover, sig, len(effect_rows) - len(eff) + len(null_rows) - len(nul)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument(
        "--previous-reps",
        "--today-reps",
        dest="previous_reps",
        type=int,
        default=None,
        help="panels for the previous method",
    )
    parser.add_argument("--units", default="1,4,6,12,40")
    parser.add_argument("--months", default="12,24,36")
    parser.add_argument("--rhos", default="0,0.5,0.8")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--stagger", action="store_true", help="trained units start over the middle third"
    )
    parser.add_argument("--table", choices=("equal", "hetero", "both"), default="both")
    parser.add_argument("--hetero-reps", type=int, default=4000, help="panels per noisy cell")
    args = parser.parse_args()
    if args.previous_reps is None:
        args.previous_reps = args.reps
    return args


def main() -> None:
    args = _parse_args()
    import django

    django.setup()
    if args.table in ("equal", "both"):
        equal_table(args)
    if args.table in ("hetero", "both"):
        print()
        hetero_table(args)


def equal_table(args: argparse.Namespace) -> None:
    """The grid of equally noisy units through ``kompeten impact``."""
    grid = [
        (u, m, rho)
        for u in (int(v) for v in args.units.split(","))
        for m in (int(v) for v in args.months.split(","))
        for rho in (float(v) for v in args.rhos.split(","))
    ]
    head = (
        "| units (trained) | months | ρ | design | coverage | significant at 0 | "
        "pooled t before: coverage | width vs before (median) | "
        "previous: coverage | previous: significant at 0 | seconds |"
    )
    if args.markdown:
        print(head)
        print("|" + "---|" * 11)
    else:
        print(
            f"{'units':>9} {'months':>6} {'rho':>4} {'design':>6} {'cover':>6} {'sig0':>6} "
            f"{'before':>6} {'width':>6} {'prev':>6} {'psig0':>6} {'sec':>5}"
        )
    worst_cover, worst_sig = 1.0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for units, months, rho in grid:
            cover, sig = _scenario(args, Path(tmp), units, months, rho)
            worst_cover, worst_sig = min(worst_cover, cover), max(worst_sig, sig)
    print(
        f"\n{args.reps} panels per scenario and run; kompeten impact: worst coverage "
        f"{worst_cover:.1%} (target ≥ 93 %), worst false significance {worst_sig:.1%} "
        f"(target ≤ 7 %)."
    )


def _intervals(rows: list[dict], prefix: str) -> list[tuple[float, float, float] | None]:
    """(low, high, p) of the datasets named ``prefix…``; None where no estimate was given."""
    return [
        None if r["estimate"] is None else (r["ci_low"], r["ci_high"], r["pvalue"])
        for r in rows
        if r["dataset"].startswith(prefix)
    ]


def _scenario(
    args: argparse.Namespace, tmp: Path, units: int, months: int, rho: float
) -> tuple[float, float]:
    """One grid cell: panels with and without the effect through ``kompeten impact`` and the
    previous method; prints its row and returns kompeten impact's coverage and false
    significance."""
    rng = np.random.default_rng([args.seed, units, months, int(rho * 10)])
    y_eff, dates = simulate(rng, args.reps, units, months, rho, EFFECT, args.stagger)
    y_nul, _ = simulate(rng, args.reps, units, months, rho, 0.0, args.stagger)
    trained = len(dates)
    path = tmp / "panels.csv"
    write_csv(path, {"e": y_eff, "n": y_nul}, dates)
    started = time.perf_counter()
    rows = run_impact(path)
    seconds = time.perf_counter() - started
    designs = sorted({r["design"] for r in rows})
    cover, sig, missing = rates(_intervals(rows, "e"), _intervals(rows, "n"))
    k = args.previous_reps
    if k > 0:
        t_cover, t_sig, _ = rates(previous(y_eff[:k], dates), previous(y_nul[:k], dates))
        prev = f"{t_cover:.1%}", f"{t_sig:.1%}"
    else:
        prev = "—", "—"
    b_cover, b_width = "—", "—"
    if "did" in designs and units > 2:
        lo, hi, _p = pooled_before(y_eff, dates)
        ok = np.isfinite(lo)
        b_cover = f"{np.mean((lo[ok] <= EFFECT) & (hi[ok] >= EFFECT)):.1%}"
        now = [(r["ci_low"], r["ci_high"]) for r in rows if r["dataset"].startswith("e")]
        width = np.array([np.nan if a is None else b - a for a, b in now])
        both = ok & np.isfinite(width)
        b_width = f"{np.median(width[both] / (hi - lo)[both]):.2f}"
    design = "/".join(designs) + (f" ({missing} none)" if missing else "")
    if args.markdown:
        print(
            f"| {units} ({trained}) | {months} | {rho:g} | {design} | {cover:.1%} | "
            f"{sig:.1%} | {b_cover} | {b_width} | {prev[0]} | {prev[1]} | {seconds:.1f} |",
            flush=True,
        )
    else:
        print(
            f"{units:>5} ({trained:>2}) {months:>6} {rho:>4g} {design:>6} {cover:>6.1%} "
            f"{sig:>6.1%} {b_cover:>6} {b_width:>6} {prev[0]:>6} {prev[1]:>6} {seconds:>5.1f}",
            flush=True,
        )
    return cover, sig


if __name__ == "__main__":
    main()
