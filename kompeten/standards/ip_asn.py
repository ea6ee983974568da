"""IP ASN, the Indeks Profesionalitas ASN (PermenPANRB 38/2018; Peraturan BKN 8/2019).

Score 0–100 = kualifikasi (max 25) + kompetensi (max 40) + kinerja (max 30) + disiplin (max 5);
the dimension maxima and the categories are HIGH. The sub-scores are MED (a regional
implementation; S-3 = 25 and S-2 = 20 are HIGH), two of them LOW:

* SLTA and below → 1 (one implementation gives 5);
* mapping the new SKP predikat (PermenPANRB 6/2022) onto the old numeric SKP bands.

Every number lives in :class:`IpAsnTable` (editable: ``to_dict``/``from_dict``).

Kompetensi rules (points per rule, capped at 40 in total):

==============================================  ===================================  ======
training                                        jabatan groups                       points
==============================================  ===================================  ======
diklat kepemimpinan matching the post           JPT, administrator, pengawas         15
diklat fungsional matching the post             fungsional                           15
diklat teknis ≥ 20 JP                           JPT, administrator, pengawas, fung.  15
seminar/workshop/magang/kursus, last 2 years    JPT, administrator, pengawas, fung.  10
diklat teknis ≥ 20 JP in the last year          pelaksana                            22,5
seminar/workshop/magang/kursus, last 2 years    pelaksana                            17,5
==============================================  ===================================  ======

"In the last N years" is a rolling window ending on the as-of date: a training on or after the
same calendar day N years earlier, and not after the as-of date, counts. DOMAIN.md gives no window
for diklat teknis outside pelaksana; none is applied (editable). "≥ 20 JP" is read per training
(``jp_mode="single"``; ``"cumulative"`` sums the window's trainings of that kind instead).

Categories (HIGH), read on the score rounded to 2 decimals: ≤ 60 Sangat Rendah; 60,01–70 Rendah;
70,01–80 Sedang; 80,01–90 Tinggi; 90,01–100 Sangat Tinggi. A unit's IP is the mean of its members'.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal, TypeAlias

from kompeten.standards._tables import (
    BandTable,
    Confidence,
    LabelledStrEnum,
    RegulationTable,
    check_confidence,
    freeze_mapping,
    head_from_dict,
    make_bands,
)
from kompeten.standards.skp import Predikat

JpMode: TypeAlias = Literal["single", "cumulative"]


class EducationLevel(StrEnum):
    S3 = "S3"
    S2 = "S2"
    S1 = "S1"
    D4 = "D4"
    D3 = "D3"
    D2 = "D2"
    D1 = "D1"
    SLTA = "SLTA"
    SLTP = "SLTP"
    SD = "SD"


class JabatanGroup(LabelledStrEnum):
    JPT = "jpt", "Jabatan Pimpinan Tinggi"
    ADMINISTRATOR = "administrator", "Administrator"
    PENGAWAS = "pengawas", "Pengawas"
    FUNGSIONAL = "fungsional", "Fungsional"
    PELAKSANA = "pelaksana", "Pelaksana"


class TrainingKind(LabelledStrEnum):
    KEPEMIMPINAN = "kepemimpinan", "Diklat kepemimpinan"
    FUNGSIONAL = "fungsional", "Diklat fungsional"
    TEKNIS = "teknis", "Diklat teknis"
    SEMINAR = "seminar", "Seminar"
    WORKSHOP = "workshop", "Workshop"
    MAGANG = "magang", "Magang"
    KURSUS = "kursus", "Kursus"


class Sanction(StrEnum):
    """The heaviest disciplinary sanction in the last five years."""

    NONE = "none"
    RINGAN = "ringan"
    SEDANG = "sedang"
    BERAT = "berat"


@dataclass(frozen=True)
class KompetensiRule:
    """Points for having a training of one of ``kinds`` (for the ``groups``)."""

    id: str
    groups: frozenset[JabatanGroup]
    kinds: frozenset[TrainingKind]
    points: float
    min_jp: float | None = None
    window_years: int | None = None
    requires_match: bool = False
    jp_mode: JpMode = "single"

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", frozenset(JabatanGroup(g) for g in self.groups))
        object.__setattr__(self, "kinds", frozenset(TrainingKind(k) for k in self.kinds))
        if self.points <= 0:
            raise ValueError(f"rule {self.id}: points must be positive")
        if self.jp_mode not in ("single", "cumulative"):
            raise ValueError(f"rule {self.id}: jp_mode must be 'single' or 'cumulative'")

    @property
    def label(self) -> str:
        """An Indonesian description: "Diklat teknis ≥ 20 JP dalam 1 tahun terakhir"."""
        kinds = "/".join(
            k.label if i == 0 else k.label.lower() for i, k in enumerate(_ordered(self.kinds))
        )
        parts = [kinds]
        if self.requires_match:
            parts.append("sesuai jabatan")
        if self.min_jp is not None:
            total = "total " if self.jp_mode == "cumulative" else ""
            parts.append(f"{total}≥ {_num(self.min_jp)} JP")
        if self.window_years is not None:
            parts.append(f"dalam {self.window_years} tahun terakhir")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "groups": sorted(g.value for g in self.groups),
            "kinds": sorted(k.value for k in self.kinds),
            "points": self.points,
            "min_jp": self.min_jp,
            "window_years": self.window_years,
            "requires_match": self.requires_match,
            "jp_mode": self.jp_mode,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KompetensiRule:
        return cls(
            id=str(data["id"]),
            groups=frozenset(JabatanGroup(g) for g in data["groups"]),
            kinds=frozenset(TrainingKind(k) for k in data["kinds"]),
            points=float(data["points"]),
            min_jp=None if data.get("min_jp") is None else float(data["min_jp"]),
            window_years=None if data.get("window_years") is None else int(data["window_years"]),
            requires_match=bool(data.get("requires_match", False)),
            jp_mode=data.get("jp_mode", "single"),
        )


def _ordered(kinds: Iterable[TrainingKind]) -> list[TrainingKind]:
    order = list(TrainingKind)
    return sorted(kinds, key=order.index)


def _num(value: float) -> str:
    """22.5 → "22,5"; 20.0 → "20" (for labels only)."""
    text = f"{value:g}"
    return text.replace(".", ",")


@dataclass(frozen=True)
class KinerjaBand:
    """Old numeric SKP: a score up to ``upper`` (inclusive; ``None`` = no limit) earns ``points``."""

    upper: float | None
    points: float


IP_ASN_CATEGORIES = BandTable(
    regulation="PermenPANRB Nomor 38 Tahun 2018: kategori tingkat profesionalitas ASN",
    effective_from=date(2018, 1, 1),
    confidence="HIGH",
    bands=make_bands(
        [
            ("0.00", "60.00", "sangat_rendah", "Sangat Rendah"),
            ("60.01", "70.00", "rendah", "Rendah"),
            ("70.01", "80.00", "sedang", "Sedang"),
            ("80.01", "90.00", "tinggi", "Tinggi"),
            ("90.01", "100.00", "sangat_tinggi", "Sangat Tinggi"),
        ]
    ),
)


@dataclass(frozen=True)
class IpAsnTable(RegulationTable):
    """Every number of the IP ASN computation (editable)."""

    max_kualifikasi: float
    max_kompetensi: float
    max_kinerja: float
    max_disiplin: float
    kualifikasi: Mapping[EducationLevel, float]
    kompetensi_rules: tuple[KompetensiRule, ...]
    kinerja_bands: tuple[KinerjaBand, ...]
    kinerja_no_skp: float
    kinerja_predikat: Mapping[Predikat, float]
    kinerja_predikat_confidence: Confidence
    disiplin: Mapping[Sanction, float]
    categories: BandTable

    def __post_init__(self) -> None:
        super().__post_init__()
        check_confidence(self.kinerja_predikat_confidence)
        kualifikasi = {EducationLevel(k): float(v) for k, v in self.kualifikasi.items()}
        predikat = {Predikat(k): float(v) for k, v in self.kinerja_predikat.items()}
        disiplin = {Sanction(k): float(v) for k, v in self.disiplin.items()}
        _complete("kualifikasi", kualifikasi, EducationLevel, self.max_kualifikasi)
        _complete("kinerja_predikat", predikat, Predikat, self.max_kinerja)
        _complete("disiplin", disiplin, Sanction, self.max_disiplin)
        object.__setattr__(self, "kualifikasi", freeze_mapping(kualifikasi))
        object.__setattr__(self, "kinerja_predikat", freeze_mapping(predikat))
        object.__setattr__(self, "disiplin", freeze_mapping(disiplin))
        ids = [r.id for r in self.kompetensi_rules]
        if len(set(ids)) != len(ids):
            raise ValueError("kompetensi rule ids must be unique")
        if not self.kinerja_bands or self.kinerja_bands[-1].upper is not None:
            raise ValueError("the last kinerja band must have no upper limit")
        uppers = [b.upper for b in self.kinerja_bands[:-1]]
        if any(u is None for u in uppers) or uppers != sorted(uppers):  # type: ignore[type-var]
            raise ValueError("kinerja bands must be ascending")
        for band in self.kinerja_bands:
            if not 0 <= band.points <= self.max_kinerja:
                raise ValueError("kinerja points must be within 0..max_kinerja")
        total = self.max_kualifikasi + self.max_kompetensi + self.max_kinerja + self.max_disiplin
        if not math.isclose(total, float(self.categories.maximum)):
            raise ValueError(f"the dimension maxima sum to {total}, not {self.categories.maximum}")

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head_dict(),
            "max_kualifikasi": self.max_kualifikasi,
            "max_kompetensi": self.max_kompetensi,
            "max_kinerja": self.max_kinerja,
            "max_disiplin": self.max_disiplin,
            "kualifikasi": {k.value: v for k, v in self.kualifikasi.items()},
            "kompetensi_rules": [r.to_dict() for r in self.kompetensi_rules],
            "kinerja_bands": [{"upper": b.upper, "points": b.points} for b in self.kinerja_bands],
            "kinerja_no_skp": self.kinerja_no_skp,
            "kinerja_predikat": {k.value: v for k, v in self.kinerja_predikat.items()},
            "kinerja_predikat_confidence": self.kinerja_predikat_confidence,
            "disiplin": {k.value: v for k, v in self.disiplin.items()},
            "categories": self.categories.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IpAsnTable:
        return cls(
            **head_from_dict(data),
            max_kualifikasi=float(data["max_kualifikasi"]),
            max_kompetensi=float(data["max_kompetensi"]),
            max_kinerja=float(data["max_kinerja"]),
            max_disiplin=float(data["max_disiplin"]),
            kualifikasi={EducationLevel(k): float(v) for k, v in data["kualifikasi"].items()},
            kompetensi_rules=tuple(KompetensiRule.from_dict(r) for r in data["kompetensi_rules"]),
            kinerja_bands=tuple(
                KinerjaBand(
                    upper=None if b["upper"] is None else float(b["upper"]),
                    points=float(b["points"]),
                )
                for b in data["kinerja_bands"]
            ),
            kinerja_no_skp=float(data["kinerja_no_skp"]),
            kinerja_predikat={Predikat(k): float(v) for k, v in data["kinerja_predikat"].items()},
            kinerja_predikat_confidence=check_confidence(data["kinerja_predikat_confidence"]),
            disiplin={Sanction(k): float(v) for k, v in data["disiplin"].items()},
            categories=BandTable.from_dict(data["categories"]),
        )


def _complete(name: str, mapping: Mapping[Any, float], enum: Any, maximum: float) -> None:
    missing = [m.value for m in enum if m not in mapping]
    if missing:
        raise ValueError(f"{name}: no value for {', '.join(missing)}")
    for key, value in mapping.items():
        if not 0 <= value <= maximum:
            raise ValueError(f"{name}[{key}] = {value} is outside 0..{maximum}")


_NON_PELAKSANA = frozenset(
    {JabatanGroup.JPT, JabatanGroup.ADMINISTRATOR, JabatanGroup.PENGAWAS, JabatanGroup.FUNGSIONAL}
)
_SEMINAR_KINDS = frozenset(
    {TrainingKind.SEMINAR, TrainingKind.WORKSHOP, TrainingKind.MAGANG, TrainingKind.KURSUS}
)

IP_ASN_2019 = IpAsnTable(
    regulation="PermenPANRB Nomor 38 Tahun 2018 tentang Pengukuran Indeks Profesionalitas ASN; "
    "Peraturan BKN Nomor 8 Tahun 2019 (sub-skor mengikuti penerapan salah satu daerah)",
    effective_from=date(2019, 1, 1),
    confidence="MED",
    max_kualifikasi=25,
    max_kompetensi=40,
    max_kinerja=30,
    max_disiplin=5,
    kualifikasi={
        EducationLevel.S3: 25,
        EducationLevel.S2: 20,
        EducationLevel.S1: 15,
        EducationLevel.D4: 15,
        EducationLevel.D3: 10,
        EducationLevel.D2: 5,
        EducationLevel.D1: 5,
        EducationLevel.SLTA: 1,  # LOW: one implementation gives 5
        EducationLevel.SLTP: 1,
        EducationLevel.SD: 1,
    },
    kompetensi_rules=(
        KompetensiRule(
            id="kepemimpinan",
            groups=frozenset({JabatanGroup.JPT, JabatanGroup.ADMINISTRATOR, JabatanGroup.PENGAWAS}),
            kinds=frozenset({TrainingKind.KEPEMIMPINAN}),
            points=15,
            requires_match=True,
        ),
        KompetensiRule(
            id="fungsional",
            groups=frozenset({JabatanGroup.FUNGSIONAL}),
            kinds=frozenset({TrainingKind.FUNGSIONAL}),
            points=15,
            requires_match=True,
        ),
        KompetensiRule(
            id="teknis",
            groups=_NON_PELAKSANA,
            kinds=frozenset({TrainingKind.TEKNIS}),
            points=15,
            min_jp=20,
        ),
        KompetensiRule(
            id="seminar",
            groups=_NON_PELAKSANA,
            kinds=_SEMINAR_KINDS,
            points=10,
            window_years=2,
        ),
        KompetensiRule(
            id="pelaksana_teknis",
            groups=frozenset({JabatanGroup.PELAKSANA}),
            kinds=frozenset({TrainingKind.TEKNIS}),
            points=22.5,
            min_jp=20,
            window_years=1,
        ),
        KompetensiRule(
            id="pelaksana_seminar",
            groups=frozenset({JabatanGroup.PELAKSANA}),
            kinds=_SEMINAR_KINDS,
            points=17.5,
            window_years=2,
        ),
    ),
    kinerja_bands=(
        KinerjaBand(upper=50, points=1),
        KinerjaBand(upper=60, points=5),
        KinerjaBand(upper=75, points=15),
        KinerjaBand(upper=90, points=25),
        KinerjaBand(upper=None, points=30),
    ),
    kinerja_no_skp=0,
    kinerja_predikat={
        Predikat.SANGAT_BAIK: 30,
        Predikat.BAIK: 25,
        Predikat.BUTUH_PERBAIKAN: 15,
        Predikat.KURANG: 5,
        Predikat.SANGAT_KURANG: 1,
    },
    kinerja_predikat_confidence="LOW",
    disiplin={Sanction.NONE: 5, Sanction.RINGAN: 3, Sanction.SEDANG: 2, Sanction.BERAT: 1},
    categories=IP_ASN_CATEGORIES,
)


@dataclass(frozen=True)
class TrainingRecord:
    """A completed training. ``matches_post``: it is the diklat kepemimpinan/fungsional that the
    employee's post requires (only read for rules that require a match)."""

    kind: TrainingKind
    jp: float
    date: date
    matches_post: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TrainingKind(self.kind))
        if self.jp < 0:
            raise ValueError("JP must not be negative")


@dataclass(frozen=True)
class IpAsnInput:
    """One employee's data as of ``as_of``.

    Give at most one of ``skp_score`` (old numeric SKP, PP 46/2011) and ``skp_predikat`` (new
    predikat, PermenPANRB 6/2022); with neither the kinerja dimension scores ``kinerja_no_skp``.
    """

    education: EducationLevel
    jabatan_group: JabatanGroup
    trainings: tuple[TrainingRecord, ...]
    as_of: date
    skp_score: float | None = None
    skp_predikat: Predikat | None = None
    worst_sanction: Sanction = Sanction.NONE

    def __post_init__(self) -> None:
        object.__setattr__(self, "education", EducationLevel(self.education))
        object.__setattr__(self, "jabatan_group", JabatanGroup(self.jabatan_group))
        object.__setattr__(self, "worst_sanction", Sanction(self.worst_sanction))
        object.__setattr__(self, "trainings", tuple(self.trainings))
        if self.skp_predikat is not None:
            object.__setattr__(self, "skp_predikat", Predikat(self.skp_predikat))
        if self.skp_score is not None and self.skp_predikat is not None:
            raise ValueError("give either skp_score (old SKP) or skp_predikat (new SKP), not both")
        if self.skp_score is not None and self.skp_score < 0:
            raise ValueError("skp_score must not be negative")


@dataclass(frozen=True)
class KompetensiItem:
    rule_id: str
    label: str
    points: float


@dataclass(frozen=True)
class IpAsnResult:
    kualifikasi: float
    kompetensi: float
    kinerja: float
    disiplin: float
    total: float
    category: str
    category_code: str
    kompetensi_items: tuple[KompetensiItem, ...]
    kompetensi_uncapped: float
    kinerja_source: Literal["skp_numeric", "skp_predikat", "none"]
    kinerja_confidence: Confidence
    regulation: str


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year - years, day=28)


def _rule_met(rule: KompetensiRule, inp: IpAsnInput) -> bool:
    start = None if rule.window_years is None else _years_before(inp.as_of, rule.window_years)
    eligible = [
        t
        for t in inp.trainings
        if t.kind in rule.kinds
        and t.date <= inp.as_of
        and (start is None or t.date >= start)
        and (not rule.requires_match or t.matches_post)
    ]
    if not eligible:
        return False
    if rule.min_jp is None:
        return True
    if rule.jp_mode == "cumulative":
        return math.fsum(t.jp for t in eligible) >= rule.min_jp
    return any(t.jp >= rule.min_jp for t in eligible)


def _applicable(inp: IpAsnInput, table: IpAsnTable) -> list[KompetensiRule]:
    return [r for r in table.kompetensi_rules if inp.jabatan_group in r.groups]


def kinerja_points(
    skp_score: float | None, skp_predikat: Predikat | None, table: IpAsnTable = IP_ASN_2019
) -> float:
    if skp_predikat is not None:
        return table.kinerja_predikat[Predikat(skp_predikat)]
    if skp_score is None:
        return table.kinerja_no_skp
    for band in table.kinerja_bands:
        if band.upper is None or skp_score <= band.upper:
            return band.points
    raise AssertionError("the last kinerja band has no upper limit")  # pragma: no cover


def compute_ip_asn(inp: IpAsnInput, table: IpAsnTable = IP_ASN_2019) -> IpAsnResult:
    """The IP ASN of one employee with its breakdown.

    Examples
    --------
    The worked example of DOMAIN.md: a pelaksana with S-1 (15), a 24-JP technical course last
    year (22,5), a workshop last year (17,5), SKP 85 (25) and no sanctions (5):

    >>> from datetime import date
    >>> r = compute_ip_asn(IpAsnInput(
    ...     education=EducationLevel.S1, jabatan_group=JabatanGroup.PELAKSANA,
    ...     trainings=(TrainingRecord(TrainingKind.TEKNIS, 24, date(2024, 9, 10)),
    ...                TrainingRecord(TrainingKind.WORKSHOP, 8, date(2024, 11, 5))),
    ...     as_of=date(2025, 6, 30), skp_score=85))
    >>> r.total, r.category
    (85.0, 'Tinggi')
    """
    kualifikasi = table.kualifikasi[inp.education]
    items = tuple(
        KompetensiItem(rule_id=r.id, label=r.label, points=r.points)
        for r in _applicable(inp, table)
        if _rule_met(r, inp)
    )
    uncapped = math.fsum(i.points for i in items)
    kompetensi = min(uncapped, table.max_kompetensi)
    kinerja = kinerja_points(inp.skp_score, inp.skp_predikat, table)
    if inp.skp_predikat is not None:
        source: Literal["skp_numeric", "skp_predikat", "none"] = "skp_predikat"
        kinerja_confidence = table.kinerja_predikat_confidence
    else:
        source = "none" if inp.skp_score is None else "skp_numeric"
        kinerja_confidence = table.confidence
    disiplin = table.disiplin[inp.worst_sanction]
    total = math.fsum((kualifikasi, kompetensi, kinerja, disiplin))
    band = table.categories.categorise(total)
    return IpAsnResult(
        kualifikasi=kualifikasi,
        kompetensi=kompetensi,
        kinerja=kinerja,
        disiplin=disiplin,
        total=total,
        category=band.label,
        category_code=band.code,
        kompetensi_items=items,
        kompetensi_uncapped=uncapped,
        kinerja_source=source,
        kinerja_confidence=kinerja_confidence,
        regulation=table.regulation,
    )


def ip_category(score: float, table: IpAsnTable = IP_ASN_2019) -> str:
    """The category label of an IP score (0–100), read on the score rounded to 2 decimals."""
    return table.categories.categorise(score).label


@dataclass(frozen=True)
class KompetensiSuggestion:
    """A training that would raise the kompetensi dimension by ``gain`` points."""

    rule_id: str
    label: str
    kinds: tuple[TrainingKind, ...]
    gain: float
    min_jp: float | None
    window_years: int | None
    requires_match: bool


def what_would_raise_kompetensi(
    inp: IpAsnInput, table: IpAsnTable = IP_ASN_2019
) -> tuple[KompetensiSuggestion, ...]:
    """The trainings not yet counted for this employee's jabatan group and how many points each
    would add (within the 40-point cap), largest gain first."""
    current = compute_ip_asn(inp, table)
    headroom = table.max_kompetensi - current.kompetensi
    met = {i.rule_id for i in current.kompetensi_items}
    suggestions = []
    for rule in _applicable(inp, table):
        if rule.id in met:
            continue
        gain = min(rule.points, headroom)
        if gain <= 0:
            continue
        suggestions.append(
            KompetensiSuggestion(
                rule_id=rule.id,
                label=rule.label,
                kinds=tuple(_ordered(rule.kinds)),
                gain=gain,
                min_jp=rule.min_jp,
                window_years=rule.window_years,
                requires_match=rule.requires_match,
            )
        )
    suggestions.sort(key=lambda s: -s.gain)
    return tuple(suggestions)


def unit_ip(scores: Iterable[float]) -> float:
    """A unit's IP ASN: the mean of its members' scores."""
    values: Sequence[float] = list(scores)
    if not values:
        raise ValueError("a unit's IP needs at least one member's score")
    return math.fsum(values) / len(values)
