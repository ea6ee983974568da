"""ROI inputs (admin BKPSDM): the versioned hourly-cost table and a programme's benefits."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.evaluation.actions.roi import (
    GOLONGAN_GROUPS,
    BenefitInput,
    do_add_benefit,
    do_add_participant_estimate,
    do_set_hourly_costs,
)
from kompeten.evaluation.forms import BenefitForm, HourlyCostForm, ParticipantEstimateForm
from kompeten.evaluation.models import Benefit, HourlyCostTable
from kompeten.learning.models import Programme
from kompeten.people.models import Employee


@admin_required
@require_http_methods(["GET", "POST"])
def hourly_costs(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HourlyCostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            do_set_hourly_costs(
                request.user.instansi,  # type: ignore[arg-type]
                name=d["name"],
                effective_from=d["effective_from"],
                source=d["source"],
                rates={g: d[f"rate_{g}"] for g in GOLONGAN_GROUPS if d[f"rate_{g}"]},
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, gettext("Versi baru tabel biaya per jam tersimpan."))
            return redirect("evaluation:hourly_costs")
    tables = HourlyCostTable.objects.filter(instansi=request.user.instansi).prefetch_related(
        "rates"
    )
    return render(request, "evaluation/hourly_costs.html", {"form": form, "tables": tables})


@admin_required
@require_POST
def add_benefit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk, instansi_id=request.user.instansi_id)
    form = BenefitForm(request.POST)
    if form.is_valid():
        try:
            do_add_benefit(programme, data=BenefitInput(**form.cleaned_data), actor=request.user)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, gettext("Manfaat ditambahkan."))
    else:
        messages.error(request, gettext("Isian manfaat tidak lengkap."))
    return redirect(reverse("evaluation:programme", args=[programme.pk]) + "?tab=l5")


@admin_required
@require_POST
def add_estimate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One participant's Phillips estimate (value × attribution × confidence) for a benefit."""
    programme = get_object_or_404(Programme, pk=pk, instansi_id=request.user.instansi_id)
    back = redirect(reverse("evaluation:programme", args=[programme.pk]) + "?tab=l5")
    form = ParticipantEstimateForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Isian estimasi peserta tidak lengkap."))
        return back
    d = form.cleaned_data
    benefit = Benefit.objects.filter(programme=programme, pk=d["benefit"]).first()
    employee = Employee.objects.filter(
        instansi_id=programme.instansi_id, nip=d["nip"].replace(" ", "")
    ).first()
    if benefit is None:
        messages.error(request, gettext("Manfaat tidak ditemukan pada program ini."))
    elif employee is None:
        messages.error(
            request, gettext("Pegawai dengan NIP {nip} tidak ditemukan.").format(nip=d["nip"])
        )
    else:
        try:
            do_add_participant_estimate(
                benefit,
                employee=employee,
                annual_value=d["annual_value"],
                attribution=d["attribution"],
                confidence=d["confidence"],
                basis=d["basis"],
                actor=request.user,
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, gettext("Estimasi peserta tersimpan."))
    return back
