"""Staffing rules and peak periods per unit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kompeten.core.formviews import save_form
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
from kompeten.scheduling.models import PeakPeriod, StaffingRule


def _to_rule_list(_saved: object) -> HttpResponse:
    return redirect("scheduling:rule_list")


def _create_rule(request: AuthenticatedHttpRequest, d: dict[str, Any]) -> StaffingRule:
    return do_create_staffing_rule(
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


def _create_peak(request: AuthenticatedHttpRequest, d: dict[str, Any]) -> PeakPeriod:
    if not request.user.is_admin and d["unit"] is None:
        # refused like an action's error, on the form's unit field
        raise ValidationError(
            {"unit": gettext("Pengelola OPD hanya dapat menetapkan masa sibuk untuk unitnya.")}
        )
    return do_create_peak(
        instansi_id=scoping.tenant_id(request.user),
        unit=d["unit"],
        label=d["label"],
        start_date=d["start_date"],
        end_date=d["end_date"],
        penalty=d["penalty"],
        actor=request.user,
    )


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
        done = None
        if request.POST.get("form") == "rule":
            done = save_form(
                request,
                rule_form,
                lambda: _create_rule(request, rule_form.cleaned_data),
                gettext("Aturan minimal petugas disimpan."),
                _to_rule_list,
            )
        if request.POST.get("form") == "peak":
            done = save_form(
                request,
                peak_form,
                lambda: _create_peak(request, peak_form.cleaned_data),
                gettext("Masa sibuk disimpan."),
                _to_rule_list,
            )
        if done is not None:
            return done
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
    messages.success(request, gettext("Aturan dinonaktifkan."))
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
    messages.success(request, gettext("Masa sibuk dihapus."))
    return redirect("scheduling:rule_list")
