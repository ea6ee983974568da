"""IP ASN from the registry: education and post (people), training history (participation's JP
ledger), SKP ratings and discipline records (records), scored by ``standards.ip_asn``.

Which ledger forms count as which training kind is :data:`FORM_KINDS` (Kompeten's mapping of
the Perlan 10/2018 forms onto the IP ASN's kinds; forms not listed, e.g. coaching, do not earn
kompetensi points). The year's IP is taken as of 31 December, with that year's SKP (or the year
before when that year's is not in yet) and the heaviest sanction in the five years before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext, ngettext

from kompeten.core import formatting
from kompeten.participation.models import JpEntry
from kompeten.people.models import Employee
from kompeten.records.models import DisciplineRecord, IpAsnTableVersion, SkpRating
from kompeten.standards import jp as jp_std
from kompeten.standards.ip_asn import (
    IP_ASN_2019,
    EducationLevel,
    IpAsnInput,
    IpAsnResult,
    IpAsnTable,
    JabatanGroup,
    KompetensiRule,
    KompetensiSuggestion,
    Sanction,
    TrainingKind,
    TrainingRecord,
    compute_ip_asn,
    unit_ip,
    what_would_raise_kompetensi,
)
from kompeten.standards.skp import Predikat

FORM_KINDS: dict[str, TrainingKind] = {
    "pelatihan": TrainingKind.TEKNIS,
    "bimbingan_teknis": TrainingKind.TEKNIS,
    "penataran": TrainingKind.TEKNIS,
    "e_learning": TrainingKind.TEKNIS,
    "distance_learning": TrainingKind.TEKNIS,
    "seminar": TrainingKind.SEMINAR,
    "workshop": TrainingKind.WORKSHOP,
    "kursus": TrainingKind.KURSUS,
    "magang": TrainingKind.MAGANG,
    "pkn_1": TrainingKind.KEPEMIMPINAN,
    "pkn_2": TrainingKind.KEPEMIMPINAN,
    "pka": TrainingKind.KEPEMIMPINAN,
    "pkp": TrainingKind.KEPEMIMPINAN,
    "pelatihan_fungsional": TrainingKind.FUNGSIONAL,
}
EDUCATION_LEVELS: dict[str, EducationLevel] = {
    "S-3": EducationLevel.S3,
    "S-2": EducationLevel.S2,
    "S-1": EducationLevel.S1,
    "D-IV": EducationLevel.D4,
    "D-III": EducationLevel.D3,
    "D-II": EducationLevel.D2,
    "D-I": EducationLevel.D1,
    "SLTA": EducationLevel.SLTA,
    "SMP": EducationLevel.SLTP,
    "SD": EducationLevel.SD,
}
SANCTION_ORDER = {"ringan": Sanction.RINGAN, "sedang": Sanction.SEDANG, "berat": Sanction.BERAT}
_RANK = {Sanction.NONE: 0, Sanction.RINGAN: 1, Sanction.SEDANG: 2, Sanction.BERAT: 3}


def _matches_post(form: str, jabatan_kind: str) -> bool:
    """A leadership training for the employee's level of post, or a pelatihan fungsional held by
    a fungsional (which jabatan fungsional the certificate is for is not recorded)."""
    if form in jp_std.LEADERSHIP_POSTS:
        return jabatan_kind in jp_std.LEADERSHIP_POSTS[form]
    return form == "pelatihan_fungsional" and jabatan_kind == "fungsional"


@dataclass(frozen=True)
class EmployeeIp:
    employee_id: int
    unit_id: int
    input: IpAsnInput
    result: IpAsnResult
    skp_year: int | None

    def suggestions(self, table: IpAsnTable) -> tuple[KompetensiSuggestion, ...]:
        return what_would_raise_kompetensi(self.input, table)


class EmployeeIps(list[EmployeeIp]):
    """The IP ASN of the employees whose education is known, and how many were left out for
    want of it (the kualifikasi dimension needs it: scoring them as any level would be a guess)."""

    without_education: int = 0


def table_for(instansi_id: int, as_of: date) -> IpAsnTable:
    """The instansi's newest edited table in force on ``as_of``, else the built-in one."""
    version = (
        IpAsnTableVersion.objects.filter(instansi_id=instansi_id, effective_from__lte=as_of)
        .order_by("-effective_from", "-id")
        .first()
    )
    return IP_ASN_2019 if version is None else IpAsnTable.from_dict(version.data)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def ip_for_employees(
    employees: QuerySet[Employee], year: int, table: IpAsnTable | None = None
) -> EmployeeIps:
    """IP ASN of each employee whose education is known, as of 31 December ``year`` (five
    queries, any number of rows)."""
    as_of = date(year, 12, 31)
    every = employees.values_list("pk", "unit_id", "education", "jabatan_kind", "instansi_id")
    rows = [r for r in every if r[2] in EDUCATION_LEVELS]
    out = EmployeeIps()
    out.without_education = len(every) - len(rows)
    if not rows:
        return out
    if table is None:
        table = table_for(rows[0][4], as_of)
    # the employees as a subquery, not a list of ids: a city's 25,000 ids as parameters cost
    # more to compile and send than the queries take to run
    ids = employees.values("pk")
    jabatan_of = {r[0]: r[3] for r in every}
    trainings: dict[int, list[TrainingRecord]] = defaultdict(list)
    for emp, form, minutes, day in JpEntry.objects.filter(
        employee_id__in=ids, date__lte=as_of, form__in=list(FORM_KINDS)
    ).values_list("employee_id", "form", "minutes", "date"):
        jp = float(jp_std.minutes_to_jp(Fraction(minutes)))
        trainings[emp].append(
            TrainingRecord(FORM_KINDS[form], jp, day, _matches_post(form, jabatan_of[emp]))
        )
    skp: dict[int, tuple[int, tuple[str, Any]]] = {}
    for emp, rated_year, predikat, score in SkpRating.objects.filter(
        employee_id__in=ids, year__in=(year, year - 1)
    ).values_list("employee_id", "year", "predikat", "score"):
        if emp not in skp or skp[emp][0] < rated_year:
            skp[emp] = (rated_year, (predikat, score))
    worst: dict[int, Sanction] = {}
    since = _years_before(as_of, 5)
    for emp, level in DisciplineRecord.objects.filter(
        employee_id__in=ids, date__gt=since, date__lte=as_of
    ).values_list("employee_id", "level"):
        s = SANCTION_ORDER[level]
        if _RANK[s] > _RANK[worst.get(emp, Sanction.NONE)]:
            worst[emp] = s
    cache: dict[tuple[object, ...], tuple[IpAsnInput, IpAsnResult]] = {}
    for pk, unit_id, education, jabatan_kind, _inst in rows:
        skp_year, rating = skp.get(pk, (None, None))
        key = (
            education,
            jabatan_kind,
            tuple(sorted((t.kind.value, t.jp, t.date) for t in trainings.get(pk, ()))),
            rating,
            worst.get(pk, Sanction.NONE),
        )
        if key in cache:  # many employees share the same inputs: score each once
            inp, res = cache[key]
            out.append(EmployeeIp(pk, unit_id, inp, res, skp_year))
            continue
        inp = IpAsnInput(
            education=EDUCATION_LEVELS[education],
            jabatan_group=JabatanGroup(jabatan_kind),
            trainings=tuple(trainings.get(pk, ())),
            as_of=as_of,
            skp_score=None
            if rating is None or rating[0] or rating[1] is None
            else float(rating[1]),
            skp_predikat=Predikat(rating[0]) if rating is not None and rating[0] else None,
            worst_sanction=worst.get(pk, Sanction.NONE),
        )
        res = compute_ip_asn(inp, table)
        cache[key] = (inp, res)
        out.append(EmployeeIp(pk, unit_id, inp, res, skp_year))
    return out


@dataclass(frozen=True)
class IpSummary:
    n: int
    mean: float | None
    kualifikasi: float | None
    kompetensi: float | None
    kinerja: float | None
    disiplin: float | None
    categories: dict[str, int]
    without_skp: int = 0  # employees with no SKP for the year (kinerja scores as "no SKP")
    without_education: int = 0  # employees left out: their education is not known


def summarise(items: Iterable[EmployeeIp]) -> IpSummary:
    """The summary of ``items``; of an :class:`EmployeeIps`, with those it left out."""
    summary = _summarise(list(items))
    left_out = items.without_education if isinstance(items, EmployeeIps) else 0
    return replace(summary, without_education=left_out)


def _summarise(items: list[EmployeeIp]) -> IpSummary:
    cats: dict[str, int] = defaultdict(int)
    for i in items:
        cats[i.result.category] += 1
    if not items:
        return IpSummary(0, None, None, None, None, None, {})

    def mean(attr: str) -> float:
        return unit_ip(getattr(i.result, attr) for i in items)

    return IpSummary(
        n=len(items),
        mean=mean("total"),
        kualifikasi=mean("kualifikasi"),
        kompetensi=mean("kompetensi"),
        kinerja=mean("kinerja"),
        disiplin=mean("disiplin"),
        categories=dict(cats),
        without_skp=sum(i.input.skp_score is None and i.input.skp_predikat is None for i in items),
    )


def rule_label(rule: KompetensiRule) -> str:
    """A competency rule in the reader's language: "Diklat teknis ≥ 20 JP dalam 1 tahun
    terakhir" (the kinds keep the regulation's names)."""
    kinds = "/".join(
        k.label if i == 0 else k.label.lower()
        for i, k in enumerate(sorted(rule.kinds, key=list(TrainingKind).index))
    )
    parts = [kinds]
    if rule.requires_match:
        parts.append(gettext("sesuai jabatan"))
    if rule.min_jp is not None:
        jp = formatting.number(float(rule.min_jp), None)
        if rule.jp_mode == "cumulative":
            parts.append(gettext("total ≥ {jp} JP").format(jp=jp))
        else:
            parts.append(gettext("≥ {jp} JP").format(jp=jp))
    if rule.window_years is not None:
        parts.append(
            ngettext(
                "dalam {n} tahun terakhir", "dalam {n} tahun terakhir", rule.window_years
            ).format(n=rule.window_years)
        )
    return " ".join(parts)


def rule_labels(table: IpAsnTable) -> dict[str, str]:
    return {rule.id: rule_label(rule) for rule in table.kompetensi_rules}
