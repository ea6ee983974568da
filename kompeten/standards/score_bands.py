"""Trainer and organiser score bands used in LAN practice (LOW; editable), and Likert → 0–100.

==================  =================
score (0–100)       band
==================  =================
90,01 – 100         Sangat Memuaskan
80,01 – 90,00       Memuaskan
70,01 – 80,00       Cukup Memuaskan
60,01 – 70,00       Kurang Memuaskan
0 – 60,00           Tidak Memuaskan
==================  =================

As for the IKM, the band is read on the score rounded half-up to 2 decimals (what the report
shows), so there is no gap between 90,00 and 90,01.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeAlias

from kompeten.standards._tables import Band, BandTable, Number, make_bands, to_fraction

LikertMethod: TypeAlias = Literal["linear", "percent_of_max"]

LAN_SCORE_BANDS = BandTable(
    regulation="Practice of LAN evaluations of widyaiswara/fasilitator and penyelenggaraan "
    "(no regulation text seen)",
    effective_from=date(2018, 1, 1),
    confidence="LOW",
    bands=make_bands(
        [
            ("0.00", "60.00", "tidak_memuaskan", "Tidak Memuaskan"),
            ("60.01", "70.00", "kurang_memuaskan", "Kurang Memuaskan"),
            ("70.01", "80.00", "cukup_memuaskan", "Cukup Memuaskan"),
            ("80.01", "90.00", "memuaskan", "Memuaskan"),
            ("90.01", "100.00", "sangat_memuaskan", "Sangat Memuaskan"),
        ]
    ),
)


def score_band(score: Number, table: BandTable = LAN_SCORE_BANDS) -> Band:
    """The band of a 0–100 score (``.label`` is the Indonesian name, ``.code`` a stable slug)."""
    return table.categorise(score)


def likert_index(
    mean: Number, scale_min: Number, scale_max: Number, method: LikertMethod = "linear"
) -> float:
    """A Likert mean on ``scale_min``..``scale_max`` as a 0–100 index.

    ``"linear"`` (default): ``(mean − min) / (max − min) × 100`` — the scale's minimum is 0 and its
    maximum 100 (a 1–5 mean of 4,5 → 87,5). ``"percent_of_max"``: ``mean / max × 100``, the IKM's
    convention (25–100 on a 1–4 scale; 4,5 of 5 → 90); some instruments are scored that way.
    """
    m, lo, hi = to_fraction(mean), to_fraction(scale_min), to_fraction(scale_max)
    if not lo < hi:
        raise ValueError("scale_min must be below scale_max")
    if not lo <= m <= hi:
        raise ValueError(f"mean {float(m)} is outside the scale {float(lo)}–{float(hi)}")
    if method == "linear":
        return float((m - lo) / (hi - lo) * 100)
    if method == "percent_of_max":
        if lo < 0:
            raise ValueError("percent_of_max needs a scale that starts at or above 0")
        return float(m / hi * 100)
    raise ValueError(f"method must be 'linear' or 'percent_of_max', got {method!r}")
