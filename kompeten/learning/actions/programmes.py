"""Programmes, their modules, simulation scenarios, rubrics and costs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext

from kompeten.core import audit, formatting
from kompeten.core.models import Instansi, User
from kompeten.learning.actions.competencies import check_level
from kompeten.learning.models import (
    AkpCampaign,
    Competency,
    CostCategory,
    CostItem,
    LearningType,
    Module,
    ModuleKind,
    Programme,
    ProgrammeCompetency,
    ProgrammeStatus,
    Rubric,
    RubricCriterion,
    RubricLevel,
    SimulationScenario,
    Trainer,
)
from kompeten.people.models import JabatanKind, Unit

HUNDRED = Decimal("100")


def _decimal(value: object, field_name: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {
                field_name: gettext("{label} harus berupa angka, bukan {value}.").format(
                    label=label, value=repr(value)
                )
            }
        ) from None
    if not number.is_finite():
        raise ValidationError(
            {field_name: gettext("{label} harus berupa angka.").format(label=label)}
        )
    return number


def _jp(value: object, field_name: str = "jp") -> Decimal:
    jp = _decimal(value, field_name, gettext("JP"))
    if jp <= 0:
        raise ValidationError({field_name: gettext("JP harus lebih dari 0.")})
    if jp != jp.quantize(Decimal("0.01")):
        raise ValidationError({field_name: gettext("JP paling banyak dua angka di belakang koma.")})
    return jp


@dataclass(frozen=True)
class ModuleInput:
    title: str
    kind: str
    jp: object
    method: str = ""
    trainer: Trainer | None = None
    description: str = ""


@dataclass
class ProgrammeInput:
    code: str
    title: str
    learning_type: str
    total_jp: object
    description: str = ""
    objectives: str = ""
    year: int | None = None
    target_jabatan_kinds: list[str] = field(default_factory=list)
    target_units: list[Unit] = field(default_factory=list)
    target_min_gap: int | None = None
    target_jp_deficit: bool = False
    target_notes: str = ""
    campaign: AkpCampaign | None = None


def _check_programme_input(instansi: Instansi, data: ProgrammeInput) -> Decimal:
    errors: dict[str, str] = {}
    if not data.code.strip():
        errors["code"] = gettext("Kode program wajib diisi.")
    if not data.title.strip():
        errors["title"] = gettext("Judul program wajib diisi.")
    if data.learning_type not in LearningType.values:
        errors["learning_type"] = gettext(
            "Bentuk pembelajaran {learning_type} tidak dikenal."
        ).format(learning_type=repr(data.learning_type))
    bad_kinds = [k for k in data.target_jabatan_kinds if k not in JabatanKind.values]
    if bad_kinds:
        errors["target_jabatan_kinds"] = gettext("Jenis jabatan tidak dikenal: {kinds}.").format(
            kinds=", ".join(bad_kinds)
        )
    if any(u.instansi_id != instansi.pk for u in data.target_units):
        errors["target_units"] = gettext("OPD sasaran milik instansi lain.")
    if data.target_min_gap is not None and not 1 <= data.target_min_gap <= 4:
        errors["target_min_gap"] = gettext("Kesenjangan minimal harus antara 1 dan 4.")
    if data.campaign is not None and data.campaign.instansi_id != instansi.pk:
        errors["campaign"] = gettext("Kampanye milik instansi lain.")
    if errors:
        raise ValidationError(errors)
    return _jp(data.total_jp, "total_jp")


def _check_modules(total_jp: Decimal, modules: Sequence[ModuleInput], instansi: Instansi) -> None:
    errors: list[str] = []
    total = Decimal("0")
    for number, module in enumerate(modules, start=1):
        if not module.title.strip():
            errors.append(gettext("Modul {number}: judul wajib diisi.").format(number=number))
        if module.kind not in ModuleKind.values:
            errors.append(
                gettext("Modul {number}: jenis {kind} harus teori, praktik atau simulasi.").format(
                    number=number, kind=repr(module.kind)
                )
            )
        try:
            total += _jp(module.jp)
        except ValidationError:
            errors.append(
                gettext(
                    "Modul {number}: JP harus angka lebih dari 0 (paling banyak 2 desimal)."
                ).format(number=number)
            )
        if module.trainer is not None and module.trainer.instansi_id != instansi.pk:
            errors.append(
                gettext("Modul {number}: pengajar milik instansi lain.").format(number=number)
            )
    if errors:
        raise ValidationError(errors)
    if modules and total != total_jp:
        raise ValidationError(
            {
                "total_jp": gettext(
                    "Jumlah JP modul (%(modules)s) tidak sama dengan total JP program (%(total)s)."
                )
                % {
                    "modules": formatting.number(total, None),
                    "total": formatting.number(total_jp, None),
                }
            }
        )


@transaction.atomic
def do_create_programme(
    *,
    instansi: Instansi,
    data: ProgrammeInput,
    modules: Sequence[ModuleInput] = (),
    competencies: Iterable[tuple[Competency, int]] = (),
    actor: User | None = None,
) -> Programme:
    """Create a programme (status draft). When modules are given their JP must add up."""
    total_jp = _check_programme_input(instansi, data)
    code = data.code.strip()
    if Programme.objects.filter(instansi=instansi, code=code).exists():
        raise ValidationError(
            {"code": gettext("Kode program {code} sudah dipakai.").format(code=code)}
        )
    _check_modules(total_jp, modules, instansi)
    programme = Programme.objects.create(
        instansi=instansi,
        code=code,
        title=data.title.strip(),
        description=data.description,
        objectives=data.objectives,
        learning_type=data.learning_type,
        total_jp=total_jp,
        year=data.year,
        target_jabatan_kinds=list(data.target_jabatan_kinds),
        target_min_gap=data.target_min_gap,
        target_jp_deficit=data.target_jp_deficit,
        target_notes=data.target_notes,
        campaign=data.campaign,
        created_by=actor if actor is not None and actor.pk else None,
    )
    if data.target_units:
        programme.target_units.set(data.target_units)
    Module.objects.bulk_create(
        [
            Module(
                programme=programme,
                order=i,
                title=m.title.strip(),
                kind=m.kind,
                method=m.method,
                jp=_jp(m.jp),
                trainer=m.trainer,
                description=m.description,
            )
            for i, m in enumerate(modules, start=1)
        ]
    )
    _set_competencies(programme, competencies)
    audit.record(actor=actor, action="programme.create", obj=programme, summary=programme.title)
    return programme


def _set_competencies(programme: Programme, competencies: Iterable[tuple[Competency, int]]) -> None:
    rows = []
    seen: set[int] = set()
    for competency, level in competencies:
        if competency.instansi_id != programme.instansi_id:
            raise ValidationError({"competencies": gettext("Kompetensi milik instansi lain.")})
        if competency.pk in seen:
            raise ValidationError(
                {
                    "competencies": gettext("Kompetensi {code} tercantum dua kali.").format(
                        code=competency.code
                    )
                }
            )
        seen.add(competency.pk)
        rows.append(
            ProgrammeCompetency(
                programme=programme,
                competency=competency,
                target_level=check_level(level, "target_level"),
            )
        )
    ProgrammeCompetency.objects.bulk_create(rows)


@transaction.atomic
def do_update_programme(
    programme: Programme, *, data: ProgrammeInput, actor: User | None = None
) -> Programme:
    instansi = programme.instansi
    total_jp = _check_programme_input(instansi, data)
    if (
        data.code.strip() != programme.code
        and Programme.objects.filter(instansi=instansi, code=data.code.strip())
        .exclude(pk=programme.pk)
        .exists()
    ):
        raise ValidationError(
            {"code": gettext("Kode program {code} sudah dipakai.").format(code=data.code)}
        )
    module_total = programme.modules.aggregate(s=Sum("jp"))["s"]
    if programme.status == ProgrammeStatus.FINAL and module_total != total_jp:
        raise ValidationError(
            {
                "total_jp": gettext(
                    "Program final: total JP harus tetap sama dengan jumlah JP modul."
                )
            }
        )
    before = {"title": programme.title, "total_jp": str(programme.total_jp)}
    programme.code = data.code.strip()
    programme.title = data.title.strip()
    programme.description = data.description
    programme.objectives = data.objectives
    programme.learning_type = data.learning_type
    programme.total_jp = total_jp
    programme.year = data.year
    programme.target_jabatan_kinds = list(data.target_jabatan_kinds)
    programme.target_min_gap = data.target_min_gap
    programme.target_jp_deficit = data.target_jp_deficit
    programme.target_notes = data.target_notes
    programme.campaign = data.campaign
    programme.save()
    programme.target_units.set(data.target_units)
    audit.record(
        actor=actor,
        action="programme.update",
        obj=programme,
        before=before,
        after={"title": programme.title, "total_jp": str(total_jp)},
    )
    return programme


@transaction.atomic
def do_set_programme_competencies(
    programme: Programme,
    competencies: Iterable[tuple[Competency, int]],
    *,
    actor: User | None = None,
) -> None:
    programme.competencies.all().delete()
    _set_competencies(programme, competencies)
    audit.record(actor=actor, action="programme.competencies", obj=programme)


@transaction.atomic
def do_add_module(programme: Programme, *, data: ModuleInput, actor: User | None = None) -> Module:
    """Add a module; the modules' JP may not exceed the programme's total."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status in (ProgrammeStatus.FINAL, ProgrammeStatus.ARCHIVED):
        raise ValidationError(gettext("Modul program final atau arsip tidak dapat diubah."))
    jp = _jp(data.jp)
    _check_modules(jp, [data], programme.instansi)
    used = programme.modules.aggregate(s=Sum("jp"))["s"] or Decimal("0")
    if used + jp > programme.total_jp:
        raise ValidationError(
            {
                "jp": gettext(
                    "JP modul melebihi total JP program: {used} + {added} > {total}."
                ).format(
                    used=formatting.number(used, None),
                    added=formatting.number(jp, None),
                    total=formatting.number(programme.total_jp, None),
                )
            }
        )
    last = programme.modules.order_by("-order").values_list("order", flat=True).first() or 0
    module = Module.objects.create(
        programme=programme,
        order=last + 1,
        title=data.title.strip(),
        kind=data.kind,
        method=data.method,
        jp=jp,
        trainer=data.trainer,
        description=data.description,
    )
    audit.record(actor=actor, action="programme.module.add", obj=programme, summary=module.title)
    return module


@transaction.atomic
def do_delete_module(module: Module, *, actor: User | None = None) -> None:
    programme = module.programme
    if programme.status in (ProgrammeStatus.FINAL, ProgrammeStatus.ARCHIVED):
        raise ValidationError(gettext("Modul program final atau arsip tidak dapat diubah."))
    title = module.title
    module.delete()
    audit.record(actor=actor, action="programme.module.delete", obj=programme, summary=title)


@dataclass(frozen=True)
class RoleInput:
    role: str
    brief: str


@transaction.atomic
def do_set_scenario(
    module: Module,
    *,
    title: str,
    situation: str,
    roles: Sequence[RoleInput],
    actor: User | None = None,
) -> SimulationScenario:
    if module.kind != ModuleKind.SIMULASI:
        raise ValidationError(gettext("Skenario hanya untuk modul berjenis simulasi."))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = gettext("Judul skenario wajib diisi.")
    if not situation.strip():
        errors["situation"] = gettext("Situasi skenario wajib diisi.")
    if len([r for r in roles if r.role.strip()]) < 2:
        errors["roles"] = gettext("Skenario memerlukan sedikitnya dua peran.")
    if errors:
        raise ValidationError(errors)
    scenario, _created = SimulationScenario.objects.update_or_create(
        module=module,
        defaults={
            "title": title.strip(),
            "situation": situation.strip(),
            "roles": [
                {"role": r.role.strip(), "brief": r.brief.strip()} for r in roles if r.role.strip()
            ],
        },
    )
    audit.record(
        actor=actor, action="programme.scenario", obj=module.programme, summary=scenario.title
    )
    return scenario


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: object
    levels: Sequence[tuple[int, str, str]]  # (score, label, descriptor)


def _criterion_weight_and_errors(
    number: int, criterion: CriterionInput
) -> tuple[Decimal, list[str]]:
    """Criterion ``number``'s weight (0 when it is not a number) and its errors."""
    errors: list[str] = []
    if not criterion.name.strip():
        errors.append(gettext("Kriteria {number}: nama wajib diisi.").format(number=number))
    try:
        weight = _decimal(criterion.weight, "weight", gettext("Bobot"))
    except ValidationError:
        errors.append(gettext("Kriteria {number}: bobot harus berupa angka.").format(number=number))
        weight = Decimal("0")
    if weight <= 0:
        errors.append(
            gettext("Kriteria {number}: bobot harus lebih dari 0 %.").format(number=number)
        )
    scores = [score for score, _label, _descriptor in criterion.levels]
    if len(scores) < 2:
        errors.append(
            gettext("Kriteria {number}: sedikitnya dua level skor.").format(number=number)
        )
    if len(set(scores)) != len(scores):
        errors.append(
            gettext("Kriteria {number}: skor level tidak boleh berulang.").format(number=number)
        )
    if any(not d.strip() for _s, _l, d in criterion.levels):
        errors.append(
            gettext("Kriteria {number}: setiap level memerlukan deskriptor.").format(number=number)
        )
    return weight, errors


@transaction.atomic
def do_set_rubric(
    scenario: SimulationScenario,
    *,
    name: str,
    criteria: Sequence[CriterionInput],
    actor: User | None = None,
) -> Rubric:
    """Replace the scenario's rubric. Weights (%) must sum to exactly 100."""
    errors: list[str] = []
    if not name.strip():
        errors.append(gettext("Nama rubrik wajib diisi."))
    if not criteria:
        errors.append(gettext("Rubrik memerlukan sedikitnya satu kriteria."))
    total = Decimal("0")
    weights: list[Decimal] = []
    for number, criterion in enumerate(criteria, start=1):
        weight, criterion_errors = _criterion_weight_and_errors(number, criterion)
        errors.extend(criterion_errors)
        weights.append(weight)
        total += weight
    if not errors and total != HUNDRED:
        errors.append(
            gettext("Jumlah bobot kriteria harus 100 %, bukan {total} %.").format(
                total=formatting.number(total, None)
            )
        )
    if errors:
        raise ValidationError(errors)
    Rubric.objects.filter(scenario=scenario).delete()
    rubric = Rubric.objects.create(scenario=scenario, name=name.strip())
    for order, (criterion, weight) in enumerate(zip(criteria, weights, strict=True), start=1):
        row = RubricCriterion.objects.create(
            rubric=rubric, order=order, name=criterion.name.strip(), weight=weight
        )
        RubricLevel.objects.bulk_create(
            [
                RubricLevel(criterion=row, score=score, label=label, descriptor=descriptor.strip())
                for score, label, descriptor in criterion.levels
            ]
        )
    audit.record(
        actor=actor, action="programme.rubric", obj=scenario.module.programme, summary=rubric.name
    )
    return rubric


@transaction.atomic
def do_add_cost_item(
    programme: Programme,
    *,
    category: str,
    amount: object,
    note: str = "",
    actor: User | None = None,
) -> CostItem:
    if category not in CostCategory.values:
        raise ValidationError(
            {
                "category": gettext("Kategori biaya {category} tidak dikenal.").format(
                    category=repr(category)
                )
            }
        )
    value = _decimal(amount, "amount", gettext("Jumlah biaya"))
    if value < 0:
        raise ValidationError({"amount": gettext("Jumlah biaya tidak boleh negatif.")})
    item = CostItem.objects.create(programme=programme, category=category, amount=value, note=note)
    audit.record(
        actor=actor,
        action="programme.cost.add",
        obj=programme,
        summary=f"{item.get_category_display()}: Rp {value}",
    )
    return item


@transaction.atomic
def do_delete_cost_item(item: CostItem, *, actor: User | None = None) -> None:
    programme = item.programme
    summary = f"{item.get_category_display()}: Rp {item.amount}"
    item.delete()
    audit.record(actor=actor, action="programme.cost.delete", obj=programme, summary=summary)


def _jp_mismatch(programme: Programme, modules: list[Module]) -> str:
    """Why the modules' JP do not make the programme's total ("" when they do, or there are
    no modules yet)."""
    total = sum((m.jp for m in modules), Decimal("0"))
    if not modules or total == programme.total_jp:
        return ""
    return gettext(
        "Jumlah JP modul (%(modules)s) tidak sama dengan total JP program (%(total)s)."
    ) % {
        "modules": formatting.number(total, None),
        "total": formatting.number(programme.total_jp, None),
    }


def readiness_problems(programme: Programme) -> list[str]:
    """Why the programme cannot be made final yet (empty when it can)."""
    problems: list[str] = []
    modules = list(programme.modules.select_related("scenario__rubric"))
    if not modules:
        problems.append(gettext("Program belum memiliki modul."))
    if mismatch := _jp_mismatch(programme, modules):
        problems.append(mismatch)
    for module in modules:
        if module.kind != ModuleKind.SIMULASI:
            continue
        scenario = getattr(module, "scenario", None)
        if scenario is None:
            problems.append(
                gettext("Modul simulasi «%(title)s» belum memiliki skenario.")
                % {"title": module.title}
            )
        elif getattr(scenario, "rubric", None) is None:
            problems.append(
                gettext("Skenario «%(title)s» belum memiliki rubrik penilaian.")
                % {"title": scenario.title}
            )
    if not programme.objective_list:
        problems.append(gettext("Tujuan terukur belum diisi."))
    return problems


@transaction.atomic
def do_set_programme_status(
    programme: Programme, *, status: str, actor: User | None = None
) -> Programme:
    if status not in ProgrammeStatus.values:
        raise ValidationError(
            {"status": gettext("Status {status} tidak dikenal.").format(status=repr(status))}
        )
    if status == ProgrammeStatus.FINAL and (problems := readiness_problems(programme)):
        raise ValidationError(problems)
    if status == ProgrammeStatus.PUBLISHED and (
        mismatch := _jp_mismatch(programme, list(programme.modules.all()))
    ):
        raise ValidationError(mismatch)  # published once the JP add up; final asks for more
    before = programme.status
    programme.status = status
    programme.save(update_fields=["status", "updated"])
    audit.record(
        actor=actor,
        action="programme.status",
        obj=programme,
        before={"status": before},
        after={"status": status},
    )
    return programme
