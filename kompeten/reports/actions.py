"""Every write of the reports app: cycles, recommendations, narratives, files, dashboard."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.evaluation.models import Response
from kompeten.participation.actions.certificate_settings import do_set_certificate_logo
from kompeten.participation.models import Enrolment, JpEntry
from kompeten.people.models import Unit
from kompeten.people.scoping import tenant_id
from kompeten.reports import collect as c
from kompeten.reports.assemble import SECTIONS, assemble_cycle, parse_period, previous_code
from kompeten.reports.models import (
    RULE_NOTE,
    CycleStatus,
    DashboardSnapshot,
    GeneratedReport,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
    ReportCycle,
    ReportNarrative,
    ReportSettings,
)
from kompeten.reports.render import data_hash
from kompeten.service.models import Complaint, SkmResponse

DUE_DAYS = 90
MAX_LOGO_BYTES = 512 * 1024


def recommendation_rows(
    recs: list[Recommendation], cycle: ReportCycle | None = None
) -> list[dict[str, Any]]:
    """The rows of a report's recommendation table; a recommendation another cycle tracks
    (:func:`kompeten.reports.queries.cycle_recommendations`) says which in its status."""
    return [
        {
            "rule_id": r.rule_id,
            "text": r.shown_text,
            "owner": r.owner_label,
            "status": _status_label(r, cycle),
            "status_code": r.status,
            "due": r.due_date.isoformat() if r.due_date else None,
        }
        for r in recs
    ]


def _status_label(rec: Recommendation, cycle: ReportCycle | None) -> str:
    status = str(rec.get_status_display())
    if cycle is None or rec.cycle_id == cycle.pk or rec.cycle is None:
        return status
    return gettext("{status} (dipantau di siklus {code})").format(
        status=status, code=rec.cycle.code
    )


def cycle_inputs(instansi_id: int, start: date, end: date) -> dict[str, int]:
    """A fingerprint of the data a cycle report of ``start``–``end`` is computed from: counts
    and newest ids of enrolments, completions, answers, JP entries, SKM answers and complaints
    in the period (a handful of aggregate queries). A stored cycle whose fingerprint differs
    from today's was computed from older data: it is stale and is generated again."""
    period = (c.aware(start), c.aware(end, True))
    enrol = Enrolment.objects.filter(
        instansi_id=instansi_id, batch__start_date__lte=end, batch__end_date__gte=start
    ).aggregate(
        n=Count("id"), top=Max("id"), done=Count("id", filter=Q(completed_at__isnull=False))
    )
    responses = Response.objects.filter(
        programme__instansi_id=instansi_id, submitted_at__range=period
    ).aggregate(n=Count("id"), top=Max("id"))
    jp = JpEntry.objects.filter(instansi_id=instansi_id, year=end.year).aggregate(
        n=Count("id"), top=Max("id")
    )
    skm = SkmResponse.objects.filter(
        service_unit__instansi_id=instansi_id, submitted__range=period
    ).aggregate(n=Count("id"), top=Max("id"))
    complaints = Complaint.objects.filter(
        instansi_id=instansi_id, received_at__range=period
    ).aggregate(n=Count("id"), top=Max("id"), closed=Count("id", filter=Q(closed_at__isnull=False)))
    return {
        "enrolments": enrol["n"],
        "enrolments_top": enrol["top"] or 0,
        "completed": enrol["done"],
        "responses": responses["n"],
        "responses_top": responses["top"] or 0,
        "jp_entries": jp["n"],
        "jp_entries_top": jp["top"] or 0,
        "skm": skm["n"],
        "skm_top": skm["top"] or 0,
        "complaints": complaints["n"],
        "complaints_top": complaints["top"] or 0,
        "complaints_closed": complaints["closed"],
    }


def is_stale(cycle: ReportCycle) -> bool:
    """Whether ``cycle`` was generated from data that has changed since (or before the
    fingerprint was kept)."""
    stored = (cycle.data or {}).get("inputs")
    return stored != cycle_inputs(cycle.instansi_id, cycle.period_start, cycle.period_end)


LOCALISED_KEYS = ("title", "subtitle", "sections", "comparison", "recommendations", "language")


def assemble_cycle_languages(
    instansi_id: int,
    code: str,
    previous: dict[str, Any] | None,
    prev_recs: list[Recommendation],
) -> dict[str, Any]:
    """The cycle's report in the site's language, with its prose in every other interface
    language beside it (``data["by_language"][code]``: titles, sentences, table headers), all
    from the same data, so that the frozen report reads in each reader's language
    (:func:`kompeten.reports.render.localised`)."""

    def one() -> dict[str, Any]:
        return assemble_cycle(
            instansi_id,
            code,
            previous=previous,
            previous_recommendations=recommendation_rows(prev_recs) or None,
        )

    with translation.override(settings.LANGUAGE_CODE):
        data = one()
    data["by_language"] = {}
    for language, _name in settings.LANGUAGES:
        if language == settings.LANGUAGE_CODE:
            continue
        with translation.override(language):
            other = one()
        data["by_language"][language] = {key: other[key] for key in LOCALISED_KEYS}
    return data


def do_generate_cycle(
    *, instansi: Instansi, code: str, actor: User | None = None, refresh_previous: bool = True
) -> ReportCycle:
    """Assemble (or re-assemble) the city-wide report of a period, compare it with the previous
    cycle, carry the previous cycle's recommendations and store this cycle's new ones.

    A previous cycle computed from data that has changed since (e.g. generated before the
    imports: "0 % → 10,2 %, lebih baik") is generated again first, so the comparison is between
    two reports of today's data. A recommendation already open for the same rule and subject (from
    this or an overlapping cycle) is not created a second time."""
    kind, start, end = parse_period(code)
    code = code.strip().upper()
    prev = ReportCycle.objects.filter(instansi=instansi, code=previous_code(code)).first()
    if prev is not None and refresh_previous and is_stale(prev):
        prev = do_generate_cycle(
            instansi=instansi, code=prev.code, actor=actor, refresh_previous=False
        )
    prev_recs = (
        list(prev.recommendations.select_related("owner_user", "owner_unit").order_by("id"))
        if prev
        else []
    )
    data = assemble_cycle_languages(
        instansi.pk, code, (prev.data.get("metrics") if prev and prev.data else None), prev_recs
    )
    data["inputs"] = cycle_inputs(instansi.pk, start, end)
    with transaction.atomic():
        cycle, _ = ReportCycle.objects.update_or_create(
            instansi=instansi,
            code=code,
            defaults={
                "kind": kind,
                "period_start": start,
                "period_end": end,
                "status": CycleStatus.READY,
                "generated_at": timezone.now(),
                "data": data,
                "error": "",
            },
        )
        existing = {(r.rule_id, r.subject) for r in cycle.recommendations.all()}
        # still open elsewhere (an overlapping quarter, semester or year): tracked there
        existing |= set(
            Recommendation.objects.filter(
                instansi=instansi,
                status__in=(RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS),
            ).values_list("rule_id", "subject")
        )
        units = set(Unit.objects.filter(instansi=instansi).values_list("pk", flat=True))
        # 90 days to act from when the finding is known: the period's end, or today for a
        # period reported late (a past year's files imported now), never a date already past
        due = max(end, timezone.localdate()).toordinal() + DUE_DAYS
        for hit in data["recommendations"]:
            rule_id, subject = Recommendation.finding(hit)
            if (rule_id, subject) in existing:
                continue
            rec = Recommendation.objects.create(
                instansi=instansi,
                cycle=cycle,
                rule_id=rule_id,
                subject=subject,
                text=hit["text"],
                evidence=hit["evidence"],
                owner_unit_id=hit["owner_unit_id"] if hit["owner_unit_id"] in units else None,
                due_date=date.fromordinal(due),
            )
            RecommendationEvent.objects.create(
                recommendation=rec, status=rec.status, note=RULE_NOTE, actor=actor
            )
        audit.record(
            actor=actor,
            action="reports.cycle_generate",
            obj=cycle,
            instansi=instansi,
            summary=gettext("Laporan siklus {code} dibuat").format(code=code),
            after={"hash": data_hash(data), "recommendations": len(data["recommendations"])},
        )
    return cycle


@transaction.atomic
def do_update_recommendation(
    *,
    actor: User,
    recommendation: Recommendation,
    status: str,
    owner_user: User | None = None,
    owner_unit: Unit | None = None,
    due_date: date | None = None,
    note: str = "",
) -> Recommendation:
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": gettext("Status tidak dikenal.")})
    if owner_user is not None and owner_user.instansi_id != recommendation.instansi_id:
        raise ValidationError(
            {"owner_user": gettext("Penanggung jawab harus dari instansi yang sama.")}
        )
    if owner_unit is not None and owner_unit.instansi_id != recommendation.instansi_id:
        raise ValidationError({"owner_unit": gettext("Unit harus dari instansi yang sama.")})
    before = {
        "status": recommendation.status,
        "owner_user": recommendation.owner_user_id,
        "owner_unit": recommendation.owner_unit_id,
        "due_date": str(recommendation.due_date),
    }
    recommendation.status = status
    recommendation.owner_user = owner_user
    recommendation.owner_unit = owner_unit
    recommendation.due_date = due_date
    recommendation.save(update_fields=["status", "owner_user", "owner_unit", "due_date", "updated"])
    RecommendationEvent.objects.create(
        recommendation=recommendation, status=status, note=note[:500], actor=actor
    )
    audit.record(
        actor=actor,
        action="reports.recommendation_update",
        obj=recommendation,
        before=before,
        after={
            "status": status,
            "owner_user": recommendation.owner_user_id,
            "owner_unit": recommendation.owner_unit_id,
            "due_date": str(due_date),
            "note": note,
        },
    )
    return recommendation


@transaction.atomic
def do_add_narrative(*, actor: User, scope: str, section: str, text: str) -> ReportNarrative:
    if section not in dict(SECTIONS):
        raise ValidationError({"section": gettext("Bagian laporan tidak dikenal.")})
    if len(text) > 10_000:
        raise ValidationError({"text": gettext("Paragraf paling panjang 10.000 karakter.")})
    last = ReportNarrative.objects.filter(
        instansi_id=tenant_id(actor), scope=scope, section=section
    ).aggregate(v=Max("version"))["v"]
    narrative = ReportNarrative.objects.create(
        instansi_id=tenant_id(actor),
        scope=scope,
        section=section,
        version=(last or 0) + 1,
        text=text.strip(),
        author=actor,
    )
    audit.record(
        actor=actor,
        action="reports.narrative_add",
        obj=narrative,
        summary=gettext("Narasi {scope} {section} v{version}").format(
            scope=scope, section=section, version=narrative.version
        ),
        after={"text": narrative.text},
    )
    return narrative


@transaction.atomic
def do_upload_logo(*, actor: User, filename: str, content: bytes) -> ReportSettings:
    name = filename.lower()
    if not name.endswith((".svg", ".png", ".jpg", ".jpeg")):
        raise ValidationError({"logo": gettext("Logo harus berkas SVG, PNG atau JPG.")})
    if len(content) > MAX_LOGO_BYTES:
        raise ValidationError({"logo": gettext("Logo paling besar 512 KB.")})
    if name.endswith(".svg") and (b"<script" in content.lower() or b"<svg" not in content.lower()):
        raise ValidationError({"logo": gettext("Berkas SVG tidak sah atau berisi skrip.")})
    if name.endswith(".png") and not content.startswith(b"\x89PNG"):
        raise ValidationError({"logo": gettext("Isi berkas bukan PNG.")})
    row, _ = ReportSettings.objects.get_or_create(instansi_id=tenant_id(actor))
    row.logo.save(
        f"logo-{actor.instansi_id}{name[name.rfind('.') :]}", ContentFile(content), save=False
    )
    row.save(update_fields=["logo", "updated"])
    audit.record(
        actor=actor, action="reports.logo_upload", obj=row, summary=gettext("Logo laporan diunggah")
    )
    # the same logo on the certificates (their app cannot read the report settings)
    do_set_certificate_logo(actor=actor, filename=filename, content=content)
    return row


@transaction.atomic
def do_set_cycle_kinds(*, actor: User, kinds: list[str]) -> ReportSettings:
    from kompeten.reports.models import CycleKind

    bad = [k for k in kinds if k not in CycleKind.values]
    if bad or not kinds:
        raise ValidationError(
            {"cycle_kinds": gettext("Pilih sedikitnya satu siklus: triwulan, semester, tahunan.")}
        )
    row, _ = ReportSettings.objects.get_or_create(instansi_id=tenant_id(actor))
    row.cycle_kinds = kinds
    row.save(update_fields=["cycle_kinds", "updated"])
    audit.record(actor=actor, action="reports.cycle_kinds", obj=row, after={"kinds": kinds})
    return row


def do_store_generated(
    *,
    instansi: Instansi,
    scope: str,
    fmt: str,
    content: bytes,
    data: dict[str, Any],
    actor: User | None = None,
) -> GeneratedReport:
    digest = hashlib.sha256(content).hexdigest()
    row = GeneratedReport(
        instansi=instansi,
        scope=scope,
        format=fmt,
        sha256=digest,
        size=len(content),
        data_hash=data_hash(data),
        generated_by=actor,
    )
    row.file.save(
        f"{scope.replace(':', '-')}-{digest[:12]}.{fmt}", ContentFile(content), save=False
    )
    row.save()
    return row


@transaction.atomic
def do_store_dashboard(*, instansi: Instansi, year: int, data: dict[str, Any]) -> DashboardSnapshot:
    snap, _ = DashboardSnapshot.objects.update_or_create(
        instansi=instansi, year=year, defaults={"computed_at": timezone.now(), "data": data}
    )
    return snap
