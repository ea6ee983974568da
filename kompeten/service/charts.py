"""Server-side SVG charts (matplotlib, Agg backend), returned as ``data:`` URIs so the same
image shows in the page (CSP allows ``img-src data:``), in a PDF and in a saved page."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

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

MUTU_COLOURS = {"A": "#1b7a3a", "B": "#3a7d1b", "C": "#a86400", "D": "#b3261e"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _to_uri(fig: plt.Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _fmt(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def trend_chart(points: Sequence[tuple[date, float | None]], title: str = "") -> str:
    """IKM unit per month, with the mutu bands as a background."""
    fig, ax = plt.subplots(figsize=(7, 2.8))
    for lo, hi, mutu in ((25, 64.99, "D"), (65, 76.6, "C"), (76.61, 88.3, "B"), (88.31, 100, "A")):
        ax.axhspan(lo, hi, color=MUTU_COLOURS[mutu], alpha=0.07, lw=0)
    xs = [f"{MONTHS[p[0].month - 1]} {p[0].year % 100:02d}" for p in points]
    ys = [p[1] for p in points]
    ax.plot(xs, [y if y is not None else float("nan") for y in ys], marker="o", color="#0b5c8e")
    values = [y for y in ys if y is not None]
    if values:
        ax.set_ylim(max(25, min(values) - 5), min(100, max(values) + 3))
    ax.set_ylabel("IKM")
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=45)
    return _to_uri(fig)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    colours: Sequence[str],
    *,
    xlim: tuple[float, float],
    xlabel: str,
) -> str:
    """Horizontal bars (NRR per unsur, IKM per unit), value printed at the end of each bar."""
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(labels) + 0.8))
    ypos = list(range(len(labels)))[::-1]
    ax.barh(ypos, values, color=colours)
    ax.set_yticks(ypos, labels)
    ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel)
    for y, v in zip(ypos, values, strict=True):
        ax.text(v, y, " " + _fmt(v), va="center", fontsize=8)
    return _to_uri(fig)


def km_chart(curves: Sequence[tuple[str, KaplanMeierResult]], xlabel: str = "hari kerja") -> str:
    """Kaplan–Meier step curves: share of complaints still unresolved after t working days."""
    fig, ax = plt.subplots(figsize=(7, 3))
    for label, km in curves:
        xs = [0.0, *km.times]
        ys = [1.0, *km.survival]
        median = (
            f" (median {_fmt(km.median)})" if km.median is not None else " (median belum tercapai)"
        )
        ax.step(xs, ys, where="post", label=f"{label}{median}")
    ax.axhline(0.5, color="#999", lw=0.6, ls="--")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("belum selesai")
    ax.legend(fontsize=7, frameon=False)
    return _to_uri(fig)
