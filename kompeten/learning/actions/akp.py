"""Training needs analysis (AKP): campaigns, self and atasan assessments, reminders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.learning.actions.competencies import check_level
from kompeten.learning.actions.rollups import rebuild_rollups, refresh_person
from kompeten.learning.models import (
    AkpCampaign,
    AkpEntry,
    AkpReminder,
    CampaignStatus,
    Competency,
    RequiredLevel,
)
from kompeten.people.models import Employee

REMINDER_INTERVAL = timedelta(days=3)


def _aware(value: datetime, field: str) -> datetime:
    if timezone.is_naive(value):
        raise ValidationError(
            {field: gettext("Waktu harus menyertakan zona waktu (Asia/Jakarta).")}
        )
    return value


def check_window(campaign: AkpCampaign, now: datetime, what: str) -> None:
    """Raise unless the campaign is open and `now` lies in [opens_at, closes_at).

    ``what`` names the refused action in the reader's language (``pgettext("a refused action",
    "Suara")``): it opens the message."""
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(
            gettext("{what} ditolak: kampanye {campaign} tidak sedang dibuka.").format(
                what=what, campaign=campaign.name
            )
        )
    if not campaign.opens_at <= now < campaign.closes_at:
        start = timezone.localtime(campaign.opens_at).strftime("%d-%m-%Y %H:%M")
        end = timezone.localtime(campaign.closes_at).strftime("%d-%m-%Y %H:%M")
        raise ValidationError(
            gettext(
                "{what} ditolak: di luar masa kampanye {campaign} ({start} s.d. {end} WIB)."
            ).format(what=what, campaign=campaign.name, start=start, end=end)
        )


@transaction.atomic
def do_create_campaign(
    *,
    instansi: Instansi,
    name: str,
    year: int,
    opens_at: datetime,
    closes_at: datetime,
    actor: User | None = None,
) -> AkpCampaign:
    if not name.strip():
        raise ValidationError({"name": gettext("Nama kampanye wajib diisi.")})
    _aware(opens_at, "opens_at")
    _aware(closes_at, "closes_at")
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": gettext("Waktu tutup harus sesudah waktu buka.")})
    campaign = AkpCampaign.objects.create(
        instansi=instansi,
        name=name.strip(),
        year=year,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit.record(actor=actor, action="akp.campaign.create", obj=campaign, summary=name)
    return campaign


def required_levels_for(instansi_id: int) -> Mapping[tuple[str, str], dict[int, int]]:
    """{(jabatan_kind, jabatan_name or ""): {competency_id: level}} for active competencies."""
    table: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    rows = RequiredLevel.objects.filter(
        instansi_id=instansi_id, competency__is_active=True
    ).values_list("jabatan_kind", "jabatan_name", "competency_id", "level")
    for kind, name, competency_id, level in rows:
        table[(kind, name)][competency_id] = level
    return table


def resolve_required(
    table: Mapping[tuple[str, str], dict[int, int]], jabatan_kind: str, jabatan_name: str
) -> dict[int, int]:
    """The post's required levels: the kind-wide rows, overridden by rows naming the post."""
    merged = dict(table.get((jabatan_kind, ""), {}))
    if jabatan_name:
        merged.update(table.get((jabatan_kind, jabatan_name), {}))
    return merged


@transaction.atomic
def do_open_campaign(campaign: AkpCampaign, *, actor: User | None = None) -> int:
    """Open the campaign: one entry per active employee × competency their post requires.

    Returns the number of entries created. Employees whose post requires nothing get none.
    """
    given = campaign
    campaign = AkpCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(gettext("Hanya kampanye berstatus draf yang dapat dibuka."))
    table = required_levels_for(campaign.instansi_id)
    if not table:
        raise ValidationError(
            gettext("Belum ada level kompetensi yang dipersyaratkan untuk jabatan mana pun.")
        )
    employees = Employee.objects.filter(
        instansi_id=campaign.instansi_id, is_active=True
    ).values_list("id", "unit_id", "jabatan_kind", "jabatan_name")
    entries = []
    for employee_id, unit_id, kind, name in employees.iterator(chunk_size=2000):
        for competency_id, level in resolve_required(table, kind, name).items():
            entries.append(
                AkpEntry(
                    campaign=campaign,
                    employee_id=employee_id,
                    unit_id=unit_id,
                    competency_id=competency_id,
                    required_level=level,
                )
            )
    AkpEntry.objects.bulk_create(entries, batch_size=2000)
    rebuild_rollups(campaign)
    campaign.status = given.status = CampaignStatus.OPEN
    campaign.save(update_fields=["status"])
    audit.record(
        actor=actor, action="akp.campaign.open", obj=campaign, summary=f"{len(entries)} butir"
    )
    return len(entries)


@transaction.atomic
def do_close_campaign(campaign: AkpCampaign, *, actor: User | None = None) -> AkpCampaign:
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(gettext("Hanya kampanye yang sedang dibuka yang dapat ditutup."))
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    audit.record(actor=actor, action="akp.campaign.close", obj=campaign)
    return campaign


def _parse_levels(
    entries: dict[int, AkpEntry], levels: Mapping[int, object], codes: Mapping[int, str]
) -> dict[int, int]:
    parsed: dict[int, int] = {}
    errors: dict[str, str] = {}
    for competency_id, raw in levels.items():
        if raw in (None, ""):
            continue
        if competency_id not in entries:
            errors[f"kompetensi_{competency_id}"] = gettext(
                "Kompetensi ini tidak dipersyaratkan untuk jabatan pegawai dalam kampanye ini."
            )
            continue
        label = codes.get(competency_id, str(competency_id))
        try:
            parsed[competency_id] = check_level(raw, field=label)
        except ValidationError:
            errors[label] = gettext(
                "Level {competency} harus bilangan bulat antara 1 dan 5, bukan {value}."
            ).format(competency=label, value=raw)
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(gettext("Isi sedikitnya satu level kompetensi."))
    return parsed


def _entries_for(campaign: AkpCampaign, employee: Employee) -> dict[int, AkpEntry]:
    entries = {
        e.competency_id: e
        for e in AkpEntry.objects.filter(campaign=campaign, employee=employee).select_related(
            "competency"
        )
    }
    if not entries:
        raise ValidationError(
            gettext("{employee} tidak termasuk dalam kampanye {campaign}.").format(
                employee=employee.full_name, campaign=campaign
            )
        )
    return entries


def _record_levels(
    *,
    campaign: AkpCampaign,
    employee: Employee,
    levels: Mapping[int, object],
    actor: User,
    now: datetime,
    kind: str,
    extra: Mapping[str, object],
) -> int:
    """Store one rater's levels (``kind`` "self" or "atasan"), refresh the rollups, audit."""
    level_field, at_field = f"{kind}_level", f"{kind}_at"
    entries = _entries_for(campaign, employee)
    codes = {cid: e.competency.code for cid, e in entries.items()}
    parsed = _parse_levels(entries, levels, codes)
    was_complete = all(getattr(e, level_field) is not None for e in entries.values())
    changed = []
    for competency_id, level in parsed.items():
        entry = entries[competency_id]
        setattr(entry, level_field, level)
        setattr(entry, at_field, now)
        for name, value in extra.items():
            setattr(entry, name, value)
        changed.append(entry)
    AkpEntry.objects.bulk_update(changed, [level_field, at_field, *extra])
    refresh_person(
        campaign,
        next(iter(entries.values())).unit_id,
        parsed,
        kind=kind,
        was_complete=was_complete,
        is_complete=all(getattr(e, level_field) is not None for e in entries.values()),
    )
    audit.record(
        actor=actor,
        action=f"akp.{kind}_assessment",
        obj=employee,
        summary=f"{campaign.name}: {len(changed)} kompetensi",
        after={codes[c]: v for c, v in parsed.items()},
    )
    return len(changed)


@transaction.atomic
def do_submit_self_assessment(
    *,
    campaign: AkpCampaign,
    employee: Employee,
    levels: Mapping[int, object],
    actor: User,
    now: datetime | None = None,
) -> int:
    """Record the employee's own levels ({competency_id: 1–5}); only the employee may do it."""
    now = now or timezone.now()
    if actor.employee_id != employee.pk:
        raise ValidationError(
            gettext("Penilaian diri hanya dapat diisi oleh pegawai yang bersangkutan sendiri.")
        )
    check_window(campaign, now, pgettext("a refused action", "Penilaian diri"))
    return _record_levels(
        campaign=campaign,
        employee=employee,
        levels=levels,
        actor=actor,
        now=now,
        kind="self",
        extra={},
    )


@transaction.atomic
def do_submit_atasan_assessment(
    *,
    campaign: AkpCampaign,
    employee: Employee,
    levels: Mapping[int, object],
    actor: User,
    now: datetime | None = None,
) -> int:
    """Record the direct supervisor's rating of an employee; only the atasan langsung may."""
    now = now or timezone.now()
    if actor.employee_id is None or employee.supervisor_id != actor.employee_id:
        raise ValidationError(gettext("Hanya atasan langsung yang dapat menilai pegawai ini."))
    check_window(campaign, now, pgettext("a refused action", "Penilaian atasan"))
    return _record_levels(
        campaign=campaign,
        employee=employee,
        levels=levels,
        actor=actor,
        now=now,
        kind="atasan",
        extra={"atasan_id": actor.employee_id},
    )


@dataclass(frozen=True)
class CollectedAnswer:
    """An answer collected outside the app (a paper or survey form), imported by the admin."""

    employee_id: int
    competency_id: int
    level: object
    answered_at: datetime
    atasan_id: int | None = None


def _apply_answer(
    campaign: AkpCampaign,
    kind: str,
    number: int,
    answer: CollectedAnswer,
    entry: AkpEntry | None,
    supervisors: Mapping[int, int | None],
) -> str:
    """Write collected answer ``number`` into its ``entry``; or, leaving it, say why not."""
    if entry is None:
        return gettext("Jawaban {number}: pegawai/kompetensi tidak ada di kampanye ini.").format(
            number=number
        )
    try:
        level = check_level(answer.level)
    except ValidationError:
        return gettext("Jawaban {number}: level {level} harus 1–5.").format(
            number=number, level=repr(answer.level)
        )
    if not campaign.opens_at <= answer.answered_at < campaign.closes_at:
        return gettext("Jawaban {number}: diisi di luar masa kampanye.").format(number=number)
    if kind == "self":
        entry.self_level, entry.self_at = level, answer.answered_at
        return ""
    if answer.atasan_id is None or supervisors.get(answer.employee_id) != answer.atasan_id:
        return gettext("Jawaban {number}: penilai bukan atasan langsung pegawai.").format(
            number=number
        )
    entry.atasan_level, entry.atasan_at = level, answer.answered_at
    entry.atasan_id = answer.atasan_id
    return ""


@transaction.atomic
def do_import_assessments(
    *,
    campaign: AkpCampaign,
    kind: str,
    answers: Iterable[CollectedAnswer],
    actor: User,
) -> int:
    """Admin import of collected answers (kind "self" or "atasan"); all or nothing.

    The same rules as the forms: levels 1–5, answered inside the campaign window, an atasan
    answer only from the employee's direct supervisor.
    """
    if not actor.is_admin:
        raise ValidationError(gettext("Hanya admin BKPSDM yang dapat mengimpor hasil penilaian."))
    if kind not in ("self", "atasan"):
        raise ValidationError({"kind": gettext("Jenis penilaian harus 'self' atau 'atasan'.")})
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(
            gettext("Kampanye {campaign} tidak sedang dibuka.").format(campaign=campaign.name)
        )
    answers = list(answers)
    entries = {
        (e.employee_id, e.competency_id): e for e in AkpEntry.objects.filter(campaign=campaign)
    }
    supervisors = dict(
        Employee.objects.filter(instansi_id=campaign.instansi_id).values_list("id", "supervisor_id")
    )
    errors: list[str] = []
    changed: list[AkpEntry] = []
    for number, answer in enumerate(answers, start=1):
        entry = entries.get((answer.employee_id, answer.competency_id))
        error = _apply_answer(campaign, kind, number, answer, entry, supervisors)
        if error:
            errors.append(error)
            continue
        assert entry is not None
        changed.append(entry)
        if len(errors) > 50:
            break
    if errors:
        raise ValidationError(errors)
    fields = (
        ["self_level", "self_at"] if kind == "self" else ["atasan_level", "atasan_at", "atasan_id"]
    )
    # An upsert on the entry's natural key: one statement per 500 rows (bulk_update's CASE
    # expressions are far slower for tens of thousands of rows).
    AkpEntry.objects.bulk_create(
        changed,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["campaign", "employee", "competency"],
        update_fields=fields,
    )
    rebuild_rollups(campaign)
    audit.record(
        actor=actor,
        action=f"akp.import.{kind}",
        obj=campaign,
        summary=f"{len(changed)} jawaban",
    )
    return len(changed)


@dataclass(frozen=True)
class ReminderResult:
    self_reminded: int
    atasan_reminded: int


def do_send_akp_reminders(campaign: AkpCampaign, *, now: datetime | None = None) -> ReminderResult:
    """E-mail those who have not answered (self) or not rated their reports (atasan).

    At most one reminder of each kind per person per REMINDER_INTERVAL; people without an e-mail
    address are skipped (their pages show what is missing).
    """
    now = now or timezone.now()
    if campaign.status != CampaignStatus.OPEN or not (
        campaign.opens_at <= now < campaign.closes_at
    ):
        return ReminderResult(0, 0)
    recent = set(
        AkpReminder.objects.filter(
            campaign=campaign, sent_at__gt=now - REMINDER_INTERVAL
        ).values_list("employee_id", "kind")
    )
    base = AkpEntry.objects.filter(campaign=campaign)
    missing_self: set[int] = set(
        base.filter(self_level__isnull=True).values_list("employee_id", flat=True)
    )
    missing_atasan: set[int] = {
        supervisor_id
        for supervisor_id in base.filter(atasan_level__isnull=True).values_list(
            "employee__supervisor_id", flat=True
        )
        if supervisor_id is not None
    }
    ids = missing_self | missing_atasan
    contacts = dict(
        Employee.objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .values_list("id", "email")
    )
    closes = timezone.localtime(campaign.closes_at).strftime("%d-%m-%Y %H:%M")
    messages = []
    reminders = []
    counts = {"self": 0, "atasan": 0}
    for kind, who, body in (
        (
            AkpReminder.Kind.SELF,
            missing_self,
            "Anda belum melengkapi penilaian diri kompetensi dalam {c}. Batas waktu: {d} WIB.",
        ),
        (
            AkpReminder.Kind.ATASAN,
            missing_atasan,
            "Ada bawahan langsung Anda yang belum Anda nilai dalam {c}. Batas waktu: {d} WIB.",
        ),
    ):
        for employee_id in sorted(who):
            if employee_id not in contacts or (employee_id, kind.value) in recent:
                continue
            messages.append(
                mail.EmailMessage(
                    subject=f"Pengingat AKP: {campaign.name}",
                    body=body.format(c=campaign.name, d=closes),
                    to=[contacts[employee_id]],
                )
            )
            reminders.append(
                AkpReminder(campaign=campaign, employee_id=employee_id, kind=kind, sent_at=now)
            )
            counts[kind.value] += 1
    if messages:
        with mail.get_connection() as connection:
            connection.send_messages(messages)
        AkpReminder.objects.bulk_create(reminders, batch_size=1000)
    return ReminderResult(counts["self"], counts["atasan"])


def open_campaigns_in_window(now: datetime | None = None) -> list[AkpCampaign]:
    now = now or timezone.now()
    return list(
        AkpCampaign.objects.filter(status=CampaignStatus.OPEN, opens_at__lte=now, closes_at__gt=now)
    )


__all__ = [
    "CollectedAnswer",
    "Competency",
    "ReminderResult",
    "check_window",
    "do_close_campaign",
    "do_create_campaign",
    "do_import_assessments",
    "do_open_campaign",
    "do_send_akp_reminders",
    "do_submit_atasan_assessment",
    "do_submit_self_assessment",
    "open_campaigns_in_window",
    "required_levels_for",
    "resolve_required",
]
