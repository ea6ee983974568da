"""SKM writes: service units, services, questionnaires, tickets, responses and imports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.people.models import Unit
from kompeten.service.actions.rollups import (
    PROFILE_DIMENSIONS,
    RollupCounter,
    hold_bulk_write_lock,
    insert_form_response,
    pack_scores,
    request_fold,
)
from kompeten.service.models import (
    AgeGroup,
    Occupation,
    Questionnaire,
    Regulation,
    RespondentEducation,
    Service,
    ServiceTicket,
    ServiceUnit,
    Sex,
    SkmPublishedSummary,
    SkmResponse,
    Source,
)
from kompeten.service.tabular import (
    JAKARTA,
    is_blank,
    parse_int,
)
from kompeten.service.versions import build_custom, clear_cache, engine_version
from kompeten.standards.ikm import SkmVersion


def month_of(moment: datetime) -> date:
    local = moment.astimezone(JAKARTA)
    return date(local.year, local.month, 1)


# --- service units -----------------------------------------------------------------------


@transaction.atomic
def do_create_service_unit(
    *,
    unit: Unit,
    code: str,
    name: str,
    population: int | None = None,
    questionnaire: Questionnaire | None = None,
    requires_ticket: bool = False,
    actor: User | None = None,
) -> ServiceUnit:
    code = code.strip().lower()
    if not code:
        raise ValidationError({"code": gettext("Kode survei wajib diisi.")})
    if ServiceUnit.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": gettext("Kode survei {code} sudah dipakai.").format(code=code)}
        )
    if questionnaire is not None and questionnaire.instansi_id != unit.instansi_id:
        raise ValidationError({"questionnaire": gettext("Kuesioner milik instansi lain.")})
    if population is not None and population < 1:
        raise ValidationError({"population": gettext("Populasi harus lebih dari 0.")})
    su = ServiceUnit.objects.create(
        instansi_id=unit.instansi_id,
        unit=unit,
        code=code,
        name=name,
        population=population,
        questionnaire=questionnaire,
        requires_ticket=requires_ticket,
    )
    audit.record(actor=actor, action="service_unit.create", obj=su, summary=name)
    return su


@transaction.atomic
def do_update_service_unit(
    service_unit: ServiceUnit,
    *,
    population: int | None,
    requires_ticket: bool,
    name: str | None = None,
    is_active: bool | None = None,
    unit: Unit | None = None,
    actor: User | None = None,
) -> ServiceUnit:
    """Change a unit's details; ``name``, ``is_active`` and ``unit`` (the OPD unit it belongs
    to) are left as they are when None."""
    if population is not None and population < 1:
        raise ValidationError({"population": gettext("Populasi harus lebih dari 0.")})
    if name is not None and not name.strip():
        raise ValidationError({"name": gettext("Nama unit layanan wajib diisi.")})
    if unit is not None and unit.instansi_id != service_unit.instansi_id:
        raise ValidationError({"unit": gettext("Unit kerja milik instansi lain.")})
    fields = ["population", "requires_ticket", "name", "is_active", "unit_id"]
    before = {f: getattr(service_unit, f) for f in fields}
    service_unit.population = population
    service_unit.requires_ticket = requires_ticket
    if name is not None:
        service_unit.name = name.strip()
    if is_active is not None:
        service_unit.is_active = is_active
    if unit is not None:
        service_unit.unit = unit
    after = {f: getattr(service_unit, f) for f in fields}
    service_unit.save(update_fields=["population", "requires_ticket", "name", "is_active", "unit"])
    audit.record(
        actor=actor,
        action="service_unit.update",
        obj=service_unit,
        before=before,
        after=after,
    )
    return service_unit


@transaction.atomic
def do_create_service(
    *, service_unit: ServiceUnit, code: str, name: str, actor: User | None = None
) -> Service:
    code = code.strip().lower()
    if not code or not name.strip():
        raise ValidationError({"code": gettext("Kode dan nama jenis layanan wajib diisi.")})
    if Service.objects.filter(service_unit=service_unit, code=code).exists():
        raise ValidationError(
            {
                "code": gettext("Kode jenis layanan {code} sudah dipakai di unit ini.").format(
                    code=code
                )
            }
        )
    service = Service.objects.create(service_unit=service_unit, code=code, name=name.strip())
    audit.record(
        actor=actor,
        action="service.create",
        obj=service,
        summary=name,
        instansi=service_unit.instansi,
    )
    return service


@transaction.atomic
def do_create_questionnaire(
    *,
    instansi: Instansi,
    code: str,
    name: str,
    base: str = Regulation.SKM_2017,
    extra_unsur: list[dict[str, Any]] | None = None,
    weights: Mapping[str, str] | None = None,
    actor: User | None = None,
) -> Questionnaire:
    """A questionnaire version; extra unsur need a slug, a name and four answer labels, and the
    weights (when given) must cover every unsur and sum to 1."""
    extra = list(extra_unsur or [])
    for item in extra:
        labels = item.get("labels") or ()
        if not item.get("slug") or not item.get("name") or len(labels) != 4:
            raise ValidationError(
                {
                    "extra_unsur": gettext(
                        "Setiap unsur tambahan perlu kode, nama dan empat label jawaban."
                    )
                }
            )
    q = Questionnaire(
        instansi=instansi,
        code=code,
        name=name,
        base=base,
        extra_unsur=extra,
        weights={k: str(v) for k, v in (weights or {}).items()},
    )
    try:
        build_custom("check", base, extra, q.weights)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError({"weights": str(exc)}) from None
    q.save()
    clear_cache()
    audit.record(actor=actor, action="questionnaire.create", obj=q, summary=name)
    return q


@transaction.atomic
def do_issue_tickets(
    service_unit: ServiceUnit, numbers: Iterable[str], actor: User | None = None
) -> int:
    """Register service-receipt numbers that may each answer once."""
    clean = sorted({n.strip().upper() for n in numbers if n.strip()})
    existing = set(
        ServiceTicket.objects.filter(service_unit=service_unit, number__in=clean).values_list(
            "number", flat=True
        )
    )
    new = [ServiceTicket(service_unit=service_unit, number=n) for n in clean if n not in existing]
    ServiceTicket.objects.bulk_create(new)
    audit.record(
        actor=actor, action="service_ticket.issue", obj=service_unit, summary=f"{len(new)} tiket"
    )
    return len(new)


# --- validation of one response ----------------------------------------------------------


def validate_scores(
    version: SkmVersion, raw: Mapping[str, Any], *, complete: bool
) -> dict[str, int]:
    """Scores keyed by unsur name (any spelling) → {slug: 1..4}; errors name the unsur."""
    errors: dict[str, str] = {}
    scores: dict[str, int] = {}
    for key, value in raw.items():
        unsur = version.match(key)
        if unsur is None:
            errors[str(key)] = gettext(
                "Unsur {key} tidak dikenal dalam kuesioner {version}."
            ).format(key=repr(key), version=version.id)
            continue
        if is_blank(value):
            continue
        try:
            score = parse_int(value)
        except ValueError:
            errors[unsur.slug] = gettext("{unsur}: nilai {value} bukan angka 1–4.").format(
                unsur=unsur.name, value=repr(value)
            )
            continue
        if not version.scale_min <= score <= version.scale_max:
            errors[unsur.slug] = gettext("{unsur}: nilai {score} di luar 1–4.").format(
                unsur=unsur.name, score=score
            )
            continue
        scores[unsur.slug] = score
    if complete:
        for u in version.unsur:
            if u.slug not in scores and u.slug not in errors:
                errors[u.slug] = gettext("{unsur}: belum dijawab.").format(unsur=u.name)
    elif not scores and not errors:
        errors["scores"] = gettext("Tidak ada unsur yang dijawab.")
    if errors:
        raise ValidationError(errors)
    return scores


def _check_choice(field_name: str, value: str, choices: Any, label: str) -> str:
    if value and value not in choices.values:
        raise ValidationError(
            {
                field_name: gettext("{label} {value} tidak dikenal.").format(
                    label=label, value=repr(value)
                )
            }
        )
    return value


def _consume_ticket(service_unit: ServiceUnit, number: str, now: datetime) -> ServiceTicket | None:
    number = number.strip().upper()
    if not number:
        if service_unit.requires_ticket:
            raise ValidationError(
                {"ticket": gettext("Nomor tiket layanan wajib diisi di unit ini.")}
            )
        return None
    if service_unit.requires_ticket:
        used = ServiceTicket.objects.filter(
            service_unit=service_unit, number=number, used_at__isnull=True
        ).update(used_at=now)
        if used != 1:
            if ServiceTicket.objects.filter(service_unit=service_unit, number=number).exists():
                raise ValidationError(
                    {"ticket": gettext("Nomor tiket ini sudah dipakai untuk mengisi survei.")}
                )
            raise ValidationError(
                {"ticket": gettext("Nomor tiket tidak terdaftar di unit layanan ini.")}
            )
        return ServiceTicket.objects.get(service_unit=service_unit, number=number)
    try:
        with transaction.atomic():
            return ServiceTicket.objects.create(
                service_unit=service_unit, number=number, used_at=now
            )
    except IntegrityError:
        raise ValidationError(
            {"ticket": gettext("Nomor tiket ini sudah dipakai untuk mengisi survei.")}
        ) from None


def do_submit_skm_response(
    *,
    service_unit: ServiceUnit,
    scores: Mapping[str, Any],
    service: Service | None = None,
    sex: str = "",
    age_group: str = "",
    education: str = "",
    occupation: str = "",
    suggestion: str = "",
    ticket: str = "",
    source: str = Source.FORM,
    submitted: datetime | None = None,
    spool_id: UUID | None = None,
) -> SkmResponse:
    """Accept one anonymous SKM response: the minimal durable write (the response row, and the
    ticket consumed, in one short transaction). The rollups count it within seconds
    (:func:`~kompeten.service.actions.rollups.do_fold_skm_responses`, asked for on commit).

    Nothing identifying is stored: no IP address, no user agent, no session. ``spool_id`` is
    the id of a submission replayed from the outage spool (unique: a second replay fails).
    """
    now = timezone.now()
    submitted = submitted or now
    if submitted > now:
        raise ValidationError(
            {"submitted": gettext("Tanggal pengisian tidak boleh di masa depan.")}
        )
    if not service_unit.is_active:
        raise ValidationError(
            {"service_unit": gettext("Unit layanan ini tidak sedang menerima survei.")}
        )
    if service is not None and service.service_unit_id != service_unit.pk:
        raise ValidationError({"service": gettext("Jenis layanan bukan milik unit layanan ini.")})
    version_id = service_unit.version_id
    clean = validate_scores(engine_version(version_id), scores, complete=True)
    _check_choice("sex", sex, Sex, gettext("Jenis kelamin"))
    _check_choice("age_group", age_group, AgeGroup, gettext("Usia"))
    _check_choice("education", education, RespondentEducation, gettext("Pendidikan"))
    _check_choice("occupation", occupation, Occupation, gettext("Pekerjaan"))
    version = engine_version(version_id)
    response = SkmResponse(
        service_unit=service_unit,
        service=service,
        version=version_id,
        submitted=submitted,
        month=month_of(submitted),
        scores=clean,
        packed=pack_scores(version, clean),
        sex=sex,
        age_group=age_group,
        education=education,
        occupation=occupation,
        suggestion=suggestion.strip()[:2000],
        source=source,
        spool_id=spool_id,
    )
    if ticket.strip() or service_unit.requires_ticket:
        with transaction.atomic():
            response.ticket = _consume_ticket(service_unit, ticket, now)
            insert_form_response(response)
    else:
        insert_form_response(response)  # one statement: atomic on its own
    transaction.on_commit(request_fold)
    return response


# --- bulk: demo and imports --------------------------------------------------------------


@dataclass
class SkmRecord:
    """One validated response for :func:`do_bulk_add_skm_responses`."""

    submitted: datetime
    scores: dict[str, int]
    service_id: int | None = None
    profile: dict[str, str] = field(default_factory=dict)
    suggestion: str = ""
    # a jenis layanan the unit does not have yet: created by do_import_skm_records
    service_name: str = ""


@transaction.atomic
def do_bulk_add_skm_responses(
    service_unit: ServiceUnit,
    records: list[SkmRecord],
    *,
    source: str = Source.IMPORT,
    version_id: str | None = None,
    actor: User | None = None,
) -> int:
    """Insert many responses and their rollup increments in one transaction (these rows are
    ``rolled_on_insert``: the fold skips them).

    Records are validated again here (scores 1–4 on known unsur, dates not in the future,
    services of this unit), so every caller gets the same guarantees as the public form.
    """
    version_id = version_id or service_unit.version_id
    version = engine_version(version_id)
    slugs = {u.slug for u in version.unsur}
    services = set(Service.objects.filter(service_unit=service_unit).values_list("id", flat=True))
    now = timezone.now()
    counter = RollupCounter()
    objs: list[SkmResponse] = []
    hold_bulk_write_lock()
    for i, r in enumerate(records, start=1):
        if r.submitted > now:
            raise ValidationError(
                gettext("Jawaban ke-{number}: tanggal di masa depan.").format(number=i)
            )
        if not r.scores or any(k not in slugs or not 1 <= v <= 4 for k, v in r.scores.items()):
            raise ValidationError(
                gettext("Jawaban ke-{number}: nilai unsur tidak sah.").format(number=i)
            )
        if r.service_id is not None and r.service_id not in services:
            raise ValidationError(
                gettext("Jawaban ke-{number}: jenis layanan bukan milik unit ini.").format(number=i)
            )
        month = month_of(r.submitted)
        prof = {d: r.profile.get(d, "") for d in PROFILE_DIMENSIONS}
        objs.append(
            SkmResponse(
                service_unit_id=service_unit.pk,
                service_id=r.service_id,
                version=version_id,
                submitted=r.submitted,
                month=month,
                scores=r.scores,
                packed=pack_scores(version, r.scores),
                rolled_on_insert=True,
                suggestion=r.suggestion,
                source=source,
                **prof,
            )
        )
        counter.add(service_unit.pk, r.service_id, month, version_id, r.scores, prof)
    SkmResponse.objects.bulk_create(objs, batch_size=2000)
    counter.flush()
    if actor is not None:
        audit.record(
            actor=actor,
            action="skm.import",
            obj=service_unit,
            summary=f"{len(objs)} jawaban SKM ({source})",
        )
    return len(objs)


def _unique_code(base: str, taken: set[str], limit: int = 40) -> str:
    stem = (slugify(base) or "layanan")[:limit].strip("-") or "layanan"
    code, n = stem, 1
    while code in taken:
        n += 1
        suffix = f"-{n}"
        code = stem[: limit - len(suffix)] + suffix
    taken.add(code)
    return code


@transaction.atomic
def do_ensure_service_unit(unit: Unit, *, actor: User | None = None) -> tuple[ServiceUnit, bool]:
    """The service unit of an OPD ``unit`` (its first active one), created when it has none:
    named after the unit, its survey code from the unit's short name or code. Returns the
    service unit and whether it was created."""
    existing = (
        ServiceUnit.objects.filter(unit=unit)
        .order_by("-is_active", "pk")
        .select_related("questionnaire")
    ).first()
    if existing is not None:
        return existing, False
    stem = slugify(unit.short_name or unit.code or unit.name)[:30] or "layanan"
    taken = set(ServiceUnit.objects.filter(code__startswith=stem).values_list("code", flat=True))
    code = _unique_code(stem, taken)
    su = do_create_service_unit(unit=unit, code=code, name=unit.name, actor=actor)
    return su, True


@transaction.atomic
def do_import_skm_records(
    service_unit: ServiceUnit,
    records: list[SkmRecord],
    *,
    actor: User | None = None,
) -> dict[str, int]:
    """Write imported answers: the jenis layanan a record names that the unit does not have yet
    (``SkmRecord.service_name`` without ``service_id``) is created first, then every answer and
    its rollup counts go in through :func:`do_bulk_add_skm_responses` (one transaction).
    Returns ``{"responses": n, "services_created": k}``."""
    if not records:
        raise ValidationError(gettext("Berkas tidak berisi jawaban."))
    wanted: dict[str, str] = {}
    for r in records:
        if r.service_id is None and r.service_name.strip():
            wanted.setdefault(" ".join(r.service_name.casefold().split()), r.service_name.strip())
    created: dict[str, int] = {}
    new = 0
    if wanted:
        existing = {
            " ".join(name.casefold().split()): pk
            for pk, name in Service.objects.filter(service_unit=service_unit).values_list(
                "pk", "name"
            )
        }
        taken = set(
            Service.objects.filter(service_unit=service_unit).values_list("code", flat=True)
        )
        for key, name in wanted.items():
            if key in existing:
                created[key] = existing[key]
                continue
            service = do_create_service(
                service_unit=service_unit,
                code=_unique_code(name, taken),
                name=name[:200],
                actor=actor,
            )
            created[key] = service.pk
            new += 1
        for r in records:
            if r.service_id is None and r.service_name.strip():
                r.service_id = created[" ".join(r.service_name.casefold().split())]
    n = do_bulk_add_skm_responses(service_unit, records, source=Source.IMPORT, actor=actor)
    return {"responses": n, "services_created": new}


@dataclass(frozen=True)
class SummaryItem:
    """One published result: a unit's NRR and n for one unsur over one period."""

    service_unit_id: int
    period_start: date
    period_end: date
    version_id: str
    unsur: str
    nrr: Decimal
    n: int
    note: str = ""


@transaction.atomic
def do_save_skm_summaries(
    instansi: Instansi, items: list[SummaryItem], *, actor: User | None = None
) -> int:
    """Store published results (years before Kompeten): each (unit, period, unsur) once, a
    later import of the same period replacing the figures. Units must belong to ``instansi``
    and NRR lie in 1–4."""
    units = set(
        ServiceUnit.objects.filter(
            instansi=instansi, pk__in={i.service_unit_id for i in items}
        ).values_list("pk", flat=True)
    )
    for i in items:
        if i.service_unit_id not in units:
            raise ValidationError(gettext("Unit layanan milik instansi lain."))
        if not Decimal(1) <= i.nrr <= Decimal(4) or i.n < 1 or i.period_end < i.period_start:
            raise ValidationError(
                gettext("Ringkasan {unsur}: NRR, n atau periode tidak sah.").format(unsur=i.unsur)
            )
    for i in items:
        SkmPublishedSummary.objects.update_or_create(
            service_unit_id=i.service_unit_id,
            period_start=i.period_start,
            period_end=i.period_end,
            unsur=i.unsur,
            defaults={"version": i.version_id, "nrr": i.nrr, "n": i.n, "note": i.note[:200]},
        )
    audit.record(
        actor=actor,
        action="skm.import_summary",
        summary=f"{len(items)} baris ringkasan",
        instansi=instansi,
    )
    return len(items)


def do_import_skm_summary(
    instansi: Instansi, data: bytes, filename: str, *, actor: User | None = None
) -> int:
    """Import a file of published results through the import engine's ``skm_summary``
    declaration, all rows or none (``ValidationError`` listing every problem)."""
    from kompeten.core import importing as imp

    try:
        the_plan = imp.plan(
            "skm_summary", data, filename, instansi=instansi, user=actor, options={}
        )
    except imp.ReadError as exc:
        raise ValidationError(exc.message) from None
    if not the_plan.is_clean:
        lines = [imp.describe_problem(p) for p in the_plan.problems]
        raise ValidationError(lines or [gettext("Berkas tidak berisi ringkasan.")])
    outcome = imp.commit(the_plan)
    return outcome.imported
