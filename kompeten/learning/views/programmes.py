"""The programme catalogue and the programme page as a design dossier."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kompeten.core.exports import Label, xlsx_response
from kompeten.core.formviews import form_page
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.paging import paged
from kompeten.core.params import id_params
from kompeten.core.permissions import admin_required, writer_required
from kompeten.learning import queries
from kompeten.learning.actions import codesign
from kompeten.learning.actions import programmes as actions
from kompeten.learning.forms import (
    CostForm,
    FeedbackForm,
    FeedbackRoundForm,
    ModuleForm,
    ProgrammeCompetencyForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    RubricForm,
    ScenarioForm,
    filter_programmes,
)
from kompeten.learning.models import (
    CostItem,
    FeedbackRound,
    Module,
    ModuleKind,
    Programme,
    ProgrammeCompetency,
    ProgrammeStatus,
    Proposal,
    ProposalStatus,
    RubricCriterion,
)
from kompeten.learning.views._util import (
    act_and_return,
    active_competencies,
    active_trainers,
    flash_errors,
    post_form_and_return,
    programme_part_or_404,
)
from kompeten.people import scoping
from kompeten.standards.jp import jp_to_minutes

PAGE_SIZE = 30


def _filtered(
    request: AuthenticatedHttpRequest,
) -> tuple[ProgrammeFilterForm, QuerySet[Programme]]:
    form = ProgrammeFilterForm(request.GET or None, competencies=active_competencies(request.user))
    qs = queries.programmes_for(request.user)
    if form.is_valid():
        qs = filter_programmes(qs, form.cleaned_data)
    qs = qs.distinct().annotate(
        n_modules=Count("modules", distinct=True),
        n_batches=Count("batches", distinct=True),
        n_adopted=Count("adopted_proposals", distinct=True),
    )
    return form, qs.order_by("code")


@login_required
def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """/program/: the programme catalogue with filters."""
    form, qs = _filtered(request)
    qs = qs.prefetch_related(
        Prefetch(
            "competencies",
            queryset=ProgrammeCompetency.objects.select_related("competency"),
        )
    )
    return render(
        request, "learning/catalogue.html", {"form": form, **paged(request, qs, PAGE_SIZE)}
    )


PROGRAMME_HEADER: list[Label] = [
    gettext_lazy("Kode"),
    gettext_lazy("Judul"),
    gettext_lazy("Bentuk"),
    gettext_lazy("Status"),
    gettext_lazy("Tahun"),
    gettext_lazy("Total JP"),
    gettext_lazy("JP teori"),
    gettext_lazy("JP praktik"),
    gettext_lazy("JP simulasi"),
    gettext_lazy("Kompetensi sasaran"),
    gettext_lazy("Usulan diadopsi"),
    gettext_lazy("Angkatan"),
    gettext_lazy("Biaya (Rp)"),
]


@login_required
def catalogue_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _form, qs = _filtered(request)
    programmes = list(qs)
    ids = [p.pk for p in programmes]
    jp: dict[tuple[int, str], Decimal] = {
        (r["programme_id"], r["kind"]): r["s"]
        for r in Module.objects.filter(programme_id__in=ids)
        .values("programme_id", "kind")
        .annotate(s=Sum("jp"))
    }
    costs = dict(
        CostItem.objects.filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(s=Sum("amount"))
        .values_list("programme_id", "s")
    )
    targets: dict[int, list[str]] = {}
    for pid, code, level in ProgrammeCompetency.objects.filter(programme_id__in=ids).values_list(
        "programme_id", "competency__code", "target_level"
    ):
        targets.setdefault(pid, []).append(f"{code} (L{level})")

    def rows() -> Iterator[list[Any]]:
        for p in programmes:
            yield [
                p.code,
                p.title,
                p.get_learning_type_display(),
                p.get_status_display(),
                p.year,
                p.total_jp,
                jp.get((p.pk, ModuleKind.TEORI), Decimal("0")),
                jp.get((p.pk, ModuleKind.PRAKTIK), Decimal("0")),
                jp.get((p.pk, ModuleKind.SIMULASI), Decimal("0")),
                ", ".join(targets.get(p.pk, [])),
                p.n_adopted,  # type: ignore[attr-defined]
                p.n_batches,  # type: ignore[attr-defined]
                costs.get(p.pk, Decimal("0")),
            ]

    return xlsx_response(
        f"program-{timezone.localdate().isoformat()}.xlsx", [("Program", PROGRAMME_HEADER, rows())]
    )


def _programme_form(
    request: AuthenticatedHttpRequest, initial: dict[str, Any] | None = None
) -> ProgrammeForm:
    return ProgrammeForm(
        request.POST or None,
        initial=initial,
        units=scoping.units_for(request.user).filter(depth__lte=1),
        campaigns=queries.campaigns_for(request.user),
    )


def _programme_input(data: dict[str, Any]) -> actions.ProgrammeInput:
    return actions.ProgrammeInput(
        code=data["code"],
        title=data["title"],
        learning_type=data["learning_type"],
        total_jp=data["total_jp"],
        description=data["description"],
        objectives=data["objectives"],
        year=data["year"],
        target_jabatan_kinds=list(data["target_jabatan_kinds"]),
        target_units=list(data["target_units"]),
        target_min_gap=data["target_min_gap"],
        target_jp_deficit=data["target_jp_deficit"],
        target_notes=data["target_notes"],
        campaign=data["campaign"],
    )


@admin_required
def programme_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _programme_form(request)
    return form_page(
        request,
        form,
        lambda: actions.do_create_programme(
            instansi=request.user.instansi,  # type: ignore[arg-type]
            data=_programme_input(form.cleaned_data),
            actor=request.user,
        ),
        _("Program dibuat sebagai draf. Tambahkan modulnya."),
        template="learning/programme_form.html",
        context={"programme": None},
    )


@admin_required
def programme_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = queries.get_programme_for_user(request.user, pk)
    initial = {
        "code": programme.code,
        "title": programme.title,
        "learning_type": programme.learning_type,
        "total_jp": programme.total_jp,
        "year": programme.year,
        "description": programme.description,
        "objectives": programme.objectives,
        "target_jabatan_kinds": programme.target_jabatan_kinds,
        "target_units": list(programme.target_units.all()),
        "target_min_gap": programme.target_min_gap,
        "target_jp_deficit": programme.target_jp_deficit,
        "target_notes": programme.target_notes,
        "campaign": programme.campaign,
    }
    form = _programme_form(request, initial)
    return form_page(
        request,
        form,
        lambda: actions.do_update_programme(
            programme, data=_programme_input(form.cleaned_data), actor=request.user
        ),
        _("Program diperbarui."),
        template="learning/programme_form.html",
        context={"programme": programme},
    )


@login_required
def programme_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The design dossier: objectives, competencies, modules, scenarios and rubrics, co-design
    record, costs and batches."""
    programme = queries.get_programme_for_user(request.user, pk)
    modules = list(
        programme.modules.select_related("trainer__employee", "scenario", "scenario__rubric")
        .prefetch_related(
            Prefetch(
                "scenario__rubric__criteria",
                queryset=RubricCriterion.objects.prefetch_related("levels"),
            )
        )
        .order_by("order")
    )
    jp_by_kind: dict[str, Decimal] = {}
    for module in modules:
        jp_by_kind[module.kind] = jp_by_kind.get(module.kind, Decimal("0")) + module.jp
        module.minutes = jp_to_minutes(module.jp)  # type: ignore[attr-defined]
    module_total = sum((m.jp for m in modules), Decimal("0"))
    cost_items, cost_total = queries.programme_costs(programme)
    record = queries.codesign_record(programme)
    now = timezone.now()
    rounds = list(programme.feedback_rounds.order_by("number"))
    open_round = next((r for r in rounds if r.opens_at <= now < r.closes_at), None)
    is_admin = request.user.is_admin
    measures = {o.text: o for o in programme.objective_measures.all()}
    context: dict[str, Any] = {
        "programme": programme,
        # each objective line with the measure it is judged by (None: indikator belum dipilih)
        "objectives": [(line, measures.get(line)) for line in programme.objective_list],
        "targets": programme.competencies.select_related("competency"),
        "target_units": programme.target_units.all(),
        "modules": modules,
        "jp_by_kind": [
            (label, jp_by_kind.get(kind, Decimal("0"))) for kind, label in ModuleKind.choices
        ],
        "module_total": module_total,
        "jp_matches": module_total == programme.total_jp,
        "cost_items": cost_items,
        "cost_total": cost_total,
        "record": record,
        "open_round": open_round,
        "batches": programme.batches.annotate(n_sessions=Count("sessions")).order_by("start_date"),
        "is_admin": is_admin,
        "feedback_form": FeedbackForm() if open_round and request.user.employee_id else None,
    }
    if is_admin:
        context.update(
            module_form=ModuleForm(trainers=active_trainers(request.user)),
            cost_form=CostForm(),
            competency_form=ProgrammeCompetencyForm(competencies=active_competencies(request.user)),
            round_form=FeedbackRoundForm(),
            problems=actions.readiness_problems(programme),
            statuses=ProgrammeStatus.choices,
            candidates=Proposal.objects.filter(
                campaign__instansi_id=programme.instansi_id,
                status__in=[ProposalStatus.NEW, ProposalStatus.REVIEWED],
            ).order_by("-vote_count")[:50],
        )
    return render(request, "learning/programme_detail.html", context)


def _admin_programme(request: AuthenticatedHttpRequest, pk: int) -> Programme:
    return queries.get_programme_for_user(request.user, pk)


@require_POST
@admin_required
def module_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _admin_programme(request, pk)
    form = ModuleForm(request.POST, trainers=active_trainers(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(programme)
    return act_and_return(
        request,
        lambda: actions.do_add_module(
            programme, data=actions.ModuleInput(**form.cleaned_data), actor=request.user
        ),
        _("Modul ditambahkan."),
        programme,
    )


def _get_module(request: AuthenticatedHttpRequest, pk: int) -> Module:
    try:
        return Module.objects.select_related("programme").get(
            pk=pk, programme__in=queries.programmes_for(request.user)
        )
    except Module.DoesNotExist:
        raise Http404("Modul tidak ditemukan") from None


@require_POST
@admin_required
def module_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    module = _get_module(request, pk)
    return act_and_return(
        request,
        lambda: actions.do_delete_module(module, actor=request.user),
        None,
        module.programme,
    )


def _simulation_form_page(
    request: AuthenticatedHttpRequest,
    form: forms.BaseForm,
    save: Callable[..., object],
    *,
    module: Module,
    success: str,
    title: str,
) -> HttpResponse:
    """The page of one part of a module's simulation (its scenario, its rubric): `save` takes
    the actor and the form's fields; back to the programme once saved."""
    return form_page(
        request,
        form,
        lambda: save(actor=request.user, **form.cleaned_data),
        success,
        lambda _saved: redirect(module.programme),
        template="learning/simple_form.html",
        context={"title": title},
    )


@admin_required
def scenario_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    module = _get_module(request, pk)
    scenario = getattr(module, "scenario", None)
    initial = None
    if scenario is not None:
        initial = {
            "title": scenario.title,
            "situation": scenario.situation,
            "roles": "\n".join(f"{r['role']} | {r.get('brief', '')}" for r in scenario.roles),
        }
    return _simulation_form_page(
        request,
        ScenarioForm(request.POST or None, initial=initial),
        partial(actions.do_set_scenario, module),
        module=module,
        success=_("Skenario tersimpan."),
        title=_("Skenario simulasi: %(m)s") % {"m": module.title},
    )


@admin_required
def rubric_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    module = _get_module(request, pk)
    scenario = getattr(module, "scenario", None)
    if scenario is None:
        messages.error(request, _("Isi skenario dulu sebelum rubrik."))
        return redirect(module.programme)
    initial = None
    rubric = getattr(scenario, "rubric", None)
    if rubric is not None:
        lines = []
        for criterion in rubric.criteria.prefetch_related("levels"):
            lines.append(f"# {criterion.name} | {criterion.weight.normalize():f}")
            lines.extend(
                f"{lv.score} | {lv.label} | {lv.descriptor}" for lv in criterion.levels.all()
            )
        initial = {"name": rubric.name, "criteria": "\n".join(lines)}
    return _simulation_form_page(
        request,
        RubricForm(request.POST or None, initial=initial),
        partial(actions.do_set_rubric, scenario),
        module=module,
        success=_("Rubrik tersimpan."),
        title=_("Rubrik penilaian: %(s)s") % {"s": scenario.title},
    )


@require_POST
@admin_required
def cost_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _admin_programme(request, pk)
    form = CostForm(request.POST)
    return post_form_and_return(
        request,
        form,
        lambda: actions.do_add_cost_item(programme, actor=request.user, **form.cleaned_data),
        programme,
        success=_("Biaya ditambahkan."),
        invalid=_("Periksa kategori dan jumlah biaya."),
    )


@require_POST
@admin_required
def cost_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = programme_part_or_404(request, CostItem.objects, pk, "programme")
    actions.do_delete_cost_item(item, actor=request.user)
    return redirect(item.programme)


@require_POST
@admin_required
def competency_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _admin_programme(request, pk)
    form = ProgrammeCompetencyForm(request.POST, competencies=active_competencies(request.user))
    if form.is_valid():
        current = [
            (t.competency, t.target_level)
            for t in programme.competencies.select_related("competency")
            if t.competency_id != form.cleaned_data["competency"].pk
        ]
        current.append((form.cleaned_data["competency"], form.cleaned_data["target_level"]))
        try:
            actions.do_set_programme_competencies(programme, current, actor=request.user)
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        messages.error(request, _("Pilih kompetensi dan level sasaran 1–5."))
    return redirect(programme)


@require_POST
@admin_required
def programme_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _admin_programme(request, pk)
    return act_and_return(
        request,
        lambda: actions.do_set_programme_status(
            programme, status=request.POST.get("status", ""), actor=request.user
        ),
        _("Status program diperbarui."),
        programme,
    )


@require_POST
@admin_required
def adopt_proposals(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _admin_programme(request, pk)
    ids = id_params(request.POST.getlist("proposal"))
    proposals = list(
        queries.proposals_for(request.user).filter(pk__in=ids).select_related("campaign")
    )
    if not proposals:
        messages.error(request, _("Pilih sedikitnya satu usulan."))
    else:
        codesign.do_adopt_proposals(programme=programme, proposals=proposals, actor=request.user)
        messages.success(request, _("Usulan dicatat sebagai dasar program."))
    return redirect(programme)


@require_POST
@admin_required
def feedback_round_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _admin_programme(request, pk)
    form = FeedbackRoundForm(request.POST)
    return post_form_and_return(
        request,
        form,
        lambda: codesign.do_open_feedback_round(
            programme=programme, actor=request.user, **form.cleaned_data
        ),
        programme,
        success=_("Draf diumumkan untuk masukan."),
        invalid=_("Isi ringkasan draf dan waktu buka/tutup."),
    )


@require_POST
@writer_required
def feedback_give(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feedback_round = get_object_or_404(
        FeedbackRound.objects.select_related("programme"),
        pk=pk,
        programme__in=queries.programmes_for(request.user),
    )
    form = FeedbackForm(request.POST)
    return post_form_and_return(
        request,
        form,
        lambda: codesign.do_give_feedback(
            feedback_round=feedback_round, actor=request.user, **form.cleaned_data
        ),
        feedback_round.programme,
        success=_("Terima kasih, masukan Anda tercatat."),
        invalid=_("Masukan tidak boleh kosong."),
    )
