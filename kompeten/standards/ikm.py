"""SKM and IKM: the public satisfaction survey and its index.

Two questionnaire versions ship:

* :data:`SKM_2017` — PermenPANRB 14/2017 (HIGH): nine unsur answered 1–4, weight exactly 1/9
  each (the regulation prints 0,111; ``weight_mode="0.111"`` reproduces reports that used it);
* :data:`SKM_2004` — Kepmenpan KEP/25/M.PAN/2/2004 (interval table HIGH, unsur list MED): 14 unsur,
  weight 1/14 (printed 0,071).

A unit may add its own unsur with weights summing to 1: :func:`custom_version`.

Formulas (PermenPANRB 14/2017, Lampiran)::

    NRR per unsur   = Σ scores of the unsur / number of responses that answered it
    IKM (1–4)       = Σ NRR × weight
    IKM unit        = IKM × 25                         (25–100)

Everything is computed from sufficient statistics per unsur (n answered, Σx, optionally Σx²) so
dashboards can feed rollups (DESIGN rule 4). Values stay unrounded (exact fractions inside,
floats in results); the category (mutu, kinerja) is read on the IKM unit rounded half-up to two
decimals, as the guideline prescribes: 88,305 is shown as 88,31 and graded A.

Answers are keyed by unsur **name**, never by position: the regulation lists Pengaduan before
Sarana, most printed questionnaires number Sarana U8 and Pengaduan U9. :func:`match_unsur` reads a
column header in any of the usual spellings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, TypeAlias

from kompeten.standards._tables import (
    BandTable,
    Confidence,
    Number,
    check_confidence,
    freeze_mapping,
    make_bands,
    parse_date,
    to_fraction,
)

WeightMode: TypeAlias = Literal["exact", "printed", "0.111"]

DEFAULT_WEIGHT_TOLERANCE = Fraction(1, 10**6)

IKM_2017_INTERVALS = BandTable(
    regulation="PermenPANRB Nomor 14 Tahun 2017, Lampiran: nilai interval konversi IKM",
    effective_from=date(2017, 1, 1),
    confidence="HIGH",
    bands=make_bands(
        [
            ("25.00", "64.99", "D", "Tidak Baik"),
            ("65.00", "76.60", "C", "Kurang Baik"),
            ("76.61", "88.30", "B", "Baik"),
            ("88.31", "100.00", "A", "Sangat Baik"),
        ]
    ),
)

IKM_2004_INTERVALS = BandTable(
    regulation="Kepmenpan Nomor KEP/25/M.PAN/2/2004, Lampiran: nilai interval konversi IKM "
    "(kinerja labels MED)",
    effective_from=date(2004, 2, 24),
    confidence="HIGH",
    bands=make_bands(
        [
            ("25.00", "43.75", "D", "Tidak Baik"),
            ("43.76", "62.50", "C", "Kurang Baik"),
            ("62.51", "81.25", "B", "Baik"),
            ("81.26", "100.00", "A", "Sangat Baik"),
        ]
    ),
)


class UnknownUnsurError(ValueError):
    """A column header or key that names no unsur of the questionnaire version."""


def normalise_header(text: str) -> str:
    """Case-, spacing- and punctuation-insensitive form of an unsur name or column header.

    "U8. Sarana & Prasarana" and "sarana dan prasarana" both become "sarana prasarana": lower
    case, "&" read as "dan", punctuation as spaces, the word "dan" dropped, and a leading or
    trailing position code ("U8", "8.", "Unsur 8") removed — position codes are not trusted.
    """
    lowered = text.lower().replace("&", " dan ")
    tokens = re.sub(r"[^a-z0-9]+", " ", lowered).split()

    def is_code(token: str) -> bool:
        return token in ("unsur", "u") or re.fullmatch(r"u?\d+", token) is not None

    while tokens and is_code(tokens[0]):
        tokens.pop(0)
    while tokens and is_code(tokens[-1]):
        tokens.pop()
    return " ".join(t for t in tokens if t != "dan")


@dataclass(frozen=True)
class Unsur:
    """One questionnaire element: a stable ``slug``, its official ``name``, the official answer
    ``labels`` for scores 1..4 (empty when the regulation gives none), and accepted ``aliases``."""

    slug: str
    name: str
    labels: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def label_for(self, score: int) -> str:
        """The official answer label of ``score`` (1 = worst)."""
        if not self.labels:
            raise ValueError(f"unsur {self.slug!r} has no official answer labels")
        if not 1 <= score <= len(self.labels):
            raise ValueError(f"score must be 1..{len(self.labels)}, got {score}")
        return self.labels[score - 1]

    def spellings(self) -> tuple[str, ...]:
        """Every normalised spelling that :func:`match_unsur` accepts for this unsur."""
        spellings = (self.slug, self.name, *self.aliases)
        return tuple(dict.fromkeys(normalise_header(s) for s in spellings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "labels": list(self.labels),
            "aliases": list(self.aliases),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Unsur:
        return cls(
            slug=str(data["slug"]),
            name=str(data["name"]),
            labels=tuple(str(x) for x in data.get("labels", ())),
            aliases=tuple(str(x) for x in data.get("aliases", ())),
        )


@dataclass(frozen=True)
class SkmVersion:
    """A questionnaire version: its unsur, weights, scale and interval table.

    ``weights`` is ``None`` for the official versions (equal weights, 1/number of unsur) and maps
    every slug to its weight for a custom version; the weights must sum to 1 within
    ``weight_tolerance``. ``printed_weight`` is the rounded weight the regulation prints (0,111
    for 2017, 0,071 for 2004), used only with ``weight_mode="printed"``.
    """

    id: str
    regulation: str
    effective_from: date
    confidence: Confidence
    unsur: tuple[Unsur, ...]
    intervals: BandTable
    printed_weight: Fraction | None = None
    weights: Mapping[str, Fraction] | None = None
    scale_min: int = 1
    scale_max: int = 4
    unit_factor: int = 25
    weight_tolerance: Fraction = DEFAULT_WEIGHT_TOLERANCE
    _index: Mapping[str, Unsur] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_confidence(self.confidence)
        if not self.unsur:
            raise ValueError("a questionnaire needs at least one unsur")
        if not 0 < self.scale_min < self.scale_max:
            raise ValueError("scale_min must be positive and below scale_max")
        slugs = [u.slug for u in self.unsur]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"duplicate unsur slugs in {self.id}")
        index: dict[str, Unsur] = {}
        for u in self.unsur:
            for key in u.spellings():
                other = index.get(key)
                if other is not None and other.slug != u.slug:
                    raise ValueError(f"{key!r} would name both {other.slug!r} and {u.slug!r}")
                index[key] = u
        object.__setattr__(self, "_index", freeze_mapping(index))
        if self.weights is not None:
            weights = {slug: to_fraction(w) for slug, w in self.weights.items()}
            _check_weights(weights, slugs, self.weight_tolerance)
            object.__setattr__(self, "weights", freeze_mapping(weights))

    def get(self, slug: str) -> Unsur:
        for u in self.unsur:
            if u.slug == slug:
                return u
        raise UnknownUnsurError(f"Unsur {slug!r} tidak ada dalam kuesioner {self.id}")

    def match(self, header: str) -> Unsur | None:
        return self._index.get(normalise_header(header))

    def weights_for(self, weight_mode: WeightMode = "exact") -> dict[str, Fraction]:
        """The weight of each unsur (by slug) under ``weight_mode``.

        ``"exact"``: the custom weights, or exactly 1/k for k unsur. ``"printed"``: the weight
        the regulation prints (0,111 for 2017). ``"0.111"``: the same, for SKM 2017 only.
        """
        if weight_mode == "exact":
            if self.weights is not None:
                return dict(self.weights)
            return {u.slug: Fraction(1, len(self.unsur)) for u in self.unsur}
        if weight_mode in ("printed", "0.111"):
            if self.weights is not None or self.printed_weight is None:
                raise ValueError(f"{self.id} has no printed weight; use weight_mode='exact'")
            if weight_mode == "0.111" and self.printed_weight != Fraction("0.111"):
                raise ValueError(
                    f"weight_mode '0.111' is for SKM 2017; {self.id} prints "
                    f"{float(self.printed_weight)}: use 'printed'"
                )
            return {u.slug: self.printed_weight for u in self.unsur}
        raise ValueError(f"weight_mode must be 'exact', 'printed' or '0.111', got {weight_mode!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "regulation": self.regulation,
            "effective_from": self.effective_from.isoformat(),
            "confidence": self.confidence,
            "unsur": [u.to_dict() for u in self.unsur],
            "intervals": self.intervals.to_dict(),
            "printed_weight": None if self.printed_weight is None else str(self.printed_weight),
            "weights": None
            if self.weights is None
            else {slug: str(w) for slug, w in self.weights.items()},
            "scale_min": self.scale_min,
            "scale_max": self.scale_max,
            "unit_factor": self.unit_factor,
            "weight_tolerance": str(self.weight_tolerance),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SkmVersion:
        printed = data.get("printed_weight")
        weights = data.get("weights")
        return cls(
            id=str(data["id"]),
            regulation=str(data["regulation"]),
            effective_from=parse_date(data["effective_from"]),
            confidence=check_confidence(data["confidence"]),
            unsur=tuple(Unsur.from_dict(u) for u in data["unsur"]),
            intervals=BandTable.from_dict(data["intervals"]),
            printed_weight=None if printed is None else Fraction(printed),
            weights=None if weights is None else {k: Fraction(v) for k, v in weights.items()},
            scale_min=int(data.get("scale_min", 1)),
            scale_max=int(data.get("scale_max", 4)),
            unit_factor=int(data.get("unit_factor", 25)),
            weight_tolerance=Fraction(data.get("weight_tolerance", str(DEFAULT_WEIGHT_TOLERANCE))),
        )


def _check_weights(
    weights: Mapping[str, Fraction], slugs: Sequence[str], tolerance: Fraction
) -> None:
    missing = [s for s in slugs if s not in weights]
    unknown = [s for s in weights if s not in slugs]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("tanpa bobot: " + ", ".join(missing))
        if unknown:
            parts.append("bukan unsur kuesioner: " + ", ".join(unknown))
        raise ValueError("Bobot unsur tidak cocok dengan daftar unsur (" + "; ".join(parts) + ")")
    for slug, w in weights.items():
        if w <= 0:
            raise ValueError(f"Bobot unsur {slug} harus lebih dari 0 (tertulis {float(w)})")
    total = sum(weights.values(), Fraction(0))
    if abs(total - 1) > tolerance:
        raise ValueError(
            f"Jumlah bobot unsur harus 1 (toleransi {float(tolerance):g}); jumlahnya {float(total):.6g}"
        )


def custom_version(
    id: str,
    unsur: Sequence[Unsur],
    weights: Mapping[str, Number],
    *,
    base: SkmVersion | None = None,
    regulation: str | None = None,
    effective_from: date | None = None,
    tolerance: Number = DEFAULT_WEIGHT_TOLERANCE,
) -> SkmVersion:
    """A unit's own questionnaire: its unsur with weights (by slug) that sum to 1.

    PermenPANRB 14/2017 lets a unit add unsur as long as the weights sum to 1. The interval table
    and scale come from ``base`` (SKM 2017 by default). Raises ``ValueError`` (Indonesian message)
    when a weight is missing, not positive, or the sum is off by more than ``tolerance``.
    """
    base = base or SKM_2017
    return SkmVersion(
        id=id,
        regulation=regulation or f"{base.regulation}; unsur dan bobot tambahan unit",
        effective_from=effective_from or base.effective_from,
        confidence="MED",
        unsur=tuple(unsur),
        intervals=base.intervals,
        printed_weight=None,
        weights={slug: to_fraction(w) for slug, w in weights.items()},
        scale_min=base.scale_min,
        scale_max=base.scale_max,
        unit_factor=base.unit_factor,
        weight_tolerance=to_fraction(tolerance),
    )


_SESUAI = ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")

SKM_2017 = SkmVersion(
    id="SKM_2017",
    regulation="PermenPANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan "
    "Masyarakat Unit Penyelenggara Pelayanan Publik",
    effective_from=date(2017, 1, 1),
    confidence="HIGH",
    printed_weight=Fraction("0.111"),
    intervals=IKM_2017_INTERVALS,
    unsur=(
        Unsur("persyaratan", "Persyaratan", _SESUAI, ("Persyaratan Pelayanan",)),
        Unsur(
            "sistem_mekanisme_prosedur",
            "Sistem, Mekanisme, dan Prosedur",
            ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
            (
                "Prosedur",
                "Prosedur Pelayanan",
                "Sistem Mekanisme Prosedur",
                "Mekanisme dan Prosedur",
            ),
        ),
        Unsur(
            "waktu_penyelesaian",
            "Waktu Penyelesaian",
            ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
            (
                "Waktu",
                "Waktu Pelayanan",
                "Jangka Waktu Penyelesaian",
                "Waktu Penyelesaian Pelayanan",
            ),
        ),
        Unsur(
            "biaya_tarif",
            "Biaya/Tarif",
            ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
            ("Biaya", "Tarif", "Biaya Pelayanan", "Tarif Pelayanan"),
        ),
        Unsur(
            "produk_spesifikasi_jenis_pelayanan",
            "Produk Spesifikasi Jenis Pelayanan",
            _SESUAI,
            (
                "Produk",
                "Produk Layanan",
                "Produk Pelayanan",
                "Produk Spesifikasi",
                "Spesifikasi Jenis Pelayanan",
                "Produk/Spesifikasi Jenis Pelayanan",
            ),
        ),
        Unsur(
            "kompetensi_pelaksana",
            "Kompetensi Pelaksana",
            ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
            ("Kompetensi", "Kompetensi Petugas", "Kompetensi Petugas Pelayanan"),
        ),
        Unsur(
            "perilaku_pelaksana",
            "Perilaku Pelaksana",
            (
                "Tidak sopan dan ramah",
                "Kurang sopan dan ramah",
                "Sopan dan ramah",
                "Sangat sopan dan ramah",
            ),
            ("Perilaku", "Perilaku Petugas", "Perilaku Petugas Pelayanan"),
        ),
        Unsur(
            "penanganan_pengaduan",
            "Penanganan Pengaduan, Saran dan Masukan",
            (
                "Tidak ada",
                "Ada tetapi tidak berfungsi",
                "Berfungsi kurang maksimal",
                "Dikelola dengan baik",
            ),
            (
                "Penanganan Pengaduan",
                "Pengaduan",
                "Pengaduan, Saran dan Masukan",
                "Penanganan Pengaduan Saran Masukan",
            ),
        ),
        Unsur(
            "sarana_prasarana",
            "Sarana dan Prasarana",
            ("Buruk", "Cukup", "Baik", "Sangat baik"),
            ("Sarana", "Sarana Prasarana", "Sarpras", "Sarana dan Prasarana Pelayanan"),
        ),
    ),
)

SKM_2004 = SkmVersion(
    id="SKM_2004",
    regulation="Kepmenpan Nomor KEP/25/M.PAN/2/2004 tentang Pedoman Umum Penyusunan Indeks "
    "Kepuasan Masyarakat Unit Pelayanan Instansi Pemerintah (unsur list MED)",
    effective_from=date(2004, 2, 24),
    confidence="MED",
    printed_weight=Fraction("0.071"),
    intervals=IKM_2004_INTERVALS,
    unsur=(
        Unsur("prosedur_pelayanan", "Prosedur Pelayanan", aliases=("Prosedur",)),
        Unsur("persyaratan_pelayanan", "Persyaratan Pelayanan", aliases=("Persyaratan",)),
        Unsur("kejelasan_petugas", "Kejelasan Petugas Pelayanan", aliases=("Kejelasan Petugas",)),
        Unsur(
            "kedisiplinan_petugas",
            "Kedisiplinan Petugas Pelayanan",
            aliases=("Kedisiplinan Petugas",),
        ),
        Unsur(
            "tanggung_jawab_petugas",
            "Tanggung Jawab Petugas Pelayanan",
            aliases=("Tanggung Jawab Petugas",),
        ),
        Unsur("kemampuan_petugas", "Kemampuan Petugas Pelayanan", aliases=("Kemampuan Petugas",)),
        Unsur("kecepatan_pelayanan", "Kecepatan Pelayanan", aliases=("Kecepatan",)),
        Unsur(
            "keadilan_pelayanan",
            "Keadilan Mendapatkan Pelayanan",
            aliases=("Keadilan Pelayanan", "Keadilan"),
        ),
        Unsur(
            "kesopanan_keramahan_petugas",
            "Kesopanan dan Keramahan Petugas",
            aliases=("Kesopanan dan Keramahan",),
        ),
        Unsur("kewajaran_biaya", "Kewajaran Biaya Pelayanan", aliases=("Kewajaran Biaya",)),
        Unsur("kepastian_biaya", "Kepastian Biaya Pelayanan", aliases=("Kepastian Biaya",)),
        Unsur("kepastian_jadwal", "Kepastian Jadwal Pelayanan", aliases=("Kepastian Jadwal",)),
        Unsur("kenyamanan_lingkungan", "Kenyamanan Lingkungan", aliases=("Kenyamanan",)),
        Unsur("keamanan_pelayanan", "Keamanan Pelayanan", aliases=("Keamanan",)),
    ),
)

VERSIONS: Mapping[str, SkmVersion] = freeze_mapping({v.id: v for v in (SKM_2017, SKM_2004)})
CURRENT_VERSION = SKM_2017


def match_unsur(header: str, version: SkmVersion = SKM_2017) -> Unsur:
    """The unsur a column header or key names, by name (never by position).

    Case, spacing, punctuation, "dan"/"&" and a position code ("U8.") do not matter; the official
    name, the slug and common variants ("Sistem, Mekanisme dan Prosedur", "Penanganan Pengaduan,
    Saran dan Masukan", "Sarana dan Prasarana", "Biaya", …) are accepted.

    Raises
    ------
    UnknownUnsurError
        With an Indonesian message naming the header and the known unsur.
    """
    found = version.match(header)
    if found is None:
        known = "; ".join(u.name for u in version.unsur)
        raise UnknownUnsurError(
            f"Kolom {header!r} tidak dikenali sebagai unsur kuesioner {version.id}. Unsur yang "
            f"dikenal: {known}"
        )
    return found


@dataclass(frozen=True)
class UnsurStats:
    """Sufficient statistics of one unsur: responses that answered it, Σ score and (optionally)
    Σ score², as kept in the rollup tables."""

    n: int
    total: Number
    sumsq: Number | None = None

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 0:
            raise ValueError(f"n must be a non-negative integer, got {self.n!r}")

    @classmethod
    def from_counts(cls, counts: Mapping[int, int] | Mapping[str, int]) -> UnsurStats:
        """From the number of answers per score, e.g. ``{1: 0, 2: 3, 3: 10, 4: 7}``."""
        n = total = sumsq = 0
        for score, count in counts.items():
            s, c = int(score), int(count)
            if c < 0:
                raise ValueError(f"count of score {s} is negative")
            n += c
            total += s * c
            sumsq += s * s * c
        return cls(n=n, total=total, sumsq=sumsq)

    @classmethod
    def from_scores(cls, scores: Iterable[int]) -> UnsurStats:
        values = [int(s) for s in scores]
        return cls(n=len(values), total=sum(values), sumsq=sum(v * v for v in values))


StatsInput: TypeAlias = UnsurStats | Mapping[int, int] | Mapping[str, int] | tuple[int, Number]


def _as_stats(value: StatsInput) -> UnsurStats:
    if isinstance(value, UnsurStats):
        return value
    if isinstance(value, tuple):
        n, total = value
        return UnsurStats(n=n, total=total)
    return UnsurStats.from_counts(value)


def _check_stats(stats: UnsurStats, unsur: Unsur, version: SkmVersion) -> Fraction:
    if stats.n == 0:
        raise ValueError(f"Unsur {unsur.name} belum ada jawabannya (n = 0)")
    total = to_fraction(stats.total)
    if not version.scale_min * stats.n <= total <= version.scale_max * stats.n:
        raise ValueError(
            f"Jumlah nilai unsur {unsur.name} ({float(total):g}) tidak mungkin untuk {stats.n} "
            f"jawaban bernilai {version.scale_min}–{version.scale_max}"
        )
    return total


def nrr(total: Number, n: int) -> float:
    """Nilai rata-rata per unsur: Σ scores / number of responses that answered the unsur."""
    if n <= 0:
        raise ValueError("n must be positive")
    return float(to_fraction(total) / n)


@dataclass(frozen=True)
class IkmCategory:
    """The grade of an IKM unit value, read on its rounded value."""

    shown: Decimal
    mutu: str
    kinerja: str


def categorise(ikm_unit: Number, version: SkmVersion = SKM_2017) -> IkmCategory:
    """Mutu and kinerja of an IKM unit value (25–100), read on the value rounded half-up to 2
    decimals: 88,30 → B; 88,305 → shown 88,31 → A."""
    band = version.intervals.categorise(ikm_unit)
    return IkmCategory(
        shown=version.intervals.rounded(ikm_unit), mutu=band.code, kinerja=band.label
    )


@dataclass(frozen=True)
class IkmResult:
    """An IKM computation. Values are unrounded; ``ikm_unit_shown`` is the 2-decimal value the
    category was read on."""

    version: str
    regulation: str
    weight_mode: str
    n: int
    n_per_unsur: Mapping[str, int]
    weights: Mapping[str, float]
    nrr: Mapping[str, float]
    nrr_weighted: Mapping[str, float]
    ikm: float
    ikm_unit: float
    ikm_unit_shown: Decimal
    mutu: str
    kinerja: str


def _resolve(
    stats: Mapping[str, StatsInput], version: SkmVersion
) -> dict[str, tuple[Unsur, UnsurStats]]:
    resolved: dict[str, tuple[Unsur, UnsurStats]] = {}
    for key, value in stats.items():
        unsur = match_unsur(key, version)
        if unsur.slug in resolved:
            raise ValueError(f"Unsur {unsur.name} muncul lebih dari sekali ({key!r})")
        resolved[unsur.slug] = (unsur, _as_stats(value))
    missing = [u.name for u in version.unsur if u.slug not in resolved]
    if missing:
        raise ValueError("Data unsur berikut tidak ada: " + ", ".join(missing))
    return resolved


def _exact_ikm(
    stats: Mapping[str, StatsInput], version: SkmVersion, weight_mode: WeightMode
) -> tuple[dict[str, tuple[Unsur, UnsurStats]], dict[str, Fraction], dict[str, Fraction], Fraction]:
    resolved = _resolve(stats, version)
    weights = version.weights_for(weight_mode)
    nrrs = {slug: _check_stats(s, unsur, version) / s.n for slug, (unsur, s) in resolved.items()}
    ikm = sum((nrrs[slug] * weights[slug] for slug in nrrs), Fraction(0))
    return resolved, weights, nrrs, ikm


def compute_ikm(
    stats: Mapping[str, StatsInput],
    version: SkmVersion = SKM_2017,
    weight_mode: WeightMode = "exact",
    *,
    n_responses: int | None = None,
) -> IkmResult:
    """IKM of a unit from per-unsur sufficient statistics.

    Parameters
    ----------
    stats
        One entry per unsur, keyed by slug, official name or any spelling :func:`match_unsur`
        accepts. A value is :class:`UnsurStats`, a ``(n, Σscore)`` tuple, or counts per score
        (``{1: 0, 2: 3, 3: 10, 4: 7}``). Every unsur of ``version`` must be present.
    version
        :data:`SKM_2017` (default), :data:`SKM_2004` or a :func:`custom_version`.
    weight_mode
        ``"exact"`` (1/k, or the custom weights) or ``"printed"``/``"0.111"`` (the rounded weight
        printed in the regulation, which caps a perfect survey at 99,90 under SKM 2017).
    n_responses
        Number of questionnaires; defaults to the largest per-unsur n.

    Notes
    -----
    ``NRR_j = Σx_j / n_j``; ``IKM = Σ_j NRR_j·w_j``; ``IKM unit = 25·IKM`` (PermenPANRB 14/2017).
    Computed exactly (fractions); the category is read on the unit value rounded to 2 decimals.

    Examples
    --------
    >>> r = compute_ikm({u.slug: {4: 1} for u in SKM_2017.unsur})
    >>> r.ikm_unit, r.mutu, r.kinerja
    (100.0, 'A', 'Sangat Baik')
    """
    resolved, weights, nrrs, ikm = _exact_ikm(stats, version, weight_mode)
    unit = ikm * version.unit_factor
    category = categorise(unit, version)
    order = [u.slug for u in version.unsur]
    n_per = {slug: resolved[slug][1].n for slug in order}
    return IkmResult(
        version=version.id,
        regulation=version.regulation,
        weight_mode=weight_mode,
        n=n_responses if n_responses is not None else max(n_per.values()),
        n_per_unsur=freeze_mapping(n_per),
        weights=freeze_mapping({slug: float(weights[slug]) for slug in order}),
        nrr=freeze_mapping({slug: float(nrrs[slug]) for slug in order}),
        nrr_weighted=freeze_mapping({slug: float(nrrs[slug] * weights[slug]) for slug in order}),
        ikm=float(ikm),
        ikm_unit=float(unit),
        ikm_unit_shown=category.shown,
        mutu=category.mutu,
        kinerja=category.kinerja,
    )


_FAST_WEIGHTS: dict[tuple[int, str], tuple[tuple[str, int, int, float], ...]] = {}


def _fast_weights(
    version: SkmVersion, weight_mode: WeightMode
) -> tuple[tuple[str, int, int, float], ...]:
    """(slug, weight numerator, weight denominator, float weight) in questionnaire order."""
    key = (id(version), weight_mode)
    found = _FAST_WEIGHTS.get(key)
    if found is None:
        weights = version.weights_for(weight_mode)
        found = tuple(
            (u.slug, weights[u.slug].numerator, weights[u.slug].denominator, float(weights[u.slug]))
            for u in version.unsur
        )
        if len(_FAST_WEIGHTS) < 4096:
            _FAST_WEIGHTS[key] = found
    return found


def compute_ikm_from_counts(
    counts: Mapping[str, Sequence[int]],
    version: SkmVersion = SKM_2017,
    weight_mode: WeightMode = "exact",
    *,
    n_responses: int | None = None,
) -> IkmResult:
    """:func:`compute_ikm` for answer counts keyed by slug (``counts[slug][i]`` = answers with
    score ``scale_min + i``, the rollup layout): the same result, bit for bit, about 6× faster.

    Same formulas, computed with integers: ``NRR_j = Σx_j / n_j`` and ``NRR_j·w_j`` are single
    correctly-rounded integer divisions (which is what ``float(Fraction)`` is), and the exact
    ``IKM = Σ Σx_j·a_j / (n_j·b_j)`` (``w_j = a_j/b_j``) is one numerator over the product of
    the denominators, so no spelling matching and no fraction normalising per unsur. Anything
    unusual (another key, a missing unsur, n = 0, a negative count) is handed to
    :func:`compute_ikm`, which raises the same error it always does.
    """
    weights = _fast_weights(version, weight_mode)
    if len(counts) != len(weights):
        return _exact_from_counts(counts, version, weight_mode, n_responses)
    lo = version.scale_min
    num, den = 0, 1
    n_per: dict[str, int] = {}
    nrr_f: dict[str, float] = {}
    weighted_f: dict[str, float] = {}
    for slug, wn, wd, _ in weights:
        c = counts.get(slug)
        if c is None or len(c) != version.scale_max - lo + 1 or any(x < 0 for x in c):
            return _exact_from_counts(counts, version, weight_mode, n_responses)
        n = sum(c)
        if n == 0:
            return _exact_from_counts(counts, version, weight_mode, n_responses)
        total = sum((lo + i) * x for i, x in enumerate(c))
        n_per[slug] = n
        nrr_f[slug] = total / n
        weighted_f[slug] = (total * wn) / (n * wd)
        num, den = num * n * wd + total * wn * den, den * n * wd
    unit = Fraction(num * version.unit_factor, den)
    category = categorise(unit, version)
    return IkmResult(
        version=version.id,
        regulation=version.regulation,
        weight_mode=weight_mode,
        n=n_responses if n_responses is not None else max(n_per.values()),
        n_per_unsur=freeze_mapping(n_per),
        weights=freeze_mapping({slug: wf for slug, _, _, wf in weights}),
        nrr=freeze_mapping(nrr_f),
        nrr_weighted=freeze_mapping(weighted_f),
        ikm=num / den,
        ikm_unit=(num * version.unit_factor) / den,
        ikm_unit_shown=category.shown,
        mutu=category.mutu,
        kinerja=category.kinerja,
    )


def _exact_from_counts(
    counts: Mapping[str, Sequence[int]],
    version: SkmVersion,
    weight_mode: WeightMode,
    n_responses: int | None,
) -> IkmResult:
    stats = {key: {version.scale_min + i: x for i, x in enumerate(c)} for key, c in counts.items()}
    return compute_ikm(stats, version, weight_mode, n_responses=n_responses)


@dataclass(frozen=True)
class IkmMargin:
    """A confidence interval for the IKM unit (25–100 scale).

    ``lower``/``upper`` are the interval (asymmetric near the ends of the scale, never outside
    the index's range); ``margin`` is the larger half-width, ``max(estimate − lower,
    upper − estimate)``, so a ``± margin`` reading stays conservative. ``df`` is ``n − 1`` of the
    smallest unsur (kept for callers; the interval uses the normal quantile, not Student t).
    """

    estimate: float
    margin: float
    lower: float
    upper: float
    confidence: float
    n: int
    df: int
    method: str
    reference: str


MARGIN_METHOD = (
    "quasi-binomial Wilson score interval on the 0–1 scale of each mean, dispersion with z²/2 "
    "pseudo-observations at each end of the scale"
)
MARGIN_REFERENCE = (
    "Wilson (1927) JASA 22:209–212; Wedderburn (1974) Biometrika 61:439–447 and Papke & "
    "Wooldridge (1996) J Appl Econometrics 11:619–632 (Bernoulli quasi-likelihood for a bounded "
    "mean); Agresti & Coull (1998) Am Stat 52:119–126 (z²/2 pseudo-observations); Bhatia & Davis "
    "(2000) Am Math Monthly 107:353–357 (Var ≤ μ(1 − μ)); Cochran (1977) Sampling Techniques "
    "(finite population correction)"
)


_Z_QUANTILES: dict[float, float] = {}


def _z_quantile(confidence: float) -> float:
    z = _Z_QUANTILES.get(confidence)
    if z is None:
        from scipy import stats as scipy_stats

        z = _Z_QUANTILES[confidence] = float(scipy_stats.norm.ppf(0.5 + confidence / 2))
    return z


def _fpc(n: int, population: int | None) -> float:
    if population is None:
        return 1.0
    if population < n:
        raise ValueError(f"population ({population}) is smaller than the sample ({n})")
    if population == 1:
        return 0.0
    return math.sqrt((population - n) / (population - 1))


def _check_confidence_level(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")


def _bounded_mean_interval(
    n: int, total: Fraction, sumsq: Fraction, z: float, fpc: float = 1.0
) -> tuple[float, float]:
    """Score interval for the mean of ``n`` values in [0, 1] from ``Σy`` and ``Σy²``, returned
    as the half-widths below and above ``ȳ``: ``(ȳ − L, U − ȳ)``, both ≥ 0.

    The quasi-binomial Wilson interval: ``{μ : n(ȳ − μ)² ≤ z²·φ·f²·μ(1 − μ)}``, i.e. Wilson's
    (1927) interval with ``n`` replaced by the effective size ``n/(φ·f²)`` (``f`` the finite
    population correction). ``φ = s̃²/(p̃(1 − p̃))`` is the dispersion of the Bernoulli
    quasi-likelihood (Wedderburn 1974; Papke & Wooldridge 1996), estimated on the sample
    augmented with ``z²/2`` pseudo-observations at 0 and ``z²/2`` at 1 (the Agresti–Coull 1998
    pseudo-counts) — ``p̃``, ``s̃²`` (divisor ``n + z²``) are that sample's mean and variance —
    so φ cannot collapse to 0 when every answer is equal. By the Bhatia–Davis inequality
    ``0 < φ ≤ 1``; for 0/1 data ``φ = 1`` exactly and the interval is Wilson's.

    Chosen by simulation (``bench/bench_ikm_margin.py --candidates``) over: Wilson with the
    Bernoulli bound φ = 1 (always valid, but 1,5–2× the t width at n = 100–400); fewer
    pseudo-observations (1 or ½ per end: below 94 % at n = 5 for (0, ,01, ,04, ,95)); a t
    interval with a variance floor (undercovers like t from n ≈ 20); bootstrap-t (resamples with
    s = 0; 30–62 % at n = 5–10 for skewed answers). Known limit, inherited from Wilson (Brown,
    Cai & DasGupta 2001, Stat Sci 16:101–133): for data that are almost all at one end and
    purely 0/1 (answers only 1 and 4, P(4) = ,95) coverage dips to 85–92 % at some n ≤ 20.
    """
    k = z * z / 2
    m = float(total / n)
    n_aug = n + 2 * k
    p_aug = (float(total) + k) / n_aug
    var_aug = (float(sumsq) + k) / n_aug - p_aug * p_aug
    phi = min(1.0, max(0.0, var_aug / (p_aug * (1 - p_aug))))
    a = z * z * phi * fpc * fpc / n
    centre = (m + a / 2) / (1 + a)
    half = math.sqrt(max(0.0, a * m * (1 - m) + a * a / 4)) / (1 + a)
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    return max(0.0, m - low), max(0.0, high - m)


def margin_of_error(
    stats: Mapping[str, StatsInput],
    version: SkmVersion = SKM_2017,
    weight_mode: WeightMode = "exact",
    *,
    confidence: float = 0.95,
    population: int | None = None,
) -> IkmMargin:
    """A conservative confidence interval for the IKM unit from per-unsur (n, Σx, Σx²).

    Notes
    -----
    Each unsur mean is put on the 0–1 scale, ``y = (x − scale_min)/(scale_max − scale_min)``,
    and gets the quasi-binomial Wilson score interval ``[L_j, U_j]`` of
    :func:`_bounded_mean_interval`. The answers are bounded and usually very skewed (most
    answer 3 or 4), and units often have few respondents: there a Student-t interval on the mean
    undercovers badly (for answer probabilities (0, ,01, ,04, ,95) and n = 10 it covered 40 % in
    simulation, and two equal answers gave "100 ± 0"). The score interval keeps the nominal
    coverage there (``bench/bench_ikm_margin.py``), is asymmetric near the ends of the scale,
    never leaves it, and for large n tends to ``ȳ ± z·s/√n`` (the former width).

    The IKM combines the unsur: ``lower = 25·Σ_j w_j·(scale_min + R·L_j)`` and likewise
    ``upper``, i.e. the per-unsur half-widths are added with weights ``w_j``. As before, this is
    the perfect-correlation (Cauchy–Schwarz) combination, ``|Cov(x̄_j, x̄_k)| ≤ SE_j·SE_k``:
    per-unsur rollups do not keep the covariances, SKM unsur correlate strongly and positively,
    and the sum errs on the safe side (too wide, never too narrow). With ``population`` N each
    unsur's effective size is divided by the finite population correction ``(N − n)/(N − 1)``.
    When the sums of the respondents' weighted scores are kept, use
    :func:`margin_of_error_from_respondent_scores`, which needs no bound.

    At least 2 answers per unsur are required: the formula is defined for one answer, but one
    respondent is not a sample to put an interval on, and callers show no interval then.
    """
    _check_confidence_level(confidence)
    resolved, weights, _nrrs, ikm = _exact_ikm(stats, version, weight_mode)
    z = _z_quantile(confidence)
    lo, width = version.scale_min, version.scale_max - version.scale_min
    below = above = 0.0  # Σ w_j × half-width of unsur j below / above its mean (1–4 scale)
    for slug, (unsur, s) in resolved.items():
        if s.sumsq is None:
            raise ValueError(f"Unsur {unsur.name}: Σx² diperlukan untuk margin of error")
        if s.n < 2:
            raise ValueError(
                f"Unsur {unsur.name}: perlu sedikitnya 2 jawaban untuk margin of error"
            )
        total = to_fraction(s.total)
        sumsq = to_fraction(s.sumsq)
        ss = sumsq - total * total / s.n
        if ss < 0:
            raise ValueError(f"Unsur {unsur.name}: Σx² lebih kecil dari (Σx)²/n")
        # sums of y = (x − lo)/width
        y_total = (total - s.n * lo) / width
        y_sumsq = (sumsq - 2 * lo * total + s.n * lo * lo) / (width * width)
        below_j, above_j = _bounded_mean_interval(s.n, y_total, y_sumsq, z, _fpc(s.n, population))
        w = float(weights[slug])
        below += w * width * below_j
        above += w * width * above_j
    f = version.unit_factor
    estimate = float(ikm * f)
    total_weight = sum((weights[slug] for slug in resolved), Fraction(0))
    floor, ceiling = float(total_weight * lo * f), float(total_weight * version.scale_max * f)
    low_unit, high_unit = max(floor, estimate - below * f), min(ceiling, estimate + above * f)
    n_min = min(s.n for _, s in resolved.values())
    return IkmMargin(
        estimate=estimate,
        margin=max(0.0, estimate - low_unit, high_unit - estimate),
        lower=min(low_unit, estimate),
        upper=max(high_unit, estimate),
        confidence=confidence,
        n=max(s.n for _, s in resolved.values()),
        df=n_min - 1,
        method=MARGIN_METHOD + "; unsur combined as Σ w_j·interval_j (perfect correlation, "
        "an upper bound)",
        reference=MARGIN_REFERENCE + "; Cauchy–Schwarz bound on Cov(x̄_j, x̄_k)",
    )


def margin_of_error_from_respondent_scores(
    n: int,
    total: Number,
    sumsq: Number,
    *,
    confidence: float = 0.95,
    population: int | None = None,
    scale: Literal["unit", "ikm"] = "unit",
    unit_factor: int = 25,
    scale_min: int = 1,
    scale_max: int = 4,
) -> IkmMargin:
    """Confidence interval for the IKM unit from the respondents' weighted scores.

    ``total`` and ``sumsq`` are ``Σ Y_i`` and ``Σ Y_i²`` over the ``n`` respondents, where
    ``Y_i = 25·Σ_j w_j·x_ij`` is respondent i's weighted score on the unit scale (25–100). With
    ``scale="ikm"`` they are on the 1–4 scale (``Σ_j w_j·x_ij``) and are multiplied by
    ``unit_factor``. ``scale_min``/``scale_max`` are the answer scale (1–4).

    Notes
    -----
    ``y_i = (Y_i/25 − 1)/3`` lies in [0, 1]; the interval is the quasi-binomial Wilson score
    interval of :func:`_bounded_mean_interval` for the mean of y (dispersion from the sample
    with z²/2 pseudo-observations at each end; finite population correction when ``population``
    N is given), mapped back to 25–100. Exact (no bound between unsur) when every respondent
    answered every unsur. ``margin`` is the larger half-width.
    """
    _check_confidence_level(confidence)
    if n < 2:
        raise ValueError("perlu sedikitnya 2 responden untuk margin of error")
    factor = unit_factor if scale == "ikm" else 1
    t = to_fraction(total) * factor
    tt = to_fraction(sumsq) * factor * factor
    ss = tt - t * t / n
    if ss < 0:
        raise ValueError("ΣY² lebih kecil dari (ΣY)²/n")
    low_s, high_s = unit_factor * scale_min, unit_factor * scale_max
    width = high_s - low_s
    if not low_s * n <= t <= high_s * n:
        raise ValueError(f"ΣY di luar rentang {low_s}–{high_s} per responden")
    y_total = (t - n * low_s) / width
    y_sumsq = (tt - 2 * low_s * t + n * low_s * low_s) / (width * width)
    z = _z_quantile(confidence)
    below, above = _bounded_mean_interval(n, y_total, y_sumsq, z, _fpc(n, population))
    estimate = float(t / n)
    lower = max(float(low_s), estimate - width * below)
    upper = min(float(high_s), estimate + width * above)
    return IkmMargin(
        estimate=estimate,
        margin=max(estimate - lower, upper - estimate),
        lower=lower,
        upper=upper,
        confidence=confidence,
        n=n,
        df=n - 1,
        method=MARGIN_METHOD + "; respondents' weighted scores (exact)",
        reference=MARGIN_REFERENCE,
    )
