"""Complaint writes: manual entry, lifecycle steps, quality flags, SP4N-LAPOR! import.

Lifecycle: diterima → diverifikasi → didisposisi → ditindaklanjuti → selesai, or diarsipkan from
any open step; a finished complaint can be reopened (back to ditindaklanjuti).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from kompeten.core import audit
from kompeten.core.importing.values import match_names, normalise_text, normalise_unit_name
from kompeten.core.models import Instansi, User
from kompeten.people.models import Employee, Unit
from kompeten.service.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintStatus,
    Source,
    snapshot,
)

S = ComplaintStatus

NEXT_STATUS: dict[str, tuple[str, ...]] = {
    S.DITERIMA: (S.DIVERIFIKASI, S.DIARSIPKAN),
    S.DIVERIFIKASI: (S.DIDISPOSISI, S.DIARSIPKAN),
    S.DIDISPOSISI: (S.DITINDAKLANJUTI, S.DIARSIPKAN),
    S.DITINDAKLANJUTI: (S.SELESAI, S.DIARSIPKAN),
    S.SELESAI: (),
    S.DIARSIPKAN: (),
}
STAGE_FIELD: dict[str, str] = {
    S.DIVERIFIKASI: "verified_at",
    S.DIDISPOSISI: "forwarded_at",
    S.DITINDAKLANJUTI: "first_response_at",
    S.SELESAI: "closed_at",
    S.DIARSIPKAN: "closed_at",
}
MOMENT_FIELDS = ("verified_at", "forwarded_at", "first_response_at", "closed_at")
MOMENT_LABELS = {
    "received_at": gettext_lazy("diterima"),
    "verified_at": gettext_lazy("diverifikasi"),
    "forwarded_at": gettext_lazy("didisposisi"),
    "first_response_at": gettext_lazy("tanggapan pertama"),
    "closed_at": gettext_lazy("selesai"),
}
AUDIT_FIELDS = ("status", "officer_id", "closed_at", "reopened_count", "escalated", "substantive")


@dataclass
class ComplaintInput:
    """A complaint as entered or imported; validated by :func:`validate_complaint`."""

    tracking_number: str
    unit_id: int
    category: str
    received_at: datetime
    status: str = S.DITERIMA
    subject: str = ""
    topic: str = ""
    officer_nip: str = ""
    verified_at: datetime | None = None
    forwarded_at: datetime | None = None
    first_response_at: datetime | None = None
    closed_at: datetime | None = None
    citizen_rating: int | None = None
    reopened_count: int = 0
    escalated: bool = False
    substantive: bool | None = None
    errors: list[str] = field(default_factory=list)


def _moment_errors(data: ComplaintInput, now: datetime) -> dict[str, str]:
    """The lifecycle moments that lie in the future or before the complaint was received."""
    errors: dict[str, str] = {}
    for name in MOMENT_FIELDS:
        moment = getattr(data, name)
        if moment is None:
            continue
        if moment > now:
            errors[name] = gettext("Tanggal {moment} tidak boleh di masa depan.").format(
                moment=str(MOMENT_LABELS[name])
            )
        elif moment < data.received_at:
            errors[name] = gettext("Tanggal {moment} sebelum tanggal diterima.").format(
                moment=str(MOMENT_LABELS[name])
            )
    return errors


def _closing_errors(data: ComplaintInput, errors: dict[str, str]) -> None:
    """A finish date and a finished status go together; adds to ``errors`` (a status error
    already there stays)."""
    closed = data.status in (S.SELESAI, S.DIARSIPKAN)
    # LAPOR! archives a complaint without a finish date; a finished one needs its date
    if data.status == S.SELESAI and data.closed_at is None:
        errors["closed_at"] = gettext("Pengaduan berstatus selesai perlu tanggal selesai.")
    if not closed and data.closed_at is not None and "status" not in errors:
        errors["status"] = gettext(
            "Pengaduan dengan tanggal selesai harus berstatus selesai atau diarsipkan."
        )


def validate_complaint(
    data: ComplaintInput, *, officers: dict[str, int], unit_ids: set[int], now: datetime
) -> dict[str, str]:
    """Field → Indonesian message for everything wrong with ``data`` (empty when valid)."""
    errors: dict[str, str] = {}
    if not Complaint.canonical_number(data.tracking_number):
        errors["tracking_number"] = gettext("Nomor pelacakan wajib diisi.")
    if data.unit_id not in unit_ids:
        errors["unit"] = gettext("Unit kerja tidak dikenal atau di luar wewenang Anda.")
    if data.category not in ComplaintCategory.values:
        errors["category"] = gettext("Kategori SLA {category} tidak dikenal.").format(
            category=repr(data.category)
        )
    if data.status not in ComplaintStatus.values:
        errors["status"] = gettext("Status {status} tidak dikenal.").format(
            status=repr(data.status)
        )
    if data.received_at > now:
        errors["received_at"] = gettext("Tanggal diterima tidak boleh di masa depan.")
    errors.update(_moment_errors(data, now))
    _closing_errors(data, errors)
    if data.officer_nip and data.officer_nip not in officers:
        errors["officer"] = gettext("NIP petugas {nip} tidak dikenal.").format(nip=data.officer_nip)
    if data.citizen_rating is not None and not 1 <= data.citizen_rating <= 5:
        errors["citizen_rating"] = gettext("Penilaian pelapor harus 1–5.")
    return errors


def _officer_map(instansi: Instansi, nips: set[str]) -> dict[str, int]:
    nips = {n for n in nips if n}
    if not nips:
        return {}
    return dict(Employee.objects.filter(instansi=instansi, nip__in=nips).values_list("nip", "id"))


def _build(
    instansi: Instansi, data: ComplaintInput, officers: dict[str, int], source: str
) -> Complaint:
    return Complaint(
        instansi=instansi,
        unit_id=data.unit_id,
        tracking_number=Complaint.canonical_number(data.tracking_number),
        subject=data.subject[:300],
        topic=data.topic[:120],
        category=data.category,
        status=data.status,
        officer_id=officers.get(data.officer_nip) if data.officer_nip else None,
        received_at=data.received_at,
        verified_at=data.verified_at,
        forwarded_at=data.forwarded_at,
        first_response_at=data.first_response_at,
        closed_at=data.closed_at,
        citizen_rating=data.citizen_rating,
        reopened_count=data.reopened_count,
        escalated=data.escalated,
        substantive=data.substantive,
        source=source,
    )


@transaction.atomic
def do_create_complaint(
    *, instansi: Instansi, data: ComplaintInput, allowed_units: set[int], actor: User | None
) -> Complaint:
    """Record one complaint (manual entry)."""
    officers = _officer_map(instansi, {data.officer_nip})
    errors = validate_complaint(data, officers=officers, unit_ids=allowed_units, now=timezone.now())
    if Complaint.objects.filter(
        instansi=instansi, tracking_number=Complaint.canonical_number(data.tracking_number)
    ).exists():
        errors["tracking_number"] = gettext("Nomor pelacakan {number} sudah ada.").format(
            number=data.tracking_number
        )
    if errors:
        raise ValidationError(errors)
    complaint = _build(instansi, data, officers, Source.FORM)
    complaint.created_by = actor if actor is not None and actor.pk else None
    complaint.save()
    ComplaintEvent.objects.create(
        complaint=complaint,
        status=complaint.status,
        at=complaint.received_at,
        actor=complaint.created_by,
    )
    audit.record(
        actor=actor, action="complaint.create", obj=complaint, summary=complaint.tracking_number
    )
    return complaint


@transaction.atomic
def do_bulk_add_complaints(
    instansi: Instansi, items: list[ComplaintInput], *, source: str, actor: User | None = None
) -> int:
    """Validate every item, then insert all or none (imports, demo)."""
    officers = _officer_map(instansi, {i.officer_nip for i in items})
    unit_ids = set(Unit.objects.filter(instansi=instansi).values_list("id", flat=True))
    now = timezone.now()
    existing = set(
        Complaint.objects.filter(
            instansi=instansi,
            tracking_number__in=[Complaint.canonical_number(i.tracking_number) for i in items],
        ).values_list("tracking_number", flat=True)
    )
    problems: list[str] = []
    seen: set[str] = set()
    for i, item in enumerate(items, start=1):
        where = f"Baris {item.errors[0]}" if item.errors else f"Pengaduan ke-{i}"
        for fld, msg in validate_complaint(
            item, officers=officers, unit_ids=unit_ids, now=now
        ).items():
            problems.append(f"{where}, {fld}: {msg}")
        number = Complaint.canonical_number(item.tracking_number)
        if number in existing or number in seen:
            problems.append(f"{where}: nomor pelacakan {number} sudah ada.")
        seen.add(number)
    if problems:
        raise ValidationError(problems[:200])
    objs = [_build(instansi, item, officers, source) for item in items]
    Complaint.objects.bulk_create(objs, batch_size=1000)
    audit.record(
        actor=actor, action="complaint.import", summary=f"{len(objs)} pengaduan", instansi=instansi
    )
    return len(objs)


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _log_step(
    c: Complaint,
    before: dict[str, Any],
    *,
    action: str,
    at: datetime,
    actor: User | None,
    note: str,
    kind: str = "status",
) -> None:
    """The complaint's timeline event for a step it has just taken (its new status, at ``at``)
    and the audit row with its fields before and after."""
    ComplaintEvent.objects.create(
        complaint=c, status=c.status, at=at, actor=actor, note=note[:500], kind=kind
    )
    audit.record(actor=actor, action=action, obj=c, before=before, after=snapshot(c, AUDIT_FIELDS))


@transaction.atomic
def do_advance_complaint(
    complaint: Complaint,
    *,
    to_status: str,
    at: datetime | None = None,
    actor: User | None = None,
    note: str = "",
    officer: Employee | None = None,
    substantive: bool | None = None,
) -> Complaint:
    """Move a complaint one step along its lifecycle, stamping the stage's moment."""
    c = _locked(complaint)
    before = snapshot(c, AUDIT_FIELDS)
    now = timezone.now()
    at = at or now
    if to_status not in NEXT_STATUS.get(c.status, ()):
        raise ValidationError(
            {
                "status": gettext("Status {status} tidak dapat diubah menjadi {target}.").format(
                    status=c.get_status_display(), target=to_status
                )
            }
        )
    if at > now:
        raise ValidationError({"at": gettext("Tanggal tidak boleh di masa depan.")})
    if at < c.received_at:
        raise ValidationError({"at": gettext("Tanggal sebelum tanggal pengaduan diterima.")})
    if officer is not None:
        if officer.instansi_id != c.instansi_id:
            raise ValidationError({"officer": gettext("Petugas dari instansi lain.")})
        c.officer = officer
    stamp = STAGE_FIELD[to_status]
    if getattr(c, stamp) is None or stamp == "closed_at":
        setattr(c, stamp, at)
    if to_status in (S.SELESAI, S.DIARSIPKAN):
        if c.first_response_at is None and to_status == S.SELESAI:
            c.first_response_at = at
        c.substantive = substantive if substantive is not None else (to_status == S.SELESAI)
    c.status = to_status
    c.save(
        update_fields=[
            "status",
            "officer",
            "verified_at",
            "forwarded_at",
            "first_response_at",
            "closed_at",
            "substantive",
        ]
    )
    _log_step(c, before, action="complaint.status", at=at, actor=actor, note=note)
    return c


@transaction.atomic
def do_reopen_complaint(
    complaint: Complaint, *, actor: User | None = None, note: str = "", at: datetime | None = None
) -> Complaint:
    """Reopen a finished complaint (the citizen was not satisfied): back to ditindaklanjuti."""
    c = _locked(complaint)
    if c.status != S.SELESAI:
        raise ValidationError(
            {"status": gettext("Hanya pengaduan yang selesai dapat dibuka kembali.")}
        )
    before = snapshot(c, AUDIT_FIELDS)
    at = at or timezone.now()
    c.status = S.DITINDAKLANJUTI
    c.closed_at = None
    c.substantive = None
    c.reopened_count += 1
    c.save(update_fields=["status", "closed_at", "substantive", "reopened_count"])
    _log_step(c, before, action="complaint.reopen", at=at, actor=actor, note=note, kind="reopen")
    return c


@transaction.atomic
def do_escalate_complaint(
    complaint: Complaint, *, actor: User | None = None, note: str = ""
) -> Complaint:
    c = _locked(complaint)
    before = snapshot(c, AUDIT_FIELDS)
    c.escalated = True
    c.save(update_fields=["escalated"])
    _log_step(
        c,
        before,
        action="complaint.escalate",
        at=timezone.now(),
        actor=actor,
        note=note,
        kind="escalate",
    )
    return c


@transaction.atomic
def do_rate_complaint(complaint: Complaint, *, rating: int, actor: User | None = None) -> Complaint:
    """Record the citizen's rating (1–5) of the answer."""
    if not 1 <= rating <= 5:
        raise ValidationError({"citizen_rating": gettext("Penilaian pelapor harus 1–5.")})
    c = _locked(complaint)
    c.citizen_rating = rating
    c.save(update_fields=["citizen_rating"])
    audit.record(actor=actor, action="complaint.rate", obj=c, after={"citizen_rating": rating})
    return c


# --- SP4N-LAPOR! import (declared in kompeten.service.imports_complaints) -----------------


class UnitIndex:
    """Units of an instansi by every way people write them: code, name, short name, with the
    instansi's own name and "Kota X" suffixes dropped and abbreviations expanded."""

    def __init__(self, instansi: Instansi, units: list[tuple[int, str, str, str]]) -> None:
        self.instansi_name = instansi.name
        self.keys: dict[str, int | None] = {}
        for uid, code, name, short in units:
            for text in (code, name, short):
                if not text:
                    continue
                for key in {normalise_text(text), normalise_unit_name(text, instansi.name)}:
                    if key:
                        # two units answering to the same key: ambiguous, match neither
                        self.keys[key] = uid if self.keys.get(key, uid) == uid else None
        self.names = {
            uid: normalise_unit_name(name, instansi.name) for uid, _code, name, _s in units
        }

    def find(self, text: str) -> int | None:
        for key in (normalise_text(text), normalise_unit_name(text, self.instansi_name)):
            if key in self.keys:
                return self.keys[key]
        match = match_names(self.names, normalise_unit_name(text, self.instansi_name))
        return int(match.key) if match is not None else None


def unit_index(instansi: Instansi) -> UnitIndex:
    return UnitIndex(
        instansi,
        list(
            Unit.objects.filter(instansi=instansi, is_active=True).values_list(
                "id", "code", "name", "short_name"
            )
        ),
    )


def category_from_text(text: str) -> tuple[str, str]:
    """(SLA tier, topic). A LAPOR! category that names a tier maps to it; any other category is
    kept as the topic and handled under 'pengaduan tanpa pemeriksaan lapangan' (14 hari kerja)."""
    norm = normalise_text(text)
    if norm.replace(" ", "_") in ComplaintCategory.values:
        return norm.replace(" ", "_"), ""
    if "informasi" in norm or "sederhana" in norm:
        return ComplaintCategory.INFORMASI, ""
    if "tanpa pemeriksaan" in norm:
        return ComplaintCategory.TANPA, ""
    if "pemeriksaan lapangan" in norm:
        return ComplaintCategory.DENGAN, ""
    return ComplaintCategory.TANPA, text.strip()[:120]


def complaint_from_row(values: dict[str, Any], unit_id: int) -> ComplaintInput:
    """A :class:`ComplaintInput` from an import row's parsed values (see the declaration).

    The SLA tier comes from an explicit SLA column, else from LAPOR!'s Klasifikasi
    ("Permintaan Informasi" → informasi) and Kategori (a tier name, or kept as the topic).
    Without a status, it follows the moments present.
    """
    topic = values.get("topic") or ""
    if values.get("category"):
        category, extra = category_from_text(values["category"])
        topic = topic or extra
    elif "informasi" in normalise_text(values.get("classification") or ""):
        category = ComplaintCategory.INFORMASI
    else:
        category, extra = category_from_text(topic)
        topic = extra
    status = values.get("status")
    if not status:
        status = (
            S.SELESAI
            if values.get("closed_at")
            else (S.DITINDAKLANJUTI if values.get("first_response_at") else S.DITERIMA)
        )
    substantive = values.get("substantive")
    if substantive is None and status == S.SELESAI:
        substantive = True
    if substantive is None and status == S.DIARSIPKAN:
        substantive = False
    return ComplaintInput(
        tracking_number=values["tracking_number"],
        unit_id=unit_id,
        category=category,
        received_at=values["received_at"],
        status=status,
        subject=values.get("subject") or "",
        topic=topic[:120],
        officer_nip=values.get("officer_nip") or "",
        verified_at=values.get("verified_at"),
        forwarded_at=values.get("forwarded_at"),
        first_response_at=values.get("first_response_at"),
        closed_at=values.get("closed_at"),
        citizen_rating=values.get("citizen_rating"),
        reopened_count=values.get("reopened_count") or 0,
        escalated=bool(values.get("escalated")),
        substantive=substantive,
    )


UPSERT_FIELDS = (
    "unit_id",
    "subject",
    "topic",
    "category",
    "status",
    "officer_id",
    "received_at",
    "verified_at",
    "forwarded_at",
    "first_response_at",
    "closed_at",
    "citizen_rating",
    "reopened_count",
    "escalated",
    "substantive",
)


@transaction.atomic
def do_bulk_upsert_complaints(
    instansi: Instansi, items: list[ComplaintInput], *, actor: User | None = None
) -> tuple[int, int]:
    """Insert new complaints and update those already imported (same tracking number): a
    later LAPOR! export carries the same complaints with their new status. Complaints entered
    by hand are never overwritten by an import (refused). Returns (added, updated)."""
    officers = _officer_map(instansi, {i.officer_nip for i in items})
    unit_ids = {i.unit_id for i in items}
    unit_ids = set(
        Unit.objects.filter(instansi=instansi, id__in=unit_ids).values_list("id", flat=True)
    )
    now = timezone.now()
    existing = {
        c.tracking_number: c
        for c in Complaint.objects.filter(
            instansi=instansi,
            tracking_number__in=[Complaint.canonical_number(i.tracking_number) for i in items],
        )
    }
    problems: list[str] = []
    for n, item in enumerate(items, start=1):
        for fld, msg in validate_complaint(
            item, officers=officers, unit_ids=unit_ids, now=now
        ).items():
            problems.append(f"{item.tracking_number or n}, {fld}: {msg}")
        found = existing.get(Complaint.canonical_number(item.tracking_number))
        if found is not None and found.source != Source.IMPORT:
            problems.append(
                gettext("{number}: pengaduan ini dicatat manual, tidak ditimpa impor.").format(
                    number=item.tracking_number
                )
            )
    if problems:
        raise ValidationError(problems)
    new = [
        _build(instansi, i, officers, Source.IMPORT)
        for i in items
        if Complaint.canonical_number(i.tracking_number) not in existing
    ]
    for obj in new:
        obj.created_by = actor if actor is not None and actor.pk else None
    Complaint.objects.bulk_create(new, batch_size=1000)
    changed = []
    for item in items:
        found = existing.get(Complaint.canonical_number(item.tracking_number))
        if found is None:
            continue
        fresh = _build(instansi, item, officers, Source.IMPORT)
        if any(getattr(found, f) != getattr(fresh, f) for f in UPSERT_FIELDS):
            for f in UPSERT_FIELDS:
                setattr(found, f, getattr(fresh, f))
            changed.append(found)
    Complaint.objects.bulk_update(changed, list(UPSERT_FIELDS), batch_size=1000)
    audit.record(
        actor=actor,
        action="complaint.import",
        summary=f"{len(new)} pengaduan baru, {len(changed)} diperbarui",
        instansi=instansi,
    )
    return len(new), len(changed)


def do_import_complaints(
    instansi: Instansi,
    data: bytes,
    filename: str,
    *,
    actor: User | None = None,
    partial: bool = False,
) -> int:
    """Import an SP4N-LAPOR! export (or a complaint list) through the import engine.

    All rows or none (``ValidationError`` with every problem, by row and column), or with
    ``partial`` the clean rows, the rest kept pending. Returns the number of rows imported.
    """
    from kompeten.core import importing as imp

    try:
        plan = imp.plan("complaints", data, filename, instansi=instansi, user=actor, options={})
    except imp.ReadError as exc:
        raise ValidationError(exc.message) from None
    try:
        outcome = imp.commit(plan, partial=partial)
    except imp.PlanNotClean:
        lines = [imp.describe_problem(p) for p in plan.problems]
        lines += [
            gettext("Baris {row}: {message}").format(row=r.number, message=r.pending_message)
            for r in plan.pending_rows
            if not r.problems
        ]
        raise ValidationError(lines) from None
    return outcome.imported
