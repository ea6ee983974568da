"""Server-side SVG charts (matplotlib Agg) as ``data:`` URIs, like the service app's charts."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from django.utils.translation import gettext
from matplotlib.figure import Figure

from kompeten.core.charts import month_label
from kompeten.core.charts import to_data_uri as _to_uri
from kompeten.evaluation.levels.results import (
    BatchGain,
    BehaviourChange,
    DidOutcome,
    L5Result,
    TrainerReaction,
)

BLUE, ORANGE, GREY, GREEN, RED = "#0b5c8e", "#c8671b", "#8a8f98", "#1b7a3a", "#b3261e"


def prepost_distribution(pre: Sequence[float], post: Sequence[float]) -> str | None:
    if not pre and not post:
        return None
    fig = Figure(figsize=(6, 2.6))
    ax = fig.subplots()
    bins = [i * 10 for i in range(11)]
    ax.hist(
        [list(pre), list(post)],
        bins=bins,
        label=[gettext("Pre-test"), gettext("Post-test")],
        color=[GREY, BLUE],
    )
    ax.set_xlabel(gettext("Nilai (persen dari skor maksimum)"))
    ax.set_ylabel(gettext("Peserta"))
    ax.legend(frameon=False)
    return _to_uri(fig)


def gain_per_batch(rows: Sequence[BatchGain]) -> str | None:
    rows = [r for r in rows if r.class_gain is not None]
    if not rows:
        return None
    fig = Figure(figsize=(6, 0.5 + 0.4 * len(rows)))
    ax = fig.subplots()
    ax.barh([r.label for r in rows], [r.class_gain or 0 for r in rows], color=BLUE)
    for cut in (0.3, 0.7):
        ax.axvline(cut, color=GREY, lw=0.8, ls="--")
    ax.set_xlim(min(0, *[r.class_gain or 0 for r in rows]), 1)
    ax.set_xlabel(gettext("Gain ternormalisasi kelas ⟨g⟩"))
    ax.invert_yaxis()
    return _to_uri(fig)


def reaction_per_trainer(rows: Sequence[TrainerReaction]) -> str | None:
    rows = [r for r in rows if r.overall.index is not None]
    if not rows:
        return None
    fig = Figure(figsize=(6, 0.5 + 0.4 * len(rows)))
    ax = fig.subplots()
    ax.barh([r.name for r in rows], [r.overall.index or 0 for r in rows], color=ORANGE)
    for cut in (60, 70, 80, 90):
        ax.axvline(cut, color=GREY, lw=0.6, ls=":")
    ax.set_xlim(0, 100)
    ax.set_xlabel(gettext("Indeks reaksi (0–100)"))
    ax.invert_yaxis()
    return _to_uri(fig)


def behaviour_before_after(rows: Sequence[BehaviourChange]) -> str | None:
    rows = [r for r in rows if r.mean_before is not None and r.mean_after is not None]
    if not rows:
        return None
    fig = Figure(figsize=(6, 0.6 + 0.5 * len(rows)))
    ax = fig.subplots()
    ys = list(range(len(rows)))
    ax.scatter(
        [r.mean_before or 0.0 for r in rows], ys, color=GREY, label=gettext("Sebelum"), zorder=3
    )
    ax.scatter(
        [r.mean_after or 0.0 for r in rows], ys, color=BLUE, label=gettext("Sesudah"), zorder=3
    )
    for y, r in zip(ys, rows, strict=True):
        ax.plot([r.mean_before or 0.0, r.mean_after or 0.0], [y, y], color=BLUE, lw=1)
    ax.set_yticks(ys, [r.label for r in rows])
    ax.set_xlim(1, 5)
    ax.set_xlabel(gettext("Rata-rata skor perilaku (1–5)"))
    ax.legend(frameon=False, loc="lower right")
    ax.invert_yaxis()
    return _to_uri(fig)


def did_trends(outcome: DidOutcome) -> str | None:
    if not any(v is not None for v in outcome.treated_series):
        return None
    fig = Figure(figsize=(7, 2.8))
    ax = fig.subplots()
    xs = [month_label(m) for m in outcome.months]
    nan = float("nan")
    lines = (
        (outcome.treated_series, "o", BLUE, gettext("Unit dilatih")),
        (outcome.comparison_series, "s", GREY, gettext("Unit pembanding")),
    )
    for series, marker, color, label in lines:
        ys = [nan if v is None else v for v in series]
        ax.plot(xs, ys, marker=marker, color=color, label=label)
    if outcome.intervention in outcome.months:
        ax.axvline(outcome.months.index(outcome.intervention) - 0.5, color=ORANGE, ls="--", lw=1)
    ax.set_ylabel(outcome.label)
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(frameon=False)
    return _to_uri(fig)


def roi_waterfall(l5: L5Result) -> str | None:
    if l5.total_cost <= 0 and l5.total_benefit <= 0:
        return None
    labels = [b.name[:28] for b in l5.benefits] + [gettext("Biaya"), gettext("Manfaat bersih")]
    fig = Figure(figsize=(7, 3))
    ax = fig.subplots()
    running = 0.0
    for i, b in enumerate(l5.benefits):
        ax.bar(i, b.isolated_value / 1e6, bottom=running / 1e6, color=GREEN)
        running += b.isolated_value
    i = len(l5.benefits)
    ax.bar(i, -l5.total_cost / 1e6, bottom=running / 1e6, color=RED)
    net = l5.total_benefit - l5.total_cost
    ax.bar(i + 1, net / 1e6, color=BLUE if net >= 0 else RED)
    ax.axhline(0, color=GREY, lw=0.8)
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_ylabel(gettext("Juta rupiah"))
    return _to_uri(fig)
