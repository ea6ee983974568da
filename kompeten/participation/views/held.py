"""A batch's participants: per-day attendance and completion; adding people by name/NIP search or
a pasted NIP list. A batch that has started records participants of a training already held
(no invitation); a batch still ahead invites them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.params import id_param
from kompeten.core.permissions import admin_required
from kompeten.learning.models import Batch
from kompeten.learning.queries import get_batch_for_user
from kompeten.participation.actions.enrolment import do_invite
from kompeten.participation.actions.held import do_enrol_held, is_held, lookup_nips
from kompeten.participation.models import (
    ACTIVE_STATUSES,
    Attendance,
    AttendanceMark,
    Enrolment,
    EnrolmentStatus,
)
from kompeten.people import scoping
from kompeten.people.models import Employee

SEARCH_LIMIT = 20
SHOWN = (*ACTIVE_STATUSES, EnrolmentStatus.WAITLISTED)


@dataclass(frozen=True)
class ParticipantRow:
    enrolment: Enrolment
    marks: list[str]  # per day: hadir, sakit, izin, alpa, or "" (nothing recorded)


def participant_rows(batch: Batch) -> tuple[list[date], list[ParticipantRow], list[int]]:
    """The batch's days, one row per participant with each day's mark, and per-day present
    counts. Three queries whatever the size of the batch."""
    sessions = list(batch.sessions.values_list("id", "start"))
    day_of = {sid: timezone.localtime(start).date() for sid, start in sessions}
    days = sorted(set(day_of.values()))
    enrolments = list(
        Enrolment.objects.filter(batch=batch, status__in=SHOWN)
        .select_related("employee__unit")
        .order_by("employee__name", "pk")
    )
    marks: dict[tuple[int, date], str] = {}
    for enrolment_id, session_id, was_present, mark in Attendance.objects.filter(
        session__batch=batch
    ).values_list("enrolment_id", "session_id", "present", "mark"):
        key = (enrolment_id, day_of[session_id])
        found = AttendanceMark.HADIR if was_present else (mark or AttendanceMark.ALPA)
        if marks.get(key) != AttendanceMark.HADIR:
            marks[key] = found
    rows = [ParticipantRow(e, [marks.get((e.pk, day), "") for day in days]) for e in enrolments]
    present = [sum(1 for r in rows if r.marks[i] == AttendanceMark.HADIR) for i in range(len(days))]
    return days, rows, present


def _enrol(request: AuthenticatedHttpRequest, batch: Batch, people: list[Employee]) -> int:
    """Enrol as held participants (a batch that has started) or invite; returns how many."""
    if not people:
        return 0
    if is_held(batch):
        do_enrol_held(batch, people, request.user)
        return len(people)
    done = 0
    for employee in people:  # invitations: one notification each
        do_invite(batch=batch, employee=employee, actor=request.user)
        done += 1
    return done


@admin_required
def batch_participants(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request.user, pk)
    nip_text = ""
    if request.method == "POST":
        text = request.POST.get("nips", "")
        found = lookup_nips(scoping.tenant_id(request.user), text)
        for problem in found.problems:
            messages.error(request, problem)
        try:
            added = _enrol(request, batch, found.found)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            nip_text = text  # nothing was written: keep every line
        else:
            if added:
                messages.success(
                    request,
                    ngettext("%(n)d pegawai ditambahkan.", "%(n)d pegawai ditambahkan.", added)
                    % {"n": added},
                )
            if not found.problems:
                return redirect("participation:batch_participants", pk=batch.pk)
            nip_text = "\n".join(found.unresolved)  # kept for correction
    template = (
        "learning/_batch_participants.html"
        if request.htmx and request.method == "GET"
        else "learning/batch_participants.html"
    )
    return render(request, template, _page_context(batch, nip_text=nip_text))


def _page_context(batch: Batch, **extra: object) -> dict[str, object]:
    days, rows, present = participant_rows(batch)
    return {
        "batch": batch,
        "days": days,
        "rows": rows,
        "present": present,
        "completed": sum(1 for r in rows if r.enrolment.completed_at),
        "held": is_held(batch),
        **extra,
    }


@require_GET
@admin_required
def participant_search(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """htmx: employees whose name or NIP contains the query, not yet in the batch."""
    batch = get_batch_for_user(request.user, pk)
    query = " ".join(request.GET.get("q", "").split())
    results: list[Employee] = []
    if len(query) >= 3:
        compact = query.replace(" ", "")
        condition = Q(name__icontains=query)
        if compact.isdigit():
            condition |= Q(nip__contains=compact)
        results = list(
            Employee.objects.filter(condition, instansi_id=scoping.tenant_id(request.user))
            .filter(is_active=True)
            .exclude(enrolments__batch=batch, enrolments__status__in=SHOWN)
            .select_related("unit")
            .order_by("name", "nip")[:SEARCH_LIMIT]
        )
    found = {"results": results, "query": query, "limit": SEARCH_LIMIT, "searched": True}
    if not request.htmx:  # without JavaScript: the whole page, with the results in it
        return render(request, "learning/batch_participants.html", _page_context(batch, **found))
    return render(request, "learning/_batch_search.html", {"batch": batch, **found})


@require_POST
@admin_required
def participant_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request.user, pk)
    employee = Employee.objects.filter(
        pk=id_param(request.POST.get("employee")) or 0, instansi_id=scoping.tenant_id(request.user)
    ).first()
    if employee is None:
        messages.error(request, _("Pegawai tidak ditemukan."))
    else:
        try:
            _enrol(request, batch, [employee])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("{name} ditambahkan sebagai peserta.").format(name=employee.name)
            )
    return redirect("participation:batch_participants", pk=batch.pk)
