"""Staff management of service units: the units themselves, their jenis layanan, questionnaire
versions and one-time service tickets. Admin BKPSDM manages every unit of the instansi; a
pengelola OPD manages the service units attached to OPD units in their subtree (and may attach
new ones only there). Every write goes through an action."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kompeten.core.exports import xlsx_response
from kompeten.core.formviews import attach_errors
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Role
from kompeten.core.permissions import role_required
from kompeten.people import scoping
from kompeten.people.models import Unit
from kompeten.people.scoping import unit_subtree_q
from kompeten.service.actions import (
    do_create_service,
    do_create_service_unit,
    do_issue_tickets,
    do_update_service_unit,
)
from kompeten.service.actions.kiosk import do_issue_kiosk_code, do_revoke_kiosk
from kompeten.service.actions.questionnaires import do_new_questionnaire_version, unit_versions
from kompeten.service.forms import (
    KioskDeviceForm,
    QuestionnaireVersionForm,
    ServiceForm,
    ServiceUnitForm,
    TicketIssueForm,
)
from kompeten.service.models import KioskDevice, ServiceTicket, ServiceUnit, SkmProfileRollup
from kompeten.service.versions import engine_version, version_label
from kompeten.standards.ikm import VERSIONS

TICKET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read off a receipt
TICKETS_SHOWN = 2000


def writable_units(request: AuthenticatedHttpRequest) -> QuerySet[Unit]:
    """OPD units the user may attach service units to: all (admin), the managed subtree
    (pengelola), nothing otherwise."""
    user = request.user
    qs = Unit.objects.filter(instansi_id=scoping.tenant_id(user))
    if user.is_admin:
        return qs
    if user.is_pengelola and user.managed_unit is not None:
        return qs.filter(unit_subtree_q(user.managed_unit))
    return qs.none()


def managed_service_units(request: AuthenticatedHttpRequest) -> QuerySet[ServiceUnit]:
    qs = ServiceUnit.objects.filter(instansi_id=scoping.tenant_id(request.user))
    if request.user.is_admin:
        return qs
    return qs.filter(unit__in=writable_units(request))


def get_managed_service_unit(request: AuthenticatedHttpRequest, pk: int) -> ServiceUnit:
    try:
        return managed_service_units(request).select_related("unit", "questionnaire").get(pk=pk)
    except ServiceUnit.DoesNotExist:
        raise Http404("Unit layanan tidak ditemukan") from None


def _unit_choices(request: AuthenticatedHttpRequest) -> list[tuple[int, str]]:
    return [(u.pk, u.name) for u in writable_units(request).order_by("path")]


def _chosen_unit(request: AuthenticatedHttpRequest, pk: int) -> Unit:
    unit = writable_units(request).filter(pk=pk).first()
    if unit is None:  # the form's choices already refuse it; this is the server-side guard
        raise ValidationError({"unit": _("Unit kerja di luar lingkup Anda.")})
    return unit


@role_required(Role.PENGELOLA)
def unit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Service units the user manages, with their number of jenis layanan and unused tickets."""
    units = (
        managed_service_units(request)
        .select_related("unit", "questionnaire")
        .annotate(
            n_services=Count("services", distinct=True),
            n_open_tickets=Count("tickets", filter=Q(tickets__used_at__isnull=True), distinct=True),
        )
        .order_by("name")
    )
    return render(request, "service/manage/list.html", {"units": units})


@role_required(Role.PENGELOLA)
@require_http_methods(["GET", "POST"])
def unit_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    choices = _unit_choices(request)
    form = ServiceUnitForm(request.POST or None, units=choices, creating=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            su = do_create_service_unit(
                unit=_chosen_unit(request, d["unit"]),
                code=d["code"],
                name=d["name"].strip(),
                population=d["population"],
                requires_ticket=d["requires_ticket"],
                actor=request.user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Unit layanan %(name)s dibuat.") % {"name": su.name})
            return redirect("service:manage_unit", pk=su.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "service/manage/create.html", {"form": form}, status=status)


def _unit_page(
    request: AuthenticatedHttpRequest,
    su: ServiceUnit,
    *,
    form: ServiceUnitForm | None = None,
    service_form: ServiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = ServiceUnitForm(
            initial={
                "unit": su.unit_id,
                "name": su.name,
                "population": su.population,
                "requires_ticket": su.requires_ticket,
                "is_active": su.is_active,
            },
            units=_unit_choices(request),
            creating=False,
        )
    context = {
        "su": su,
        "form": form,
        "service_form": service_form or ServiceForm(),
        "services": list(su.services.all()),
        "version_label": version_label(su.version_id),
        "survey_url": settings.SITE_URL + reverse("survey", args=[su.code]),
        "n_kiosks": su.kiosk_devices.filter(
            revoked_at__isnull=True, token_hash__isnull=False
        ).count(),
    }
    return render(request, "service/manage/unit.html", context, status=status)


@role_required(Role.PENGELOLA)
@require_http_methods(["GET", "POST"])
def unit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One unit: edit its details; its jenis layanan; links to versions, tickets and poster."""
    su = get_managed_service_unit(request, pk)
    if request.method != "POST":
        return _unit_page(request, su)
    form = ServiceUnitForm(request.POST, units=_unit_choices(request), creating=False)
    if form.is_valid():
        d = form.cleaned_data
        try:
            do_update_service_unit(
                su,
                population=d["population"],
                requires_ticket=d["requires_ticket"],
                name=d["name"],
                is_active=d["is_active"],
                unit=_chosen_unit(request, d["unit"]),
                actor=request.user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("service:manage_unit", pk=su.pk)
    return _unit_page(request, su, form=form, status=400)


@role_required(Role.PENGELOLA)
@require_POST
def service_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    su = get_managed_service_unit(request, pk)
    form = ServiceForm(request.POST)
    if form.is_valid():
        try:
            service = do_create_service(
                service_unit=su,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, _("Jenis layanan %(name)s ditambahkan.") % {"name": service.name}
            )
            return redirect("service:manage_unit", pk=su.pk)
    return _unit_page(request, su, service_form=form, status=400)


def _weights_table(version_id: str) -> list[dict[str, Any]]:
    version = engine_version(version_id)
    weights = version.weights_for("exact")
    return [
        {"name": u.name, "weight": weights[u.slug], "percent": float(weights[u.slug]) * 100}
        for u in version.unsur
    ]


@role_required(Role.PENGELOLA)
@require_http_methods(["GET", "POST"])
def questionnaire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The unit's questionnaire versions and a form for a new one (versions never change)."""
    su = get_managed_service_unit(request, pk)
    base_id = request.POST.get("base") or (
        su.questionnaire.base if su.questionnaire else "SKM_2017"
    )
    base = VERSIONS.get(base_id, VERSIONS["SKM_2017"])
    form = QuestionnaireVersionForm(
        request.POST or None,
        base_unsur=[(u.slug, u.name) for u in base.unsur],
        initial={"base": base.id},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            do_new_questionnaire_version(
                su,
                base=d["base"],
                extra_unsur=d["extra_unsur"],
                weights=d["weights"],
                actor=request.user,
            )
        except ValidationError as exc:
            for msgs in exc.message_dict.values():
                form.add_error(None, msgs)
        else:
            messages.success(
                request,
                _("Versi kuesioner baru dipakai: %(v)s.") % {"v": version_label(su.version_id)},
            )
            return redirect("service:manage_questionnaire", pk=su.pk)
    counts = dict(
        SkmProfileRollup.objects.filter(service_unit=su, dimension="total")
        .values_list("version")
        .annotate(n=Sum("count"))
        .values_list("version", "n")
    )
    versions = [
        {
            "id": q.version_id,
            "label": version_label(q.version_id),
            "name": q.name,
            "created": q.created,
            "current": q.pk == su.questionnaire_id,
            "responses": counts.get(q.version_id, 0),
        }
        for q in unit_versions(su)
    ]
    if not any(v["id"] == "SKM_2017" for v in versions):
        versions.append(
            {
                "id": "SKM_2017",
                "label": version_label("SKM_2017"),
                "name": _("Kuesioner resmi (9 unsur, bobot 1/9)"),
                "created": None,
                "current": su.questionnaire_id is None,
                "responses": counts.get("SKM_2017", 0),
            }
        )
    context = {
        "su": su,
        "form": form,
        "versions": versions,
        "current": _weights_table(su.version_id),
        "version_label": version_label(su.version_id),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "service/manage/questionnaire.html", context, status=status)


def new_ticket_numbers(count: int) -> list[str]:
    """``count`` random ticket numbers such as ``7KQ4-M2XD`` (31⁸ ≈ 8,5 × 10¹¹ possibilities)."""
    out = []
    for _i in range(count):
        raw = "".join(secrets.choice(TICKET_ALPHABET) for _j in range(8))
        out.append(f"{raw[:4]}-{raw[4:]}")
    return out


@role_required(Role.PENGELOLA)
@require_http_methods(["GET", "POST"])
def tickets(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issue one-time service tickets; list unused ones to print (or as XLSX)."""
    su = get_managed_service_unit(request, pk)
    form = TicketIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        numbers = form.cleaned_data["lines"] + new_ticket_numbers(
            form.cleaned_data.get("generate") or 0
        )
        issued = do_issue_tickets(su, numbers, actor=request.user)
        skipped = len({n.strip().upper() for n in numbers}) - issued
        text = _("%(n)s tiket baru terdaftar.") % {"n": issued}
        if skipped:
            text += " " + _("%(n)s nomor sudah terdaftar sebelumnya dan dilewati.") % {"n": skipped}
        messages.success(request, text)
        return redirect("service:manage_tickets", pk=su.pk)
    open_tickets = ServiceTicket.objects.filter(service_unit=su, used_at__isnull=True).order_by(
        "-issued", "number"
    )
    if request.GET.get("format") == "xlsx":
        rows = [[t.number, t.issued] for t in open_tickets[:100_000]]
        return xlsx_response(
            f"tiket-{su.code}.xlsx",
            [
                (
                    gettext_lazy("Tiket belum dipakai"),
                    [gettext_lazy("Nomor tiket"), gettext_lazy("Diterbitkan")],
                    rows,
                )
            ],
        )
    counts = ServiceTicket.objects.filter(service_unit=su).aggregate(
        total=Count("id"), used=Count("id", filter=Q(used_at__isnull=False))
    )
    shown = list(open_tickets[:TICKETS_SHOWN])
    context = {
        "su": su,
        "form": form,
        "tickets": shown,
        "total": counts["total"],
        "used": counts["used"],
        "unused": counts["total"] - counts["used"],
        "truncated": counts["total"] - counts["used"] > len(shown),
        "survey_url": settings.SITE_URL + reverse("survey", args=[su.code]),
        "print": request.GET.get("format") == "print",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "service/manage/tickets.html", context, status=status)


@role_required(Role.PENGELOLA)
@require_http_methods(["GET", "POST"])
def kiosks(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The unit's kiosk devices: issue a one-time enrolment code for a new tablet (shown once),
    see which devices are enrolled and when they last answered, revoke one."""
    su = get_managed_service_unit(request, pk)
    form = KioskDeviceForm(request.POST or None)
    issued: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                device, code = do_issue_kiosk_code(
                    su, name=form.cleaned_data["name"], actor=request.user
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                issued = {"device": device, "code": code}
                form = KioskDeviceForm()
                status = 200
    context = {
        "su": su,
        "form": form,
        "issued": issued,
        "devices": list(KioskDevice.objects.filter(service_unit=su).order_by("-created")),
        "enrol_url": request.build_absolute_uri(reverse("survey_kiosk_enrol")),
        "now": timezone.now(),
    }
    response = render(request, "service/manage/kiosks.html", context, status=status)
    if issued is not None:
        response["Cache-Control"] = "no-store"  # the code is shown once
    return response


@role_required(Role.PENGELOLA)
@require_POST
def kiosk_revoke(request: AuthenticatedHttpRequest, pk: int, device_pk: int) -> HttpResponse:
    su = get_managed_service_unit(request, pk)
    device = KioskDevice.objects.filter(service_unit=su, pk=device_pk).first()
    if device is None:
        raise Http404("Perangkat kios tidak ditemukan")
    try:
        do_revoke_kiosk(device, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Perangkat %(name)s dicabut: tidak bisa lagi mengirim jawaban.")
            % {"name": device.name},
        )
    return redirect("service:manage_kiosks", pk=su.pk)
