"""Report charts: matplotlib (Agg) → SVG text, shown as a ``data:`` URI in the page and the PDF
(the Content-Security-Policy forbids inline style attributes, so no inline ``<svg>`` in pages).

Figures are made with ``matplotlib.figure.Figure`` directly, not through pyplot: no global
figure registry (safe in gunicorn's threads, nothing to close), the same SVG bytes."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

import matplotlib

matplotlib.use("Agg")
from django.utils.formats import number_format
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, Formatter

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "kompeten",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
BLUE, GREY, GREEN, RED = "#1f5f8b", "#9aa5b1", "#1b7a3a", "#b3261e"


def _id(value: float, decimals: int = 1) -> str:
    """``value`` rounded half up to ``decimals`` places, in the active language's number format
    (91,5 and 1.234 in Indonesian; 91.5 and 1,234 in English)."""
    rounded = Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    return number_format(rounded, decimals, force_grouping=True)


class LocalTicks(Formatter):
    """Axis ticks in the active language's number format (0,5 and 1.000 in Indonesian), all
    with the decimals their step needs (0,0 0,2 0,4 … rather than 0 0,2 0,4)."""

    decimals = 0

    def set_locs(self, locs: Any) -> None:
        super().set_locs(locs)
        steps = [abs(b - a) for a, b in pairwise(locs) if b != a]
        step = min(steps, default=1.0)
        self.decimals = next(
            (d for d in range(4) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 3
        )

    def __call__(self, x: float, pos: Any = None) -> str:
        return _id(x, self.decimals)


def _svg(fig: Figure) -> str:
    for ax in fig.axes:  # every numeric axis in the reader's number format
        for axis in (ax.xaxis, ax.yaxis):
            if not isinstance(axis.get_major_locator(), FixedLocator):  # not category labels
                axis.set_major_formatter(LocalTicks())
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buf.getvalue().decode("utf-8")


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def bars(
    labels: Sequence[Any],
    values: Sequence[Any],
    *,
    xlabel: str = "",
    decimals: int = 1,
    highlight: Sequence[bool] | None = None,
) -> str:
    """Horizontal bars with their values printed (Indonesian decimals)."""
    n = max(1, len(labels))
    fig = Figure(figsize=(6.2, 0.32 * n + 0.8))
    ax = fig.subplots()
    vals = [0.0 if v is None else float(v) for v in values]
    colours = [
        (RED if (highlight and highlight[i]) else BLUE) if values[i] is not None else GREY
        for i in range(len(vals))
    ]
    ax.barh(range(len(vals)), vals, color=colours)
    ax.set_yticks(range(len(vals)), [str(label)[:40] for label in labels])
    ax.invert_yaxis()
    top = max([*vals, 1.0])
    for i, v in enumerate(values):
        ax.text(
            (v or 0) + top * 0.01,
            i,
            "–" if v is None else _id(v, decimals),
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, top * 1.15)
    if xlabel:
        ax.set_xlabel(xlabel)
    return _svg(fig)


def grouped(
    labels: Sequence[Any],
    series: dict[str, Sequence[Any]],
    *,
    ylabel: str = "",
    decimals: int | None = None,
) -> str:
    """Vertical grouped bars (e.g. pre-test vs post-test, trained vs comparison).

    With ``decimals`` each bar carries its value (Indonesian decimals) and a missing value is
    marked "–" instead of a zero-height bar that reads as 0."""
    fig = Figure(figsize=(6.2, 2.8))
    ax = fig.subplots()
    k = max(1, len(series))
    width = 0.8 / k
    palette = [GREY, BLUE, GREEN, RED]
    top = max([float(v) for vals in series.values() for v in vals if v is not None] + [1.0])
    for j, (name, vals) in enumerate(series.items()):
        xs = [i + (j - (k - 1) / 2) * width for i in range(len(labels))]
        ax.bar(xs, [0 if v is None else v for v in vals], width, label=name, color=palette[j % 4])
        if decimals is not None:
            for x, v in zip(xs, vals, strict=False):
                ax.text(
                    x,
                    (0 if v is None else float(v)) + top * 0.01,
                    "–" if v is None else _id(float(v), decimals),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
    if decimals is not None:
        ax.set_ylim(0, top * 1.15)
    ax.set_xticks(range(len(labels)), [str(label)[:18] for label in labels])
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=k)
    return _svg(fig)


def lines(x: Sequence[str], series: dict[str, Sequence[float | None]], *, ylabel: str = "") -> str:
    fig = Figure(figsize=(6.2, 2.6))
    ax = fig.subplots()
    palette = [BLUE, GREY, GREEN, RED]
    for j, (name, vals) in enumerate(series.items()):
        pts = [(i, v) for i, v in enumerate(vals) if v is not None]
        if pts:
            ax.plot(
                [p[0] for p in pts],
                [p[1] for p in pts],
                marker="o",
                ms=3,
                label=name,
                color=palette[j % 4],
            )
    step = max(1, len(x) // 12)
    ax.set_xticks(range(0, len(x), step), [x[i] for i in range(0, len(x), step)], fontsize=7)
    if ylabel:
        ax.set_ylabel(ylabel)
    handles = ax.get_legend_handles_labels()[0]
    if handles:  # below the axes: a legend inside may cover a line
        ax.legend(
            frameon=False,
            fontsize=8,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            ncol=len(handles),
        )
    return _svg(fig)


def histogram(values: Sequence[float], *, bins: Sequence[float], xlabel: str = "") -> str:
    fig = Figure(figsize=(6.2, 2.4))
    ax = fig.subplots()
    ax.hist(list(values), bins=list(bins), color=BLUE, edgecolor="white")
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.set_ylabel("pegawai")
    return _svg(fig)
