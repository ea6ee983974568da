"""Reading a free-text objective for the indicator it most likely means.

The guess is only offered on the objectives page for the admin to confirm: a report never judges
an objective by a guess (an objective without a chosen indicator is "belum dapat dinilai").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kompeten.learning.models import CHANGE_INDICATORS, ObjectiveComparison, ObjectiveIndicator

NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)\s*(%|persen|poin|point)?", re.IGNORECASE)
UP = re.compile(r"\b(naik|meningkat|peningkatan|kenaikan|bertambah|lebih tinggi|membaik)", re.I)
DOWN = re.compile(r"\b(turun|menurun|penurunan|berkurang|lebih cepat|lebih singkat)", re.I)
# a simulation target written on the rubric's own scale: "skala 1–4", "level 3", or a number no
# rubric of levels goes beyond (the 0–100 score's targets are 60, 75, 80 …)
RUBRIC_SCALE = re.compile(r"skala\s*[0-9]\s*[–-]\s*[0-9]\b|\blevel\b", re.IGNORECASE)
RUBRIC_LEVEL_MAX = 10
AT_MOST = re.compile(r"(≤|<=|paling (banyak|lama|tinggi)|maksimal|maks\.?|tidak lebih dari)", re.I)


@dataclass(frozen=True)
class MeasureGuess:
    indicator: str
    comparison: str
    target: Decimal


# (pattern, indicator), first match wins: the most specific wording first
_INDICATORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"gain\s+ternormalisasi|n-?gain|normali[sz]ed", re.I), "n_gain"),
    # how it is measured beats what it is about: "level 3 pada kompetensi Pengelolaan Pengaduan
    # (dinilai atasan …)" is the supervisor's rating, not complaint handling
    (re.compile(r"(dinilai|penilaian|dinilaikan)\s+(oleh\s+)?atasan", re.I), "behaviour"),
    (re.compile(r"\bikm\b|indeks kepuasan", re.I), "ikm_change"),
    (
        re.compile(r"pengaduan.*(batas waktu|sla|tepat waktu)|(batas waktu|sla).*pengaduan", re.I),
        "complaint_sla",
    ),
    (re.compile(r"pengaduan|keluhan masyarakat", re.I), "complaint_days"),
    (re.compile(r"\bskp\b|predikat kinerja", re.I), "skp_improved"),
    (re.compile(r"\broi\b|return on investment", re.I), "roi"),
    (re.compile(r"simulasi|rubrik|praktik", re.I), "simulation"),
    (re.compile(r"atasan|perilaku", re.I), "behaviour"),
    (re.compile(r"menyelesaikan pelatihan|penyelesaian|kelulusan|lulus", re.I), "completion"),
    (re.compile(r"post-?test|pre-?test|nilai tes|skor tes|pengetahuan", re.I), "post_test"),
)


def _guess(indicator: str, comparison: str, target: Decimal) -> MeasureGuess:
    return MeasureGuess(str(indicator), str(comparison), target)


def _number(text: str) -> Decimal | None:
    match = NUMBER.search(text)
    if match is None:
        return None
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None


def guess_measure(text: str) -> MeasureGuess | None:
    """The indicator, comparison and target ``text`` most likely means, or None.

    "Rata-rata post-test naik ≥ 20 poin" → gain ≥ 20; "IKM unit layanan meningkat" → IKM change
    naik sedikitnya 0; "Pengaduan ditangani lebih cepat" → median working days turun sedikitnya
    0; "Rata-rata post-test minimal 75" → post-test ≥ 75.
    """
    indicator = next((ind for pattern, ind in _INDICATORS if pattern.search(text)), None)
    if indicator is None:
        return None
    up, down = UP.search(text) is not None, DOWN.search(text) is not None
    number = _number(text)
    if indicator == ObjectiveIndicator.POST_MEAN and up:
        indicator = ObjectiveIndicator.GAIN
    if indicator == ObjectiveIndicator.BEHAVIOUR and (up or down):
        indicator = ObjectiveIndicator.BEHAVIOUR_CHANGE
    if indicator == ObjectiveIndicator.SIMULATION and (
        RUBRIC_SCALE.search(text) or (number is not None and number <= RUBRIC_LEVEL_MAX)
    ):
        # "skor rubrik ≥ 3,5" is a rubric level, not 3,5 of 100
        indicator = ObjectiveIndicator.SIMULATION_LEVEL
    if indicator in CHANGE_INDICATORS:
        if indicator == ObjectiveIndicator.GAIN:
            # "naik 20 poin" / "naik ≥ 20 poin": the gain itself is at least the number
            return _guess(indicator, ObjectiveComparison.AT_LEAST, number or Decimal(0))
        if indicator == ObjectiveIndicator.COMPLAINT_DAYS_CHANGE and not up:
            down = True  # "lebih cepat", "dipercepat": fewer working days
        comparison = (
            ObjectiveComparison.DECREASE if down and not up else ObjectiveComparison.INCREASE
        )
        return _guess(indicator, comparison, abs(number or Decimal(0)))
    if number is None:
        return None
    comparison = (
        ObjectiveComparison.AT_MOST if AT_MOST.search(text) else ObjectiveComparison.AT_LEAST
    )
    return _guess(indicator, comparison, number)
