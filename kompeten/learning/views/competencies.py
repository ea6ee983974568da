"""The competency dictionary and the required levels per jabatan (edit, import, export)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kompeten.core.exports import xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.learning.actions import competencies as actions
from kompeten.learning.forms import (
    CompetencyForm,
    CompetencyLevelForm,
    RequiredLevelForm,
)
from kompeten.learning.models import Competency, CompetencyGroup, RequiredLevel
from kompeten.learning.views._util import admin_save_form, create_page, tenant_id


def _competencies(request: AuthenticatedHttpRequest) -> Any:
    return Competency.objects.filter(instansi_id=tenant_id(request.user))


@login_required
def competency_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    group = request.GET.get("kelompok", "")
    q = request.GET.get("q", "").strip()
    qs = _competencies(request).annotate(n_levels=Count("levels"))
    if group in CompetencyGroup.values:
        qs = qs.filter(group=group)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return render(
        request,
        "learning/competency_list.html",
        {
            "competencies": qs.order_by("group", "code"),
            "groups": CompetencyGroup.choices,
            "group": group,
            "q": q,
        },
    )


@admin_required
def competency_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return create_page(
        request,
        CompetencyForm(request.POST or None),
        actions.do_create_competency,
        _("Kompetensi ditambahkan."),
        template="learning/simple_form.html",
        context={"title": _("Kompetensi baru")},
    )


def _get_competency(request: AuthenticatedHttpRequest, pk: int) -> Competency:
    try:
        return _competencies(request).get(pk=pk)
    except Competency.DoesNotExist:
        raise Http404("Kompetensi tidak ditemukan") from None


@login_required
def competency_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    competency = _get_competency(request, pk)
    form = CompetencyLevelForm(request.POST or None)
    done = admin_save_form(
        request,
        form,
        lambda: actions.do_set_competency_level(
            competency, actor=request.user, **form.cleaned_data
        ),
        _("Level kompetensi tersimpan."),
        lambda _level: redirect(competency),
    )
    if done is not None:
        return done
    required = RequiredLevel.objects.filter(competency=competency).order_by(
        "jabatan_kind", "jabatan_name"
    )
    return render(
        request,
        "learning/competency_detail.html",
        {
            "competency": competency,
            "levels": competency.levels.all(),
            "required": required,
            "form": form,
        },
    )


@login_required
def required_levels(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Posts × competencies: the level each post requires. Admin sets one or imports XLSX."""
    competencies = _competencies(request).filter(is_active=True)
    form = RequiredLevelForm(request.POST or None, competencies=competencies)
    done = admin_save_form(
        request,
        form,
        lambda: actions.do_set_required_level(
            instansi=request.user.instansi,  # type: ignore[arg-type]
            jabatan_kind=form.cleaned_data["jabatan_kind"],
            jabatan_name=form.cleaned_data["jabatan_name"],
            competency=form.cleaned_data["competency"],
            level=form.cleaned_data["level"],
            actor=request.user,
        ),
        _("Level dipersyaratkan tersimpan."),
        lambda _required: redirect("learning:required_levels"),
    )
    if done is not None:
        return done
    rows = (
        RequiredLevel.objects.filter(instansi_id=tenant_id(request.user))
        .select_related("competency")
        .order_by("jabatan_kind", "jabatan_name", "competency__group", "competency__code")
    )
    return render(
        request,
        "learning/required_levels.html",
        {"rows": rows, "form": form},
    )


@admin_required
def required_levels_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The old upload page: required levels now go through the import engine's pages."""
    return HttpResponseRedirect(reverse("imports:upload", kwargs={"key": "required_levels"}))


@login_required
def required_levels_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The required levels in the import format (so the export can be edited and re-imported)."""
    rows = RequiredLevel.objects.filter(instansi_id=tenant_id(request.user)).order_by(
        "jabatan_kind", "jabatan_name", "competency__code"
    )

    def lines() -> Iterator[list[Any]]:
        for kind, name, code, level in rows.values_list(
            "jabatan_kind", "jabatan_name", "competency__code", "level"
        ):
            yield [kind, name, code, level]

    return xlsx_response(
        "level-dipersyaratkan.xlsx",
        [("Level dipersyaratkan", actions.REQUIRED_LEVEL_HEADER, lines())],
    )
