"""IP ASN pages: one employee (breakdown and what would raise kompetensi), an OPD, the city."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from kompeten.core.exports import xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.params import year_asked, year_param
from kompeten.core.permissions import admin_required
from kompeten.people.models import Employee
from kompeten.people.scoping import (
    employees_for,
    get_employee_for_user,
    get_unit_for_user,
    sees_whole_instansi,
    tenant_id,
)
from kompeten.records.actions import do_save_ip_asn_table
from kompeten.records.models import IpAsnTableVersion
from kompeten.reports.collect import unit_tree
from kompeten.reports.ipasn import ip_for_employees, rule_labels, summarise, table_for
from kompeten.standards.ip_asn import IP_ASN_CATEGORIES


def _year(request: AuthenticatedHttpRequest) -> int:
    return year_param(year_asked(request.GET), timezone.localdate().year)


@login_required
def ip_employee(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_for_user(request.user, pk)
    return _employee_page(request, employee)


@login_required
def ip_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.employee_id is None:
        raise Http404("Akun ini tidak terhubung ke data pegawai")
    employee = get_employee_for_user(request.user, request.user.employee_id)
    return _employee_page(request, employee)


def _employee_page(request: AuthenticatedHttpRequest, employee: Employee) -> HttpResponse:
    year = _year(request)
    qs = Employee.objects.filter(pk=employee.pk)
    table = table_for(
        employee.instansi_id, timezone.localdate().replace(year=year, month=12, day=31)
    )
    # nothing for an employee whose education is not known yet: the page says why
    now = next(iter(ip_for_employees(qs, year, table)), None)
    before = next(iter(ip_for_employees(qs, year - 1, table)), None)
    return render(
        request,
        "reports/ip_employee.html",
        {
            "employee": employee,
            "year": year,
            "ip": now,
            "before": before,
            "suggestions": now.suggestions(table) if now else (),
            "table": table,
            "rule_labels": rule_labels(table),
        },
    )


@login_required
def ip_opd(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not (sees_whole_instansi(user) or user.is_pengelola):
        raise PermissionDenied
    unit = get_unit_for_user(user, pk)
    year = _year(request)
    members = employees_for(user).filter(unit__path__startswith=unit.path, is_active=True)
    now = ip_for_employees(members, year)
    before = {i.employee_id: i for i in ip_for_employees(members, year - 1)}
    names = dict(members.values_list("pk", "name"))
    nips = dict(members.values_list("pk", "nip"))
    rows: list[list[Any]] = sorted(
        (
            [
                i.employee_id,
                nips[i.employee_id],
                names[i.employee_id],
                i.result.kualifikasi,
                i.result.kompetensi,
                i.result.kinerja,
                i.result.disiplin,
                i.result.total,
                i.result.category,
                before[i.employee_id].result.total if i.employee_id in before else None,
            ]
            for i in now
        ),
        key=lambda r: r[2],
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"ip-asn-{unit.code}-{year}.xlsx",
            [
                (
                    "IP ASN",
                    [
                        "NIP",
                        gettext_lazy("Nama"),
                        gettext_lazy("Kualifikasi"),
                        gettext_lazy("Kompetensi"),
                        gettext_lazy("Kinerja"),
                        gettext_lazy("Disiplin"),
                        gettext_lazy("Total"),
                        gettext_lazy("Kategori"),
                        f"Total {year - 1}",
                    ],
                    [r[1:] for r in rows],
                )
            ],
        )
    return render(
        request,
        "reports/ip_opd.html",
        {
            "unit": unit,
            "year": year,
            "rows": rows,
            "now": summarise(now),
            "before": summarise(before.values()),
        },
    )


@login_required
def ip_city(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not sees_whole_instansi(request.user):
        raise PermissionDenied
    year = _year(request)
    employees = Employee.objects.filter(instansi_id=tenant_id(request.user), is_active=True)
    tree = unit_tree(request.user.instansi_id or 0)
    rows_now = ip_for_employees(employees, year)
    rows_before = ip_for_employees(employees, year - 1)
    groups: dict[int, dict[str, list[float]]] = defaultdict(lambda: {"now": [], "before": []})
    for key, items in (("now", rows_now), ("before", rows_before)):
        for i in items:
            groups[tree.opd_of(i.unit_id).pk][key].append(i.result.total)
    opd_rows: list[list[Any]] = sorted(
        (
            [
                tree.units[k],
                len(v["now"]),
                sum(v["before"]) / len(v["before"]) if v["before"] else None,
                sum(v["now"]) / len(v["now"]) if v["now"] else None,
            ]
            for k, v in groups.items()
        ),
        key=lambda r: r[0].path,
    )
    for r in opd_rows:
        r.append(None if r[2] is None or r[3] is None else r[3] - r[2])
    return render(
        request,
        "reports/ip_city.html",
        {
            "year": year,
            "now": summarise(rows_now),
            "before": summarise(rows_before),
            "table": table_for(request.user.instansi_id or 0, date(year, 12, 31)),
            "opd_rows": opd_rows,
            "categories": [b.label for b in IP_ASN_CATEGORIES.bands][::-1],
        },
    )


@admin_required
def ip_table(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The admin edits the IP ASN scoring table; each save is a new version (never overwritten)."""
    today = timezone.localdate()
    assert request.user.instansi_id is not None
    current = table_for(request.user.instansi_id, today)
    text = json.dumps(current.to_dict(), indent=2, ensure_ascii=False)
    if request.method == "POST":
        text = request.POST.get("data", "")
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("bukan objek JSON")
            do_save_ip_asn_table(actor=request.user, data=data, note=request.POST.get("note", ""))
            messages.success(request, gettext("Tabel IP ASN disimpan sebagai versi baru."))
            return redirect("reports:ip_table")
        except ValueError as exc:
            messages.error(request, gettext("JSON tidak sah: {error}").format(error=exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    versions = IpAsnTableVersion.objects.filter(
        instansi_id=request.user.instansi_id
    ).select_related("created_by")
    return render(
        request, "reports/ip_table.html", {"text": text, "versions": versions, "current": current}
    )
