"""Staffing rules and peak periods per unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.people import scoping
from kompeten.scheduling import queries
from kompeten.scheduling.actions.rules import (
    RuleInput,
    do_create_peak,
    do_create_staffing_rule,
    do_deactivate_staffing_rule,
    do_delete_peak,
)
from kompeten.scheduling.forms import PeakForm, RuleForm


def _form_errors(form: object, error: ValidationError) -> None:
    fields = getattr(form, "fields", {})
    for field, errs in error.message_dict.items():
        form.add_error(field if field in fields else None, errs)  # type: ignore[attr-defined]


@login_required
def rule_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    editor = queries.can_edit(request.user)
    units = queries.editable_units(request.user).order_by("path")
    rule_form = RuleForm(
        request.POST or None if request.POST.get("form") == "rule" else None,
        units=units,
        prefix="rule",
    )
    peak_form = PeakForm(
        request.POST or None if request.POST.get("form") == "peak" else None,
        units=units,
        prefix="peak",
    )
    if request.method == "POST":
        if not editor:
            raise PermissionDenied
        if request.POST.get("form") == "rule" and rule_form.is_valid():
            d = rule_form.cleaned_data
            try:
                do_create_staffing_rule(
                    unit=d["unit"],
                    data=RuleInput(
                        label=d["label"],
                        weekdays="".join(d["weekdays"]),
                        start_time=d["start_time"],
                        end_time=d["end_time"],
                        min_present=d["min_present"],
                        valid_from=d["valid_from"],
                        valid_until=d["valid_until"],
                    ),
                    actor=request.user,
                )
            except ValidationError as error:
                _form_errors(rule_form, error)
            else:
                messages.success(request, "Aturan minimal petugas disimpan.")
                return redirect("scheduling:rule_list")
        if request.POST.get("form") == "peak" and peak_form.is_valid():
            d = peak_form.cleaned_data
            if not request.user.is_admin and d["unit"] is None:
                peak_form.add_error(
                    "unit", "Pengelola OPD hanya dapat menetapkan masa sibuk untuk unitnya."
                )
            else:
                try:
                    do_create_peak(
                        instansi_id=scoping.tenant_id(request.user),
                        unit=d["unit"],
                        label=d["label"],
                        start_date=d["start_date"],
                        end_date=d["end_date"],
                        penalty=d["penalty"],
                        actor=request.user,
                    )
                except ValidationError as error:
                    _form_errors(peak_form, error)
                else:
                    messages.success(request, "Masa sibuk disimpan.")
                    return redirect("scheduling:rule_list")
    rules = queries.rules_for(request.user).filter(is_active=True).select_related("unit")
    peaks = queries.peaks_for(request.user).select_related("unit")
    return render(
        request,
        "scheduling/rule_list.html",
        {
            "rules": rules,
            "peaks": peaks,
            "rule_form": rule_form,
            "peak_form": peak_form,
            "can_edit": editor,
        },
        status=400 if (rule_form.errors or peak_form.errors) else 200,
    )


@login_required
@require_POST
def rule_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule = (
        queries.rules_for(request.user)
        .filter(pk=pk, unit__in=queries.editable_units(request.user))
        .first()
    )
    if rule is None:
        raise Http404("Aturan tidak ditemukan")
    do_deactivate_staffing_rule(rule=rule, actor=request.user)
    messages.success(request, "Aturan dinonaktifkan.")
    return redirect("scheduling:rule_list")


@login_required
@require_POST
def peak_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    peak = queries.peaks_for(request.user).filter(pk=pk).first()
    if peak is None or not queries.can_edit(request.user):
        raise Http404("Masa sibuk tidak ditemukan")
    if peak.unit is None and not request.user.is_admin:
        raise PermissionDenied
    if (
        peak.unit is not None
        and not queries.editable_units(request.user).filter(pk=peak.unit.pk).exists()
    ):
        raise Http404("Masa sibuk tidak ditemukan")
    do_delete_peak(peak=peak, actor=request.user)
    messages.success(request, "Masa sibuk dihapus.")
    return redirect("scheduling:rule_list")
