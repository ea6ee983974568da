"""Coverage and width of the IKM confidence interval: the former Student-t interval against the
quasi-binomial Wilson score interval now in kompeten.standards.ikm, measured in the same run.

Usage (no database; seeded; ~1–2 minutes on 2 CPUs):

    .venv/bin/python bench/bench_ikm_margin.py [--draws 4000] [--single-draws 20000] [--candidates]

Cells: answer distributions P(1), P(2), P(3), P(4) below × n = 2 … 400 respondents.

* single unsur: counts drawn from the multinomial; the interval of the mean answer;
* 9 unsur (SKM 2017, weights 1/9): respondents with correlated answers — a latent satisfaction
  per respondent (Gaussian copula: u_ij = √ρ·g_i + √(1 − ρ)·e_ij, ρ = 0,6), cut at the quantiles
  of the distribution so that every unsur has exactly that marginal; the true IKM is
  25·Σ w_j·E[x_j]. Two intervals: from the per-unsur rollups (``margin_of_error``) and from the
  respondents' weighted scores (``margin_of_error_from_respondent_scores``).

The simulation uses vectorised copies of the formulas; the first draws of every cell are checked
against the production functions (the run stops if they disagree). The old method is the former
code: t(1 − α/2, n − 1) · SE, with SE ≤ 25·Σ w_j s_j/√n_j for the rollups. "width" is the median
of upper − lower, new relative to old (old = 1; "inf" where the old interval has width 0).

Acceptance: coverage ≥ 94 % in every cell for the new interval (printed ``FAIL`` otherwise).
With ``--candidates``, other candidates for one unsur are printed as well (Bernoulli-variance
Wilson, fewer pseudo-observations, a variance floor, bootstrap-t).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kompeten.standards.ikm import (
    SKM_2017,
    UnsurStats,
    margin_of_error,
    margin_of_error_from_respondent_scores,
)

DISTRIBUTIONS = {
    "typical (.02,.08,.60,.30)": (0.02, 0.08, 0.60, 0.30),
    "high (0,.02,.18,.80)": (0.0, 0.02, 0.18, 0.80),
    "very high (0,.01,.04,.95)": (0.0, 0.01, 0.04, 0.95),
    "uniform-ish (.1,.2,.4,.3)": (0.1, 0.2, 0.4, 0.3),
}
SIZES = (2, 3, 5, 10, 20, 30, 50, 100, 400)
RHO = 0.6
CONFIDENCE = 0.95
Z = float(stats.norm.ppf(0.975))
SLUGS = [u.slug for u in SKM_2017.unsur]


# --- vectorised formulas (0–1 scale y = (x − 1)/3) -----------------------------------------------


def new_interval(n, s1, s2, k=Z * Z / 2, phi_one=False):
    """Quasi-binomial Wilson interval; arrays of n, Σy, Σy²."""
    m = s1 / n
    if phi_one:
        phi = np.ones_like(m)
    else:
        n_aug = n + 2 * k
        p_aug = (s1 + k) / n_aug
        phi = np.clip(((s2 + k) / n_aug - p_aug**2) / (p_aug * (1 - p_aug)), 0, 1)
    a = Z * Z * phi / n
    centre = (m + a / 2) / (1 + a)
    half = np.sqrt(np.maximum(a * m * (1 - m) + a * a / 4, 0)) / (1 + a)
    return np.maximum(centre - half, 0), np.minimum(centre + half, 1)


def old_half_width(n, s1, s2):
    """Former method: t(1 − α/2, n − 1)·s/√n (on whatever scale s1, s2 are)."""
    sd = np.sqrt(np.maximum(s2 - s1 * s1 / n, 0) / (n - 1))
    return stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * sd / np.sqrt(n)


def floor_interval(n, s1, s2):
    """Candidate: t interval with the variance floored at 1/(4n) (0–1 scale), clipped."""
    m = s1 / n
    v = np.maximum(np.maximum(s2 - s1 * s1 / n, 0) / (n - 1), 0.25 / n)
    h = stats.t.ppf(0.975, n - 1) * np.sqrt(v / n)
    return np.maximum(m - h, 0), np.minimum(m + h, 1)


def bootstrap_t(counts, rng, b=499):
    """Candidate: bootstrap-t on the answer counts (resamples with s* = 0 are dropped)."""
    vals = np.array([0, 1 / 3, 2 / 3, 1])
    n = int(counts[0].sum())
    lo, hi = np.empty(len(counts)), np.empty(len(counts))
    for i, c in enumerate(counts):
        m = c @ vals / n
        s = math.sqrt(max(c @ vals**2 - n * m * m, 0) / (n - 1))
        bs = rng.multinomial(n, c / n, size=b)
        mb = bs @ vals / n
        sb = np.sqrt(np.maximum(bs @ vals**2 - n * mb * mb, 0) / (n - 1))
        ok = sb > 0
        if s == 0 or not ok.any():
            lo[i] = hi[i] = m
            continue
        t = (mb[ok] - m) / (sb[ok] / math.sqrt(n))
        q_lo, q_hi = np.quantile(t, [0.025, 0.975])
        lo[i], hi[i] = m - q_hi * s / math.sqrt(n), m - q_lo * s / math.sqrt(n)
    return lo, hi


# --- checks against the production code ---------------------------------------------------------


def check_single(counts: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
    """The vectorised interval equals margin_of_error_from_respondent_scores (Y = 25·x)."""
    scores = np.array([1, 2, 3, 4])
    for c, low, high in zip(counts[:25], lo[:25], hi[:25], strict=True):
        n = int(c.sum())
        total, sumsq = int(c @ scores) * 25, int(c @ scores**2) * 625
        got = margin_of_error_from_respondent_scores(n, total, sumsq)
        assert math.isclose(got.lower, 25 + 75 * low, abs_tol=1e-9), (c, got, low)
        assert math.isclose(got.upper, 25 + 75 * high, abs_tol=1e-9), (c, got, high)


def check_nine(answers: np.ndarray, lo: np.ndarray, hi: np.ndarray, exact: tuple) -> None:
    """The vectorised intervals equal margin_of_error and the respondent-score version."""
    for d in range(min(5, len(answers))):
        a = answers[d]
        rollup = {slug: UnsurStats.from_scores(a[:, j].tolist()) for j, slug in enumerate(SLUGS)}
        got = margin_of_error(rollup)
        assert math.isclose(got.lower, lo[d], abs_tol=1e-9), (got, lo[d])
        assert math.isclose(got.upper, hi[d], abs_tol=1e-9), (got, hi[d])
        y = [Fraction(25 * int(row.sum()), 9) for row in a]  # Y_i = 25·Σ_j x_ij/9, exact
        ex = margin_of_error_from_respondent_scores(len(y), sum(y), sum(v * v for v in y))
        assert math.isclose(ex.lower, exact[0][d], abs_tol=1e-9), (ex, exact[0][d])
        assert math.isclose(ex.upper, exact[1][d], abs_tol=1e-9), (ex, exact[1][d])


# --- simulation ----------------------------------------------------------------------------------


def covered(lo, hi, mu):
    return float(np.mean((lo <= mu + 1e-9) & (mu <= hi + 1e-9)))


def width_ratio(w_new, w_old):
    a, b = float(np.median(w_new)), float(np.median(w_old))
    return "inf" if b == 0 else f"{a / b:4.2f}"


def single(rng, probs, n, draws, candidates):
    p = np.array(probs)
    mu = float(p @ np.array([0, 1 / 3, 2 / 3, 1]))
    counts = rng.multinomial(n, p, size=draws).astype(float)
    vals = np.array([0, 1 / 3, 2 / 3, 1])
    s1, s2 = counts @ vals, counts @ vals**2
    lo, hi = new_interval(n, s1, s2)
    check_single(counts, lo, hi)
    m = s1 / n
    h = old_half_width(n, s1, s2)
    row = {
        "old": covered(m - h, m + h, mu),
        "new": covered(lo, hi, mu),
        "width": width_ratio(hi - lo, 2 * h),
    }
    if candidates:
        for name, (a, b) in {
            "bernoulli-var": new_interval(n, s1, s2, phi_one=True),
            "k=1": new_interval(n, s1, s2, k=1.0),
            "k=0.5": new_interval(n, s1, s2, k=0.5),
            "var floor": floor_interval(n, s1, s2),
        }.items():
            row[name] = f"{covered(a, b, mu):.3f}/{width_ratio(b - a, 2 * h)}"
        if n in (5, 10, 30, 100):
            a, b = bootstrap_t(counts[:2000], rng)
            row["boot-t"] = f"{covered(a, b, mu):.3f}/{width_ratio(b - a, 2 * h[:2000])}"
    return row


def nine(rng, probs, n, draws):
    p = np.array(probs)
    cuts = stats.norm.ppf(np.cumsum(p)[:-1])
    mu = float(p @ np.array([0, 1 / 3, 2 / 3, 1]))  # every unsur has the same marginal
    g = rng.standard_normal((draws, n, 1))
    u = math.sqrt(RHO) * g + math.sqrt(1 - RHO) * rng.standard_normal((draws, n, 9))
    answers = (1 + np.searchsorted(cuts, u)).astype(np.int8)  # 1..4
    y = (answers - 1) / 3.0
    s1, s2 = y.sum(1), (y * y).sum(1)  # per unsur, shape (draws, 9)
    lo_j, hi_j = new_interval(n, s1, s2)
    lo, hi = 25 + 75 * lo_j.mean(1), 25 + 75 * hi_j.mean(1)
    est = 25 + 75 * (s1 / n).mean(1)
    # old rollup bound: t · 25 · Σ (1/9) s_j/√n (s_j on 1–4 = 3 · s_j on 0–1)
    h_old = 25 * 3 * old_half_width(n, s1, s2).mean(1)
    # respondent weighted scores, 0–1 scale
    yi = y.mean(2)
    e_lo, e_hi = new_interval(n, yi.sum(1), (yi * yi).sum(1))
    e_lo, e_hi = 25 + 75 * e_lo, 25 + 75 * e_hi
    e_h_old = 75 * old_half_width(n, yi.sum(1), (yi * yi).sum(1))
    check_nine(answers, lo, hi, (e_lo, e_hi))
    target = 25 + 75 * mu
    return {
        "old": covered(est - h_old, est + h_old, target),
        "new": covered(lo, hi, target),
        "width": width_ratio(hi - lo, 2 * h_old),
        "ex_old": covered(est - e_h_old, est + e_h_old, target),
        "ex_new": covered(e_lo, e_hi, target),
        "ex_width": width_ratio(e_hi - e_lo, 2 * e_h_old),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=4000, help="draws per 9-unsur cell")
    parser.add_argument("--single-draws", type=int, default=20000, help="draws per 1-unsur cell")
    parser.add_argument("--candidates", action="store_true")
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    failures = []
    started = time.perf_counter()

    print(
        f"ONE UNSUR — {args.single_draws} draws per cell; coverage old → new; median width new/old"
    )
    for name, probs in DISTRIBUTIONS.items():
        print(f"\n{name}")
        for n in SIZES:
            r = single(rng, probs, n, args.single_draws, args.candidates)
            flag = "" if r["new"] >= 0.94 else "  FAIL"
            if flag:
                failures.append(("1 unsur", name, n))
            extra = "  ".join(f"{k} {v}" for k, v in r.items() if k not in ("old", "new", "width"))
            print(
                f"  n={n:4d}  old {r['old']:.3f}  new {r['new']:.3f}  width {r['width']}{flag}"
                + (f"   [{extra}]" if extra else "")
            )

    print(f"\nNINE UNSUR (weights 1/9, latent ρ = {RHO}) — {args.draws} draws per cell")
    print("  rollups (margin_of_error) | respondent scores (…_from_respondent_scores)")
    for name, probs in DISTRIBUTIONS.items():
        print(f"\n{name}")
        for n in SIZES:
            r = nine(rng, probs, n, args.draws)
            flag = "" if min(r["new"], r["ex_new"]) >= 0.94 else "  FAIL"
            if flag:
                failures.append(("9 unsur", name, n))
            print(
                f"  n={n:4d}  rollup old {r['old']:.3f} new {r['new']:.3f} width {r['width']}"
                f"  | exact old {r['ex_old']:.3f} new {r['ex_new']:.3f} width {r['ex_width']}"
                f"{flag}"
            )

    print(
        f"\n{time.perf_counter() - started:.0f} s; "
        + ("all cells ≥ 94 %" if not failures else f"FAILED cells: {failures}")
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
