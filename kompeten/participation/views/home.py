"""The Pelaksanaan landing page and the in-app notification list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.years import opened_on_note, year_with_data
from kompeten.participation import queries
from kompeten.participation.actions.notify import do_mark_read
from kompeten.participation.forms import YearForm
from kompeten.participation.models import EnrolmentSource, EnrolmentStatus, Notification
from kompeten.people.models import Employee


@login_required
def landing(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    year = timezone.localdate().year
    context: dict[str, object] = {"year": year}
    if user.employee_id is not None:
        mine = queries.enrolments_for(user).filter(employee_id=user.employee_id)
        context["pending"] = mine.filter(status=EnrolmentStatus.INVITED).count()
        context["my_jp"] = queries.jp_rows(Employee.objects.filter(pk=user.employee_id), year)[0]
    # the year's participation in scope: the year chosen, else this year, or the latest with
    # batches when this one has none yet
    enrolments = queries.enrolments_for(user)
    chosen = YearForm(request.GET if request.GET.get("year") else None)
    if chosen.is_valid():
        counts_year = chosen.cleaned_data["year"]
        form = chosen
    else:
        counts_year = year_with_data(year, (enrolments, "batch__start_date"))
        form = YearForm(initial={"year": counts_year})
        form.opened_on = opened_on_note(year, counts_year)
    context["counts_year"], context["year_form"] = counts_year, form
    scope = enrolments.filter(batch__start_date__year=counts_year)
    context["counts"] = {
        # everyone registered: invited, or recorded from a held training's attendance list
        "registered": scope.count(),
        "accepted": scope.filter(status=EnrolmentStatus.ACCEPTED)
        .exclude(source=EnrolmentSource.HELD)
        .count(),
        "completed": scope.filter(completed_at__isnull=False).count(),
        "declined": scope.filter(status=EnrolmentStatus.DECLINED).count(),
    }
    context["teaches"] = (
        queries.sessions_for(user).exists() if user.employee_id or user.is_admin else False
    )
    context["unread"] = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return render(request, "participation/landing.html", context)


@login_required
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "participation/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    do_mark_read(user=request.user)
    return redirect("participation:notifications")
