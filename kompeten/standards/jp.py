"""JP (jam pelajaran), the unit of learning time, and the yearly JP targets.

* 1 JP = 45 minutes (MED; :data:`JP_UNIT`). Minutes are credited as ``minutes / 45`` JP,
  **unrounded** (an exact fraction: 100 minutes = 20/9 JP); :func:`jp_for_display` rounds for
  display only. Sum minutes (or exact fractions), not rounded JP, or 60 × 15 minutes would miss
  20 JP by a rounding error.
* Yearly targets (:data:`JP_TARGETS`): every PNS has the right and duty to **at least 20 JP** a year
  (PP 11/2017 as amended by PP 17/2020, Pasal 203(4); HIGH); PPPK **at most 24 JP** a year
  (PP 49/2018; MED) — a ceiling, not a minimum.
* Klasikal / nonklasikal forms (Peraturan LAN 10/2018; :data:`JP_FORMS`, MED, editable: where
  sosialisasi and magang belong varies by instansi).
* Crediting rules for forms not counted by the clock (:data:`JP_CREDIT`, LOW, editable): seminar
  4 JP a day and workshop 5 JP a day (LAN's conversion guide for nonklasikal development, national
  events); coaching "per session" and the like are for the admin to add.
* Pelatihan struktural kepemimpinan (PKN Tingkat I and II, PKA, PKP; formerly Diklatpim I–IV) and
  pelatihan fungsional are klasikal forms (Perlan 10/2018) credited with the JP stated on their
  certificate (STTPP), unit ``"jp"``: their curricula are set per regulation and per jabatan
  fungsional and change, so the certificate is the record. Each rule cites its regulation
  (:data:`JP_CREDIT`); :data:`LEADERSHIP_POSTS` says which post each leadership training prepares
  for (the IP ASN's "diklat kepemimpinan matching the post").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, TypeAlias

from kompeten.standards._tables import (
    Confidence,
    Number,
    RegulationTable,
    check_confidence,
    freeze_mapping,
    head_from_dict,
    round_half_up,
    to_fraction,
)

Group: TypeAlias = Literal["klasikal", "nonklasikal"]
Status: TypeAlias = Literal["PNS", "PPPK"]
CreditUnit: TypeAlias = Literal["minute", "hour", "day", "session", "activity", "jp"]

_GROUPS: tuple[Group, ...] = ("klasikal", "nonklasikal")
_UNITS: tuple[CreditUnit, ...] = ("minute", "hour", "day", "session", "activity", "jp")
_UNIT_LABELS = {
    "minute": "menit",
    "hour": "jam",
    "day": "hari",
    "session": "sesi",
    "activity": "kegiatan",
    "jp": "JP (sesuai sertifikat)",
}


@dataclass(frozen=True)
class JpUnitTable(RegulationTable):
    """How many minutes one JP is (MED; editable)."""

    minutes_per_jp: int

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.minutes_per_jp <= 0:
            raise ValueError("minutes_per_jp must be positive")


JP_UNIT = JpUnitTable(
    regulation="Lembaga Administrasi Negara: 1 jam pelajaran (JP) = 45 menit (practice of LAN "
    "training regulations)",
    effective_from=date(2018, 1, 1),
    confidence="MED",
    minutes_per_jp=45,
)


def pns_minimum(table: JpTargetTable | None = None) -> Fraction:
    """The yearly JP minimum of a PNS (PP 11/2017 as amended, Pasal 203 ayat (4): 20 JP), which
    every label and sentence about the right states from here, not as a literal."""
    target = (table or JP_TARGETS).targets["PNS"].minimum
    if target is None:
        raise ValueError("the JP table sets no PNS minimum")
    return target


def minutes_to_jp(minutes: Number, table: JpUnitTable = JP_UNIT) -> Fraction:
    """JP credited for ``minutes`` of learning: ``minutes / 45``, exact and unrounded."""
    exact = to_fraction(minutes)
    if exact < 0:
        raise ValueError("minutes must not be negative")
    return exact / table.minutes_per_jp


def jp_to_minutes(jp: Number, table: JpUnitTable = JP_UNIT) -> Fraction:
    return to_fraction(jp) * table.minutes_per_jp


def jp_for_display(jp: Number, places: int = 1) -> Decimal:
    """JP rounded half-up for display only (``Decimal``; format the comma in the template)."""
    return round_half_up(jp, places)


@dataclass(frozen=True)
class JpTarget:
    """The yearly JP rule of one employment status: a ``minimum`` (a duty) and/or a ``maximum``."""

    status: Status
    minimum: Fraction | None
    maximum: Fraction | None
    regulation: str
    confidence: Confidence

    def __post_init__(self) -> None:
        check_confidence(self.confidence)
        if self.minimum is None and self.maximum is None:
            raise ValueError(f"{self.status}: a minimum or a maximum is needed")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"{self.status}: minimum above maximum")


@dataclass(frozen=True)
class JpTargetTable(RegulationTable):
    """Yearly JP rules per status (PNS HIGH, PPPK MED; editable)."""

    targets: Mapping[str, JpTarget]

    def __post_init__(self) -> None:
        super().__post_init__()
        self._freeze_keyed("targets", lambda t: t.status, "target keyed {key!r} is for {own!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head_dict(),
            "targets": {
                status: {
                    "minimum": None if t.minimum is None else str(t.minimum),
                    "maximum": None if t.maximum is None else str(t.maximum),
                    "regulation": t.regulation,
                    "confidence": t.confidence,
                }
                for status, t in self.targets.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JpTargetTable:
        targets = {}
        for status, t in data["targets"].items():
            targets[status] = JpTarget(
                status=status,
                minimum=None if t.get("minimum") is None else Fraction(t["minimum"]),
                maximum=None if t.get("maximum") is None else Fraction(t["maximum"]),
                regulation=str(t["regulation"]),
                confidence=check_confidence(t["confidence"]),
            )
        return cls(
            **head_from_dict(data),
            targets=targets,
        )


JP_TARGETS = JpTargetTable(
    regulation="PP 11/2017 s.t.d.d. PP 17/2020 (PNS); PP 49/2018 (PPPK)",
    effective_from=date(2020, 2, 28),
    confidence="MED",
    targets={
        "PNS": JpTarget(
            status="PNS",
            minimum=Fraction(20),
            maximum=None,
            regulation="PP Nomor 11 Tahun 2017 sebagaimana diubah dengan PP Nomor 17 Tahun 2020, "
            "Pasal 203 ayat (4): paling sedikit 20 JP dalam 1 tahun",
            confidence="HIGH",
        ),
        "PPPK": JpTarget(
            status="PPPK",
            minimum=None,
            maximum=Fraction(24),
            regulation="PP Nomor 49 Tahun 2018 tentang Manajemen PPPK: paling lama 24 JP dalam 1 "
            "tahun masa perjanjian kerja",
            confidence="MED",
        ),
    },
)


@dataclass(frozen=True)
class JpStatus:
    """Where an employee stands against the yearly JP rule.

    ``target`` is the minimum to reach (``None`` when the status has none: PPPK), ``deficit`` how
    much is missing and ``met`` whether it is reached (``True`` without a minimum). ``limit`` is
    the ceiling (PPPK: 24), ``excess`` how much is above it.
    """

    status: str
    total_jp: Fraction
    target: Fraction | None
    deficit: Fraction
    met: bool
    limit: Fraction | None
    excess: Fraction
    within_limit: bool
    regulation: str
    confidence: Confidence


def jp_status(
    total_jp: Number, status: Status | str, table: JpTargetTable = JP_TARGETS
) -> JpStatus:
    """Compare a year's JP with the rule for ``status`` ("PNS" or "PPPK").

    Compared exactly: pass the sum of :func:`minutes_to_jp` fractions (or of minutes / 45), not
    of rounded values.
    """
    try:
        target = table.targets[status]
    except KeyError:
        raise ValueError(f"no JP rule for status {status!r}") from None
    total = to_fraction(total_jp)
    if total < 0:
        raise ValueError("total JP must not be negative")
    deficit = (
        max(Fraction(0), target.minimum - total) if target.minimum is not None else Fraction(0)
    )
    excess = max(Fraction(0), total - target.maximum) if target.maximum is not None else Fraction(0)
    return JpStatus(
        status=target.status,
        total_jp=total,
        target=target.minimum,
        deficit=deficit,
        met=deficit == 0,
        limit=target.maximum,
        excess=excess,
        within_limit=excess == 0,
        regulation=target.regulation,
        confidence=target.confidence,
    )


@dataclass(frozen=True)
class LearningForm:
    """A form (jalur) of competency development and whether it is klasikal."""

    slug: str
    label: str
    group: Group

    def __post_init__(self) -> None:
        if self.group not in _GROUPS:
            raise ValueError(f"{self.slug}: group must be 'klasikal' or 'nonklasikal'")


@dataclass(frozen=True)
class JpFormTable(RegulationTable):
    """Forms of competency development, klasikal or nonklasikal (MED; editable)."""

    forms: Mapping[str, LearningForm]

    def __post_init__(self) -> None:
        super().__post_init__()
        self._freeze_keyed("forms", lambda f: f.slug, "form keyed {key!r} has slug {own!r}")

    def with_group(self, slug: str, group: Group) -> JpFormTable:
        """A copy of the table with ``slug`` moved to ``group`` (e.g. magang → klasikal)."""
        form = self.forms.get(slug)
        if form is None:
            raise ValueError(f"unknown learning form {slug!r}")
        return replace(self, forms={**self.forms, slug: replace(form, group=group)})

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head_dict(),
            "forms": [
                {"slug": f.slug, "label": f.label, "group": f.group} for f in self.forms.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JpFormTable:
        forms = [
            LearningForm(slug=str(f["slug"]), label=str(f["label"]), group=f["group"])
            for f in data["forms"]
        ]
        return cls(
            **head_from_dict(data),
            forms={f.slug: f for f in forms},
        )


def _forms(group: Group, rows: list[tuple[str, str]]) -> dict[str, LearningForm]:
    return {slug: LearningForm(slug, label, group) for slug, label in rows}


JP_FORMS = JpFormTable(
    regulation="Peraturan LAN Nomor 10 Tahun 2018 tentang Pengembangan Kompetensi PNS",
    effective_from=date(2018, 1, 1),
    confidence="MED",
    forms={
        **_forms(
            "klasikal",
            [
                ("pelatihan", "Pelatihan"),
                ("seminar", "Seminar/konferensi/sarasehan"),
                ("workshop", "Workshop/lokakarya"),
                ("kursus", "Kursus"),
                ("penataran", "Penataran"),
                ("bimbingan_teknis", "Bimbingan teknis"),
                ("sosialisasi", "Sosialisasi"),
                # pelatihan struktural kepemimpinan and pelatihan fungsional (Perlan 10/2018)
                ("pkn_1", "Pelatihan Kepemimpinan Nasional Tingkat I (PKN I; dahulu Diklatpim I)"),
                (
                    "pkn_2",
                    "Pelatihan Kepemimpinan Nasional Tingkat II (PKN II; dahulu Diklatpim II)",
                ),
                ("pka", "Pelatihan Kepemimpinan Administrator (PKA; dahulu Diklatpim III)"),
                ("pkp", "Pelatihan Kepemimpinan Pengawas (PKP; dahulu Diklatpim IV)"),
                ("pelatihan_fungsional", "Pelatihan fungsional (diklat jabatan fungsional)"),
            ],
        ),
        **_forms(
            "nonklasikal",
            [
                ("coaching", "Coaching"),
                ("mentoring", "Mentoring"),
                ("e_learning", "E-learning"),
                ("distance_learning", "Pelatihan jarak jauh"),
                ("detasering", "Detasering (secondment)"),
                ("outbound", "Pembelajaran alam terbuka (outbound)"),
                ("benchmarking", "Patok banding (benchmarking)"),
                ("pertukaran_pegawai", "Pertukaran PNS dengan pegawai swasta/BUMN/BUMD"),
                ("belajar_mandiri", "Belajar mandiri (self development)"),
                ("komunitas_belajar", "Komunitas belajar (komunitas praktik)"),
                ("bimbingan_di_tempat_kerja", "Bimbingan di tempat kerja"),
                ("magang", "Magang/praktik kerja"),
            ],
        ),
    },
)


def classify(kind: str, table: JpFormTable = JP_FORMS) -> Group:
    """Klasikal or nonklasikal, per ``table`` (sosialisasi and magang vary: edit the table)."""
    form = table.forms.get(kind)
    if form is None:
        raise ValueError(f"Bentuk pengembangan kompetensi {kind!r} tidak dikenal")
    return form.group


@dataclass(frozen=True)
class CreditRule:
    """``jp_per_unit`` JP for each ``unit`` of a form (e.g. seminar: 4 JP per day).

    ``regulation`` and ``confidence`` cite this rule's own source when it differs from the
    table's (``confidence`` None: the table's).
    """

    kind: str
    unit: CreditUnit
    jp_per_unit: Fraction
    regulation: str = ""
    confidence: Confidence | None = None

    def __post_init__(self) -> None:
        if self.confidence is not None:
            check_confidence(self.confidence)
        if self.unit not in _UNITS:
            raise ValueError(f"{self.kind}: unit must be one of {_UNITS}")
        object.__setattr__(self, "jp_per_unit", to_fraction(self.jp_per_unit))
        if self.jp_per_unit <= 0:
            raise ValueError(f"{self.kind}: jp_per_unit must be positive")


@dataclass(frozen=True)
class JpCreditTable(RegulationTable):
    """How forms that are not counted by the clock earn JP (LOW; editable). A form without a
    rule is credited by its minutes (:func:`minutes_to_jp`)."""

    rules: Mapping[str, CreditRule]

    def __post_init__(self) -> None:
        super().__post_init__()
        self._freeze_keyed("rules", lambda r: r.kind, "rule keyed {key!r} is for {own!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head_dict(),
            "rules": [
                {
                    "kind": r.kind,
                    "unit": r.unit,
                    "jp_per_unit": str(r.jp_per_unit),
                    "regulation": r.regulation,
                    "confidence": r.confidence,
                }
                for r in self.rules.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JpCreditTable:
        rules = [
            CreditRule(
                kind=str(r["kind"]),
                unit=r["unit"],
                jp_per_unit=Fraction(r["jp_per_unit"]),
                regulation=str(r.get("regulation") or ""),
                confidence=None
                if r.get("confidence") is None
                else check_confidence(r["confidence"]),
            )
            for r in data["rules"]
        ]
        return cls(
            **head_from_dict(data),
            rules={r.kind: r for r in rules},
        )


_STTPP = (
    "credited with the JP stated on the STTPP (surat tanda tamat pelatihan), whose curriculum "
    "the regulation sets"
)
JP_CREDIT = JpCreditTable(
    regulation="LAN, Konversi Pengembangan Kompetensi Non Klasikal (bahan sosialisasi, 2022): "
    "seminar 1 hari = 4 JP, workshop 1 hari = 5 JP (kegiatan nasional); single secondary source",
    effective_from=date(2022, 1, 1),
    confidence="LOW",
    rules={
        "seminar": CreditRule("seminar", "day", Fraction(4)),
        "workshop": CreditRule("workshop", "day", Fraction(5)),
        "pkn_1": CreditRule(
            "pkn_1",
            "jp",
            Fraction(1),
            regulation="Peraturan LAN tentang Pelatihan Kepemimpinan Nasional Tingkat I (2019; "
            f"number not verified here); {_STTPP}",
            confidence="LOW",
        ),
        "pkn_2": CreditRule(
            "pkn_2",
            "jp",
            Fraction(1),
            regulation="Peraturan LAN tentang Pelatihan Kepemimpinan Nasional Tingkat II (2019; "
            f"number not verified here); {_STTPP}",
            confidence="LOW",
        ),
        "pka": CreditRule(
            "pka",
            "jp",
            Fraction(1),
            regulation="Peraturan LAN tentang Pelatihan Kepemimpinan Administrator (2019; number "
            f"not verified here); {_STTPP}",
            confidence="LOW",
        ),
        "pkp": CreditRule(
            "pkp",
            "jp",
            Fraction(1),
            regulation="Peraturan LAN Nomor 15 Tahun 2019 tentang Pelatihan Kepemimpinan "
            f"Pengawas (replaces Perka LAN 20/2015 on Diklatpim Tingkat IV); {_STTPP}",
            confidence="MED",
        ),
        "pelatihan_fungsional": CreditRule(
            "pelatihan_fungsional",
            "jp",
            Fraction(1),
            regulation="Peraturan LAN Nomor 10 Tahun 2018 (pelatihan fungsional as a klasikal "
            "form); each jabatan fungsional's instansi pembina sets the curriculum; credited with "
            "the JP stated on the certificate",
            confidence="MED",
        ),
    },
)

# Which post each leadership training prepares for (MED): PKP for pengawas, PKA for
# administrator, PKN II for JPT pratama and PKN I for JPT madya (PP 11/2017 s.t.d.d. PP 17/2020,
# pelatihan struktural kepemimpinan per jenjang jabatan). The IP ASN's kompetensi dimension
# asks for "diklat kepemimpinan matching the post"; Employee.jabatan_kind has one JPT level.
LEADERSHIP_POSTS: Mapping[str, tuple[str, ...]] = freeze_mapping(
    {
        "pkn_1": ("jpt",),
        "pkn_2": ("jpt",),
        "pka": ("administrator",),
        "pkp": ("pengawas",),
    }
)


def credit_jp(
    kind: str,
    amount: Number,
    unit: CreditUnit,
    *,
    credit_table: JpCreditTable = JP_CREDIT,
    unit_table: JpUnitTable = JP_UNIT,
) -> Fraction:
    """JP credited for ``amount`` ``unit``\\ s of a form of development.

    A form with a rule in ``credit_table`` is credited by that rule, and ``unit`` must be the
    rule's unit (a seminar is credited per day: passing minutes is an error, not a silent
    recount). A form without a rule is credited by the clock: ``unit`` must be ``"minute"`` (or
    ``"hour"``, 60 minutes).
    """
    quantity = to_fraction(amount)
    if quantity < 0:
        raise ValueError("amount must not be negative")
    rule = credit_table.rules.get(kind)
    if rule is not None:
        if unit != rule.unit:
            raise ValueError(
                f"{kind} dikreditkan per {_UNIT_LABELS[rule.unit]}, bukan per "
                f"{_UNIT_LABELS.get(unit, unit)}"
            )
        return quantity * rule.jp_per_unit
    if unit == "minute":
        return minutes_to_jp(quantity, unit_table)
    if unit == "hour":
        return minutes_to_jp(quantity * 60, unit_table)
    raise ValueError(
        f"{kind} tidak punya aturan konversi per {_UNIT_LABELS.get(unit, unit)}: catat menitnya"
    )
