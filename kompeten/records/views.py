"""Upload of SKP and discipline files, and an employee's records."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from kompeten.core import importing as imp
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.people.scoping import get_employee_for_user
from kompeten.records.actions import do_add_discipline_record, do_set_skp_rating
from kompeten.records.models import DisciplineLevel, PredikatChoice, RatingChoice


@admin_required
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The old upload page: SKP and discipline files now go through the import engine's pages."""
    kind = "discipline" if request.GET.get("kind") == "disiplin" else "skp"
    return HttpResponseRedirect(reverse("imports:upload", kwargs={"key": kind}))


def _posted_day(text: str) -> date | None:
    """The discipline date typed on the page (None when blank), read as an import reads it."""
    try:
        return imp.parse_date(text)
    except ValueError:
        raise ValidationError(
            gettext("Tanggal {value} tidak dapat dibaca (dd-mm-yyyy).").format(value=repr(text))
        ) from None


@login_required
def employee_records(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_for_user(request.user, pk)
    if request.method == "POST":
        if not request.user.is_admin:
            return HttpResponse(status=403)
        try:
            if request.POST.get("form") == "skp":
                do_set_skp_rating(
                    actor=request.user,
                    employee=employee,
                    year=request.POST.get("year", ""),
                    hasil_kerja=request.POST.get("hasil_kerja", ""),
                    perilaku=request.POST.get("perilaku", ""),
                    score=request.POST.get("score") or None,
                    predikat_written=request.POST.get("predikat", ""),
                )
            else:
                do_add_discipline_record(
                    actor=request.user,
                    employee=employee,
                    day=_posted_day(request.POST.get("date", "")),
                    level=request.POST.get("level", ""),
                    note=request.POST.get("note", ""),
                )
            messages.success(request, gettext("Catatan disimpan."))
            return redirect("records:employee", pk=employee.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "records/employee.html",
        {
            "employee": employee,
            "skp": employee.skp_ratings.all(),
            "discipline": employee.discipline_records.all(),
            "ratings": RatingChoice.choices,
            "predikats": PredikatChoice.choices,
            "levels": DisciplineLevel.choices,
        },
    )
