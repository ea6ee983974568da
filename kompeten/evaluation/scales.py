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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

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
# a column is read as a scale when at least this share of its answers are on it; the few
# others are each reported as a problem of their row (a typed "Sangat puas sekali" in a 1–5
# column), not the reason the whole column becomes free text
SCALE_SHARE = 0.9
# a questionnaire whose numeric items never reach 5 over this many answers is read on 1–4
FOUR_POINT_EVIDENCE = 30
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


# "4 - Setuju", "4. Setuju", "(4) Setuju", "Sangat Setuju (5)", "Setuju = 4": a level written
# with its label, as forms whose options carry both export them
_NUMBER_FIRST = re.compile(r"^\(?\s*(\d{1,2})\s*\)?\s*[-.:=)–—]?\s*\(?\s*[^\W\d_][^\d()]*\)?$")
_NUMBER_LAST = re.compile(r"^[^\W\d_][^\d]*?[\s(=:–—-]\s*\(?\s*(\d{1,2})\s*\)?\s*$")
# the words a rating option is written with ("4 - Setuju", "5 (Sangat Baik)"), which a quantity
# and its unit ("2 hari", "3 jam") never has
_RATING_WORDS = re.compile(
    r"\b(setuju|baik|puas|sesuai|relevan|bermanfaat|manfaat|kurang|cukup|sangat|tidak|buruk|"
    r"jelek|mudah|sulit|sukar|paham|mengerti|jelas|netral|ragu|penting|tepat|lengkap|memuaskan|"
    r"mampu|lancar|nyaman|bagus|biasa)\b"
)


def likert_level(value: object) -> int | None:
    """A level of a numeric scale: a whole number alone (:func:`as_level`) or written with its
    label (``"4 - Setuju"``, ``"Sangat Setuju (5)"``); else None."""
    level = as_level(value)
    if level is not None or not isinstance(value, str):
        return level
    written = _with_label(value)
    return written[0] if written else None


def _with_label(value: str) -> tuple[int, str] | None:
    """(level, label) of ``"4 - Setuju"`` or ``"Sangat Setuju (5)"``, else None."""
    text = " ".join(value.split())
    match = _NUMBER_FIRST.match(text) or _NUMBER_LAST.match(text)
    if match is None:
        return None
    label = normalise(text.replace(match.group(1), " ", 1))
    return int(match.group(1)), label


def _labels_name_levels(answers: Sequence[object]) -> bool:
    """Whether the answers written as a number with words pair each number with its own
    rating words and each wording with one number, as a scale's options do ("4 - Setuju",
    "5 - Sangat Setuju"); "2 jam", "3 jam" or "2 minggu", "1 bulan" (a quantity and its unit)
    do not."""
    pairs = {
        w for v in answers if isinstance(v, str) and as_level(v) is None and (w := _with_label(v))
    }
    if not pairs:
        return True  # numbers alone
    levels = {level for level, _label in pairs}
    labels = {label for _level, label in pairs}
    return len(pairs) == len(levels) == len(labels) and all(
        _RATING_WORDS.search(label) for label in labels
    )


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


def initials(label: str) -> str:
    """A label as forms abbreviate it in their options: the first letter of each word
    (``Sangat Tidak Setuju`` → ``sts``, ``Ragu-ragu`` → ``r``), case folded."""
    return "".join(word[0] for word in str(label).split()).casefold()


def known_scale(values: Iterable[object], share: float = 1.0) -> tuple[str, ...] | None:
    """The known labelled scale on which at least ``share`` of the (non-blank) values are,
    written out or abbreviated (``SS``, ``S``, ``N``, ``TS``, ``STS``): the one covering most
    of them, the smallest such (a five-level scale first); or None."""
    answers = [normalise(v) for v in values if not is_blank(v)]
    if not answers:
        return None
    best: tuple[str, ...] | None = None
    best_n = 0
    for scale in sorted(KNOWN_LABEL_SCALES, key=lambda s: (len(s) != 5, len(s))):
        levels = {normalise(label) for label in scale}
        short = {initials(label) for label in scale}
        # abbreviations count when the column uses some of two letters or more ("SS",
        # "STS"): a column of "B" and "C" alone is a code, not "Baik" and "Cukup"
        if any(len(a) > 1 and a in short and a not in levels for a in answers):
            levels |= short
        n = sum(a in levels for a in answers)
        if n > best_n:
            best, best_n = scale, n
    return best if best_n >= share * len(answers) else None


def label_level(labels: Sequence[str], value: object) -> int | None:
    """Level (1 = lowest) of ``value`` on a labelled scale, its label written out or by its
    :func:`initials` when those are the scale's own; a number 1..k is accepted too."""
    key = normalise(value)
    for n, label in enumerate(labels, start=1):
        if normalise(label) == key:
            return n
    short = [initials(label) for label in labels]
    if len(set(short)) == len(short) and key in short:
        return short.index(key) + 1
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


# a question asking how many or how long ("Berapa kali …", "Usia", "Masa kerja"), or the
# respondent's own batch or rank ("Golongan Anda", 2/3/4), is answered with small whole numbers
# that are not a rating
_QUANTITY = re.compile(
    r"^(berapa|jumlah|banyaknya|usia|umur|masa kerja|lama|tahun|angkatan|golongan|pangkat|eselon)"
    r"\b|\b(berapa kali|berapa lama)\b"
)
# a column describing the respondent rather than asking for a reaction, as a whole header
# (after ``normalise``, its numbering "3." allowed): a row number, their batch, rank, echelon,
# class, sex, age, education, post. Small numbers ("Angkatan" 1/2, "Golongan" 2/3/4) would
# otherwise read as a rating; these are profile data, read past like the contact columns.
PROFILE_HEADER = (
    r"^(?:\d{1,3} )?(?:no|nomor|no urut|nomor urut|angkatan(?: ke)?|tahun angkatan|kelas|"
    r"golongan(?: ruang)?|gol(?: ruang)?|pangkat(?: golongan)?(?: ruang)?|golongan pangkat|eselon|"
    r"jabatan|jenis kelamin|jk|pendidikan(?: terakhir)?|usia|umur|tahun|tahun lahir|"
    r"tanggal lahir|tempat tanggal lahir|ttl|agama|status kepegawaian|jenis kepegawaian)$"
)
# a question inviting words ("Saran", "Kritik dan masukan") is free text even when most people
# wrote one word that is also a rating ("Baik")
_INVITES_TEXT = re.compile(
    r"^(saran|masukan|kritik|komentar|usulan|harapan|kesan|pesan|catatan|tanggapan)\b"
)


def infer_column(header: str, values: Sequence[object]) -> ColumnSpec:
    """The kind of a question column from its answers, unless the question asks how many or
    how long (then ``open``): whole numbers within a usual Likert range, alone or with their
    label (``4 - Setuju``) → ``likert`` (the scale the header states, else 5 unless a larger
    level occurs); words of one known labelled scale, abbreviated or not → ``labels``;
    anything else → ``open``. A scale needs :data:`SCALE_SHARE` of the answers on it; the
    rest are left for the row checks to report."""
    answers = [v for v in values if not is_blank(v)]
    section = guess_section(header)
    question = normalise(item_text(header))
    if not answers or _QUANTITY.search(question):
        return ColumnSpec(kind=OPEN, section="terbuka")
    levels = [lv for v in answers if (lv := likert_level(v)) is not None]
    on_scale = [lv for lv in levels if 1 <= lv <= NUMERIC_SCALES[-1]]
    if on_scale and len(on_scale) >= SCALE_SHARE * len(answers) and _labels_name_levels(answers):
        stated = stated_scale(header)
        top = max(on_scale)
        if stated is not None and top <= stated:
            return ColumnSpec(kind=LIKERT, scale_max=stated, section=section)
        scale = next(s for s in NUMERIC_SCALES if s >= max(top, 5))
        return ColumnSpec(kind=LIKERT, scale_max=scale, section=section)
    # a question that asks for words ("Saran …") keeps them, even a "Baik" from most people
    scale_labels = None if _INVITES_TEXT.search(question) else known_scale(answers, SCALE_SHARE)
    if scale_labels is not None:
        return ColumnSpec(
            kind=LABELS, scale_max=len(scale_labels), labels=scale_labels, section=section
        )
    return ColumnSpec(kind=OPEN, section="terbuka")


_STATED = re.compile(r"\b1\s*(?:-|–|—|s ?d|s/d|sampai|hingga|to)\s*(\d{1,2})\b")


def stated_scale(header: str) -> int | None:
    """The top of a numeric scale a question's header states ("… (1-4)", "skala 1 s.d. 4",
    "1 sampai 5"), when it is a usual one; else None."""
    text = " ".join(str(header).casefold().replace("s.d.", "sd").replace("s.d", "sd").split())
    match = _STATED.search(text)
    top = int(match.group(1)) if match else None
    return top if top in NUMERIC_SCALES else None


def four_point(specs: Mapping[str, ColumnSpec], values: Mapping[str, Sequence[object]]) -> bool:
    """Whether a file's numeric items, read on 1–5 because none states its scale, are a 1–4
    questionnaire: every one of them answered, none ever with 5, over at least
    :data:`FOUR_POINT_EVIDENCE` answers in all (a 1–5 form whose respondents never once chose
    its top is not believed on fewer)."""
    numeric = [h for h, spec in specs.items() if spec.kind == LIKERT and spec.scale_max == 5]
    if not numeric or any(stated_scale(h) for h in numeric):
        return False
    levels = [
        lv for h in numeric for v in values[h] if (lv := likert_level(v)) is not None and lv >= 1
    ]
    return len(levels) >= FOUR_POINT_EVIDENCE and max(levels) == 4


def _four_within_five() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each known five-level scale whose four outer labels are a known four-level scale
    (the agreement scale with or without its Ragu-ragu/Netral/Kurang Setuju middle)."""
    four = [scale for scale in KNOWN_LABEL_SCALES if len(scale) == 4]
    return {
        five: outer
        for five in KNOWN_LABEL_SCALES
        if len(five) == 5
        for outer in four
        if outer == five[:2] + five[3:]
    }


def middles_around(four: tuple[str, ...]) -> list[str]:
    """The middle labels of the known five-level scales around a four-level one
    ("Ragu-ragu", "Netral", "Kurang Setuju")."""
    return [five[2] for five, outer in _four_within_five().items() if outer == four]


def four_level_words(
    specs: Mapping[str, ColumnSpec], values: Mapping[str, Sequence[object]]
) -> dict[str, ColumnSpec]:
    """The labelled columns read on a five-level scale that are its four-level scale instead:
    all four outer labels answered (in the column or the file's other columns on that scale)
    and the five-level scale's middle answered nowhere in the file. :func:`known_scale` picks
    the five-level scale on a tie, and a four-level form answered in full ties it: read on
    five, "Setuju" would be 4 of 5 instead of 3 of 4. Returns header → corrected spec."""
    answered = {normalise(v) for column in values.values() for v in column if not is_blank(v)}
    out: dict[str, ColumnSpec] = {}
    for five, four in _four_within_five().items():
        headers = [h for h, spec in specs.items() if spec.kind == LABELS and spec.labels == five]
        middle = five[2]
        if not headers or {normalise(middle), initials(middle)} & answered:
            continue
        levels = {lv for h in headers for v in values[h] if (lv := label_level(five, v))}
        if levels >= {1, 2, 4, 5}:
            out.update({h: replace(specs[h], scale_max=4, labels=four) for h in headers})
    return out


def item_text(header: str) -> str:
    """The question of a column header: leading numbering dropped, a Google Forms grid
    ``Question [Row]`` written ``Question: Row``."""
    text = re.sub(r"^\s*\d{1,3}\s*[.)]\s*", "", str(header)).strip()
    grid = re.fullmatch(r"(.*?)\s*\[(.+)\]\s*", text)
    if grid:
        text = f"{grid.group(1).strip()}: {grid.group(2).strip()}"
    return text or str(header).strip()
