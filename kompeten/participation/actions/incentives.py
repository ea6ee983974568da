"""Points, the yearly "ASN Pembelajar" badge and certificates (numbers verifiable in public)."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.learning.models import Proposal, ProposalComment, ProposalVote
from kompeten.participation.models import (
    Certificate,
    CertificateKind,
    Enrolment,
    JpEntry,
    PointAward,
    PointKind,
    PointPolicy,
)
from kompeten.people.models import Employee
from kompeten.standards import jp as jp_std


def policy_for(instansi_id: int) -> PointPolicy:
    policy, _created = PointPolicy.objects.get_or_create(instansi_id=instansi_id)
    return policy


def _award(award: PointAward) -> PointAward | None:
    """Store ``award`` unless it earns nothing or its employee already has it (one award per
    kind and reference); the stored award, or None."""
    if award.points <= 0:
        return None
    saved, created = PointAward.objects.get_or_create(
        employee_id=award.employee_id,
        kind=award.kind,
        reference=award.reference,
        defaults={
            "instansi_id": award.instansi_id,
            "year": award.year,
            "points": award.points,
            "description": award.description,
        },
    )
    return saved if created else None


def jp_points(policy: PointPolicy, minutes: Decimal) -> Decimal:
    """The points a ledger line of ``minutes`` earns: the policy's points per JP times its JP."""
    jp = jp_std.minutes_to_jp(Fraction(minutes))
    return policy.per_jp * Decimal(jp.numerator) / Decimal(jp.denominator)


def jp_award(entry: JpEntry, policy: PointPolicy) -> PointAward:
    """The (unsaved) award a JP ledger line earns: one per line, by its reference."""
    return PointAward(
        instansi_id=entry.instansi_id,
        employee_id=entry.employee_id,
        year=entry.year,
        kind=PointKind.JP,
        reference=f"jp-{entry.pk}",
        points=jp_points(policy, entry.minutes),
        description=entry.title[:250],
    )


def award_jp_points(entry: JpEntry, policy: PointPolicy | None = None) -> PointAward | None:
    return _award(jp_award(entry, policy or policy_for(entry.instansi_id)))


def _enrolment_award(enrolment: Enrolment, kind: str, points: Decimal, year: int) -> PointAward:
    return PointAward(
        instansi_id=enrolment.instansi_id,
        employee_id=enrolment.employee_id,
        year=year,
        kind=kind,
        reference=f"enrolment-{enrolment.pk}",
        points=points,
        description=enrolment.batch.programme.title[:250],
    )


def award_completion(enrolment: Enrolment, *, full_attendance: bool) -> None:
    """Points for finishing, for full attendance and for the JP; then the certificate."""
    policy = policy_for(enrolment.instansi_id)
    year = (
        timezone.localtime(enrolment.completed_at).year
        if enrolment.completed_at
        else timezone.localdate().year
    )
    awards = [(PointKind.COMPLETION, policy.completion)]
    if full_attendance:
        awards.append((PointKind.FULL_ATTENDANCE, policy.full_attendance))
    for kind, points in awards:
        _award(_enrolment_award(enrolment, kind, points, year))
    entry = JpEntry.objects.filter(enrolment=enrolment).first()
    if entry is not None:
        award_jp_points(entry, policy)
    issue_completion_certificate(enrolment, entry)
    award_high_gain(enrolment, policy)


def award_high_gain(enrolment: Enrolment, policy: PointPolicy | None = None) -> PointAward | None:
    """Hook for the evaluation app: points when the learning gain reaches the policy's threshold."""
    if enrolment.learning_gain is None or enrolment.completed_at is None:
        return None
    policy = policy or policy_for(enrolment.instansi_id)
    if enrolment.learning_gain < policy.high_gain_threshold:
        return None
    year = timezone.localtime(enrolment.completed_at).year
    return _award(_enrolment_award(enrolment, PointKind.HIGH_GAIN, policy.high_gain, year))


# --- certificates --------------------------------------------------------------------------


def _check_code(payload: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()
    return digest[:6].upper()


def next_number(instansi: Instansi, year: int, kind: str) -> str:
    """``KMP-2026-P-000123-3F9A1C``: sequence plus an HMAC check code, so numbers are not guessable."""
    prefix = f"{'P' if kind == CertificateKind.COMPLETION else 'B'}"
    count = Certificate.objects.filter(instansi=instansi, year=year, kind=kind).count() + 1
    while True:
        base = f"{instansi.code[:6].upper()}-{year}-{prefix}-{count:06d}"
        number = f"{base}-{_check_code(base)}"
        if not Certificate.objects.filter(number=number).exists():
            return number
        count += 1


def issue_completion_certificate(enrolment: Enrolment, entry: JpEntry | None) -> Certificate:
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    instansi = enrolment.instansi
    issued = enrolment.completed_at or timezone.now()
    year = timezone.localtime(issued).year
    cert = Certificate.objects.create(
        instansi=instansi,
        number=next_number(instansi, year, CertificateKind.COMPLETION),
        employee_id=enrolment.employee_id,
        kind=CertificateKind.COMPLETION,
        year=year,
        title=enrolment.batch.programme.title,
        minutes=entry.minutes if entry else None,
        enrolment=enrolment,
        issued_at=issued,
    )
    audit.record(actor=None, action="certificate.issue", obj=cert, summary=cert.number)
    return cert


# --- co-design and badges --------------------------------------------------------------------


@transaction.atomic
def do_recompute_codesign_points(*, instansi: Instansi, year: int) -> int:
    """Points for proposing topics, voting and commenting in the year (from the learning app)."""
    policy = policy_for(instansi.pk)
    counts: dict[int, dict[str, int]] = {}
    for row in (
        Proposal.objects.filter(proposer__instansi=instansi, created__year=year)
        .values("proposer_id")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(row["proposer_id"], {})["proposals"] = row["n"]
    for vote in (
        ProposalVote.objects.filter(voter__instansi=instansi, created__year=year)
        .values("voter_id")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(vote["voter_id"], {})["votes"] = vote["n"]
    for comment in (
        ProposalComment.objects.filter(
            author__instansi=instansi, author__employee__isnull=False, created__year=year
        )
        .values("author__employee_id")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(comment["author__employee_id"], {})["comments"] = comment["n"]
    reference = f"codesign-{year}"
    PointAward.objects.filter(
        instansi=instansi, kind=PointKind.CODESIGN, reference=reference
    ).delete()
    rows = []
    for employee_id, c in counts.items():
        points = (
            policy.per_proposal * c.get("proposals", 0)
            + policy.per_vote * c.get("votes", 0)
            + policy.per_comment * c.get("comments", 0)
        )
        if points <= 0:
            continue
        text = f"{c.get('proposals', 0)} usulan, {c.get('votes', 0)} suara, {c.get('comments', 0)} komentar"
        rows.append(
            PointAward(
                instansi=instansi,
                employee_id=employee_id,
                year=year,
                kind=PointKind.CODESIGN,
                reference=reference,
                points=points,
                description=text,
            )
        )
    PointAward.objects.bulk_create(rows)
    audit.record(
        actor=None,
        action="points.codesign",
        object_type="participation.pointaward",
        summary=f"{len(rows)} pegawai mendapat poin desain bersama {year}",
        instansi=instansi,
    )
    return len(rows)


def year_jp_minutes(instansi: Instansi, year: int) -> dict[int, Decimal]:
    return {
        row["employee_id"]: row["total"]
        for row in JpEntry.objects.filter(instansi=instansi, year=year)
        .values("employee_id")
        .annotate(total=Sum("minutes"))
    }


@transaction.atomic
def do_award_badges(*, instansi: Instansi, year: int, actor: User | None) -> list[Certificate]:
    """The yearly "ASN Pembelajar" badge: the JP rule met (standards) and enough points."""
    policy = policy_for(instansi.pk)
    minutes = year_jp_minutes(instansi, year)
    points = {
        row["employee_id"]: row["total"]
        for row in PointAward.objects.filter(instansi=instansi, year=year)
        .values("employee_id")
        .annotate(total=Sum("points"))
    }
    already = set(
        Certificate.objects.filter(
            instansi=instansi, year=year, kind=CertificateKind.BADGE
        ).values_list("employee_id", flat=True)
    )
    issued: list[Certificate] = []
    candidates = Employee.objects.filter(
        pk__in=list(points), instansi=instansi, is_active=True
    ).only("id", "status")
    moment = timezone.now()
    for employee in candidates.order_by("nip"):
        if employee.pk in already or points.get(employee.pk, 0) < policy.badge_min_points:
            continue
        total = minutes.get(employee.pk, Decimal(0))
        status = jp_std.jp_status(jp_std.minutes_to_jp(Fraction(total)), employee.status)
        if not status.met or total <= 0:
            continue
        cert = Certificate.objects.create(
            instansi=instansi,
            number=next_number(instansi, year, CertificateKind.BADGE),
            employee=employee,
            kind=CertificateKind.BADGE,
            year=year,
            title=f"ASN Pembelajar {year}",
            minutes=total,
            issued_at=moment,
        )
        issued.append(cert)
    audit.record(
        actor=actor,
        action="badge.award",
        object_type="participation.certificate",
        summary=f"{len(issued)} lencana ASN Pembelajar {year}",
        instansi=instansi,
    )
    return issued


@transaction.atomic
def do_update_point_policy(
    *, policy: PointPolicy, values: dict[str, object], actor: User | None
) -> PointPolicy:
    """Change the instansi's point policy (values already validated by the form), audited."""
    # the form may already have set the new values on ``policy``: compare with what is stored
    stored = PointPolicy.objects.get(pk=policy.pk) if policy.pk else None
    before = {name: str(getattr(stored, name)) for name in values} if stored else None
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor,
        action="point_policy.update",
        obj=policy,
        before=before,
        after={name: str(value) for name, value in values.items()},
        instansi=policy.instansi,
    )
    return policy
