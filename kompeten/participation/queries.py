"""Reads of the participation app: ledgers, dashboards, analytics. Scoped by the caller."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from kompeten.core.models import User
from kompeten.learning.models import Session
from kompeten.participation.models import (
    Certificate,
    CertificateKind,
    DeclineReason,
    Enrolment,
    EnrolmentStatus,
    JpEntry,
    PointAward,
)
from kompeten.people import scoping
from kompeten.people.models import Employee, Unit, opd_depth
from kompeten.standards import jp as jp_std


def enrolments_for(user: User) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.filter(instansi_id=scoping.tenant_id(user))
    q = scoping.employee_scope_q(user, "employee__")
    return qs if q is None else qs.filter(q)


def get_enrolment_for_user(user: User, pk: int) -> Enrolment:
    from django.http import Http404

    try:
        return enrolments_for(user).select_related("batch__programme", "employee__unit").get(pk=pk)
    except Enrolment.DoesNotExist:
        raise Http404("Kepesertaan tidak ditemukan") from None


def trainer_session_q(user: User) -> Q:
    """Sessions the user teaches: as the session's trainer or one of the batch's trainers."""
    if user.employee_id is None:
        return Q(pk__in=[])
    return Q(trainer__employee_id=user.employee_id) | Q(
        batch__trainers__employee_id=user.employee_id
    )


def sessions_for(user: User) -> QuerySet[Session]:
    """Sessions whose roll call and QR screen the user may open."""
    qs = Session.objects.filter(batch__programme__instansi_id=scoping.tenant_id(user))
    if user.is_admin:
        return qs
    return qs.filter(trainer_session_q(user)).distinct()


def jp_of(minutes: Decimal | None) -> Fraction:
    return jp_std.minutes_to_jp(Fraction(minutes or 0))


@dataclass(frozen=True)
class JpRow:
    employee_id: int
    nip: str
    name: str
    unit: str
    status: str
    total_jp: Fraction
    klasikal_jp: Fraction
    target: Fraction | None
    deficit: Fraction
    met: bool
    limit: Fraction | None
    excess: Fraction


def jp_rows(employees: QuerySet[Employee], year: int) -> list[JpRow]:
    """One row per employee with the year's JP against the rule for their status (two queries)."""
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        JpEntry.objects.filter(employee__in=employees, year=year)
        .values("employee_id", "group")
        .annotate(total=Sum("minutes"))
    ):
        sums[row["employee_id"]][row["group"]] = row["total"]
    out = []
    for e in employees.select_related("unit").only(
        "id", "nip", "name", "status", "unit__name", "unit__short_name"
    ):
        groups = sums.get(e.pk, {})
        total = sum((jp_of(v) for v in groups.values()), Fraction(0))
        status = jp_std.jp_status(total, e.status)
        out.append(
            JpRow(
                employee_id=e.pk,
                nip=e.nip,
                name=e.name,
                unit=e.unit.display_name,
                status=e.status,
                total_jp=total,
                klasikal_jp=jp_of(groups.get("klasikal")),
                target=status.target,
                deficit=status.deficit,
                met=status.met,
                limit=status.limit,
                excess=status.excess,
            )
        )
    return out


def top_unit_of(units: dict[int, Unit], unit_id: int, depth: int) -> Unit:
    """The unit's ancestor at ``depth`` (the OPD level), or the unit itself if shallower."""
    unit = units[unit_id]
    while unit.depth > depth and unit.parent_id in units:
        unit = units[unit.parent_id]
    return unit


def jp_by_opd(user: User, year: int) -> list[dict[str, Any]]:
    """PNS below the 20-JP minimum per OPD: grouped at the OPD level of the instansi's tree, or
    at the first level the user sees when that is deeper (a pengelola's own OPD or unit)."""
    units = {u.pk: u for u in scoping.units_for(user)}
    if not units:
        return []
    tops = Unit.objects.filter(instansi_id=scoping.tenant_id(user), depth__lte=1)
    depth = max(opd_depth(tops), min(u.depth for u in units.values()))
    employees = scoping.employees_for(user).filter(is_active=True)
    minutes = {
        row["employee_id"]: row["total"]
        for row in JpEntry.objects.filter(employee__in=employees, year=year)
        .values("employee_id")
        .annotate(total=Sum("minutes"))
    }
    groups: dict[int, dict[str, Any]] = {}
    for pk, unit_id, status in employees.values_list("pk", "unit_id", "status"):
        if unit_id not in units:
            continue
        top = top_unit_of(units, unit_id, depth)
        g = groups.setdefault(
            top.pk, {"unit": top, "employees": 0, "with_target": 0, "below": 0, "jp": Fraction(0)}
        )
        g["employees"] += 1
        total = jp_of(minutes.get(pk))
        g["jp"] += total
        result = jp_std.jp_status(total, status)
        if result.target is not None:
            g["with_target"] += 1
            if not result.met:
                g["below"] += 1
    rows = []
    for g in groups.values():
        g["compliance_pct"] = (
            Fraction(g["with_target"] - g["below"], g["with_target"]) * 100
            if g["with_target"]
            else None
        )
        g["mean_jp"] = g["jp"] / g["employees"] if g["employees"] else Fraction(0)
        rows.append(g)
    return sorted(rows, key=lambda g: (-(g["below"]), g["unit"].path))


def funnel(enrolments: QuerySet[Enrolment], by: str) -> list[dict[str, Any]]:
    """Invited → accepted → attended → completed, grouped by ``by`` (a values() path)."""
    return list(
        enrolments.values(by)
        .annotate(
            invited=Count("id", distinct=True),
            accepted=Count(
                "id",
                filter=Q(status=EnrolmentStatus.ACCEPTED),
                distinct=True,
            ),
            attended=Count("id", filter=Q(attendance__present=True), distinct=True),
            completed=Count("id", filter=Q(completed_at__isnull=False), distinct=True),
            declined=Count("id", filter=Q(status=EnrolmentStatus.DECLINED), distinct=True),
        )
        .order_by(by)
    )


def funnel_by_opd(user: User, year: int) -> list[dict[str, Any]]:
    units = {u.pk: u for u in scoping.units_for(user)}
    if not units:
        return []
    depth = max(1, min(u.depth for u in units.values()))
    rows = funnel(enrolments_for(user).filter(batch__start_date__year=year), "employee__unit_id")
    grouped: dict[int, dict[str, Any]] = {}
    for row in rows:
        uid = row["employee__unit_id"]
        if uid not in units:
            continue
        top = top_unit_of(units, uid, depth)
        g = grouped.setdefault(
            top.pk,
            {
                "label": top.display_name,
                "invited": 0,
                "accepted": 0,
                "attended": 0,
                "completed": 0,
                "declined": 0,
            },
        )
        for key in ("invited", "accepted", "attended", "completed", "declined"):
            g[key] += row[key]
    return sorted(grouped.values(), key=lambda g: g["label"])


def funnel_by_programme(user: User, year: int) -> list[dict[str, Any]]:
    rows = funnel(
        enrolments_for(user).filter(batch__start_date__year=year), "batch__programme__title"
    )
    return [{"label": r["batch__programme__title"], **r} for r in rows]


def decline_reasons(user: User, year: int) -> list[dict[str, Any]]:
    counts = dict(
        enrolments_for(user)
        .filter(batch__start_date__year=year, status=EnrolmentStatus.DECLINED)
        .values_list("decline_reason")
        .annotate(n=Count("id"))
        .values_list("decline_reason", "n")
    )
    total = sum(counts.values())
    return [
        {
            "reason": label,
            "code": code,
            "n": counts.get(code, 0),
            "share": (Fraction(counts.get(code, 0), total) * 100 if total else None),
        }
        for code, label in DeclineReason.choices
    ]


def declines_by_half(user: User, year: int) -> list[dict[str, Any]]:
    """Workload/duty-clash declines per half-year: the evidence for the participation problem."""
    qs = enrolments_for(user).filter(batch__start_date__year=year)
    out = []
    for label, months in (("Semester I", (1, 6)), ("Semester II", (7, 12))):
        part = qs.filter(
            batch__start_date__month__gte=months[0], batch__start_date__month__lte=months[1]
        )
        agg = part.aggregate(
            invited=Count("id"),
            declined=Count("id", filter=Q(status=EnrolmentStatus.DECLINED)),
            duty=Count(
                "id",
                filter=Q(
                    status=EnrolmentStatus.DECLINED,
                    decline_reason__in=[DeclineReason.WORKLOAD, DeclineReason.DUTY_CLASH],
                ),
            ),
            planned=Count("id", filter=Q(source="perencana")),
        )
        agg["label"] = label
        agg["duty_pct"] = Fraction(agg["duty"], agg["invited"]) * 100 if agg["invited"] else None
        out.append(agg)
    return out


def compliance_trend(user: User, year: int) -> list[dict[str, Any]]:
    """Share of active PNS at or above the yearly minimum at the end of each month."""
    employees = scoping.employees_for(user).filter(is_active=True, status="PNS")
    n = employees.count()
    per_month: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in (
        JpEntry.objects.filter(employee__in=employees, year=year)
        .annotate(month=ExtractMonth("date"))
        .values("employee_id", "month")
        .annotate(total=Sum("minutes"))
    ):
        per_month[row["employee_id"]][row["month"]] = row["total"]
    target = jp_std.pns_minimum()
    reached_in: list[int] = []
    for months in per_month.values():
        running = Fraction(0)
        for month in range(1, 13):
            running += jp_of(months.get(month))
            if running >= target:
                reached_in.append(month)
                break
    out = []
    for month in range(1, 13):
        met = sum(1 for m in reached_in if m <= month)
        out.append(
            {
                "month": date(year, month, 1),
                "met": met,
                "pct": Fraction(met, n) * 100 if n else None,
            }
        )
    return out


def points_for(user: User, year: int) -> QuerySet[PointAward]:
    q = scoping.employee_scope_q(user, "employee__")
    qs = PointAward.objects.filter(instansi_id=scoping.tenant_id(user), year=year)
    return qs if q is None else qs.filter(q)


def points_by_employee(user: User, year: int) -> QuerySet[Any]:
    return (
        points_for(user, year)
        .values("employee_id", "employee__nip", "employee__name", "employee__unit__name")
        .annotate(points=Sum("points"))
        .order_by("-points", "employee__name")
    )


def unit_ranking(user: User, year: int) -> list[dict[str, Any]]:
    """OPD ranked by mean points per active employee (so big OPD do not win by size)."""
    units = {u.pk: u for u in scoping.units_for(user)}
    if not units:
        return []
    depth = max(1, min(u.depth for u in units.values()))
    headcount: dict[int, int] = defaultdict(int)
    for unit_id, n in (
        scoping.employees_for(user)
        .filter(is_active=True)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    ):
        if unit_id in units:
            headcount[top_unit_of(units, unit_id, depth).pk] += n
    points: dict[int, Decimal] = defaultdict(Decimal)
    for row in points_for(user, year).values("employee__unit_id").annotate(total=Sum("points")):
        uid = row["employee__unit_id"]
        if uid in units:
            points[top_unit_of(units, uid, depth).pk] += row["total"] or 0
    rows: list[dict[str, Any]] = [
        {
            "unit": units[uid],
            "employees": n,
            "points": points.get(uid, Decimal(0)),
            "per_employee": (points.get(uid, Decimal(0)) / n) if n else Decimal(0),
        }
        for uid, n in headcount.items()
    ]
    rows.sort(key=lambda r: (-r["per_employee"], r["unit"].path))
    for rank, ranked in enumerate(rows, start=1):
        ranked["rank"] = rank
    return rows


def recognition_rows(user: User, year: int) -> list[list[Any]]:
    """The year's recognition list: badge holders with JP and points, for the head of BKPSDM."""
    q = scoping.employee_scope_q(user, "employee__")
    badges = Certificate.objects.filter(
        instansi_id=scoping.tenant_id(user), year=year, kind=CertificateKind.BADGE
    )
    if q is not None:
        badges = badges.filter(q)
    badges = badges.select_related("employee__unit").order_by(
        "employee__unit__path", "employee__name"
    )
    points = {
        r["employee_id"]: r["total"]
        for r in points_for(user, year).values("employee_id").annotate(total=Sum("points"))
    }
    rows = []
    for cert in badges:
        e = cert.employee
        rows.append(
            [
                e.nip,
                e.full_name,
                e.unit.name,
                e.status,
                float(jp_of(cert.minutes)),
                float(points.get(e.pk, 0)),
                cert.number,
                cert.issued_at.date(),
            ]
        )
    return rows
