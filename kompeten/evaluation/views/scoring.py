"""Scoring by fasilitator: simulation rubrics of their sessions, hand marking of short answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Role
from kompeten.core.params import id_param
from kompeten.core.permissions import role_required
from kompeten.evaluation.actions.responses import do_mark_short_answers
from kompeten.evaluation.actions.simulation import do_score_simulations, may_observe
from kompeten.evaluation.models import ItemKind, Response, SimulationScore
from kompeten.learning.models import Batch, Module, RubricCriterion
from kompeten.participation.models import Enrolment, EnrolmentStatus


@role_required(Role.FASILITATOR)
@require_http_methods(["GET", "POST"])
def simulation(request: AuthenticatedHttpRequest, batch_pk: int, module_pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch, pk=batch_pk, programme__instansi_id=request.user.instansi_id)
    module = get_object_or_404(Module, pk=module_pk, programme_id=batch.programme_id)
    if not may_observe(request.user, batch):
        raise PermissionDenied
    criteria = list(
        RubricCriterion.objects.filter(rubric__scenario__module=module)
        .prefetch_related("levels")
        .order_by("order")
    )
    participants = list(
        Enrolment.objects.filter(batch=batch, status=EnrolmentStatus.ACCEPTED)
        .select_related("employee")
        .order_by("employee__name")
    )
    done = set(
        SimulationScore.objects.filter(module=module, observer=request.user).values_list(
            "subject_id", flat=True
        )
    )
    errors: list[str] = []
    if request.method == "POST":
        subject_id = id_param(request.POST.get("subject")) or 0
        scores = {subject_id: {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}}
        try:
            do_score_simulations(module, batch=batch, observer=request.user, scores=scores)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(request, gettext("Skor simulasi tersimpan."))
            return redirect("evaluation:simulation", batch_pk=batch.pk, module_pk=module.pk)
    return render(
        request,
        "evaluation/simulation.html",
        {
            "batch": batch,
            "module": module,
            "criteria": criteria,
            "participants": [(e.employee, e.employee_id in done) for e in participants],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@role_required(Role.FASILITATOR)
@require_http_methods(["GET", "POST"])
def mark(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(
        Response.objects.select_related("batch", "subject", "instrument"),
        pk=pk,
        programme__instansi_id=request.user.instansi_id,
    )
    if not may_observe(request.user, response.batch):
        raise PermissionDenied
    answers = list(
        response.answers.filter(item__kind=ItemKind.SHORT)
        .select_related("item")
        .order_by("item__order")
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            do_mark_short_answers(
                response,
                points={a.pk: request.POST.get(f"a{a.pk}", "") for a in answers},
                actor=request.user,
            )
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(request, gettext("Nilai jawaban singkat tersimpan."))
            return redirect("evaluation:mark", pk=response.pk)
    return render(
        request,
        "evaluation/mark.html",
        {"response": response, "answers": answers, "errors": errors},
        status=400 if errors else 200,
    )
