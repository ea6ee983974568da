"""Answering an instrument on a phone: one page, one column, native inputs.

Only the designated rater of the invitation reaches the form (else 404); the rater who answers
is the rater recorded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.evaluation import queries
from kompeten.evaluation.actions.responses import do_submit_response
from kompeten.evaluation.models import ItemKind, Section
from kompeten.learning.models import Trainer


@login_required
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    follow_up = queries.scoped_follow_up_for(request.user, pk)
    instrument = follow_up.instrument
    items = list(instrument.items.order_by("order"))
    trainers = list(Trainer.objects.filter(batches=follow_up.batch).select_related("employee"))
    errors: list[str] = []
    values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    if request.method == "POST" and follow_up.response_id is None:
        try:
            do_submit_response(
                instrument,
                subject=follow_up.subject,
                rater=request.user.employee,  # type: ignore[arg-type]
                answers=values,
                actor=request.user,
            )
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(request, gettext("Terima kasih, jawaban Anda tersimpan."))
            return redirect("cycle_evaluasi")
    rows = []
    for item in items:
        if item.section == Section.TRAINER:
            for t in trainers:
                key = f"{item.pk}:{t.pk}"
                rows.append(
                    {
                        "item": item,
                        "key": key,
                        "label": f"{t.name} — {item.text}",
                        "value": values.get(key, ""),
                    }
                )
        else:
            rows.append(
                {
                    "item": item,
                    "key": str(item.pk),
                    "label": item.text,
                    "value": values.get(str(item.pk), ""),
                }
            )
    return render(
        request,
        "evaluation/answer.html",
        {
            "follow_up": follow_up,
            "instrument": instrument,
            "rows": rows,
            "scale": list(range(1, instrument.scale_max + 1)),
            "errors": errors,
            "kinds": ItemKind,
            "done": follow_up.response_id is not None,
        },
        status=400 if errors else 200,
    )
