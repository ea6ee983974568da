"""My schedule, picking another feasible batch, and the iCalendar feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.params import id_param
from kompeten.learning.models import Session, Trainer
from kompeten.participation.models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from kompeten.participation.queries import trainer_session_q
from kompeten.scheduling.actions.feeds import do_create_feed, do_revoke_feed
from kompeten.scheduling.actions.planning import batch_alternatives, do_pick_batch
from kompeten.scheduling.ics import FeedEvent, build_calendar
from kompeten.scheduling.models import CalendarFeed, FeedKind


def _own_enrolment(request: AuthenticatedHttpRequest, pk: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(
            pk=pk, employee_id=request.user.employee_id, status__in=ACTIVE_STATUSES
        )
        .select_related("batch__programme", "employee")
        .first()
        if request.user.employee_id
        else None
    )
    if enrolment is None:
        raise Http404("Kepesertaan tidak ditemukan")
    return enrolment


@login_required
def my_schedule(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions = []
    if request.user.employee_id is not None:
        sessions = list(
            Session.objects.filter(
                batch__enrolments__employee_id=request.user.employee_id,
                batch__enrolments__status__in=ACTIVE_STATUSES,
                end__gte=timezone.now(),
            )
            .select_related("batch__programme")
            .order_by("start")[:100]
        )
    teaching = list(
        Session.objects.filter(trainer_session_q(request.user), end__gte=timezone.now())
        .select_related("batch__programme")
        .distinct()
        .order_by("start")[:100]
    )
    enrolments = (
        Enrolment.objects.filter(employee_id=request.user.employee_id, status__in=ACTIVE_STATUSES)
        .select_related("batch__programme")
        .order_by("batch__start_date")
        if request.user.employee_id
        else []
    )
    feeds = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(
        request,
        "scheduling/my_schedule.html",
        {
            "sessions": sessions,
            "teaching": teaching,
            "enrolments": enrolments,
            "feeds": {f.kind: request.build_absolute_uri(f.get_absolute_url()) for f in feeds},
            "feed_ids": {f.kind: f.pk for f in feeds},
            "is_trainer": Trainer.objects.filter(employee_id=request.user.employee_id).exists()
            if request.user.employee_id
            else False,
        },
    )


@login_required
def pick_batch(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    options = batch_alternatives(enrolment)
    if request.method == "POST":
        raw = request.POST.get("batch", "")
        try:
            batch_id = id_param(raw)
            if batch_id is None:
                raise ValidationError(gettext("Pilih salah satu angkatan."))
            target = do_pick_batch(enrolment=enrolment, batch_id=batch_id, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, gettext("Jadwal Anda kini {batch}.").format(batch=target.batch.name)
            )
            return redirect("scheduling:my_schedule")
    sessions = {b.pk: list(b.sessions.order_by("start")) for b in options}
    return render(
        request,
        "scheduling/pick_batch.html",
        {"enrolment": enrolment, "options": [(b, sessions[b.pk]) for b in options]},
    )


@login_required
@require_POST
def feed_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        do_create_feed(user=request.user, kind=request.POST.get("kind", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, gettext("Alamat kalender baru dibuat; alamat lama tidak berlaku lagi.")
        )
    return redirect("scheduling:my_schedule")


@login_required
@require_POST
def feed_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feed = CalendarFeed.objects.filter(pk=pk, user=request.user).first()
    if feed is None:
        raise Http404("Umpan tidak ditemukan")
    do_revoke_feed(feed=feed, actor=request.user)
    messages.success(request, gettext("Alamat kalender dicabut."))
    return redirect("scheduling:my_schedule")


ICS_STATUS: dict[str, str] = {
    EnrolmentStatus.ACCEPTED.value: "CONFIRMED",
    EnrolmentStatus.INVITED.value: "TENTATIVE",
    EnrolmentStatus.CANCELLED.value: "CANCELLED",
}


def feed_events(feed: CalendarFeed, base_url: str) -> list[FeedEvent]:
    user = feed.user
    if feed.kind == FeedKind.TRAINER:
        sessions = Session.objects.filter(trainer_session_q(user)).distinct()
        statuses: dict[int, str] = {}
    else:
        statuses = (
            dict(
                Enrolment.objects.filter(
                    employee_id=user.employee_id,
                    status__in=(*ACTIVE_STATUSES, EnrolmentStatus.CANCELLED),
                ).values_list("batch_id", "status")
            )
            if user.employee_id is not None
            else {}
        )
        sessions = Session.objects.filter(batch_id__in=list(statuses))
    sessions = sessions.select_related("batch__programme").order_by("start")
    out = []
    for s in sessions:
        status = statuses.get(s.batch_id, EnrolmentStatus.ACCEPTED)
        out.append(
            FeedEvent(
                uid=f"sesi-{s.pk}@kompeten",
                start=timezone.localtime(s.start),
                end=timezone.localtime(s.end),
                summary=f"{s.batch.programme.title} — {s.batch.name}",
                location=s.location or s.batch.location,
                description=s.batch.online_link or "",
                status=ICS_STATUS.get(str(status), "CONFIRMED"),
                url=base_url + reverse("scheduling:my_schedule"),
            )
        )
    return out


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by secret token (calendar apps cannot log in); a revoked token answers 404."""
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        raise Http404("Umpan kalender tidak ditemukan atau sudah dicabut")
    name = f"Kompeten — {feed.user}"
    body = build_calendar(
        name, feed_events(feed, request.build_absolute_uri("/").rstrip("/")), timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kompeten.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
