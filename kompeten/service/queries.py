"""Reads of the service app. IKM figures come from the rollups, never from raw responses.

Functions the evaluation engine uses: :func:`monthly_ikm_series` (IKM per unit and month) and
:func:`complaint_durations` (working-day durations per complaint with event flags, for
Kaplan–Meier and before/after comparisons per unit or officer).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from fractions import Fraction
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext

from kompeten.core.models import User
from kompeten.people.scoping import sees_whole_instansi, units_for
from kompeten.service.models import (
    CLOSED_STATUSES,
    Complaint,
    ComplaintStatus,
    CutiBersama,
    ServiceUnit,
    SkmProfileRollup,
    SkmPublishedSummary,
    SkmRollup,
    SlaSetting,
)
from kompeten.service.versions import engine_version, version_label
from kompeten.standards import sla as sla_std
from kompeten.standards.ikm import (
    IkmMargin,
    IkmResult,
    UnsurStats,
    compute_ikm,
    compute_ikm_from_counts,
    margin_of_error,
)
from kompeten.standards.local_time import JAKARTA
from kompeten.standards.sampling import SampleAdequacy, sample_adequacy
from kompeten.standards.workdays import CUTI_BERSAMA, WorkCalendar
from kompeten.stats.survival import KaplanMeierResult, kaplan_meier

Counts = list[int]  # [c1, c2, c3, c4]


# --- scope ---------------------------------------------------------------------------------


def service_units_for(user: User) -> QuerySet[ServiceUnit]:
    """Service units the user may read: whole instansi for admin/pimpinan, else the service
    units of the OPD units in the user's scope."""
    if not user.is_authenticated or user.instansi_id is None:
        return ServiceUnit.objects.none()
    qs = ServiceUnit.objects.filter(instansi_id=user.instansi_id)
    if sees_whole_instansi(user):
        return qs
    return qs.filter(unit__in=units_for(user))


def complaints_for(user: User) -> QuerySet[Complaint]:
    if not user.is_authenticated or user.instansi_id is None:
        return Complaint.objects.none()
    qs = Complaint.objects.filter(instansi_id=user.instansi_id)
    if sees_whole_instansi(user):
        return qs
    return qs.filter(unit__in=units_for(user))


# --- IKM from rollups ------------------------------------------------------------------------


@dataclass
class IkmRow:
    """The IKM of one group (a unit, a unit and service, a month …) under one version."""

    key: tuple[Any, ...]
    version: str
    counts: dict[str, Counts]
    n_responses: int = 0
    result: IkmResult | None = None
    margin: IkmMargin | None = None
    problem: str = ""
    published: bool = False

    @property
    def version_label(self) -> str:
        return version_label(self.version)

    def unsur_rows(self) -> list[dict[str, Any]]:
        """Per unsur: name, n, NRR, weighted NRR, counts (for tables and bars)."""
        version = engine_version(self.version)
        out = []
        for u in version.unsur:
            c = self.counts.get(u.slug, [0, 0, 0, 0])
            n = sum(c)
            out.append(
                {
                    "slug": u.slug,
                    "name": u.name,
                    "n": n,
                    "counts": c,
                    "nrr": self.result.nrr[u.slug] if self.result else None,
                    "nrr_weighted": self.result.nrr_weighted[u.slug] if self.result else None,
                    "weight": self.result.weights[u.slug] if self.result else None,
                }
            )
        return out


def stats_of(counts: Counts) -> UnsurStats:
    return UnsurStats.from_counts({1: counts[0], 2: counts[1], 3: counts[2], 4: counts[3]})


def compute_row(
    row: IkmRow, weight_mode: str = "exact", population: int | None = None, with_margin: bool = True
) -> IkmRow:
    """Fill ``result`` and ``margin`` from the counts with the engine; a group lacking an unsur
    gets a ``problem`` instead."""
    version = engine_version(row.version)
    present = {
        u.slug: row.counts[u.slug] for u in version.unsur if sum(row.counts.get(u.slug, [0])) > 0
    }
    missing = [u.name for u in version.unsur if u.slug not in present]
    if missing:
        row.problem = gettext("Belum ada jawaban untuk unsur: {unsur}").format(
            unsur=", ".join(missing)
        )
        return row
    mode = weight_mode if version.weights is None else "exact"
    # the engine's fast path for counts: identical to compute_ikm (tests/standards/test_ikm_fast.py)
    row.result = compute_ikm_from_counts(
        present,
        version,
        mode,  # type: ignore[arg-type]
        n_responses=row.n_responses or None,
    )
    if not with_margin:
        return row
    stats = {slug: stats_of(c) for slug, c in present.items()}
    try:
        pop = population if population and population >= row.result.n else None
        row.margin = margin_of_error(stats, version, mode, population=pop)  # type: ignore[arg-type]
    except ValueError:
        row.margin = None
    return row


def _rollup_qs(
    service_unit_ids: Iterable[int], start: date, end: date, service_key: int | None
) -> QuerySet[SkmRollup]:
    qs = SkmRollup.objects.filter(
        service_unit_id__in=list(service_unit_ids), month__gte=start, month__lte=end
    )
    if service_key is not None:
        qs = qs.filter(service_key=service_key)
    return qs


def ikm_rows(
    service_unit_ids: Iterable[int],
    start: date,
    end: date,
    *,
    by: Sequence[str] = ("service_unit_id",),
    service_key: int | None = None,
    weight_mode: str = "exact",
    populations: dict[int, int | None] | None = None,
    with_margin: bool = True,
    count_respondents: bool = True,
) -> list[IkmRow]:
    """IKM per group over months ``start``..``end`` (first days of months), from the rollups in
    one query, and a second for the respondents of each group (``n_responses``; without
    ``count_respondents`` a result's n is the largest n of an unsur). ``by`` is a subset of
    ("service_unit_id", "service_key", "month")."""
    ids = list(service_unit_ids)
    fields = [*by, "version", "unsur"]
    agg = (
        _rollup_qs(ids, start, end, service_key)
        .values(*fields)
        .annotate(s1=Sum("c1"), s2=Sum("c2"), s3=Sum("c3"), s4=Sum("c4"))
        .order_by()
    )
    groups: dict[tuple[Any, ...], IkmRow] = {}
    for r in agg:
        key = tuple(r[b] for b in by)
        row = groups.setdefault(
            (*key, r["version"]), IkmRow(key=key, version=r["version"], counts={})
        )
        row.counts[r["unsur"]] = [int(r["s1"]), int(r["s2"]), int(r["s3"]), int(r["s4"])]
    if count_respondents:
        _count_respondents(groups, ids, start, end, by, service_key)
    rows = sorted(groups.values(), key=lambda g: (tuple(str(k) for k in g.key), g.version))
    for row in rows:
        pop = None
        if populations and "service_unit_id" in by:
            pop = populations.get(row.key[list(by).index("service_unit_id")])
        compute_row(row, weight_mode, pop, with_margin)
    return rows


def _count_respondents(
    groups: dict[tuple[Any, ...], IkmRow],
    ids: list[int],
    start: date,
    end: date,
    by: Sequence[str],
    service_key: int | None,
) -> None:
    """Each group's respondents from the profile rollup's totals."""
    totals = (
        SkmProfileRollup.objects.filter(
            service_unit_id__in=ids, month__gte=start, month__lte=end, dimension="total"
        )
        .filter(Q() if service_key is None else Q(service_key=service_key))
        .values(*by, "version")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for t in totals:
        key = (*(t[b] for b in by), t["version"])
        if key in groups:
            groups[key].n_responses = int(t["n"])


def published_rows(service_unit_ids: Iterable[int], weight_mode: str = "exact") -> list[IkmRow]:
    """IKM per unit and period from imported published summaries (NRR and n per unsur)."""
    groups: dict[tuple[Any, ...], IkmRow] = {}
    stats: dict[tuple[Any, ...], dict[str, UnsurStats]] = defaultdict(dict)
    for s in SkmPublishedSummary.objects.filter(
        service_unit_id__in=list(service_unit_ids)
    ).order_by("period_start", "unsur"):
        key = (s.service_unit_id, s.period_start, s.period_end)
        row = groups.setdefault(
            (*key, s.version), IkmRow(key=key, version=s.version, counts={}, published=True)
        )
        row.n_responses = max(row.n_responses, s.n)
        stats[(*key, s.version)][s.unsur] = UnsurStats(n=s.n, total=Fraction(str(s.nrr)) * s.n)
    out = []
    for gkey, row in groups.items():
        version = engine_version(row.version)
        mode = weight_mode if version.weights is None else "exact"
        row.result = compute_ikm(stats[gkey], version, mode, n_responses=row.n_responses)  # type: ignore[arg-type]
        out.append(row)
    return out


def monthly_ikm_series(
    service_unit_ids: Iterable[int], start: date, end: date, weight_mode: str = "exact"
) -> list[dict[str, Any]]:
    """Monthly IKM per service unit from the rollups: ``[{service_unit_id, month, version, n,
    ikm, ikm_unit, mutu}]``, unrounded; months lacking an unsur have ``ikm`` None."""
    rows = ikm_rows(
        service_unit_ids, start, end, by=("service_unit_id", "month"), weight_mode=weight_mode
    )
    return [
        {
            "service_unit_id": r.key[0],
            "month": r.key[1],
            "version": r.version,
            "n": r.n_responses,
            "ikm": r.result.ikm if r.result else None,
            "ikm_unit": r.result.ikm_unit if r.result else None,
            "mutu": r.result.mutu if r.result else None,
        }
        for r in sorted(rows, key=lambda r: (r.key[0], r.key[1]))
    ]


def profile_counts(
    service_unit_ids: Iterable[int], start: date, end: date, service_key: int | None = None
) -> dict[str, dict[str, int]]:
    """Respondents per profile value: {dimension: {value: count}} (from the profile rollup)."""
    qs = SkmProfileRollup.objects.filter(
        service_unit_id__in=list(service_unit_ids), month__gte=start, month__lte=end
    )
    if service_key is not None:
        qs = qs.filter(service_key=service_key)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in (
        qs.values("dimension", "value").annotate(n=Sum("count")).order_by("dimension", "value")
    ):
        out[r["dimension"]][r["value"]] = int(r["n"])
    return dict(out)


def service_counts(service_unit_id: int, start: date, end: date) -> dict[int, int]:
    """Respondents per jenis layanan (service_key → count)."""
    return {
        r["service_key"]: int(r["n"])
        for r in SkmProfileRollup.objects.filter(
            service_unit_id=service_unit_id, month__gte=start, month__lte=end, dimension="total"
        )
        .values("service_key")
        .annotate(n=Sum("count"))
        .order_by()
    }


def adequacy(n_responses: int, population: int | None) -> SampleAdequacy | None:
    """Krejcie–Morgan sample adequacy for a unit's yearly population of service users."""
    if not population:
        return None
    return sample_adequacy(n_responses, population)


# --- complaints ------------------------------------------------------------------------------


def calendar_for(instansi_id: int) -> WorkCalendar:
    """Working days: weekends, national holidays, the national cuti bersama table and the
    instansi's own cuti bersama / days off."""
    extra = list(CutiBersama.objects.filter(instansi_id=instansi_id).values_list("date", flat=True))
    return WorkCalendar(CUTI_BERSAMA, extra_holidays=extra)


def sla_table_for(instansi_id: int) -> sla_std.SlaTable:
    overrides = dict(
        SlaSetting.objects.filter(instansi_id=instansi_id).values_list("category", "working_days")
    )
    if not overrides:
        return sla_std.LAPOR_SLA
    data = sla_std.LAPOR_SLA.to_dict()
    for item in data["limits"]:
        if item["slug"] in overrides:
            item["working_days"] = overrides[item["slug"]]
            item["confidence"] = "LOW"
    data["regulation"] += "; disesuaikan instansi"
    return sla_std.SlaTable.from_dict(data)


@dataclass
class ComplaintDurations:
    """Per complaint (aligned arrays): working days to first response and to resolution, with
    event flags (False = censored: still open at ``as_of``, or archived), SLA states and quality
    flags.

    An archived complaint (Diarsipkan: closed without resolution) is not resolved: its
    resolution event is False and its ``resolution_days`` run to its archive day (to ``as_of``
    when it has no archive date), where Kaplan–Meier censors it, as the programme report's
    impact section does. It never meets the resolution SLA and breaches it once its due date
    has passed (see :func:`_resolution_states`). It is not open either (``archived``)."""

    ids: np.ndarray
    unit_ids: np.ndarray
    officer_ids: np.ndarray  # 0 when no officer
    received: np.ndarray  # datetime64[D], Asia/Jakarta
    response_days: np.ndarray
    response_event: np.ndarray
    # the first response's date was recorded; where it was not, the closing date stands in
    # (LAPOR!'s export has no such column: then no complaint of a group has one)
    response_recorded: np.ndarray
    resolution_days: np.ndarray
    resolution_event: np.ndarray  # resolved (Selesai); False while open and when archived
    archived: np.ndarray  # status Diarsipkan: closed without resolution
    response_met: np.ndarray
    response_breached: np.ndarray
    resolution_met: np.ndarray
    resolution_breached: np.ndarray
    rating: np.ndarray  # float, NaN when none
    reopened: np.ndarray
    escalated: np.ndarray
    not_substantive: np.ndarray
    as_of: date
    labels: dict[str, dict[int, str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.ids.size)

    def subset(self, mask: np.ndarray) -> ComplaintDurations:
        kwargs = {
            name: getattr(self, name)[mask]
            for name in self.__dataclass_fields__
            if name not in ("as_of", "labels")
        }
        return ComplaintDurations(as_of=self.as_of, labels=self.labels, **kwargs)


class EpochDay(Func):
    """Days since 1970-01-01 of a date expression, as an integer (NULL stays NULL): dates come
    back from the database as plain integers, which load in C and convert to ``datetime64[D]``
    without a Python object per value."""

    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra,
        )


def jakarta_day(expression: Any) -> EpochDay:
    """The Asia/Jakarta calendar day of a timestamp expression (as :func:`sla.jakarta_date`),
    as days since 1970-01-01."""
    return EpochDay(TruncDate(expression, tzinfo=JAKARTA))


def _closed_at() -> Case:
    """``closed_at`` of a complaint in a closed status (resolved or archived), else NULL (still
    open). Whether a closed complaint was resolved is :func:`_archived`'s to say."""
    return Case(When(status__in=list(CLOSED_STATUSES), then=F("closed_at")))


def _archived() -> Case:
    """1 for an archived complaint (Diarsipkan: closed without resolution), else 0."""
    return Case(
        When(status=ComplaintStatus.DIARSIPKAN, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class _Resolution:
    days: np.ndarray
    event: np.ndarray
    met: np.ndarray
    breached: np.ndarray


def _resolution_states(
    received: np.ndarray,
    closed: np.ndarray,
    archived: np.ndarray,
    limits: np.ndarray,
    as_of: date,
    cal: WorkCalendar,
) -> _Resolution:
    """Working days to resolution, the event flag and the SLA state of each complaint.

    ``closed`` is the Jakarta day of closing (NaT while open), ``archived`` marks the closed
    without resolution. A resolved complaint is an event at its closing day, met or breached by
    its working days then. An open complaint is censored at ``as_of`` and breached once past due
    there. An archived complaint is not resolved: censored at its archive day (at ``as_of`` when
    it has none: still open as far as the days go), never met, and breached once its due date
    has passed, by ``as_of`` or by its archive day (as an open one past due: it can no longer
    meet the limit). The programme report's impact section reads it the same way: censored at
    its archive day, never "resolved within the SLA"."""
    resolved = np.where(archived, np.datetime64("NaT"), closed).astype("datetime64[D]")
    sla = sla_std.sla_states_many(received, resolved, limits, as_of, cal)
    days = sla.elapsed_working_days
    breached = sla.breached
    dated = archived & ~np.isnat(closed)
    if dated.any():
        days = days.copy()
        days[dated] = cal.working_days_between_many(received[dated], closed[dated])
        breached = breached | (dated & (days > limits))
    return _Resolution(days=days, event=~np.isnat(resolved), met=sla.met, breached=breached)


def _days(column: Sequence[Any]) -> np.ndarray:
    """Integer days (None = missing) → ``datetime64[D]`` with NaT."""
    as_float = np.array(column, dtype=float)
    out = np.where(np.isnan(as_float), 0, as_float).astype(np.int64).astype("datetime64[D]")
    out[np.isnan(as_float)] = np.datetime64("NaT")
    return out


def _fetch(qs: QuerySet[Any], work_mem: str = "") -> list[tuple[Any, ...]]:
    """A values_list queryset's rows straight from the cursor (no per-row conversion).
    ``work_mem`` (PostgreSQL) lets a large GROUP BY hash in memory instead of sorting on disk."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return []
    if work_mem and connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{work_mem}'")
            cursor.execute(sql, params)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def complaint_durations(
    complaints: QuerySet[Complaint], as_of: date, instansi_id: int
) -> ComplaintDurations:
    """Working-day durations of ``complaints`` (one query), censored at ``as_of``.

    The Jakarta calendar days are computed by the database and fetched as integers; the rest
    is numpy over whole columns (no Python object per timestamp)."""
    cal = calendar_for(instansi_id)
    table = sla_table_for(instansi_id)
    closed_at = _closed_at()
    rows = _fetch(
        complaints.annotate(
            _received_day=jakarta_day("received_at"),
            _first_day=jakarta_day(Coalesce("first_response_at", closed_at)),
            _closed_day=jakarta_day(closed_at),
            _archived=_archived(),
        )
        .values_list(
            "id",
            "unit_id",
            "officer_id",
            "category",
            "_received_day",
            "_first_day",
            "_closed_day",
            "citizen_rating",
            "reopened_count",
            "escalated",
            "substantive",
            "_archived",
            "first_response_at",
        )
        .order_by("id")
    )
    n = len(rows)

    def col(i: int) -> list[Any]:
        return [r[i] for r in rows]

    received = _days(col(4))
    first = _days(col(5))
    closed = _days(col(6))
    archived = np.array(col(11), dtype=bool)
    verification = table.get(sla_std.VERIFICATION).working_days
    categories = col(3)
    limit_of = {c: table.get(c).working_days for c in set(categories)}
    limits = np.array([limit_of[c] for c in categories], dtype=np.int64)
    if n:
        resp = sla_std.sla_states_many(received, first, verification, as_of, cal)
        reso = _resolution_states(received, closed, archived, limits, as_of, cal)
    else:
        empty_b = np.zeros(0, dtype=bool)
        resp = sla_std.SlaBatch(np.zeros(0, dtype=np.int64), empty_b, empty_b, empty_b)
        reso = _Resolution(resp.elapsed_working_days, empty_b, empty_b, empty_b)
    substantive = np.array(col(10), dtype=float)  # NaN when not assessed
    return ComplaintDurations(
        ids=np.array(col(0), dtype=np.int64),
        unit_ids=np.array(col(1), dtype=np.int64),
        officer_ids=np.array([o or 0 for o in col(2)], dtype=np.int64),
        received=received,
        response_days=resp.elapsed_working_days,
        response_event=~np.isnat(first),
        response_recorded=np.array([r[12] is not None for r in rows], dtype=bool),
        resolution_days=reso.days,
        resolution_event=reso.event,
        archived=archived,
        response_met=resp.met,
        response_breached=resp.breached,
        resolution_met=reso.met,
        resolution_breached=reso.breached,
        rating=np.array(col(7), dtype=float),
        reopened=np.array(col(8), dtype=np.int64) > 0,
        escalated=np.array([bool(x) for x in col(9)], dtype=bool),
        not_substantive=substantive == 0,
        as_of=as_of,
    )


@dataclass
class ResolutionGroups:
    """Complaints grouped by (unit, category, received day, closed day, archived) — everything
    the resolution SLA and its working-day duration depend on — with the size of each group and
    its smallest complaint id (the order the complaints would come in, sorted by id). Archived
    complaints are censored at their archive day, never met, as in :class:`ComplaintDurations`."""

    unit_ids: np.ndarray
    received: np.ndarray  # datetime64[D], Asia/Jakarta
    resolution_days: np.ndarray
    resolution_event: np.ndarray  # resolved (Selesai)
    archived: np.ndarray  # Diarsipkan: closed without resolution
    met: np.ndarray
    breached: np.ndarray
    count: np.ndarray
    first_id: np.ndarray

    def __len__(self) -> int:
        return int(self.count.sum())

    def expand(self, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(resolution_days, resolution_event) per complaint of the groups in ``mask``."""
        m = np.ones(self.count.size, dtype=bool) if mask is None else mask
        return (
            np.repeat(self.resolution_days[m], self.count[m]),
            np.repeat(self.resolution_event[m], self.count[m]),
        )


def complaint_resolution_groups(
    complaints: QuerySet[Complaint],
    as_of: date,
    instansi_id: int,
    received_from: date | None = None,
    received_before: date | None = None,
) -> ResolutionGroups:
    """The resolution side of :func:`complaint_durations` (same calendar, SLA table and
    censoring at ``as_of``), aggregated by the database into groups: a million complaints
    arrive as some ten thousand rows. For figures that only count or take Kaplan–Meier curves
    of resolution times per unit and month. ``received_from`` / ``received_before`` bound the
    Jakarta day of receipt (inclusive / exclusive)."""
    cal = calendar_for(instansi_id)
    table = sla_table_for(instansi_id)
    qs = complaints.annotate(
        _received_day=jakarta_day("received_at"),
        _closed_day=jakarta_day(_closed_at()),
        _archived=_archived(),
    )
    if received_from is not None:  # the Jakarta day ≥ D ⇔ the moment ≥ D 00:00 Jakarta
        qs = qs.filter(received_at__gte=datetime.combine(received_from, time.min, JAKARTA))
    if received_before is not None:
        qs = qs.filter(received_at__lt=datetime.combine(received_before, time.min, JAKARTA))
    fields = ("unit_id", "category", "_received_day", "_closed_day", "_archived")
    rows = _fetch(
        qs.values(*fields)
        .annotate(_n=Count("id"), _first=Min("id"))
        .values_list(*fields, "_n", "_first")
        .order_by(),
        work_mem="64MB",
    )
    received = _days([r[2] for r in rows])
    closed = _days([r[3] for r in rows])
    archived = np.array([r[4] for r in rows], dtype=bool)
    categories = [r[1] for r in rows]
    limit_of = {c: table.get(c).working_days for c in set(categories)}
    limits = np.array([limit_of[c] for c in categories], dtype=np.int64)
    if rows:
        reso = _resolution_states(received, closed, archived, limits, as_of, cal)
    else:
        empty_b = np.zeros(0, dtype=bool)
        reso = _Resolution(np.zeros(0, dtype=np.int64), empty_b, empty_b, empty_b)
    return ResolutionGroups(
        unit_ids=np.array([r[0] for r in rows], dtype=np.int64),
        received=received,
        resolution_days=reso.days,
        resolution_event=reso.event,
        archived=archived,
        met=reso.met,
        breached=reso.breached,
        count=np.array([r[5] for r in rows], dtype=np.int64),
        first_id=np.array([r[6] for r in rows], dtype=np.int64),
    )


@dataclass
class ComplaintSummary:
    """Dashboard figures of a group of complaints."""

    key: Any
    label: str
    volume: int
    open: int  # neither resolved nor archived
    median_response: float | None  # None when the first responses are unknown
    median_resolution: float | None
    response_compliance: float | None  # share met among met + breached
    resolution_compliance: float | None
    mean_rating: float | None
    n_rated: int
    reopened: int
    escalated: int
    not_substantive: int
    km: KaplanMeierResult | None = None
    response_unknown: bool = False  # closed complaints, none with its first response's date


def summarise(d: ComplaintDurations, key: Any = None, label: str = "") -> ComplaintSummary:
    n = len(d)
    km_res = km_resp = None
    recorded = int(d.response_recorded.sum())
    # Closed complaints and not one first response's date: the source does not record them
    # (LAPOR!'s export), and the closing dates standing in would pass for response times.
    unknown = not recorded and bool((d.resolution_event | d.archived).any())
    if n:
        km_res = kaplan_meier(d.resolution_days.astype(float), d.resolution_event.astype(int))
    if n and not unknown:
        km_resp = kaplan_meier(d.response_days.astype(float), d.response_event.astype(int))

    def share(met: np.ndarray, breached: np.ndarray) -> float | None:
        decided = int(met.sum() + breached.sum())
        return float(met.sum()) / decided if decided else None

    rated = d.rating[~np.isnan(d.rating)]
    return ComplaintSummary(
        key=key,
        label=label,
        volume=n,
        open=int((~d.resolution_event & ~d.archived).sum()),
        median_response=km_resp.median if km_resp else None,
        median_resolution=km_res.median if km_res else None,
        response_compliance=None if unknown else share(d.response_met, d.response_breached),
        resolution_compliance=share(d.resolution_met, d.resolution_breached),
        mean_rating=float(rated.mean()) if rated.size else None,
        n_rated=int(rated.size),
        reopened=int(d.reopened.sum()),
        escalated=int(d.escalated.sum()),
        not_substantive=int(d.not_substantive.sum()),
        km=km_res,
        response_unknown=unknown,
    )


def summarise_by(
    d: ComplaintDurations, attr: str, labels: dict[int, str]
) -> list[ComplaintSummary]:
    values = getattr(d, attr)
    out = []
    for key in sorted(set(values.tolist()), key=lambda k: labels.get(k, "")):
        out.append(summarise(d.subset(values == key), key, labels.get(key, "—")))
    return out


def skm_month_bounds(year: int, month_from: int = 1, month_to: int = 12) -> tuple[date, date]:
    return date(year, month_from, 1), date(year, month_to, 1)


def unit_names(ids: Iterable[int]) -> dict[int, str]:
    from kompeten.people.models import Unit

    return {
        pk: short or name
        for pk, name, short in Unit.objects.filter(pk__in=list(ids)).values_list(
            "id", "name", "short_name"
        )
    }


def officer_names(ids: Iterable[int]) -> dict[int, str]:
    from kompeten.people.models import Employee

    return {
        pk: f"{name} ({nip})"
        for pk, name, nip in Employee.objects.filter(pk__in=[i for i in ids if i]).values_list(
            "id", "name", "nip"
        )
    }


__all__ = [
    "ComplaintDurations",
    "ComplaintSummary",
    "F",
    "IkmRow",
    "ResolutionGroups",
    "adequacy",
    "complaint_durations",
    "complaint_resolution_groups",
    "complaints_for",
    "ikm_rows",
    "jakarta_day",
    "monthly_ikm_series",
    "profile_counts",
    "published_rows",
    "service_units_for",
    "summarise",
    "summarise_by",
]
