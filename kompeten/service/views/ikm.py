"""IKM pages: all units compared (the /layanan/ landing), one unit in detail, the QR poster.

Every figure comes from the rollups (``queries.ikm_rows``), never from raw responses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from kompeten.core import charts
from kompeten.core.exports import Label, Sheet, xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import role_required
from kompeten.core.years import opened_on_note, year_with_data
from kompeten.service import queries
from kompeten.service.forms import IkmFilterForm
from kompeten.service.models import (
    AgeGroup,
    Occupation,
    RespondentEducation,
    ServiceUnit,
    Sex,
    SkmPublishedSummary,
    SkmRollup,
)
from kompeten.service.versions import engine_version, version_label
from kompeten.service.views.common import (
    STAFF_ROLES,
    can_write,
    get_service_unit_for_user,
    period,
)

DIMENSIONS = (
    ("sex", gettext_lazy("Jenis kelamin"), dict(Sex.choices)),
    ("age_group", gettext_lazy("Usia"), dict(AgeGroup.choices)),
    ("education", gettext_lazy("Pendidikan"), dict(RespondentEducation.choices)),
    ("occupation", gettext_lazy("Pekerjaan"), dict(Occupation.choices)),
)


#: the columns of a result row in the workbooks: the regulation, then :func:`_result_cells`
RESULT_HEADER: list[Label] = [
    gettext_lazy("Regulasi"),
    gettext_lazy("Responden"),
    gettext_lazy("IKM (1–4)"),
    gettext_lazy("IKM unit"),
    gettext_lazy("Mutu"),
    gettext_lazy("Kinerja"),
    gettext_lazy("Catatan"),
]


def _result_cells(row: queries.IkmRow) -> list[Any]:
    r = row.result
    if r is None:
        return [row.n_responses, None, None, None, None, row.problem]
    return [row.n_responses, r.ikm, r.ikm_unit, r.mutu, r.kinerja, ""]


def _filter_form(request: AuthenticatedHttpRequest, units: QuerySet[ServiceUnit]) -> IkmFilterForm:
    """The period filter; without a chosen year, the latest with answers of ``units``."""
    if request.GET.get("year"):
        return IkmFilterForm.from_request(request.GET)
    this_year = timezone.localdate().year
    default = year_with_data(
        this_year,
        (SkmRollup.objects.filter(service_unit__in=units), "month"),
        (SkmPublishedSummary.objects.filter(service_unit__in=units), "period_start"),
    )
    form = IkmFilterForm.from_request(request.GET, default)
    form.opened_on = opened_on_note(this_year, form.cleaned_data["year"])
    return form


@role_required(*STAFF_ROLES)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """All service units in scope, compared by IKM for the chosen period."""
    form = _filter_form(request, queries.service_units_for(request.user))
    start, end = period(form)
    weight = form.cleaned_data["weight"]
    units = list(queries.service_units_for(request.user).select_related("unit").order_by("name"))
    by_id = {su.pk: su for su in units}
    rows = queries.ikm_rows(
        by_id, start, end, weight_mode=weight, populations={su.pk: su.population for su in units}
    )
    table: list[dict[str, Any]] = []
    for row in rows:
        su = by_id[row.key[0]]
        table.append(
            {
                "su": su,
                "row": row,
                "adequacy": queries.adequacy(row.n_responses, su.population),
            }
        )
    table.sort(key=lambda t: -(t["row"].result.ikm_unit if t["row"].result else 0))
    no_data = [su for su in units if su.pk not in {r.key[0] for r in rows}]
    if request.GET.get("format") == "xlsx":
        header: list[Label] = [
            gettext_lazy("Unit layanan"),
            "OPD",
            *RESULT_HEADER,
            gettext_lazy("Sampel minimal (Krejcie–Morgan)"),
        ]
        data = [
            [
                t["su"].name,
                t["su"].unit.name,
                t["row"].version_label,
                *_result_cells(t["row"]),
                t["adequacy"].required if t["adequacy"] else None,
            ]
            for t in table
        ]
        return xlsx_response(f"ikm-{start:%Y%m}-{end:%Y%m}.xlsx", [("IKM per unit", header, data)])
    chart = None
    scored = [t for t in table if t["row"].result]
    if scored:
        chart = charts.bar_chart(
            [t["su"].name for t in scored],
            [t["row"].result.ikm_unit for t in scored],
            [charts.MUTU_COLOURS[t["row"].result.mutu] for t in scored],
            xlim=(25, 105),
            xlabel="IKM",
        )
    context = {
        "form": form,
        "table": table,
        "no_data": no_data,
        "chart": chart,
        "start": start,
        "end": end,
        "can_write": can_write(request),
        "query": request.GET.urlencode(),
    }
    return render(request, "service/ikm_home.html", context)


def _profile_tables(profile: dict[str, dict[str, int]], n_total: int) -> list[dict[str, Any]]:
    """The respondents by sex, age, education and occupation: label, then (value, count, share),
    the values in their own order (youngest band first, SD before SMP), unknown ones last."""
    tables = []
    for dim, label, names in DIMENSIONS:
        place = {value: i for i, value in enumerate(names)}
        counts = sorted(profile.get(dim, {}).items(), key=lambda vc: place.get(vc[0], len(place)))
        rows = [
            (
                names.get(value, gettext("Tidak diisi") if value == "" else value),
                count,
                count / n_total if n_total else None,
            )
            for value, count in counts
        ]
        tables.append({"label": label, "rows": rows})
    return tables


@role_required(*STAFF_ROLES)
def unit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """IKM of one unit: overall, per unsur, per jenis layanan, per month; profile; adequacy."""
    su = get_service_unit_for_user(request, pk)
    form = _filter_form(request, ServiceUnit.objects.filter(pk=su.pk))
    start, end = period(form)
    weight = form.cleaned_data["weight"]
    ids = [su.pk]
    overall = queries.ikm_rows(
        ids, start, end, weight_mode=weight, populations={su.pk: su.population}
    )
    per_service = queries.ikm_rows(ids, start, end, by=("service_key",), weight_mode=weight)
    monthly = queries.ikm_rows(ids, start, end, by=("month",), weight_mode=weight)
    profile = queries.profile_counts(ids, start, end)
    services = {s.pk: s.name for s in su.services.all()}
    published = queries.published_rows(ids, weight)
    n_total = sum(profile.get("total", {}).values())
    adequacy = queries.adequacy(n_total, su.population)
    profile_tables = _profile_tables(profile, n_total)
    service_rows = [
        {"name": services.get(r.key[0], gettext("Tanpa jenis layanan")), "row": r}
        for r in per_service
    ]
    if request.GET.get("format") == "xlsx":
        return _unit_export(
            su, start, end, overall, service_rows, monthly, profile_tables, published
        )
    main = overall[0] if overall else None
    unsur_chart = trend = None
    if main is not None and main.result is not None:
        unsur = main.unsur_rows()
        unsur_chart = charts.bar_chart(
            [u["name"] for u in unsur],
            [u["nrr"] for u in unsur],
            ["#0b5c8e"] * len(unsur),
            xlim=(1, 4.3),
            xlabel="NRR (1–4)",
        )
    points = [
        (r.key[0], r.result.ikm_unit if r.result else None)
        for r in sorted(monthly, key=lambda r: r.key[0])
    ]
    if points:
        version = engine_version(main.version if main is not None else "SKM_2017")
        trend = charts.trend_chart(points, version.intervals)
    context = {
        "su": su,
        "form": form,
        "start": start,
        "end": end,
        "overall": overall,
        "main": main,
        "service_rows": service_rows,
        "monthly": sorted(monthly, key=lambda r: r.key[0]),
        "profile_tables": profile_tables,
        "n_total": n_total,
        "adequacy": adequacy,
        "published": published,
        "unsur_chart": unsur_chart,
        "trend": trend,
        "survey_url": settings.SITE_URL + reverse("survey", args=[su.code]),
        "kiosk_url": reverse("service:manage_kiosks", args=[su.pk]),
        "can_write": can_write(request),
        "query": request.GET.urlencode(),
        "services": list(su.services.all()),
    }
    return render(request, "service/ikm_unit.html", context)


UNSUR_HEADER: list[Label] = [
    gettext_lazy("Regulasi"),
    gettext_lazy("Unsur"),
    "n",
    gettext_lazy("Nilai 1"),
    gettext_lazy("Nilai 2"),
    gettext_lazy("Nilai 3"),
    gettext_lazy("Nilai 4"),
    "NRR",
    gettext_lazy("Bobot"),
    gettext_lazy("NRR tertimbang"),
]
PROFILE_HEADER: list[Label] = [
    gettext_lazy("Aspek"),
    gettext_lazy("Nilai"),
    gettext_lazy("Jumlah"),
    gettext_lazy("Proporsi"),
]
PUBLISHED_HEADER: list[Label] = [
    gettext_lazy("Mulai"),
    gettext_lazy("Selesai"),
    gettext_lazy("Regulasi"),
    "n",
    gettext_lazy("IKM (1–4)"),
    gettext_lazy("IKM unit"),
    gettext_lazy("Mutu"),
]


def _unsur_cells(rows: Any) -> list[list[Any]]:
    return [
        [
            r.version_label,
            u["name"],
            u["n"],
            *u["counts"],
            u["nrr"],
            u["weight"],
            u["nrr_weighted"],
        ]
        for r in rows
        for u in r.unsur_rows()
    ]


def _published_cells(rows: Any) -> list[list[Any]]:
    return [
        [
            r.key[1],
            r.key[2],
            version_label(r.version),
            r.n_responses,
            r.result.ikm if r.result else None,
            r.result.ikm_unit if r.result else None,
            r.result.mutu if r.result else None,
        ]
        for r in rows
    ]


def _unit_export(
    su, start, end, overall, service_rows, monthly, profile_tables, published
) -> HttpResponse:
    head = RESULT_HEADER
    profile = [
        [t["label"], name, count, share] for t in profile_tables for name, count, share in t["rows"]
    ]
    sheets: list[Sheet] = [
        (gettext_lazy("Ringkasan"), head, [[r.version_label, *_result_cells(r)] for r in overall]),
        (gettext_lazy("Per unsur"), UNSUR_HEADER, _unsur_cells(overall)),
        (
            gettext_lazy("Jenis layanan"),
            [gettext_lazy("Jenis layanan"), *head],
            [[s["name"], s["row"].version_label, *_result_cells(s["row"])] for s in service_rows],
        ),
        (
            gettext_lazy("Bulanan"),
            [gettext_lazy("Bulan"), *head],
            [[r.key[0], r.version_label, *_result_cells(r)] for r in monthly],
        ),
        (gettext_lazy("Profil responden"), PROFILE_HEADER, profile),
        (gettext_lazy("Hasil dipublikasikan"), PUBLISHED_HEADER, _published_cells(published)),
    ]
    return xlsx_response(f"ikm-{su.code}-{start:%Y%m}-{end:%Y%m}.xlsx", sheets)


@role_required(*STAFF_ROLES)
def poster(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A4 PDF poster with the unit's name and the QR code of its survey (optionally of one
    jenis layanan: ``?layanan=<code>``)."""
    import segno
    from weasyprint import HTML

    su = get_service_unit_for_user(request, pk)
    service = None
    code = request.GET.get("layanan")
    if code:
        service = su.services.filter(code=code).first()
    url = settings.SITE_URL + (
        reverse("survey_service", args=[su.code, service.code])
        if service
        else reverse("survey", args=[su.code])
    )
    qr = segno.make(url, error="m")
    html = render_to_string(
        "service/poster.html",
        {"su": su, "service": service, "url": url, "qr": qr.svg_data_uri(scale=10, border=2)},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-skm-{su.code}.pdf"'
    return response
