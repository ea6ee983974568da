"""Programme objectives judged by their own indicator.

Each objective line of a programme names (through :class:`ProgrammeObjective`) an indicator, a
comparison and a target. :func:`indicator_figures` computes every indicator's figure once from
the evaluation engine's result, the participation counts and the public-service before/after;
:func:`judge_objectives` compares each objective's figure with its target. An objective whose
indicator is not chosen, or whose figure cannot be computed, is "belum dapat dinilai": nothing is
ever judged by another indicator (the post-test mean used to judge them all).

The figure is a point estimate; where it has a sampling uncertainty the 95 % interval is kept
beside it (``ci_low``/``ci_high``) and the verdict notes when the interval still reaches across
the target. Intervals:

* post-test mean: Student t over the participants with a post-test;
* gain (points): the paired t-test of post − pre (the L2 table's interval);
* completion, SKP improved: Wilson score interval (Wilson 1927);
* behaviour change: the paired t-test of the atasan's ratings after − before;
* IKM change and change in the share of complaints resolved within the SLA: the impact
  estimator (:mod:`kompeten.stats.impact`, the one behind ``kompeten impact``) on the trained
  and comparison units' monthly values (difference-in-differences on unit changes, or the
  trained units' interrupted time series when no comparison unit has data); the figure is its
  estimate, not the raw after − before, which the note shows beside it;
* normalised gain, simulation score, supervisor rating level, median working days, ROI: none.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext, gettext_lazy, pgettext
from scipy import stats as scipy_stats

from kompeten.core import formatting
from kompeten.evaluation.interpret import MIN_N, pvalue, too_small
from kompeten.learning.models import (
    ObjectiveComparison,
    ObjectiveIndicator,
    Programme,
    ProgrammeObjective,
)
from kompeten.reports.evidence import ServiceChange
from kompeten.reports.impact import Impact

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Figure:
    """One indicator's value (in the indicator's unit), its 95 % interval where it has one, n
    and a short Indonesian note on what it was computed from (or why it is missing)."""

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ObjectiveVerdict:
    text: str
    indicator: str  # "" when not chosen
    indicator_label: str
    comparison: str
    target: float | None
    figure: Figure
    status: str  # tercapai | belum_tercapai | belum_dapat_dinilai

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def target_text(self) -> str:
        if self.target is None or not self.comparison:
            return ""
        unit = unit_suffix(self.indicator)
        if self.target == 0 and self.comparison == ObjectiveComparison.INCREASE:
            return pgettext("objective target", "naik")
        if self.target == 0 and self.comparison == ObjectiveComparison.DECREASE:
            return pgettext("objective target", "turun")
        return f"{COMPARISON_SYMBOLS[self.comparison]} {formatting.plain(self.target)}{unit}"

    def sentence(self) -> str:
        """ "Tujuan — status (indikator nilai, SK 95 % a s.d. b; target …; dasar)." in the
        active language (the objective's own text as written)."""
        if not self.indicator:
            return gettext("{objective} — belum dapat dinilai (indikator belum dipilih).").format(
                objective=self.text
            )
        f = self.figure
        short = str(SHORT_LABELS.get(self.indicator, self.indicator_label))
        if f.value is None:
            if f.note:
                return gettext(
                    "{objective} — belum dapat dinilai ({indicator} belum dapat dihitung: {why})."
                ).format(objective=self.text, indicator=short, why=f.note)
            return gettext(
                "{objective} — belum dapat dinilai ({indicator} belum dapat dihitung)."
            ).format(objective=self.text, indicator=short)
        ci = ""
        if f.ci_low is not None and f.ci_high is not None:
            ci = gettext(", SK 95% {low} s.d. {high}").format(
                low=formatting.plain(f.ci_low), high=formatting.plain(f.ci_high)
            )
        straddle = ""
        if self.straddles_target:
            straddle = gettext("; selang kepercayaan masih mencakup target, jadi belum pasti")
        note = f"; {f.note}" if f.note else ""
        return gettext(
            "{objective} — {status} ({indicator} {value}{ci}; target {target}{note}{straddle})."
        ).format(
            objective=self.text,
            status=self.status_label,
            indicator=short,
            value=formatting.plain(f.value) + unit_suffix(self.indicator),
            ci=ci,
            target=self.target_text,
            note=note,
            straddle=straddle,
        )

    @property
    def straddles_target(self) -> bool:
        f = self.figure
        if f.ci_low is None or f.ci_high is None or self.target is None or f.value is None:
            return False
        bound = _bound(self.comparison, self.target)
        return f.ci_low < bound < f.ci_high


# lazy translations: read in the active language
SHORT_LABELS = {
    "post_test": gettext_lazy("rata-rata post-test"),
    "gain": gettext_lazy("kenaikan skor pre→post"),
    "n_gain": gettext_lazy("gain ternormalisasi"),
    "completion": gettext_lazy("tingkat penyelesaian"),
    "simulation": gettext_lazy("skor simulasi"),
    "simulation_level": gettext_lazy("level rubrik simulasi"),
    "behaviour": gettext_lazy("penilaian atasan sesudah pelatihan"),
    "behaviour_change": gettext_lazy("perubahan penilaian atasan"),
    "skp_improved": gettext_lazy("pegawai dengan SKP membaik"),
    "ikm_change": gettext_lazy("perubahan IKM"),
    "complaint_days": gettext_lazy("perubahan median hari kerja penyelesaian pengaduan"),
    "complaint_sla": gettext_lazy("perubahan pengaduan selesai dalam batas waktu"),
    "roi": gettext_lazy("ROI"),
}
UNITS = {
    "simulation": "/100",
    "gain": gettext_lazy("poin"),
    "completion": "%",
    "skp_improved": "%",
    "ikm_change": gettext_lazy("poin"),
    "complaint_days": gettext_lazy("hari kerja"),
    "complaint_sla": gettext_lazy("poin persen"),
    "roi": "%",
}


def unit_suffix(indicator: str) -> str:
    """What follows an indicator's figure: "%" or "/100" directly, a word after a space, or
    nothing."""
    unit = str(UNITS.get(indicator, ""))
    return unit if unit in ("", "%", "/100") else " " + unit


STATUS_LABELS = {
    "tercapai": gettext_lazy("tercapai"),
    "belum_tercapai": gettext_lazy("belum tercapai"),
    "belum_dapat_dinilai": gettext_lazy("belum dapat dinilai"),
}
COMPARISON_SYMBOLS = {
    ObjectiveComparison.AT_LEAST.value: "≥",
    ObjectiveComparison.AT_MOST.value: "≤",
    ObjectiveComparison.INCREASE.value: gettext_lazy("naik sedikitnya"),
    ObjectiveComparison.DECREASE.value: gettext_lazy("turun sedikitnya"),
}
INDICATOR_LABELS = dict(ObjectiveIndicator.choices)


def _bound(comparison: str, target: float) -> float:
    return -target if comparison == ObjectiveComparison.DECREASE else target


def judge(comparison: str, target: float, value: float) -> bool:
    """Whether ``value`` meets ``target`` under ``comparison``. "naik sedikitnya t" means a
    change ≥ t and above zero; "turun sedikitnya t" a change ≤ −t and below zero."""
    if comparison == ObjectiveComparison.AT_LEAST:
        return value >= target
    if comparison == ObjectiveComparison.AT_MOST:
        return value <= target
    if comparison == ObjectiveComparison.INCREASE:
        return value >= target and value > 0
    if comparison == ObjectiveComparison.DECREASE:
        return value <= -target and value < 0
    raise ValueError(
        gettext("Pembanding {comparison} tidak dikenal.").format(comparison=repr(comparison))
    )


# --- intervals -------------------------------------------------------------------------------


def wilson(k: int, n: int) -> tuple[float, float] | None:
    """Wilson score interval of k/n (95 %)."""
    if n <= 0:
        return None
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def t_interval(
    values: Sequence[float], bounds: tuple[float, float] | None = None
) -> tuple[float, float] | None:
    """Student's t interval (95 %) of the mean of ``values``; cut to ``bounds`` when the mean
    cannot leave them (a 0–100 score: the cut interval covers whenever the uncut one does)."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = float(scipy_stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return low, high


# --- figures ---------------------------------------------------------------------------------


def _label(impact: Impact) -> str:
    names = [u.unit for u in impact.units]
    if len(names) == 1:
        return names[0]
    return gettext("gabungan {units}").format(units=", ".join(names))


def service_change(impact: Impact, key: str) -> ServiceChange | None:
    """The trained units' change in one outcome (``"ikm"`` or ``"pengaduan"``) as the impact
    estimator gives it (``kompeten impact`` on the report's monthly panel), beside the pooled
    before/after figures; None when the estimator gives no estimate."""
    e = impact.estimate(key)
    if e is None or e.estimate is None or e.before is None or e.after is None:
        return None
    return ServiceChange(
        _label(impact),
        e.before,
        e.after,
        e.estimate,
        e.ci_low,
        e.ci_high,
        e.n_before,
        e.n_after,
        pvalue=e.pvalue,
        design=e.design_short(),
        design_code=e.design,
        n_comparison=int(e.row.get("n_comparison") or 0),
    )


def change_sentence(ch: ServiceChange, key: str) -> str:
    """A conclusion's sentence on one outcome's estimated impact, negative or positive, with its
    interval, p-value, the pooled before/after figures and the design with its limits."""
    lo, hi = ch.ci_low, ch.ci_high
    sig = (
        gettext("turun bermakna")
        if hi is not None and hi < 0
        else gettext("naik bermakna")
        if lo is not None and lo > 0
        else gettext("berubah tidak bermakna")
    )
    if key == "ikm":
        d, unit, pc = 2, gettext("poin"), ""
        what = gettext("IKM {unit}").format(unit=ch.label)
    else:
        d, unit, pc = 1, gettext("poin persen"), "%"
        what = gettext("Pengaduan {unit} yang selesai dalam SLA").format(unit=ch.label)
    ci = (
        ""
        if lo is None or hi is None
        else gettext(", SK 95% {low} s.d. {high}").format(
            low=formatting.number(lo, d), high=formatting.number(hi, d)
        )
    )
    p = "" if ch.pvalue is None else f"; {pvalue(ch.pvalue)}"
    design = "" if not ch.design else "; " + gettext("desain: {design}").format(design=ch.design)
    return gettext(
        "{what} {verdict}: estimasi dampak {change} {unit}{ci}{p} ({before} sebelum, "
        "{after} sesudah{design})."
    ).format(
        what=what,
        verdict=sig,
        change=("+" if ch.change > 0 else "") + formatting.number(ch.change, d),
        unit=unit,
        ci=ci,
        p=p,
        before=formatting.number(ch.before, d) + pc,
        after=formatting.number(ch.after, d) + pc,
        design=design,
    )


def ikm_changes(impact: Impact) -> list[ServiceChange]:
    c = service_change(impact, "ikm")
    return [] if c is None else [c]


def sla_changes(impact: Impact) -> list[ServiceChange]:
    c = service_change(impact, "pengaduan")
    return [] if c is None else [c]


def _behaviour(ev: Any) -> Any | None:
    """The atasan's before/after change, six months after when present, else three."""
    changes = [c for c in getattr(ev.l3, "changes", ()) if c.rater_role == "atasan"]
    for phase in ("6bulan", "3bulan"):
        for c in changes:
            if c.phase_after == phase and c.n_pairs:
                return c
    return None


def _f(x: Any) -> float | None:
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None


# the indicators only the evaluation engine's result gives, in the order they are listed
ENGINE_INDICATORS = (
    "post_test",
    "gain",
    "n_gain",
    "simulation",
    "simulation_level",
    "behaviour",
    "behaviour_change",
    "skp_improved",
    "roi",
)


def _completion_figure(participants: int, completed: int) -> Figure:
    if not participants:
        return Figure(None, note=gettext("belum ada peserta"))
    ci = wilson(completed, participants)
    return Figure(
        completed / participants * 100,
        None if ci is None else ci[0] * 100,
        None if ci is None else ci[1] * 100,
        participants,
        gettext("{completed} dari {n} peserta").format(completed=completed, n=participants),
    )


def _post_test_figure(l2: Any) -> Figure:
    posts = [float(x) for x in l2.post_scores]
    if not posts:
        return Figure(None, note=gettext("post-test belum ada"))
    ci = t_interval(posts, bounds=(0.0, 100.0))
    return Figure(
        sum(posts) / len(posts),
        None if ci is None else ci[0],
        None if ci is None else ci[1],
        len(posts),
        gettext("{n} peserta dengan post-test").format(n=len(posts)),
    )


def _gain_figure(l2: Any) -> Figure:
    """Post − pre in points: the paired t-test's, or the plain difference of the means when
    there are pairs but no test."""
    t = l2.ttest
    if t is not None:
        return Figure(
            _f(t.mean_difference),
            _f(t.ci_low),
            _f(t.ci_high),
            t.n,
            gettext("{n} pasangan pre/post").format(n=t.n),
        )
    if l2.n_pairs:
        return Figure(
            None if l2.mean_post is None else float(l2.mean_post) - float(l2.mean_pre),
            n=l2.n_pairs,
            note=gettext("{n} pasangan pre/post, tanpa uji").format(n=l2.n_pairs),
        )
    return Figure(None, note=gettext("pasangan pre/post-test belum ada"))


def _n_gain_figure(l2: Any) -> Figure:
    g = l2.gain
    if g is None:
        return Figure(None, note=gettext("pasangan pre/post-test belum ada"))
    return Figure(_f(g.class_gain), n=g.n, note=gettext("{n} pasangan pre/post").format(n=g.n))


def _simulation_figure(l2: Any) -> Figure:
    """The simulations' mean score, weighted by the subjects each scored."""
    sims = [s for s in l2.simulations if s.mean_score is not None and s.n_subjects]
    if not sims:
        return Figure(None, note=gettext("penilaian simulasi/rubrik belum ada"))
    n = sum(s.n_subjects for s in sims)
    return Figure(
        sum(float(s.mean_score) * s.n_subjects for s in sims) / n,
        n=n,
        note="; ".join(
            gettext("{title}: {n} peserta").format(title=s.title, n=s.n_subjects) for s in sims
        ),
    )


def _simulation_level_figure(l2: Any) -> Figure:
    """The simulations' mean rubric level, weighted by the subjects each scored, on the rubric's
    own scale; only when every rubric scored shares one highest level score (a mean of a 1–4 and
    a 1–5 rubric's levels is no level of either)."""
    sims = [s for s in l2.simulations if s.mean_score is not None and s.n_subjects]
    if not sims:
        return Figure(None, note=gettext("penilaian simulasi/rubrik belum ada"))
    tops = {s.level_top for s in sims}
    if None in tops or len(tops) > 1:
        return Figure(
            None,
            note=gettext(
                "rubrik simulasi berskala berbeda; nilai tujuan ini dengan skor simulasi 0–100"
            ),
        )
    n = sum(s.n_subjects for s in sims)
    (top,) = tops
    return Figure(
        sum(float(s.mean_level) * s.n_subjects for s in sims) / n,
        n=n,
        note=gettext("level tertinggi rubrik {top}; {detail}").format(
            top=formatting.number(float(top), 0),
            detail="; ".join(
                gettext("{title}: {n} peserta").format(title=s.title, n=s.n_subjects) for s in sims
            ),
        ),
    )


def _behaviour_figures(ev: Any) -> tuple[Figure, Figure]:
    """The atasan's rating after training, and its change from before."""
    b = _behaviour(ev)
    if b is None:
        missing = Figure(None, note=gettext("penilaian atasan sebelum dan sesudah belum ada"))
        return missing, missing
    bt = b.ttest
    change = Figure(
        None
        if b.mean_after is None or b.mean_before is None
        else float(b.mean_after) - float(b.mean_before),
        None if bt is None else _f(bt.ci_low),
        None if bt is None else _f(bt.ci_high),
        b.n_pairs,
        gettext("{label}, {n} pasangan").format(label=b.label, n=b.n_pairs),
    )
    return Figure(_f(b.mean_after), n=b.n_pairs, note=b.label), change


def _skp_figure(skp: Any) -> Figure:
    if skp is None or not skp.n_pairs:
        return Figure(None, note=gettext("pasangan SKP sebelum dan sesudah belum ada"))
    ci = wilson(skp.improved, skp.n_pairs)
    return Figure(
        skp.improved / skp.n_pairs * 100,
        None if ci is None else ci[0] * 100,
        None if ci is None else ci[1] * 100,
        skp.n_pairs,
        gettext("{improved} dari {n} pegawai").format(improved=skp.improved, n=skp.n_pairs),
    )


def _engine_figures(ev: Any) -> dict[str, Figure]:
    """The figures of ``ENGINE_INDICATORS`` from the evaluation engine's result."""
    out: dict[str, Figure] = {}
    out["post_test"] = _post_test_figure(ev.l2)
    out["gain"] = _gain_figure(ev.l2)
    out["n_gain"] = _n_gain_figure(ev.l2)
    out["simulation"] = _simulation_figure(ev.l2)
    out["simulation_level"] = _simulation_level_figure(ev.l2)
    out["behaviour"], out["behaviour_change"] = _behaviour_figures(ev)
    out["skp_improved"] = _skp_figure(ev.l3.skp)
    roi = _f(ev.l5.roi_pct)
    out["roi"] = Figure(
        roi, note="" if roi is not None else gettext("biaya atau manfaat belum ada")
    )
    return out


def _service_figure(impact: Impact, name: str, decimals: int, unit: str) -> Figure:
    """One public-service outcome's (``"ikm"`` or ``"pengaduan"``) estimated impact."""
    e = impact.estimate(name)
    ch = service_change(impact, name)
    if ch is not None:
        return Figure(
            ch.change,
            ch.ci_low,
            ch.ci_high,
            ch.n_before + ch.n_after,
            gettext(
                "{unit}: {before} → {after}; estimasi dampak dari data bulanan, {p}; {design}"
            ).format(
                unit=ch.label,
                before=formatting.number(ch.before, decimals) + unit,
                after=formatting.number(ch.after, decimals) + unit,
                p=pvalue(ch.pvalue if ch.pvalue is not None else 1.0),
                design=ch.design,
            ),
        )
    if e is not None and e.estimate is not None:
        return Figure(None, note=gettext("unit terlatih tanpa data sebelum atau sesudah"))
    return Figure(
        None,
        note=e.design_text() if e is not None else gettext("belum ada unit terlatih"),
    )


def _complaint_days_figure(impact: Impact) -> Figure:
    """The change in the trained units' median working days to resolve a complaint: the
    Kaplan–Meier median of each window, complaints still open (at the window's end or today)
    and archived ones counted as censored. The median of the resolved ones alone would leave the
    slow complaints of a recent window out and show a speed-up nobody made. A before/after of the
    trained units without a comparison, whatever the other outcomes use."""
    before, after = impact.pooled_complaints_before, impact.pooled_complaints_after
    label = _label(impact)
    if before is None or after is None or not before.resolved or not after.resolved:
        return Figure(None, note=gettext("pengaduan selesai sebelum dan sesudah belum ada"))
    mb, ma = before.km_median_working_days, after.km_median_working_days
    if mb is None or ma is None:
        return Figure(
            None,
            note=gettext(
                "{unit}: kurang dari separuh pengaduan {window} sudah selesai, jadi mediannya "
                "belum diketahui"
            ).format(
                unit=label,
                window=gettext("sebelum pelatihan") if mb is None else gettext("sesudah pelatihan"),
            ),
        )
    return Figure(
        ma - mb,
        n=before.received + after.received,
        note=gettext(
            "{unit}: median {before} → {after} hari kerja (Kaplan–Meier; pengaduan yang belum "
            "selesai ikut dihitung); sebelum–sesudah tanpa pembanding"
        ).format(
            unit=label,
            before=formatting.number(mb, 1),
            after=formatting.number(ma, 1),
        ),
    )


def indicator_figures(
    ev: Any, participants: int, completed: int, impact: Impact
) -> dict[str, Figure]:
    """Every indicator's figure (see the module docstring). ``ev`` is the evaluation engine's
    result (None when it is not available: only completion and public service then)."""
    out: dict[str, Figure] = {"completion": _completion_figure(participants, completed)}
    if ev is not None:
        out.update(_engine_figures(ev))
    else:
        for key in ENGINE_INDICATORS:
            out[key] = Figure(None, note=gettext("mesin evaluasi tidak tersedia"))
    out["ikm_change"] = _service_figure(impact, "ikm", 2, "")
    out["complaint_sla"] = _service_figure(impact, "pengaduan", 1, "%")
    out["complaint_days"] = _complaint_days_figure(impact)
    return out


# --- verdicts --------------------------------------------------------------------------------

#: indicators read on the participants (or their supervisors) measured, the engine's but the
#: ROI: with fewer than :data:`~kompeten.evaluation.interpret.MIN_N` of them the objective is
#: not judged
SAMPLED = frozenset(ENGINE_INDICATORS) - {"roi"}


def objective_rows(programme: Programme) -> list[tuple[str, ProgrammeObjective | None]]:
    """Each objective line with its chosen measure (None when none was chosen)."""
    measures = {o.text: o for o in ProgrammeObjective.objects.filter(programme=programme)}
    return [(line, measures.get(line)) for line in programme.objective_list]


def judge_objectives(
    rows: Iterable[tuple[str, ProgrammeObjective | None]], figures: dict[str, Figure]
) -> list[ObjectiveVerdict]:
    out = []
    for text, m in rows:
        if m is None or not m.indicator or m.target is None or not m.comparison:
            out.append(
                ObjectiveVerdict(
                    text,
                    "",
                    gettext("indikator belum dipilih"),
                    "",
                    None,
                    Figure(None),
                    "belum_dapat_dinilai",
                )
            )
            continue
        target = float(m.target)
        fig = figures.get(m.indicator, Figure(None))
        if fig.value is not None and m.indicator in SAMPLED and (fig.n or 0) < MIN_N:
            # as every other sentence of the report: below MIN_N no conclusion
            fig = replace(fig, note="; ".join(x for x in (fig.note, too_small(fig.n or 0)) if x))
            status = "belum_dapat_dinilai"
        elif fig.value is None:
            status = "belum_dapat_dinilai"
        else:
            status = "tercapai" if judge(m.comparison, target, fig.value) else "belum_tercapai"
        out.append(
            ObjectiveVerdict(
                text,
                m.indicator,
                str(INDICATOR_LABELS.get(m.indicator, m.indicator)),
                m.comparison,
                target,
                fig,
                status,
            )
        )
    return out


def verdict_dict(v: ObjectiveVerdict) -> dict[str, Any]:
    """The JSON form (docs/reports.md, ``objectives``)."""
    return {
        "text": v.text,
        "indicator": v.indicator or None,
        "comparison": v.comparison or None,
        "target": v.target,
        "value": v.figure.value,
        "ci_low": v.figure.ci_low,
        "ci_high": v.figure.ci_high,
        "n": v.figure.n,
        "status": v.status,
        "note": v.figure.note or None,
    }
