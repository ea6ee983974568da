"""Managing a programme's instruments (admin BKPSDM): the default library, versions, opening
and closing, the item bank and test forms, scheduling follow-ups for its batches."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.params import id_param
from kompeten.core.permissions import admin_required
from kompeten.evaluation import scales
from kompeten.evaluation.actions import instruments as actions
from kompeten.evaluation.actions.followups import do_schedule_follow_ups
from kompeten.evaluation.forms import BankItemForm, ItemForm, ScaleForm
from kompeten.evaluation.models import (
    BankItem,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    Item,
)
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
                messages.success(
                    request, gettext("{n} instrumen bawaan dibuat.").format(n=len(made))
                )
            elif op == "tests":
                actions.do_create_test_forms(
                    programme, parallel=request.POST.get("parallel") == "1", actor=request.user
                )
                messages.success(request, gettext("Pre-test dan post-test dibuat dari bank soal."))
            elif op == "schedule":
                n = sum(
                    do_schedule_follow_ups(b, actor=request.user)
                    for b in Batch.objects.filter(programme=programme)
                )
                messages.success(request, gettext("{n} undangan evaluasi dijadwalkan.").format(n=n))
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
                    messages.success(request, gettext("Soal ditambahkan ke bank soal."))
                    return redirect("evaluation:instruments", pk=programme.pk)
            elif op in ("open", "closed", "draft", "version"):
                inst = get_object_or_404(
                    Instrument, pk=id_param(request.POST.get("instrument")), programme=programme
                )
                if op == "version":
                    actions.do_new_version(inst, actor=request.user)
                else:
                    actions.do_set_instrument_status(inst, status=op, actor=request.user)
                messages.success(request, gettext("Instrumen diperbarui."))
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


def _item_input(form: ItemForm) -> actions.ItemInput:
    d = form.cleaned_data
    return actions.ItemInput(
        text=d["text"],
        kind=d["kind"],
        section=d["section"],
        scale_max=d["scale_max"],
        labels=scales.parse_labels(d["labels"]) if d["labels"].strip() else (),
        required=d["required"],
    )


def _item_form(item: Item) -> ItemForm:
    """The edit form of an existing item, filled with what it says now."""
    return ItemForm(
        prefix=f"i{item.pk}",
        initial={
            "text": item.text,
            "kind": item.kind,
            "section": item.section,
            "scale_max": item.scale_max,
            "labels": " / ".join(reversed(item.option_list)),
            "required": item.required,
        },
    )


def _change_item(request: AuthenticatedHttpRequest, instrument: Instrument, op: str) -> None:
    """Remove or update the posted item of the instrument (404 for another's item);
    ValidationError naming each bad field."""
    item = get_object_or_404(Item, pk=id_param(request.POST.get("item")), instrument=instrument)
    if op == "remove":
        actions.do_remove_item(item, actor=request.user)
        messages.success(request, _("Butir dihapus."))
        return
    form = ItemForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        raise ValidationError(
            [f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()]
        )
    actions.do_update_item(item, data=_item_input(form), actor=request.user)
    messages.success(request, _("Butir diperbarui."))


@admin_required
@require_http_methods(["GET", "POST"])
def instrument_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An instrument's items. A draft reaction questionnaire without answers is edited here:
    items added, reworded, rescaled (numbers or labels) and removed, and its scale chosen;
    any other version is copied first ("Versi baru")."""
    instrument = get_object_or_404(
        Instrument.objects.select_related("programme"), pk=pk, instansi_id=request.user.instansi_id
    )
    add_form = ItemForm(prefix="new")
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "version":
                copy = actions.do_new_version(instrument, actor=request.user)
                messages.success(request, _("Versi baru dibuat; ubah butirnya di sini."))
                return redirect("evaluation:instrument_detail", pk=copy.pk)
            if op == "scale":
                scale = ScaleForm(request.POST)
                if not scale.is_valid():
                    raise ValidationError([str(e) for e in scale.errors["scale_max"]])
                actions.do_set_instrument_scale(
                    instrument, scale_max=scale.cleaned_data["scale_max"], actor=request.user
                )
                messages.success(request, _("Skala kuesioner disimpan."))
            elif op == "add":
                add_form = ItemForm(request.POST, prefix="new")
                if add_form.is_valid():
                    actions.do_add_item(instrument, data=_item_input(add_form), actor=request.user)
                    messages.success(request, _("Butir ditambahkan."))
                    return redirect("evaluation:instrument_detail", pk=instrument.pk)
            elif op in ("update", "remove"):
                _change_item(request, instrument, op)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        if op != "add" or add_form.is_valid():
            return redirect("evaluation:instrument_detail", pk=instrument.pk)
    items = list(instrument.items.order_by("order"))
    editable = (
        instrument.kind == InstrumentKind.REACTION
        and instrument.status == InstrumentStatus.DRAFT
        and not instrument.responses.exists()
    )
    rows = [(item, _item_form(item) if editable else None) for item in items]
    return render(
        request,
        "evaluation/instrument_detail.html",
        {
            "instrument": instrument,
            "rows": rows,
            "editable": editable,
            "add_form": add_form,
            "scale_form": ScaleForm(initial={"scale_max": instrument.scale_max}),
            "is_reaction": instrument.kind == InstrumentKind.REACTION,
        },
    )
