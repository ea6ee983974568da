"""Helpers shared by the staff views: scope lookups and the period filter."""

from __future__ import annotations

from datetime import date

from django.http import Http404

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Role
from kompeten.service.forms import IkmFilterForm
from kompeten.service.models import Complaint, ServiceUnit
from kompeten.service.queries import complaints_for, service_units_for

STAFF_ROLES = (Role.PENGELOLA, Role.PIMPINAN)
WRITER_ROLES = (Role.PENGELOLA,)


def get_service_unit_for_user(request: AuthenticatedHttpRequest, pk: int) -> ServiceUnit:
    try:
        return service_units_for(request.user).select_related("unit", "questionnaire").get(pk=pk)
    except ServiceUnit.DoesNotExist:
        raise Http404("Unit layanan tidak ditemukan") from None


def get_complaint_for_user(request: AuthenticatedHttpRequest, pk: int) -> Complaint:
    try:
        return complaints_for(request.user).select_related("unit", "officer").get(pk=pk)
    except Complaint.DoesNotExist:
        raise Http404("Pengaduan tidak ditemukan") from None


def period(form: IkmFilterForm) -> tuple[date, date]:
    d = form.cleaned_data
    return date(d["year"], d["month_from"], 1), date(d["year"], d["month_to"], 1)


def can_write(request: AuthenticatedHttpRequest) -> bool:
    return bool(request.user.is_admin or request.user.is_pengelola)
