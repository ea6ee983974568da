"""Managing a programme's instruments (admin BKPSDM): the default library, versions, opening
and closing, the item bank and test forms, scheduling follow-ups for its batches."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.evaluation.actions import instruments as actions
from kompeten.evaluation.actions.followups import do_schedule_follow_ups
from kompeten.evaluation.forms import BankItemForm
from kompeten.evaluation.models import BankItem, Instrument
from kompeten.learning.models import Batch, Programme


@admin_required
@require_http_methods(["GET", "POST"])
def instrument_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk, instansi_id=request.user.instansi_id)
    form = BankItemForm()
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "defaults":
                made = actions.do_create_default_instruments(programme, actor=request.user)
                messages.success(request, f"{len(made)} instrumen bawaan dibuat.")
            elif op == "tests":
                actions.do_create_test_forms(
                    programme, parallel=request.POST.get("parallel") == "1", actor=request.user
                )
                messages.success(request, "Pre-test dan post-test dibuat dari bank soal.")
            elif op == "schedule":
                n = sum(
                    do_schedule_follow_ups(b, actor=request.user)
                    for b in Batch.objects.filter(programme=programme)
                )
                messages.success(request, f"{n} undangan evaluasi dijadwalkan.")
            elif op == "bank":
                form = BankItemForm(request.POST)
                if form.is_valid():
                    d = form.cleaned_data
                    actions.do_add_bank_items(
                        programme,
                        items=[
                            actions.BankItemInput(
                                kind=d["kind"],
                                text=d["text"],
                                options=[o for o in d["options"].splitlines() if o.strip()],
                                correct=d["correct"],
                                points=d["points"],
                            )
                        ],
                        actor=request.user,
                    )
                    messages.success(request, "Soal ditambahkan ke bank soal.")
                    return redirect("evaluation:instruments", pk=programme.pk)
            elif op in ("open", "closed", "draft", "version"):
                inst = get_object_or_404(
                    Instrument, pk=request.POST.get("instrument"), programme=programme
                )
                if op == "version":
                    actions.do_new_version(inst, actor=request.user)
                else:
                    actions.do_set_instrument_status(inst, status=op, actor=request.user)
                messages.success(request, "Instrumen diperbarui.")
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        if op != "bank" or form.is_valid():
            return redirect("evaluation:instruments", pk=programme.pk)
    instruments = (
        Instrument.objects.filter(programme=programme)
        .annotate(
            n_items=Count("items", distinct=True), n_responses=Count("responses", distinct=True)
        )
        .order_by("kind", "phase", "form_label", "-version")
    )
    bank = BankItem.objects.filter(programme=programme).order_by("id")
    return render(
        request,
        "evaluation/instruments.html",
        {"programme": programme, "instruments": instruments, "bank": bank, "form": form},
    )


@admin_required
def instrument_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(
        Instrument.objects.select_related("programme"), pk=pk, instansi_id=request.user.instansi_id
    )
    return render(
        request,
        "evaluation/instrument_detail.html",
        {"instrument": instrument, "items": instrument.items.order_by("order")},
    )
