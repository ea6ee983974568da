"""Participatory design: proposals, votes, comments, adoption and feedback rounds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.learning.actions.akp import check_window
from kompeten.learning.models import (
    AkpCampaign,
    Competency,
    Feedback,
    FeedbackRound,
    LearningType,
    Programme,
    ProgrammeStatus,
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalVote,
)
from kompeten.people.models import Employee

MAX_TEXT = 4000


def _employee_of(actor: User, what: str) -> Employee:
    """The actor's employee; ``what`` names the action in the reader's language."""
    if actor.employee_id is None:
        raise ValidationError(
            gettext("{what} hanya dapat dilakukan oleh akun yang terhubung ke pegawai.").format(
                what=what
            )
        )
    employee = actor.employee
    assert employee is not None
    if not employee.is_active:
        raise ValidationError(gettext("{what}: pegawai tidak aktif.").format(what=what))
    return employee


@transaction.atomic
def do_create_proposal(
    *,
    campaign: AkpCampaign,
    actor: User,
    title: str,
    problem: str,
    learning_type: str,
    competency: Competency | None = None,
    now: datetime | None = None,
) -> Proposal:
    """An ASN proposes a topic and format, with the problem they face at work."""
    now = now or timezone.now()
    proposer = _employee_of(actor, pgettext("a refused action", "Mengusulkan topik"))
    if proposer.instansi_id != campaign.instansi_id:
        raise ValidationError(gettext("Kampanye milik instansi lain."))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = gettext("Topik wajib diisi.")
    elif len(title) > 200:
        errors["title"] = gettext("Topik paling panjang 200 karakter.")
    if len(problem.strip()) < 10:
        errors["problem"] = gettext(
            "Jelaskan masalah yang Anda hadapi di tempat kerja (minimal 10 karakter)."
        )
    elif len(problem) > MAX_TEXT:
        errors["problem"] = gettext("Uraian masalah paling panjang {count} karakter.").format(
            count=MAX_TEXT
        )
    if learning_type not in LearningType.values:
        errors["learning_type"] = gettext(
            "Bentuk pembelajaran {learning_type} tidak dikenal."
        ).format(learning_type=repr(learning_type))
    if competency is not None and competency.instansi_id != campaign.instansi_id:
        errors["competency"] = gettext("Kompetensi milik instansi lain.")
    if errors:
        raise ValidationError(errors)
    check_window(campaign, now, pgettext("a refused action", "Usulan"))
    proposal = Proposal.objects.create(
        campaign=campaign,
        proposer=proposer,
        unit_id=proposer.unit_id,
        jabatan_kind=proposer.jabatan_kind,
        title=title.strip(),
        problem=problem.strip(),
        learning_type=learning_type,
        competency=competency,
        created=now,
    )
    audit.record(
        actor=actor,
        action="proposal.create",
        obj=proposal,
        summary=proposal.title,
        instansi=campaign.instansi,
    )
    return proposal


@transaction.atomic
def do_vote(*, proposal: Proposal, actor: User, now: datetime | None = None) -> ProposalVote:
    """One vote per person per proposal, only within the campaign window."""
    now = now or timezone.now()
    voter = _employee_of(actor, pgettext("a refused action", "Memberi suara"))
    campaign = proposal.campaign
    if voter.instansi_id != campaign.instansi_id:
        raise ValidationError(gettext("Usulan milik instansi lain."))
    check_window(campaign, now, pgettext("a refused action", "Suara"))
    if ProposalVote.objects.filter(proposal=proposal, voter=voter).exists():
        raise ValidationError(
            gettext("Anda sudah memberi suara untuk usulan ini; satu orang satu suara.")
        )
    try:
        with transaction.atomic():
            vote = ProposalVote.objects.create(
                proposal=proposal,
                voter=voter,
                unit_id=voter.unit_id,
                jabatan_kind=voter.jabatan_kind,
                created=now,
            )
    except IntegrityError:
        raise ValidationError(
            gettext("Anda sudah memberi suara untuk usulan ini; satu orang satu suara.")
        ) from None
    Proposal.objects.filter(pk=proposal.pk).update(vote_count=F("vote_count") + 1)
    return vote


@transaction.atomic
def do_withdraw_vote(*, proposal: Proposal, actor: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    voter = _employee_of(actor, pgettext("a refused action", "Menarik suara"))
    check_window(proposal.campaign, now, pgettext("a refused action", "Penarikan suara"))
    deleted, _ = ProposalVote.objects.filter(proposal=proposal, voter=voter).delete()
    if not deleted:
        raise ValidationError(gettext("Anda belum memberi suara untuk usulan ini."))
    Proposal.objects.filter(pk=proposal.pk).update(vote_count=F("vote_count") - 1)


def record_votes_bulk(votes: Iterable[tuple[Proposal, Employee, datetime]]) -> int:
    """Many votes at once with the rules of `do_vote` (window, one per person); all or nothing.

    Used by the demo and by imports of votes collected offline.
    """
    rows: list[ProposalVote] = []
    seen: set[tuple[int, int]] = set()
    per_proposal: dict[int, int] = {}
    with transaction.atomic():
        existing = set()
        votes = list(votes)
        proposal_ids = {p.pk for p, _e, _t in votes}
        existing = set(
            ProposalVote.objects.filter(proposal_id__in=proposal_ids).values_list(
                "proposal_id", "voter_id"
            )
        )
        for proposal, voter, at in votes:
            key = (proposal.pk, voter.pk)
            if key in seen or key in existing:
                raise ValidationError(
                    gettext("{voter} sudah memberi suara untuk usulan {proposal}.").format(
                        voter=voter.full_name, proposal=proposal.title
                    )
                )
            if voter.instansi_id != proposal.campaign.instansi_id:
                raise ValidationError(gettext("Usulan milik instansi lain."))
            check_window(proposal.campaign, at, pgettext("a refused action", "Suara"))
            seen.add(key)
            per_proposal[proposal.pk] = per_proposal.get(proposal.pk, 0) + 1
            rows.append(
                ProposalVote(
                    proposal=proposal,
                    voter=voter,
                    unit_id=voter.unit_id,
                    jabatan_kind=voter.jabatan_kind,
                    created=at,
                )
            )
        ProposalVote.objects.bulk_create(rows, batch_size=2000)
        for proposal_id, n in per_proposal.items():
            Proposal.objects.filter(pk=proposal_id).update(vote_count=F("vote_count") + n)
    return len(rows)


@transaction.atomic
def do_comment(
    *, proposal: Proposal, actor: User, text: str, now: datetime | None = None
) -> ProposalComment:
    now = now or timezone.now()
    if actor.instansi_id != proposal.campaign.instansi_id:
        raise ValidationError(gettext("Usulan milik instansi lain."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": gettext("Komentar tidak boleh kosong.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": gettext("Komentar paling panjang {count} karakter.").format(count=MAX_TEXT)}
        )
    comment = ProposalComment.objects.create(
        proposal=proposal, author=actor, text=text, created=now
    )
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def do_set_proposal_status(
    *, proposal: Proposal, status: str, actor: User | None = None
) -> Proposal:
    if status not in ProposalStatus.values:
        raise ValidationError(
            {"status": gettext("Status {status} tidak dikenal.").format(status=repr(status))}
        )
    audit.save_field(
        proposal,
        "status",
        status,
        actor=actor,
        action="proposal.status",
        instansi=proposal.campaign.instansi,
    )
    return proposal


@transaction.atomic
def do_adopt_proposals(
    *, programme: Programme, proposals: Iterable[Proposal], actor: User | None = None
) -> int:
    """Record that these proposals shaped the programme (and mark them adopted)."""
    proposals = list(proposals)
    for proposal in proposals:
        if proposal.campaign.instansi_id != programme.instansi_id:
            raise ValidationError({"proposals": gettext("Usulan milik instansi lain.")})
    programme.adopted_proposals.add(*proposals)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=ProposalStatus.ADOPTED)
    audit.record(
        actor=actor,
        action="programme.adopt_proposals",
        obj=programme,
        summary=", ".join(p.title for p in proposals)[:300],
    )
    return len(proposals)


@transaction.atomic
def do_open_feedback_round(
    *,
    programme: Programme,
    outline: str,
    opens_at: datetime,
    closes_at: datetime,
    actor: User | None = None,
) -> FeedbackRound:
    """Publish a draft outline for feedback; the programme becomes 'published'."""
    if programme.status not in (ProgrammeStatus.DRAFT, ProgrammeStatus.PUBLISHED):
        raise ValidationError(
            gettext("Masukan hanya dapat dibuka untuk program draf atau yang diumumkan.")
        )
    if not outline.strip():
        raise ValidationError({"outline": gettext("Ringkasan draf wajib diisi.")})
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ValidationError({"opens_at": gettext("Waktu harus menyertakan zona waktu.")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": gettext("Waktu tutup harus sesudah waktu buka.")})
    number = programme.feedback_rounds.count() + 1
    feedback_round = FeedbackRound.objects.create(
        programme=programme,
        number=number,
        outline=outline.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    if programme.status != ProgrammeStatus.PUBLISHED:
        programme.status = ProgrammeStatus.PUBLISHED
        programme.save(update_fields=["status", "updated"])
    audit.record(
        actor=actor, action="programme.feedback_round", obj=programme, summary=f"Putaran {number}"
    )
    return feedback_round


@transaction.atomic
def do_give_feedback(
    *, feedback_round: FeedbackRound, actor: User, text: str, now: datetime | None = None
) -> Feedback:
    now = now or timezone.now()
    if actor.instansi_id != feedback_round.programme.instansi_id:
        raise ValidationError(gettext("Program milik instansi lain."))
    if not feedback_round.opens_at <= now < feedback_round.closes_at:
        raise ValidationError(gettext("Masukan ditolak: putaran masukan ini tidak sedang dibuka."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": gettext("Masukan tidak boleh kosong.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": gettext("Masukan paling panjang {count} karakter.").format(count=MAX_TEXT)}
        )
    return Feedback.objects.create(round=feedback_round, author=actor, text=text, created=now)


@transaction.atomic
def do_summarise_feedback_round(
    *, feedback_round: FeedbackRound, summary: str, actor: User | None = None
) -> FeedbackRound:
    feedback_round.summary = summary.strip()
    feedback_round.save(update_fields=["summary"])
    audit.record(
        actor=actor,
        action="programme.feedback_summary",
        obj=feedback_round.programme,
        summary=f"Putaran {feedback_round.number}",
    )
    return feedback_round
