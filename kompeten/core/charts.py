"""The chart module: server-side SVG charts, shown as ``data:`` URIs in pages (the
Content-Security-Policy allows ``img-src data:`` and forbids inline styles), PDFs and saved pages.

Figures are ``matplotlib.figure.Figure`` objects made directly, never through pyplot: no global
figure registry in web processes (safe in gunicorn threads, nothing to close), the same SVG
bytes for the same data. Numbers and month names follow the active language through Django's
localisation; category bands come from the regulation's own table in ``kompeten.standards``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from matplotlib.figure import Figure

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

BLUE, ORANGE, GREY, GREEN, RED = "#0b5c8e", "#c8671b", "#8a8f98", "#1b7a3a", "#b3261e"
# Colours of the IKM mutu codes, best first.
MUTU_COLOURS = {"A": "#1b7a3a", "B": "#3a7d1b", "C": "#a86400", "D": "#b3261e"}


def figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height))


def svg_text(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buf.getvalue().decode("utf-8")


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def to_data_uri(fig: Figure) -> str:
    return data_uri(svg_text(fig))


def number(value: float, decimals: int = 2) -> str:
    """A number as the reader's language writes it (72,35 in Indonesian, 72.35 in English)."""
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


def month_label(month: date) -> str:
    """A month on an axis: the language's short month name and a two-digit year ("Agu 26")."""
    return f"{date_format(month, 'M')} {month.year % 100:02d}"


def band_spans(bands: BandTable) -> list[tuple[float, float, str]]:
    """(lower, upper, colour) of each category of a regulation's table, lowest first."""
    return [
        (float(b.lower), float(b.upper), MUTU_COLOURS.get(b.code, GREY)) for b in bands.bands
    ]


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
        ax.text(v, y, " " + number(v), va="center", fontsize=8)
    return to_data_uri(fig)


def km_chart(curves: Sequence[tuple[str, KaplanMeierResult]], xlabel: str = "") -> str:
    """Kaplan–Meier step curves: the share of complaints still unresolved after t working days."""
    fig = figure(7, 3)
    ax = fig.subplots()
    for label, km in curves:
        xs = [0.0, *km.times]
        ys = [1.0, *km.survival]
        if km.median is not None:
            median = " " + gettext("(median {value})").format(value=number(km.median))
        else:
            median = " " + gettext("(median belum tercapai)")
        ax.step(xs, ys, where="post", label=f"{label}{median}")
    ax.axhline(0.5, color="#999", lw=0.6, ls="--")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(xlabel or gettext("hari kerja"))
    ax.set_ylabel(gettext("belum selesai"))
    ax.legend(fontsize=7, frameon=False)
    return to_data_uri(fig)
