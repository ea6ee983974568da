"""Batches (angkatan), their sessions, and trainers with their availability."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.core.formviews import attach_errors, form_page, save_form
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.learning import queries
from kompeten.learning.actions import batches as actions
from kompeten.learning.forms import AvailabilityForm, BatchForm, SessionForm, TrainerForm
from kompeten.learning.models import BatchStatus, Session, Trainer
from kompeten.learning.views._util import (
    act_and_return,
    active_trainers,
    programme_part_or_404,
    tenant_id,
)
from kompeten.people.models import Employee


@admin_required
def batch_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = queries.get_programme_for_user(request.user, pk)
    n = programme.batches.count() + 1
    form = BatchForm(
        request.POST or None,
        trainers=active_trainers(request.user),
        initial={"code": f"{programme.code}-{n}", "capacity": 30},
    )
    if request.method == "POST" and form.is_valid():
        data = actions.BatchInput(**form.cleaned_data)
        # a batch wholly in the past is a training already held: a session per day, finished
        held = data.end_date < timezone.localdate()
        create = actions.do_create_held_batch if held else actions.do_create_batch
        try:
            batch = create(programme, data=data, actor=request.user)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if held:
                messages.success(
                    request,
                    _(
                        "Angkatan dicatat sebagai pelatihan yang sudah terlaksana (satu sesi per "
                        "hari). Tambahkan pesertanya atau impor daftar hadir panitia."
                    ),
                )
            else:
                messages.success(request, _("Angkatan dibuat. Tambahkan sesinya."))
            return redirect(batch)
    return render(
        request,
        "learning/simple_form.html",
        {"form": form, "title": _("Angkatan baru: %(p)s") % {"p": programme.title}},
    )


@login_required
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = queries.get_batch_for_user(request.user, pk)
    form = SessionForm(
        request.POST or None,
        modules=batch.programme.modules.order_by("order"),
        trainers=active_trainers(request.user),
    )
    if request.method == "POST":
        if not request.user.is_admin:
            return HttpResponse(status=403)
        if form.is_valid():
            start, end = form.datetimes()
            try:
                actions.do_add_sessions(
                    batch,
                    sessions=[
                        actions.SessionInput(
                            start=start,
                            end=end,
                            module=form.cleaned_data["module"],
                            trainer=form.cleaned_data["trainer"],
                            location=form.cleaned_data["location"],
                        )
                    ],
                    actor=request.user,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Sesi ditambahkan."))
                for warning in actions.session_day_warnings([(start, end)]):
                    messages.warning(request, warning)
                return redirect(batch)
    sessions = list(batch.sessions.select_related("module", "trainer__employee"))
    for s in sessions:  # a session on a weekend, holiday or cuti bersama is flagged
        s.day_off = actions.day_off_reason(timezone.localtime(s.start).date())  # type: ignore[attr-defined]
    return render(
        request,
        "learning/batch_detail.html",
        {
            "batch": batch,
            "sessions": sessions,
            "trainers": batch.trainers.select_related("employee"),
            "form": form,
            "statuses": BatchStatus.choices,
        },
    )


@require_POST
@admin_required
def batch_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = queries.get_batch_for_user(request.user, pk)
    return act_and_return(
        request,
        lambda: actions.do_set_batch_status(
            batch, status=request.POST.get("status", ""), actor=request.user
        ),
        None,
        batch,
    )


@require_POST
@admin_required
def session_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = programme_part_or_404(request, Session.objects, pk, "batch__programme")
    actions.do_delete_session(session, actor=request.user)
    return redirect(session.batch)


@admin_required
def trainer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainers = (
        Trainer.objects.filter(instansi_id=tenant_id(request.user))
        .select_related("employee")
        .annotate(
            n_sessions=Count("sessions", distinct=True),
            n_blocked=Count("availability", filter=Q(availability__available=False), distinct=True),
        )
        .order_by("kind", "external_name", "employee__name")
    )
    form = TrainerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee = None
        if data["employee_nip"]:
            employee = Employee.objects.filter(
                instansi_id=tenant_id(request.user), nip=data["employee_nip"].replace(" ", "")
            ).first()
            if employee is None:
                form.add_error("employee_nip", _("Pegawai dengan NIP ini tidak ditemukan."))
        done = save_form(
            request,
            form,
            lambda: actions.do_create_trainer(
                instansi=request.user.instansi,  # type: ignore[arg-type]
                kind=data["kind"],
                employee=employee,
                external_name=data["external_name"],
                institution=data["institution"],
                email=data["email"],
                expertise=data["expertise"],
                actor=request.user,
            ),
            _("Pengajar ditambahkan."),
            lambda _trainer: redirect("learning:trainer_list"),
        )
        if done is not None:
            return done
    return render(request, "learning/trainer_list.html", {"trainers": trainers, "form": form})


@admin_required
def trainer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    trainer = get_object_or_404(
        Trainer.objects.select_related("employee"), pk=pk, instansi_id=tenant_id(request.user)
    )
    form = AvailabilityForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: actions.do_set_trainer_availability(
            trainer, actor=request.user, **form.cleaned_data
        ),
        _("Ketersediaan tersimpan."),
        lambda _availability: redirect("learning:trainer_detail", pk=trainer.pk),
        template="learning/trainer_detail.html",
        context={
            "trainer": trainer,
            "availability": trainer.availability.all(),
            "sessions": trainer.sessions.select_related("batch__programme", "module")[:100],
        },
    )
