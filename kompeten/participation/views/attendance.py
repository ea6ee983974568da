"""Trainer's sessions, the rotating QR screen, the participant's check-in and the roll call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.params import int_param
from kompeten.learning.models import Session
from kompeten.participation import qr, queries
from kompeten.participation.actions.attendance import (
    RollCallRow,
    do_check_in,
    do_record_roll_call,
)
from kompeten.participation.models import Attendance, Enrolment, EnrolmentStatus
from kompeten.people import scoping


def get_session_for_trainer(request: AuthenticatedHttpRequest, pk: int) -> Session:
    """The session, if the user teaches it (or is admin); else 404."""
    session = (
        queries.sessions_for(request.user).filter(pk=pk).select_related("batch__programme").first()
    )
    if session is None:
        raise Http404("Sesi tidak ditemukan")
    return session


@login_required
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = (
        queries.sessions_for(request.user)
        .select_related("batch__programme", "trainer__employee")
        .order_by("-start")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "participation/session_list.html", {"page": page})


def _checkin_url(request: AuthenticatedHttpRequest, session: Session, code: str) -> str:
    path = reverse("participation:check_in", args=[session.pk])
    return request.build_absolute_uri(f"{path}?kode={code}")


COUNT_POLL_SECONDS = 4  # how often the QR screen's counter asks for the figure


def _counts(session: Session) -> tuple[int, int]:
    """(present, expected) at the session: check-ins so far and participants who accepted."""
    present = Attendance.objects.filter(session=session, present=True).count()
    expected = Enrolment.objects.filter(
        batch_id=session.batch_id, status=EnrolmentStatus.ACCEPTED
    ).count()
    return present, expected


def _count_text(present: int, expected: int) -> str:
    return ngettext(
        "%(present)d dari %(expected)d peserta sudah hadir.",
        "%(present)d dari %(expected)d peserta sudah hadir.",
        expected,
    ) % {"present": present, "expected": expected}


@login_required
def qr_screen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_trainer(request, pk)
    present, expected = _counts(session)
    return render(
        request,
        "participation/qr_screen.html",
        {
            "session": session,
            "present": present,
            "expected": expected,
            "count_text": _count_text(present, expected),
            "window": qr.WINDOW_SECONDS,
            "poll": COUNT_POLL_SECONDS,
        },
    )


@never_cache
@login_required
@require_GET
def attendance_count(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The QR screen's live counter: a small JSON the screen's script polls every few seconds."""
    session = get_session_for_trainer(request, pk)
    present, expected = _counts(session)
    return JsonResponse(
        {"present": present, "expected": expected, "text": _count_text(present, expected)}
    )


@never_cache
@login_required
@require_GET
def qr_svg(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The current code as an SVG (segno); the screen's JS reloads it as the window turns."""
    session = get_session_for_trainer(request, pk)
    now = timezone.now()
    code = qr.token(session.pk, now)
    response = HttpResponse(
        qr.svg(_checkin_url(request, session, code)), content_type="image/svg+xml"
    )
    response["X-Refresh-In"] = str(qr.seconds_left(now))
    return response


@login_required
def check_in(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The URL inside the QR code: a logged-in participant lands here and is checked in."""
    session = (
        Session.objects.filter(pk=pk, batch__programme__instansi_id=scoping.tenant_id(request.user))
        .select_related("batch__programme")
        .first()
    )
    if session is None:
        raise Http404("Sesi tidak ditemukan")
    try:
        record = do_check_in(user=request.user, session=session, code=request.GET.get("kode", ""))
    except ValidationError as error:
        return render(
            request,
            "participation/check_in.html",
            {"session": session, "error": " ".join(error.messages)},
            status=400,
        )
    return render(request, "participation/check_in.html", {"session": session, "record": record})


MINUTES_IN_A_DAY = 24 * 60


def _minutes(value: str | None) -> int | None:
    """Minutes late or left early as typed (blank is 0), or None when not 0 … a day."""
    if not (value or "").strip():
        return 0
    return int_param(value, minimum=0, maximum=MINUTES_IN_A_DAY)


@login_required
def roll_call(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_trainer(request, pk)
    enrolments = list(
        Enrolment.objects.filter(batch_id=session.batch_id, status=EnrolmentStatus.ACCEPTED)
        .select_related("employee__unit", "batch__programme")
        .order_by("employee__name")
    )
    records = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    errors: list[str] = []
    if request.method == "POST":
        entries: list[RollCallRow] = []
        for enrolment in enrolments:
            key = str(enrolment.pk)
            late = _minutes(request.POST.get(f"late-{key}"))
            early = _minutes(request.POST.get(f"early-{key}"))
            if late is None or early is None:
                errors.append(
                    gettext("{name}: menit harus bilangan bulat dari 0 sampai {most}.").format(
                        name=enrolment.employee.name, most=MINUTES_IN_A_DAY
                    )
                )
                continue
            entries.append(
                RollCallRow(
                    enrolment=enrolment,
                    present=request.POST.get(f"present-{key}") == "on",
                    late_minutes=late,
                    left_early_minutes=early,
                )
            )
        if not errors:
            try:
                do_record_roll_call(session=session, rows=entries, actor=request.user)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            for message in errors:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Presensi %(n)d peserta disimpan.",
                    "Presensi %(n)d peserta disimpan.",
                    len(enrolments),
                )
                % {"n": len(enrolments)},
            )
            return redirect("participation:roll_call", pk=session.pk)
    rows = [{"enrolment": e, "record": records.get(e.pk)} for e in enrolments]
    return render(
        request,
        "participation/roll_call.html",
        {"session": session, "rows": rows, "posted": request.POST if errors else None},
    )
