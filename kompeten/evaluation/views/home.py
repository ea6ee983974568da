"""The /evaluasi/ landing: programmes to read (admin, pimpinan, pengelola), the user's own
instruments to answer (participant or atasan) and their own test scores."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.evaluation import queries


@login_required
def landing(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    programmes = list(queries.programmes_for(user).order_by("code")[:200])
    return render(
        request,
        "evaluation/landing.html",
        {
            "programmes": programmes,
            "follow_ups": list(queries.my_follow_ups(user)[:100]),
            "scores": list(queries.my_scores(user)),
            "is_reader": bool(programmes) or user.is_admin,
        },
    )
