"""The chart module: server-side SVG charts, shown as ``data:`` URIs in pages (the
Content-Security-Policy allows ``img-src data:`` and forbids inline styles), PDFs and saved pages.

Figures are ``matplotlib.figure.Figure`` objects made directly, never through pyplot: no global
figure registry in web processes (safe in gunicorn threads, nothing to close), the same SVG
bytes for the same data. Numbers and month names follow the active language through Django's
localisation; category bands come from the regulation's own table in ``kompeten.standards``.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Any

import matplotlib

matplotlib.use("Agg")
from django.utils.formats import date_format
from django.utils.translation import gettext
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, Formatter

from kompeten.core import formatting, images
from kompeten.standards._tables import BandTable
from kompeten.stats.survival import KaplanMeierResult

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

BLUE, ORANGE, GREY, GREEN, RED = "#1f5f8b", "#c8671b", "#9aa5b1", "#1b7a3a", "#b3261e"
# Colours of the IKM mutu codes, best first.
MUTU_COLOURS = {"A": "#1b7a3a", "B": "#3a7d1b", "C": "#a86400", "D": "#b3261e"}


def figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height))


def svg_text(fig: Figure) -> str:
    for ax in fig.axes:  # every numeric axis in the reader's number format
        for axis in (ax.xaxis, ax.yaxis):
            if not isinstance(axis.get_major_locator(), FixedLocator):  # not category labels
                axis.set_major_formatter(LocalTicks())
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buf.getvalue().decode("utf-8")


def data_uri(svg: str) -> str:
    return images.data_uri(svg.encode("utf-8"), images.SVG_MIME)


def to_data_uri(fig: Figure) -> str:
    return data_uri(svg_text(fig))


class LocalTicks(Formatter):
    """Axis ticks in the reader's number format (0,5 and 1.000 in Indonesian), all with the
    decimals their step needs (0,0 0,2 0,4 … rather than 0 0,2 0,4)."""

    decimals = 0

    def set_locs(self, locs: Any) -> None:
        super().set_locs(locs)
        steps = [abs(b - a) for a, b in pairwise(locs) if b != a]
        step = min(steps, default=1.0)
        self.decimals = next(
            (d for d in range(4) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 3
        )

    def __call__(self, x: float, pos: Any = None) -> str:
        return formatting.number(x, self.decimals)


def month_label(month: date) -> str:
    """A month on an axis: the language's short month name and a two-digit year ("Agu 26")."""
    return f"{date_format(month, 'M')} {month.year % 100:02d}"


def band_spans(bands: BandTable) -> list[tuple[float, float, str]]:
    """(lower, upper, colour) of each category of a regulation's table, lowest first."""
    return [(float(b.lower), float(b.upper), MUTU_COLOURS.get(b.code, GREY)) for b in bands.bands]


def trend_chart(
    points: Sequence[tuple[date, float | None]], bands: BandTable, title: str = ""
) -> str:
    """IKM per month, over the background of the mutu bands of the unit's own regulation."""
    fig = figure(7, 2.8)
    ax = fig.subplots()
    for lower, upper, colour in band_spans(bands):
        ax.axhspan(lower, upper, color=colour, alpha=0.07, lw=0)
    xs = [month_label(p[0]) for p in points]
    ys = [p[1] for p in points]
    ax.plot(xs, [y if y is not None else float("nan") for y in ys], marker="o", color=BLUE)
    values = [y for y in ys if y is not None]
    floor = float(bands.bands[0].lower)
    if values:
        ax.set_ylim(max(floor, min(values) - 5), min(100, max(values) + 3))
    ax.set_ylabel("IKM")
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=45)
    return to_data_uri(fig)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    colours: Sequence[str],
    *,
    xlim: tuple[float, float],
    xlabel: str,
) -> str:
    """Horizontal bars (NRR per unsur, IKM per unit), the value printed at the end of each bar."""
    fig = figure(7, 0.35 * len(labels) + 0.8)
    ax = fig.subplots()
    ypos = list(range(len(labels)))[::-1]
    ax.barh(ypos, values, color=colours)
    ax.set_yticks(ypos, labels)
    ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel)
    for y, v in zip(ypos, values, strict=True):
        ax.text(v, y, " " + formatting.number(v, 2), va="center", fontsize=8)
    return to_data_uri(fig)


def km_chart(curves: Sequence[tuple[str, KaplanMeierResult]], xlabel: str = "") -> str:
    """Kaplan–Meier step curves: the share of complaints still unresolved after t working days."""
    fig = figure(7, 3)
    ax = fig.subplots()
    for label, km in curves:
        xs = [0.0, *km.times]
        ys = [1.0, *km.survival]
        if km.median is not None:
            median = " " + gettext("(median {value})").format(value=formatting.number(km.median, 2))
        else:
            median = " " + gettext("(median belum tercapai)")
        ax.step(xs, ys, where="post", label=f"{label}{median}")
    ax.axhline(0.5, color="#999", lw=0.6, ls="--")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(xlabel or gettext("hari kerja"))
    ax.set_ylabel(gettext("belum selesai"))
    ax.legend(fontsize=7, frameon=False)
    return to_data_uri(fig)


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
    fig = figure(6.2, 0.32 * n + 0.8)
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
            formatting.number(v, decimals),
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, top * 1.15)
    if xlabel:
        ax.set_xlabel(xlabel)
    return svg_text(fig)


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
    fig = figure(6.2, 2.8)
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
                    "–" if v is None else formatting.number(float(v), decimals),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
    if decimals is not None:
        ax.set_ylim(0, top * 1.15)
    ticks = [category_label(label) for label in labels]
    ax.set_xticks(range(len(labels)), ticks)
    if ylabel:
        ax.set_ylabel(ylabel)
    # the legend below the category names, however many lines they take
    rows = max([t.count("\n") + 1 for t in ticks] + [1])
    below = -0.14 - 0.08 * (rows - 1)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, below), ncol=k)
    return svg_text(fig)


CATEGORY_WIDTH = 18  # characters on one line under a bar group
CATEGORY_LINES = 3


def category_label(label: Any) -> str:
    """A category's name under its bars: whole words on lines of CATEGORY_WIDTH characters, at
    most CATEGORY_LINES of them (the last ending in "…" when the name is longer), so that two
    units whose names begin alike ("DINAS PENANAMAN MODAL …", "DINAS KEPENDUDUKAN …") are told
    apart instead of cut at the same eighteen characters."""
    lines = textwrap.wrap(str(label), CATEGORY_WIDTH, break_long_words=True) or [""]
    if len(lines) > CATEGORY_LINES:
        last = lines[CATEGORY_LINES - 1]
        lines = [*lines[: CATEGORY_LINES - 1], last[: CATEGORY_WIDTH - 1].rstrip() + "…"]
    return "\n".join(lines)


def lines(x: Sequence[str], series: dict[str, Sequence[float | None]], *, ylabel: str = "") -> str:
    fig = figure(6.2, 2.6)
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
    return svg_text(fig)
