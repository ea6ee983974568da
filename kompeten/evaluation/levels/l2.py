"""L2 learning: pre/post scores (percent of the form's maximum, so parallel forms compare),
Hake's class gain as the headline with the mean individual gain beside it, paired t-test,
Wilcoxon signed-rank, d_z with its noncentral-t interval, item analysis and simulation rubrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext, pgettext_lazy

from kompeten.core import formatting
from kompeten.evaluation import interpret
from kompeten.evaluation.levels.results import (
    BatchGain,
    ItemAnalysis,
    L2Result,
    SimulationResult,
)
from kompeten.stats import (
    GainResult,
    IccResult,
    PairedEffectSize,
    PairedTTestResult,
    WilcoxonResult,
    icc,
    normalized_gain,
    paired_effect_size,
    paired_ttest,
    wilcoxon_signed_rank,
)
from kompeten.stats.errors import StatsError

# Classical test theory conventions (Crocker & Algina 1986; Ebel & Frisbie 1991).
DIFFICULTY_BANDS = (
    (0.3, pgettext_lazy("item difficulty", "sukar")),
    (0.7, pgettext_lazy("item difficulty", "sedang")),
    (1.01, pgettext_lazy("item difficulty", "mudah")),
)
DISCRIMINATION_BANDS = (
    (0.2, pgettext_lazy("item discrimination", "jelek")),
    (0.3, pgettext_lazy("item discrimination", "cukup")),
    (0.4, pgettext_lazy("item discrimination", "baik")),
    (9.0, pgettext_lazy("item discrimination", "sangat baik")),
)
UPPER_LOWER_SHARE = 0.27


def _band(value: float | None, bands: Sequence[tuple[float, object]]) -> str:
    """The band's word in the active language (a plain string, results are serialised)."""
    if value is None:
        return ""
    for limit, label in bands:
        if value < limit:
            return str(label)
    return str(bands[-1][1])


def class_gain(
    pre: npt.NDArray[np.float64], post: npt.NDArray[np.float64]
) -> tuple[GainResult | None, str]:
    """Hake's gain of percent scores, or None and why: too few pairs (no reason, the sentence
    says n), or every pre-test score already at the maximum (no room to gain)."""
    if pre.size < 2:
        return None, ""
    try:
        return normalized_gain(pre, post, 100.0), ""
    except StatsError:  # the one undefined case: every pre-test score is the maximum
        return None, gettext("semua nilai pre-test sudah maksimum")


def paired_change(
    before: npt.NDArray[np.float64], after: npt.NDArray[np.float64]
) -> tuple[PairedTTestResult | None, PairedEffectSize | None, str]:
    """The paired t-test and the effect sizes, or None and why: too few pairs (no reason, the sentence says
    n), or every pair changed by the same amount (no variance)."""
    if before.size < 2:
        return None, None, ""
    try:
        ttest = paired_ttest(before, after)
    except StatsError:  # the one undefined case: every difference is the same
        return None, None, gettext("semua selisih sama")
    return ttest, paired_effect_size(before, after), ""


def paired_sentence(
    what: str,
    ttest: PairedTTestResult,
    effect: PairedEffectSize | None,
    n: int,
    unit: str = "",
    decimals: int = 1,
) -> str:
    """The sentence on a mean change measured by the paired t-test, with its d_av as the effect
    (:func:`interpret.mean_change`)."""
    return interpret.mean_change(
        what=what,
        diff=ttest.mean_difference,
        ci_low=ttest.ci_low,
        ci_high=ttest.ci_high,
        p=ttest.pvalue,
        d=effect.d_av if effect else None,
        n=n,
        unit=unit,
        decimals=decimals,
    )


def signed_rank(
    before: npt.NDArray[np.float64], after: npt.NDArray[np.float64]
) -> tuple[WilcoxonResult | None, str]:
    """The Wilcoxon signed-rank test, or None and why: too few pairs (no reason), or every
    difference zero (nothing to rank)."""
    if before.size < 2:
        return None, ""
    try:
        return wilcoxon_signed_rank(before, after), ""
    except StatsError:  # every difference is zero
        return None, gettext("semua selisih nol")


def pair_scores(
    subjects: npt.NDArray[np.int64],
    is_post: npt.NDArray[np.bool_],
    pct: npt.NDArray[np.float64],
    batches: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Align pre and post of the same subject: (pre, post, batch) of complete pairs."""
    pre = dict(zip(subjects[~is_post].tolist(), pct[~is_post].tolist(), strict=True))
    post_s, post_v, post_b = subjects[is_post], pct[is_post], batches[is_post]
    keep = np.array([s in pre for s in post_s.tolist()], dtype=bool)
    pre_v = np.array([pre[s] for s in post_s[keep].tolist()], dtype=float)
    return pre_v, post_v[keep], post_b[keep]


def _change_sentence(
    pre: npt.NDArray[np.float64],
    post: npt.NDArray[np.float64],
    ttest: PairedTTestResult | None,
    effect: PairedEffectSize | None,
) -> str:
    """The sentence on the mean change: the paired t-test's when it could be computed, a note
    when every participant changed by the same amount (no variance), else "too few"."""
    n = int(pre.size)
    if ttest is not None:
        return paired_sentence(gettext("Rata-rata nilai"), ttest, effect, n)
    if n >= 2 and np.allclose(post - pre, (post - pre)[0]):
        diff = float((post - pre)[0])
        if n >= interpret.MIN_N:
            return gettext(
                "Semua peserta berubah sama persis ({diff} poin); uji statistik tidak dapat "
                "dihitung. n = {n}."
            ).format(diff=formatting.number(diff, 1), n=n)
    return gettext("Rata-rata nilai: {verdict}").format(verdict=interpret.too_small(n))


def _batch_gains(
    pre: npt.NDArray[np.float64],
    post: npt.NDArray[np.float64],
    pair_batches: npt.NDArray[np.int64],
    batch_labels: Mapping[int, str],
) -> list[BatchGain]:
    """Means and class gain of each batch's pairs."""
    by_batch = []
    for bid in sorted(set(pair_batches.tolist())):
        m = pair_batches == bid
        g, _ = class_gain(pre[m], post[m])
        by_batch.append(
            BatchGain(
                batch_id=int(bid),
                label=batch_labels.get(bid, str(bid)),
                n=int(m.sum()),
                mean_pre=float(pre[m].mean()),
                mean_post=float(post[m].mean()),
                class_gain=g.class_gain if g else None,
            )
        )
    return by_batch


def compute_l2(
    *,
    subjects: npt.NDArray[np.int64],
    is_post: npt.NDArray[np.bool_],
    pct: npt.NDArray[np.float64],
    batches: npt.NDArray[np.int64],
    n_pending: int,
    batch_labels: Mapping[int, str],
    items: Sequence[ItemAnalysis],
    simulations: Sequence[SimulationResult],
    totals_only: bool = False,
) -> L2Result:
    """Scores are percent of each form's maximum: item-scored tests and totals without item
    answers (``totals_only`` when every score is such a total) pair alike. Means and gains are
    over the pairs; ``mean_pre_all``/``mean_post_all`` over everyone who sat that test."""
    pre, post, pair_batches = pair_scores(subjects, is_post, pct, batches)
    n = int(pre.size)
    gain, gain_missing = class_gain(pre, post)
    ttest, effect, tests_missing = paired_change(pre, post)
    wilcoxon, all_zero = signed_rank(pre, post)
    if gain is not None:
        gain_sentence = interpret.gain(
            gain.class_gain, str(gain.category), gain.mean_individual_gain, n
        )
    else:
        gain_sentence = gettext("Gain belajar: {verdict}").format(
            verdict=gain_missing or interpret.too_small(n)
        )
    change_sentence = _change_sentence(pre, post, ttest, effect)
    by_batch = _batch_gains(pre, post, pair_batches, batch_labels)
    return L2Result(
        n_pre=int((~is_post).sum()),
        n_post=int(is_post.sum()),
        n_pairs=n,
        n_pending_marking=n_pending,
        mean_pre=float(pre.mean()) if n else None,
        mean_post=float(post.mean()) if n else None,
        gain=gain,
        ttest=ttest,
        wilcoxon=wilcoxon,
        effect=effect,
        pre_scores=tuple(pct[~is_post].tolist()),
        post_scores=tuple(pct[is_post].tolist()),
        by_batch=tuple(by_batch),
        items=tuple(items),
        simulations=tuple(simulations),
        gain_sentence=gain_sentence,
        change_sentence=change_sentence,
        mean_pre_all=float(pct[~is_post].mean()) if (~is_post).any() else None,
        mean_post_all=float(pct[is_post].mean()) if is_post.any() else None,
        mean_gain=float((post - pre).mean()) if n else None,
        totals_only=totals_only,
        gain_missing=gain_missing,
        tests_missing=all_zero or tests_missing,
    )


def item_analysis(
    *,
    instrument_label: str,
    rows: Sequence[tuple[int, int, str, float, int, float, float | None, float | None]],
) -> list[ItemAnalysis]:
    """``rows``: (item id, order, text, weight, n, mean points, mean points upper, lower)."""
    out = []
    for item_id, order, text, weight, n, mean_pts, upper, lower in rows:
        difficulty = mean_pts / weight if n and weight else None
        disc = (
            (upper - lower) / weight if upper is not None and lower is not None and weight else None
        )
        out.append(
            ItemAnalysis(
                item_id=item_id,
                instrument=instrument_label,
                order=order,
                text=text,
                n=n,
                difficulty=difficulty,
                discrimination=disc,
                difficulty_label=_band(difficulty, DIFFICULTY_BANDS),
                discrimination_label=_band(disc, DISCRIMINATION_BANDS),
            )
        )
    return out


def upper_lower_cutoffs(scores: npt.NDArray[np.float64]) -> tuple[float, float] | None:
    """Score thresholds of the top and bottom 27 % (Kelley 1939)."""
    if scores.size < 4:
        return None
    ordered = np.sort(scores)
    k = max(1, round(scores.size * UPPER_LOWER_SHARE))
    return float(ordered[-k]), float(ordered[k - 1])


def _icc(rows: list[list[float]]) -> tuple[IccResult | None, str]:
    """The ICCs of (participant × observer) scores, or None and why: too few participants (no
    reason, the sentence says n), or scores that do not vary beyond a constant per observer."""
    if len(rows) < 2:
        return None, ""
    try:
        return icc(np.array(rows)), ""
    except StatsError:  # every score the same, or no residual variance
        return None, gettext("nilai para pengamat tidak bervariasi di luar selisih tetap")


def simulation_result(
    *,
    module_id: int,
    title: str,
    subjects: npt.NDArray[np.int64],
    observers: npt.NDArray[np.int64],
    criteria: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float64],
    criterion_meta: Mapping[int, tuple[str, float, float]],
) -> SimulationResult:
    """Per (participant, observer) weighted rubric score on 0–100; ICC across observers.

    ``criterion_meta``: criterion id → (name, weight, highest level score). When every
    participant is scored by the same observers the ICC is ICC(2,1) (two-way random, absolute
    agreement); when observers differ between participants, ICC(1,1) on observer slots."""
    weights = np.array([criterion_meta[c][1] for c in criteria.tolist()], dtype=float)
    tops = np.array([criterion_meta[c][2] for c in criteria.tolist()], dtype=float)
    total_weight = sum(m[1] for m in criterion_meta.values()) or 1.0
    part = weights * scores / tops / total_weight * 100
    pairs: dict[tuple[int, int], float] = {}
    for s, o, v in zip(subjects.tolist(), observers.tolist(), part.tolist(), strict=True):
        pairs[(s, o)] = pairs.get((s, o), 0.0) + v
    by_subject: dict[int, dict[int, float]] = {}
    for (s, o), v in pairs.items():
        by_subject.setdefault(s, {})[o] = v
    crit = []
    for cid, (name, _w, top) in criterion_meta.items():
        m = criteria == cid
        if m.any():
            crit.append((name, float(scores[m].mean() / top * 100)))
    observer_sets = {frozenset(v) for v in by_subject.values() if len(v) >= 2}
    icc_value = icc_ci = None
    method = icc_missing = ""
    if observer_sets:
        same = len(observer_sets) == 1
        k = min(len(s) for s in observer_sets)
        rows = []
        for v in by_subject.values():
            if len(v) >= k and len(v) >= 2:
                rows.append([v[o] for o in sorted(v)][:k])
        res, icc_missing = _icc(rows)
        if res is not None:
            est = res.icc2_1 if same else res.icc1_1
            icc_value, icc_ci = est.value, (est.ci_low, est.ci_high)
            method = (
                gettext("ICC(2,1) acak dua arah, kesepakatan absolut")
                if same
                else gettext("ICC(1,1) acak satu arah")
            )
            sentence = interpret.icc_sentence(est.value, est.ci_low, est.ci_high, len(rows), k)
        else:
            sentence = gettext("Kesepakatan antarpengamat: {verdict}").format(
                verdict=icc_missing or interpret.too_small(len(rows))
            )
    else:
        sentence = gettext(
            "Kesepakatan antarpengamat belum dapat dihitung: tiap peserta baru dinilai satu "
            "pengamat."
        )
    means = [float(np.mean(list(v.values()))) for v in by_subject.values()]
    mean_score = float(np.mean(means)) if means else None
    level_tops = {float(m[2]) for m in criterion_meta.values()}
    level_top = level_tops.pop() if len(level_tops) == 1 else None
    return SimulationResult(
        module_id=module_id,
        title=title,
        n_subjects=len(by_subject),
        n_observers=len(set(observers.tolist())),
        mean_score=mean_score,
        criteria=tuple(crit),
        icc_value=icc_value,
        icc_ci=icc_ci,
        icc_method=method,
        sentence=sentence,
        icc_missing=icc_missing,
        level_top=level_top,
        mean_level=(
            None if level_top is None or mean_score is None else mean_score * level_top / 100
        ),
    )
