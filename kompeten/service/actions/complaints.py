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
from kompeten.service.tabular import (
    TableError,
    is_blank,
    parse_int,
    parse_moment,
    plain_header,
    read_table,
)
from kompeten.standards.ikm import normalise_header

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


def validate_complaint(
    data: ComplaintInput, *, officers: dict[str, int], unit_ids: set[int], now: datetime
) -> dict[str, str]:
    """Field → Indonesian message for everything wrong with ``data`` (empty when valid)."""
    errors: dict[str, str] = {}
    if not data.tracking_number.strip():
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
    closed = data.status in (S.SELESAI, S.DIARSIPKAN)
    if closed and data.closed_at is None:
        errors["closed_at"] = gettext(
            "Pengaduan berstatus selesai/diarsipkan perlu tanggal selesai."
        )
    if not closed and data.closed_at is not None and "status" not in errors:
        errors["status"] = gettext(
            "Pengaduan dengan tanggal selesai harus berstatus selesai atau diarsipkan."
        )
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
        tracking_number=data.tracking_number.strip(),
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
        instansi=instansi, tracking_number=data.tracking_number.strip()
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
            instansi=instansi, tracking_number__in=[i.tracking_number.strip() for i in items]
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
        number = item.tracking_number.strip()
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
    ComplaintEvent.objects.create(
        complaint=c, status=to_status, at=at, actor=actor, note=note[:500]
    )
    audit.record(
        actor=actor,
        action="complaint.status",
        obj=c,
        before=before,
        after=snapshot(c, AUDIT_FIELDS),
    )
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
    ComplaintEvent.objects.create(
        complaint=c, status=c.status, at=at, actor=actor, note=note[:500], kind="reopen"
    )
    audit.record(
        actor=actor,
        action="complaint.reopen",
        obj=c,
        before=before,
        after=snapshot(c, AUDIT_FIELDS),
    )
    return c


@transaction.atomic
def do_escalate_complaint(
    complaint: Complaint, *, actor: User | None = None, note: str = ""
) -> Complaint:
    c = _locked(complaint)
    before = snapshot(c, AUDIT_FIELDS)
    c.escalated = True
    c.save(update_fields=["escalated"])
    ComplaintEvent.objects.create(
        complaint=c,
        status=c.status,
        at=timezone.now(),
        actor=actor,
        note=note[:500],
        kind="escalate",
    )
    audit.record(
        actor=actor,
        action="complaint.escalate",
        obj=c,
        before=before,
        after=snapshot(c, AUDIT_FIELDS),
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


# --- SP4N-LAPOR! import ------------------------------------------------------------------

LAPOR_PRESET: dict[str, tuple[str, ...]] = {
    "tracking_number": (
        "no tracking",
        "nomor tracking",
        "tracking id",
        "id laporan",
        "nomor pelacakan",
        "tracking",
    ),
    "received_at": (
        "tanggal laporan",
        "tanggal diterima",
        "diterima",
        "waktu laporan",
        "tanggal masuk",
    ),
    "verified_at": ("tanggal verifikasi", "diverifikasi", "waktu verifikasi"),
    "forwarded_at": ("tanggal disposisi", "didisposisi", "tanggal diteruskan", "diteruskan"),
    "first_response_at": (
        "tanggal tanggapan pertama",
        "tanggapan pertama",
        "tanggal tindak lanjut",
        "ditindaklanjuti",
    ),
    "closed_at": ("tanggal selesai", "selesai", "tanggal ditutup", "ditutup"),
    "category": ("kategori", "klasifikasi", "jenis pengaduan"),
    "status": ("status",),
    "unit": ("unit", "instansi tujuan", "unit kerja", "opd", "kode unit", "instansi terdisposisi"),
    "officer_nip": ("nip petugas", "nip", "petugas nip", "nip penanggung jawab"),
    "subject": ("judul", "judul laporan", "perihal", "isi laporan ringkas"),
    "citizen_rating": ("rating", "penilaian", "penilaian pelapor", "kepuasan pelapor"),
    "reopened_count": ("dibuka kembali", "jumlah dibuka kembali", "reopen"),
    "escalated": ("eskalasi", "dieskalasi"),
    "substantive": ("tindak lanjut substantif", "substantif"),
}
STATUS_WORDS = {
    "diterima": S.DITERIMA,
    "baru": S.DITERIMA,
    "belum terverifikasi": S.DITERIMA,
    "diverifikasi": S.DIVERIFIKASI,
    "terverifikasi": S.DIVERIFIKASI,
    "didisposisi": S.DIDISPOSISI,
    "disposisi": S.DIDISPOSISI,
    "diteruskan": S.DIDISPOSISI,
    "ditindaklanjuti": S.DITINDAKLANJUTI,
    "proses": S.DITINDAKLANJUTI,
    "dalam proses": S.DITINDAKLANJUTI,
    "selesai": S.SELESAI,
    "ditutup": S.SELESAI,
    "diarsipkan": S.DIARSIPKAN,
    "arsip": S.DIARSIPKAN,
    "diarsip": S.DIARSIPKAN,
}


def category_from_text(text: str) -> tuple[str, str]:
    """(SLA tier, topic). A LAPOR! category that names a tier maps to it; any other category is
    kept as the topic and handled under 'pengaduan tanpa pemeriksaan lapangan' (14 hari kerja)."""
    norm = normalise_header(text)
    if norm in ComplaintCategory.values or norm.replace(" ", "_") in ComplaintCategory.values:
        return norm.replace(" ", "_"), ""
    if "informasi" in norm or "sederhana" in norm:
        return ComplaintCategory.INFORMASI, ""
    if "tanpa pemeriksaan" in norm:
        return ComplaintCategory.TANPA, ""
    if "pemeriksaan lapangan" in norm:
        return ComplaintCategory.DENGAN, ""
    return ComplaintCategory.TANPA, text.strip()[:120]


def _truthy(value: Any) -> bool | None:
    if is_blank(value):
        return None
    v = str(value).strip().lower()
    if v in ("1", "ya", "y", "true", "benar"):
        return True
    if v in ("0", "tidak", "t", "false", "n", "salah"):
        return False
    raise ValueError(value)


def do_import_complaints(
    instansi: Instansi, data: bytes, filename: str, *, actor: User | None = None
) -> int:
    """Import an SP4N-LAPOR!-style export with the :data:`LAPOR_PRESET` column mapping.

    The unit column holds a unit code or name; the officer column an NIP of this instansi.
    All rows or none; every problem is reported by row and column.
    """
    try:
        table = read_table(data, filename)
    except TableError as exc:
        raise ValidationError(str(exc)) from None
    cols: dict[str, int] = {}
    lookup = {alias: fld for fld, aliases in LAPOR_PRESET.items() for alias in aliases}
    for idx, header in enumerate(table.header):
        fld = lookup.get(plain_header(header))
        if fld is not None and fld not in cols:
            cols[fld] = idx
    missing = [f for f in ("tracking_number", "received_at", "unit") if f not in cols]
    if missing:
        raise ValidationError(
            [
                gettext("Kolom wajib tidak ada: {columns} (lihat preset SP4N-LAPOR!).").format(
                    columns=", ".join(missing)
                )
            ]
        )
    units: dict[str, int] = {}
    for uid, code, name in Unit.objects.filter(instansi=instansi).values_list("id", "code", "name"):
        units[code.lower()] = uid
        units[name.lower()] = uid
    items: list[ComplaintInput] = []
    problems: list[str] = []
    for rownum, cells in table.rows:

        def cell(name: str, cells: list[Any] = cells) -> Any:
            i = cols.get(name)
            return cells[i] if i is not None and i < len(cells) else None

        try:
            received = parse_moment(cell("received_at"))
        except (ValueError, TypeError):
            problems.append(f"Baris {rownum}, received_at: tanggal diterima tidak dapat dibaca.")
            continue
        item = ComplaintInput(
            tracking_number=str(cell("tracking_number") or "").strip(),
            unit_id=units.get(str(cell("unit") or "").strip().lower(), -1),
            category="",
            received_at=received,
            errors=[str(rownum)],
        )
        item.category, item.topic = category_from_text(str(cell("category") or ""))
        row_ok = True
        for name in MOMENT_FIELDS:
            value = cell(name)
            if is_blank(value):
                continue
            try:
                setattr(item, name, parse_moment(value))
            except (ValueError, TypeError):
                problems.append(f"Baris {rownum}, {name}: tanggal {value!r} tidak dapat dibaca.")
                row_ok = False
        status_text = normalise_header(str(cell("status") or ""))
        if status_text:
            if status_text not in STATUS_WORDS:
                problems.append(f"Baris {rownum}, status: {cell('status')!r} tidak dikenal.")
                row_ok = False
            else:
                item.status = STATUS_WORDS[status_text]
        else:
            item.status = (
                S.SELESAI
                if item.closed_at
                else (S.DITINDAKLANJUTI if item.first_response_at else S.DITERIMA)
            )
        item.officer_nip = "".join(ch for ch in str(cell("officer_nip") or "") if ch.isdigit())
        item.subject = str(cell("subject") or "")
        try:
            rating = cell("citizen_rating")
            item.citizen_rating = None if is_blank(rating) else parse_int(rating)
            reopened = cell("reopened_count")
            item.reopened_count = 0 if is_blank(reopened) else parse_int(reopened)
            item.escalated = bool(_truthy(cell("escalated")))
            item.substantive = _truthy(cell("substantive"))
        except ValueError:
            problems.append(
                f"Baris {rownum}: penilaian, dibuka kembali, eskalasi atau substantif tidak sah."
            )
            row_ok = False
        if item.substantive is None and item.status == S.SELESAI:
            item.substantive = True
        if item.status == S.DIARSIPKAN and item.substantive is None:
            item.substantive = False
        if row_ok:
            items.append(item)
    if problems:
        raise ValidationError(problems[:200])
    if not items:
        raise ValidationError(gettext("Berkas tidak berisi pengaduan."))
    return do_bulk_add_complaints(instansi, items, source=Source.IMPORT, actor=actor)
