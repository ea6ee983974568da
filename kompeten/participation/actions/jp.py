"""The JP ledger: JP credited on completion, and external certificates approved by the pengelola."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kompeten.core import audit, formatting
from kompeten.core.models import Instansi, User
from kompeten.learning.models import LearningTypeMode
from kompeten.participation.models import (
    Enrolment,
    ExternalCertificate,
    JpEntry,
    JpSource,
    PointAward,
    ReviewStatus,
)
from kompeten.people.models import Employee
from kompeten.standards import jp as jp_std

MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024
# Marked for extraction only (the values stay plain str); translated where a message uses them.
CREDIT_UNITS = {
    "minute": gettext_noop("menit"),
    "hour": gettext_noop("jam"),
    "day": gettext_noop("hari"),
    "session": gettext_noop("sesi"),
    "activity": gettext_noop("kegiatan"),
    "jp": gettext_noop("JP (sesuai sertifikat)"),
}


def learning_group(instansi_id: int, learning_type: str) -> str:
    """Klasikal or nonklasikal: the instansi's override, else the standards table."""
    override = (
        LearningTypeMode.objects.filter(instansi_id=instansi_id, learning_type=learning_type)
        .values_list("mode", flat=True)
        .first()
    )
    if override:
        return str(override)
    return jp_std.classify(learning_type)


def jp_to_minutes_decimal(jp: Decimal | Fraction) -> Decimal:
    minutes = jp_std.jp_to_minutes(Fraction(jp))
    return Decimal(minutes.numerator) / Decimal(minutes.denominator)


def minutes_to_jp(minutes: Decimal) -> Fraction:
    return jp_std.minutes_to_jp(Fraction(minutes))


def credit_completion(enrolment: Enrolment) -> JpEntry | None:
    """JP of the programme, credited once when the enrolment completes (inside its transaction)."""
    if JpEntry.objects.filter(enrolment=enrolment).exists():
        return None
    programme = enrolment.batch.programme
    when = (
        timezone.localdate(enrolment.completed_at)
        if enrolment.completed_at
        else timezone.localdate()
    )
    entry = JpEntry.objects.create(
        instansi_id=enrolment.instansi_id,
        employee_id=enrolment.employee_id,
        year=when.year,
        date=when,
        minutes=jp_to_minutes_decimal(programme.total_jp),
        group=learning_group(programme.instansi_id, programme.learning_type),
        form=programme.learning_type,
        title=programme.title,
        source=JpSource.COMPLETION,
        enrolment=enrolment,
    )
    return entry


# --- external certificates -------------------------------------------------------------------

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def sniff(head: bytes) -> str | None:
    """The content type from the file's first bytes (never from its name): PDF, PNG, JPEG, WebP."""
    for magic, kind in SIGNATURES:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _read_head(file: IO[bytes] | UploadedFile) -> bytes:
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    return head if isinstance(head, bytes) else bytes(head)


@dataclass
class ExternalInput:
    title: str
    organiser: str
    form: str
    start_date: date
    end_date: date
    amount: Decimal
    unit: str


def _credit(data: ExternalInput) -> tuple[dict[str, str], Decimal]:
    """The rule checks of a certificate's details (by field) and, when they pass, its JP credit
    in minutes (the conversion table of kompeten.standards.jp)."""
    errors: dict[str, str] = {}
    if data.form not in jp_std.JP_FORMS.forms:
        errors["form"] = gettext("Bentuk pengembangan kompetensi tidak dikenal.")
    if data.end_date < data.start_date:
        errors["end_date"] = gettext("Tanggal selesai sebelum tanggal mulai.")
    if data.end_date > timezone.localdate():
        errors["end_date"] = gettext("Tanggal selesai belum lewat.")
    if data.amount <= 0:
        errors["amount"] = gettext("Jumlah harus lebih dari nol.")
    minutes = Decimal(0)
    if "form" not in errors and data.amount > 0:
        try:
            jp = jp_std.credit_jp(data.form, data.amount, data.unit)  # type: ignore[arg-type]
            minutes = jp_to_minutes_decimal(jp)
        except ValueError as exc:
            rule = jp_std.JP_CREDIT.rules.get(data.form)
            errors["unit"] = (
                gettext("{form} dihitung per {unit}.").format(
                    form=jp_std.JP_FORMS.forms[data.form].label,
                    unit=gettext(CREDIT_UNITS[rule.unit]),
                )
                if rule
                else gettext("Satuan tidak sesuai: {error}. Isi dalam menit atau jam.").format(
                    error=exc
                )
            )
    return errors, minutes


@transaction.atomic
def do_submit_external_certificate(
    *, employee: Employee, data: ExternalInput, file: UploadedFile, actor: User | None
) -> ExternalCertificate:
    errors: dict[str, str] = {}
    size = file.size or 0
    if size == 0:
        errors["file"] = gettext("Berkas kosong.")
    elif size > MAX_CERTIFICATE_BYTES:
        errors["file"] = gettext("Berkas terlalu besar ({size} MB); maksimal {limit} MB.").format(
            size=formatting.number(size / 1048576, 1),
            limit=formatting.number(MAX_CERTIFICATE_BYTES / 1048576, 0),
        )
    content_type = sniff(_read_head(file)) if size else None
    if size and content_type is None and "file" not in errors:
        errors["file"] = gettext(
            "Berkas harus PDF atau gambar (PNG, JPEG, WebP); isi berkas ini bukan keduanya."
        )
    detail_errors, minutes = _credit(data)
    errors.update(detail_errors)
    if errors:
        raise ValidationError(errors)
    cert = ExternalCertificate.objects.create(
        instansi_id=employee.instansi_id,
        employee=employee,
        title=data.title.strip(),
        organiser=data.organiser.strip(),
        form=data.form,
        start_date=data.start_date,
        end_date=data.end_date,
        amount=data.amount,
        unit=data.unit,
        minutes=minutes,
        file=file,
        content_type=content_type or "",
    )
    audit.record(actor=actor, action="external_certificate.submit", obj=cert, summary=cert.title)
    return cert


def _ledger_line(cert: ExternalCertificate, group: str) -> JpEntry:
    """The JP ledger line an approved certificate gives (not yet saved)."""
    return JpEntry(
        instansi_id=cert.instansi_id,
        employee_id=cert.employee_id,
        year=cert.end_date.year,
        date=cert.end_date,
        minutes=cert.minutes,
        group=group,
        form=cert.form,
        title=cert.title,
        source=JpSource.EXTERNAL,
        external=cert,
    )


@transaction.atomic
def do_review_external_certificate(
    *, certificate: ExternalCertificate, approve: bool, note: str = "", actor: User | None
) -> ExternalCertificate:
    from kompeten.participation.actions.incentives import award_jp_points

    cert = ExternalCertificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status != ReviewStatus.SUBMITTED:
        raise ValidationError(
            gettext("Sertifikat ini sudah {status}.").format(
                status=cert.get_status_display().lower()
            )
        )
    if not approve and not note.strip():
        raise ValidationError({"note": gettext("Tuliskan alasan penolakan untuk pegawai.")})
    cert.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    cert.reviewed_by = actor
    cert.reviewed_at = timezone.now()
    cert.review_note = note.strip()[:300]
    cert.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if approve:
        entry = _ledger_line(cert, learning_group(cert.instansi_id, cert.form))
        entry.save()
        award_jp_points(entry)
    audit.record(
        actor=actor,
        action="external_certificate.approve" if approve else "external_certificate.reject",
        obj=cert,
        summary=note[:200],
    )
    return cert


def _credit_approved(instansi: Instansi, certificates: list[ExternalCertificate]) -> None:
    """The ledger line of each approved certificate and the JP points it earns, in bulk."""
    from kompeten.participation.actions.incentives import jp_award, policy_for

    # one lookup per form (an instansi may classify a form its own way), not one per certificate
    groups = {form: learning_group(instansi.pk, form) for form in {c.form for c in certificates}}
    entries = JpEntry.objects.bulk_create(
        [_ledger_line(c, groups[c.form]) for c in certificates], batch_size=1000
    )
    policy = policy_for(instansi.pk)
    awards = [jp_award(entry, policy) for entry in entries]
    PointAward.objects.bulk_create([a for a in awards if a.points > 0], batch_size=1000)


@transaction.atomic
def do_record_approved_history(
    *,
    instansi: Instansi,
    history: Sequence[tuple[Employee, ExternalInput]],
    scan: bytes,
    scan_name: str,
    actor: User,
) -> int:
    """Certificates of earlier years, checked before Kompeten was used, recorded approved in bulk:
    for each, what :func:`do_submit_external_certificate` then
    :func:`do_review_external_certificate` write (the certificate with its JP credit, its ledger
    line, its JP points), with one stored scan shared by all and one audit row. One by one,
    3,000 certificates took two minutes, most of it writing a copy of the scan for each. A
    certificate whose details break a rule refuses the whole batch, naming its row."""
    credited = []
    for n, (employee, data) in enumerate(history, start=1):
        errors, minutes = _credit(data)
        if errors:
            problems = " ".join(errors.values())
            raise ValidationError(
                gettext("Baris {n} (NIP {nip}): {problems}").format(
                    n=n, nip=employee.nip, problems=problems
                )
            )
        credited.append((employee, data, minutes))
    name = default_storage.save(scan_name, ContentFile(scan))
    now = timezone.now()
    certificates = ExternalCertificate.objects.bulk_create(
        [
            ExternalCertificate(
                instansi_id=instansi.pk,
                employee=employee,
                **asdict(data),
                minutes=minutes,
                file=name,
                content_type="application/pdf",
                status=ReviewStatus.APPROVED,
                reviewed_by=actor,
                reviewed_at=now,
            )
            for employee, data, minutes in credited
        ],
        batch_size=1000,
    )
    _credit_approved(instansi, certificates)
    audit.record(
        actor=actor,
        action="external_certificate.approve",
        object_type="participation.externalcertificate",
        summary=f"{len(certificates)} sertifikat riwayat pengembangan kompetensi",
        instansi=instansi,
    )
    return len(certificates)
