"""Editing a batch's capacity and dates: the consequences are shown first, then saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.forms import DateField
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.learning.forms import DATE, MAX_CAPACITY
from kompeten.learning.queries import get_batch_for_user
from kompeten.participation.actions.batch_edit import (
    BatchChange,
    batch_edit_consequences,
    do_edit_batch,
)


class BatchEditForm(forms.Form):
    capacity = forms.IntegerField(
        label=gettext_lazy("Kapasitas"), min_value=1, max_value=MAX_CAPACITY
    )
    start_date = DateField(label=gettext_lazy("Tanggal mulai"), widget=DATE)
    end_date = DateField(label=gettext_lazy("Tanggal selesai"), widget=DATE)
    shift_sessions = forms.BooleanField(
        label=gettext_lazy("Geser sesi mengikuti tanggal mulai yang baru"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data

    def change(self) -> BatchChange:
        d = self.cleaned_data
        return BatchChange(
            capacity=d["capacity"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            shift_sessions=d["shift_sessions"],
        )


@admin_required
def batch_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST: the consequences (and a confirm button); POST with ``confirm``: save."""
    batch = get_batch_for_user(request.user, pk)
    initial = {
        "capacity": batch.capacity,
        "start_date": batch.start_date,
        "end_date": batch.end_date,
    }
    form = BatchEditForm(request.POST or None, initial=initial)
    consequences = None
    if request.method == "POST" and form.is_valid():
        change = form.change()
        if "confirm" in request.POST:
            try:
                result = do_edit_batch(batch, change=change, actor=request.user)
            except ValidationError as exc:  # e.g. someone accepted in the meantime
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if result.changed:
                    messages.success(request, _("Angkatan diperbarui."))
                for sentence in result.sentences:
                    messages.info(request, sentence)
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect(batch)
        else:
            consequences = batch_edit_consequences(batch, change)
            for problem in consequences.problems:
                form.add_error(None, problem)
    return render(
        request,
        "learning/batch_edit.html",
        {"batch": batch, "form": form, "consequences": consequences},
        status=400 if form.errors else 200,
    )
