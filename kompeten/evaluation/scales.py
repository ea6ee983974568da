"""Reaction questionnaire columns as files carry them: which answer scale a column uses.

Pure helpers (no database) for building a questionnaire version from a file's question columns
(:func:`kompeten.evaluation.actions.instruments.do_create_instrument_from_columns`) and for
reading its answers: numeric Likert columns (``1``–``5``), labelled scales (``Sangat Baik / Baik /
Cukup / Kurang / Sangat Kurang``), Google Forms grid columns (``Penilaian … [Penguasaan materi]``)
and free text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

LIKERT = "likert"
LABELS = "labels"
OPEN = "open"
COLUMN_KINDS = (LIKERT, LABELS, OPEN)

# Labelled scales as Indonesian questionnaires write them, lowest level first.
KNOWN_LABEL_SCALES: tuple[tuple[str, ...], ...] = (
    ("Sangat Kurang", "Kurang", "Cukup", "Baik", "Sangat Baik"),
    ("Sangat Tidak Baik", "Tidak Baik", "Cukup", "Baik", "Sangat Baik"),
    ("Tidak Baik", "Kurang Baik", "Baik", "Sangat Baik"),
    ("Sangat Tidak Setuju", "Tidak Setuju", "Ragu-ragu", "Setuju", "Sangat Setuju"),
    ("Sangat Tidak Setuju", "Tidak Setuju", "Netral", "Setuju", "Sangat Setuju"),
    ("Sangat Tidak Setuju", "Tidak Setuju", "Kurang Setuju", "Setuju", "Sangat Setuju"),
    ("Sangat Tidak Setuju", "Tidak Setuju", "Setuju", "Sangat Setuju"),
    ("Sangat Tidak Puas", "Tidak Puas", "Cukup Puas", "Puas", "Sangat Puas"),
    ("Sangat Tidak Puas", "Kurang Puas", "Cukup Puas", "Puas", "Sangat Puas"),
    ("Tidak Puas", "Kurang Puas", "Puas", "Sangat Puas"),
    ("Tidak Relevan", "Kurang Relevan", "Relevan", "Sangat Relevan"),
    ("Tidak Bermanfaat", "Kurang Bermanfaat", "Bermanfaat", "Sangat Bermanfaat"),
)
NUMERIC_SCALES = (4, 5, 6, 7, 10)
BLANKS = {"", "-", "—", "–"}

_SECTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sarana", ("sarana", "prasarana", "ruang", "konsumsi", "fasilitas", "peralatan", "lcd")),
    ("pelayanan", ("panitia", "penyelenggara", "pelayanan")),
    ("administrasi", ("administrasi", "jadwal", "undangan", "sertifikat", "presensi")),
    ("materi", ("materi", "metode", "modul", "bahan ajar", "waktu pelaksanaan")),
    ("relevansi", ("menerapkan", "relevan", "pekerjaan", "tugas")),
)


def normalise(value: object) -> str:
    """Casefolded, accents removed, punctuation and spaces collapsed (for matching labels)."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() in BLANKS


def as_level(value: object) -> int | None:
    """A whole number written as ``4``, ``4.0``, ``"4"`` or ``"4,0"``; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value == int(value) else None
    text = str(value).strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if math.isfinite(number) and number == int(number) else None


@dataclass(frozen=True)
class ColumnSpec:
    """How one file column becomes a questionnaire item.

    ``kind``: ``likert`` (numbers 1..``scale_max``), ``labels`` (words, ``labels`` lowest first)
    or ``open`` (free text). ``section``: a :class:`~kompeten.evaluation.models.Section` value.
    """

    kind: str
    scale_max: int = 5
    labels: tuple[str, ...] = field(default=())
    section: str = ""


def parse_labels(text: str) -> tuple[str, ...]:
    """``"Sangat Baik / Baik / Cukup / Kurang / Sangat Kurang"`` → levels, lowest first.

    A list is written highest first, as questionnaires show it; a known scale is put in its
    own order whichever way it was written.
    """
    parts = tuple(p.strip() for p in re.split(r"[/;\n|]", text) if p.strip())
    known = known_scale(parts)
    if known is not None and len(known) == len(parts):
        return known
    return tuple(reversed(parts))


def known_scale(values: Iterable[object]) -> tuple[str, ...] | None:
    """The smallest known labelled scale containing every (non-blank) value, or None."""
    seen = {normalise(v) for v in values if not is_blank(v)}
    if not seen:
        return None
    for scale in sorted(KNOWN_LABEL_SCALES, key=lambda s: (len(s) != 5, len(s))):
        if seen <= {normalise(label) for label in scale}:
            return scale
    return None


def label_level(labels: Sequence[str], value: object) -> int | None:
    """Level (1 = lowest) of ``value`` on a labelled scale; a number 1..k is accepted too."""
    key = normalise(value)
    for n, label in enumerate(labels, start=1):
        if normalise(label) == key:
            return n
    level = as_level(value)
    if level is not None and 1 <= level <= len(labels):
        return level
    return None


def guess_section(header: str) -> str:
    """A questionnaire section from a column's wording (``umum`` when nothing fits)."""
    text = normalise(header)
    if re.search(r"\b(narasumber|fasilitator|pengajar|widyaiswara|instruktur)\b", text):
        return "umum"
    for section, words in _SECTION_WORDS:
        if any(re.search(rf"\b{re.escape(w)}", text) for w in words):
            return section
    return "umum"


# a question asking how many or how long ("Berapa kali …", "Usia", "Masa kerja") is answered with
# small whole numbers that are not a rating
_QUANTITY = re.compile(
    r"^(berapa|jumlah|banyaknya|usia|umur|masa kerja|lama|tahun)\b|\b(berapa kali|berapa lama)\b"
)


def infer_column(header: str, values: Sequence[object]) -> ColumnSpec:
    """The kind of a question column from its answers: whole numbers within a usual Likert
    range → ``likert`` (scale 5 unless a larger level occurs), unless the question asks how
    many or how long; words of one known labelled scale → ``labels``; anything else →
    ``open``."""
    answers = [v for v in values if not is_blank(v)]
    section = guess_section(header)
    if not answers or _QUANTITY.search(normalise(item_text(header))):
        return ColumnSpec(kind=OPEN, section="terbuka")
    levels = [as_level(v) for v in answers]
    if all(lv is not None for lv in levels):
        top = max(lv for lv in levels if lv is not None)
        low = min(lv for lv in levels if lv is not None)
        if low >= 1 and top <= NUMERIC_SCALES[-1]:
            scale = next(s for s in NUMERIC_SCALES if s >= max(top, 5))
            return ColumnSpec(kind=LIKERT, scale_max=scale, section=section)
    scale_labels = known_scale(answers)
    if scale_labels is not None:
        return ColumnSpec(
            kind=LABELS, scale_max=len(scale_labels), labels=scale_labels, section=section
        )
    return ColumnSpec(kind=OPEN, section="terbuka")


def item_text(header: str) -> str:
    """The question of a column header: leading numbering dropped, a Google Forms grid
    ``Question [Row]`` written ``Question: Row``."""
    text = re.sub(r"^\s*\d{1,3}\s*[.)]\s*", "", str(header)).strip()
    grid = re.fullmatch(r"(.*?)\s*\[(.+)\]\s*", text)
    if grid:
        text = f"{grid.group(1).strip()}: {grid.group(2).strip()}"
    return text or str(header).strip()
