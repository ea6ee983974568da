"""Reads of the learning app: AKP heat map and ranked needs, demand, gaps, the co-design record.

Aggregation happens in SQL (GROUP BY unit × competency); Python only folds the aggregated
groups (a few thousand at most) into OPDs. Query counts are constant in the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from kompeten.core.models import User
from kompeten.learning.models import (
    AkpCampaign,
    AkpEntry,
    AkpRollup,
    AkpUnitProgress,
    Batch,
    CampaignStatus,
    Competency,
    CostItem,
    Feedback,
    Programme,
    ProgrammeCompetency,
    ProgrammeStatus,
    Proposal,
    ProposalComment,
    ProposalVote,
)
from kompeten.people import scoping
from kompeten.people.models import Employee, Unit, opd_depth

BASES = {"atasan": "atasan_level", "self": "self_level"}
BASIS_LABELS = {"atasan": gettext_lazy("Penilaian atasan"), "self": gettext_lazy("Penilaian diri")}


# --- OPD folding --------------------------------------------------------------------------------


def opd_of_units(instansi_id: int) -> dict[int, Unit]:
    """{unit_id: its OPD}. With one root (the Pemda) the OPDs are its children; else the roots."""
    units = list(Unit.objects.filter(instansi_id=instansi_id).order_by("path"))
    depth = opd_depth(units)
    by_path = {u.path: u for u in units}
    result: dict[int, Unit] = {}
    for unit in units:
        if unit.depth <= depth:
            result[unit.pk] = unit
            continue
        parts = unit.path.rstrip("/").split("/")
        result[unit.pk] = by_path.get("/".join(parts[: depth + 1]) + "/", unit)
    return result


# --- campaigns and scope --------------------------------------------------------------------


def campaigns_for(user: User) -> QuerySet[AkpCampaign]:
    return AkpCampaign.objects.filter(instansi_id=user.instansi_id or 0)


def get_campaign_for_user(user: User, pk: int) -> AkpCampaign:
    try:
        return campaigns_for(user).get(pk=pk)
    except AkpCampaign.DoesNotExist:
        raise Http404("Kampanye tidak ditemukan") from None


def current_campaign(user: User) -> AkpCampaign | None:
    """The latest campaign that has been opened (drafts are still being prepared)."""
    return (
        campaigns_for(user)
        .exclude(status=CampaignStatus.DRAFT)
        .order_by("-opens_at", "-id")
        .first()
    )


def can_see_akp_dashboard(user: User) -> bool:
    return scoping.sees_whole_instansi(user) or user.is_pengelola


# --- heat map and ranked needs --------------------------------------------------------------


class _GapShares:
    """The share with a gap and the mean shortfall, read from the counts of a cell or a need."""

    n_answered: int
    n_gap: int
    gap_sum: int

    @property
    def share_gap(self) -> float | None:
        return self.n_gap / self.n_answered if self.n_answered else None

    @property
    def mean_gap(self) -> float | None:
        """Mean shortfall over the rated (0 for those at or above the level)."""
        return self.gap_sum / self.n_answered if self.n_answered else None


@dataclass(frozen=True)
class Cell(_GapShares):
    n_required: int  # people whose post requires the competency
    n_answered: int  # of whom rated on this basis
    n_gap: int  # rated below the required level
    gap_sum: int  # Σ (required − rated) over those below

    @property
    def heat(self) -> int:
        """0–5 colour class by share of people with a gap (−1 = no answers)."""
        if not self.n_answered:
            return -1
        if not self.n_gap:
            return 0
        # ceil(share × 5) in integers: (0, 20 %] → 1, …, (80 %, 100 %] → 5
        return min(5, -(-self.n_gap * 5 // self.n_answered))

    @property
    def css(self) -> str:
        heat = self.heat
        return "heat-na" if heat < 0 else f"heat-{heat}"


@dataclass(frozen=True)
class Need(_GapShares):
    competency: Competency
    n_required: int
    n_answered: int
    n_gap: int
    gap_sum: int
    worst_opds: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class HeatMap:
    basis: str
    opds: tuple[Unit, ...]
    competencies: tuple[Competency, ...]
    cells: dict[tuple[int, int], Cell]  # (opd_id, competency_id) → cell
    needs: tuple[Need, ...]  # ranked: most people affected first

    def row(self, opd: Unit) -> list[Cell | None]:
        return [self.cells.get((opd.pk, c.pk)) for c in self.competencies]

    @property
    def rows(self) -> list[tuple[Unit, list[Cell | None]]]:
        return [(opd, self.row(opd)) for opd in self.opds]

    def rows_html(self) -> SafeString:
        """The table body, built in one pass (the template engine costs ~0,1 ms per cell)."""
        parts: list[str] = []
        for opd, cells in self.rows:
            parts.append(f"<tr><th>{escape(opd.display_name)}</th>")
            for cell in cells:
                if cell is None:
                    parts.append('<td class="heat-none"></td>')
                else:
                    parts.append(
                        f'<td class="{cell.css}" title="{cell.n_gap} / {cell.n_answered}">'
                        f'{cell.n_gap}<span class="muted">/{cell.n_answered}</span></td>'
                    )
            parts.append("</tr>")
        return mark_safe("".join(parts))


def scoped_rollups(campaign: AkpCampaign, user: User, model: type[Any]) -> QuerySet[Any]:
    """Rollup rows (AkpRollup or AkpUnitProgress) of the campaign in the user's scope."""
    qs = model.objects.filter(campaign=campaign)
    if scoping.sees_whole_instansi(user):
        return qs
    if user.is_pengelola and user.managed_unit is not None:
        return qs.filter(unit__path__startswith=user.managed_unit.path)
    return qs.none()


def akp_heatmap(campaign: AkpCampaign, user: User, basis: str = "atasan") -> HeatMap:
    """Heat map OPD × competency and needs ranked by people affected (3 queries).

    Reads the rollups (one row per unit × competency), never the raw entries.
    """
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}")
    prefix = "self" if basis == "self" else "atasan"
    groups = list(
        scoped_rollups(campaign, user, AkpRollup).values_list(
            "unit_id",
            "competency_id",
            "n_required",
            f"{prefix}_n",
            f"{prefix}_gap_n",
            f"{prefix}_gap_sum",
        )
    )
    opd_of = opd_of_units(campaign.instansi_id)
    competencies = {c.pk: c for c in Competency.objects.filter(pk__in={g[1] for g in groups})}
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    per_comp: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    per_comp_opd: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, competency_id, *values in groups:
        opd = opd_of[unit_id]
        cell = totals[(opd.pk, competency_id)]
        comp = per_comp[competency_id]
        for i, v in enumerate(values):
            cell[i] += v
            comp[i] += v
        per_comp_opd[competency_id][opd.pk] += values[2]
    opds = {opd_id for opd_id, _c in totals}
    opd_units = sorted({opd_of[u].pk: opd_of[u] for u in opd_of}.values(), key=lambda u: u.path)
    opd_list = tuple(u for u in opd_units if u.pk in opds)
    names = {u.pk: u.display_name for u in opd_list}
    needs = sorted(
        (
            Need(
                competency=competencies[cid],
                n_required=v[0],
                n_answered=v[1],
                n_gap=v[2],
                gap_sum=v[3],
                worst_opds=tuple(
                    (names[o], n)
                    for o, n in sorted(per_comp_opd[cid].items(), key=lambda kv: -kv[1])[:3]
                    if n > 0
                ),
            )
            for cid, v in per_comp.items()
        ),
        key=lambda n: (-n.n_gap, -(n.mean_gap or 0), n.competency.code),
    )
    comps = tuple(sorted(competencies.values(), key=lambda c: (c.group, c.code)))
    return HeatMap(
        basis=basis,
        opds=opd_list,
        competencies=comps,
        cells={k: Cell(*v) for k, v in totals.items()},
        needs=tuple(needs),
    )


@dataclass(frozen=True)
class Progress:
    n_people: int
    n_self_done: int
    n_atasan_done: int
    n_entries: int
    n_self_answers: int
    n_atasan_answers: int


def campaign_progress(campaign: AkpCampaign, user: User) -> Progress:
    """People and answers in the campaign, from the rollups (2 queries)."""
    people = scoped_rollups(campaign, user, AkpUnitProgress).aggregate(
        n=Sum("n_people"), s=Sum("n_self_done"), a=Sum("n_atasan_done")
    )
    answers = scoped_rollups(campaign, user, AkpRollup).aggregate(
        n=Sum("n_required"), s=Sum("self_n"), a=Sum("atasan_n")
    )
    return Progress(
        n_people=people["n"] or 0,
        n_self_done=people["s"] or 0,
        n_atasan_done=people["a"] or 0,
        n_entries=answers["n"] or 0,
        n_self_answers=answers["s"] or 0,
        n_atasan_answers=answers["a"] or 0,
    )


# --- one employee ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    competency: Competency
    required: int
    self_level: int | None
    atasan_level: int | None

    @property
    def assessed(self) -> int | None:
        """The atasan's rating when given, otherwise none (self ratings are shown, not used)."""
        return self.atasan_level

    @property
    def gap(self) -> int | None:
        if self.atasan_level is None:
            return None
        return max(0, self.required - self.atasan_level)

    @property
    def self_gap(self) -> int | None:
        if self.self_level is None:
            return None
        return max(0, self.required - self.self_level)


def employee_gaps(campaign: AkpCampaign, employee: Employee) -> list[GapRow]:
    rows = (
        AkpEntry.objects.filter(campaign=campaign, employee=employee)
        .select_related("competency")
        .order_by("competency__group", "competency__code")
    )
    return [
        GapRow(
            competency=e.competency,
            required=e.required_level,
            self_level=e.self_level,
            atasan_level=e.atasan_level,
        )
        for e in rows
    ]


def recommended_programmes(employee: Employee, gaps: Iterable[GapRow]) -> list[Programme]:
    """Published or final programmes that target a competency where the employee falls short.

    A gap counts on the atasan's rating, or on the self rating when the atasan has not rated.
    Programmes that restrict jabatan kinds or OPDs must include the employee's.
    """
    short: dict[int, int] = {}
    for row in gaps:
        rated = row.atasan_level if row.atasan_level is not None else row.self_level
        if rated is not None and rated < row.required:
            short[row.competency.pk] = rated
    if not short:
        return []
    targets = ProgrammeCompetency.objects.filter(
        competency_id__in=short,
        programme__instansi_id=employee.instansi_id,
        programme__status__in=[ProgrammeStatus.PUBLISHED, ProgrammeStatus.FINAL],
    ).values_list("programme_id", "competency_id", "target_level")
    score: dict[int, int] = defaultdict(int)
    for programme_id, competency_id, target_level in targets:
        if target_level > short[competency_id]:
            score[programme_id] += 1
    if not score:
        return []
    opd_path = employee.unit.path
    programmes = Programme.objects.filter(pk__in=score).prefetch_related("target_units")
    result = []
    for programme in programmes:
        kinds = programme.target_jabatan_kinds
        if kinds and employee.jabatan_kind not in kinds:
            continue
        units = list(programme.target_units.all())
        if units and not any(opd_path.startswith(u.path) for u in units):
            continue
        result.append(programme)
    result.sort(key=lambda p: (-score[p.pk], p.code))
    return result


def assessable_reports(campaign: AkpCampaign, atasan: Employee) -> QuerySet[Employee]:
    """Direct reports of the atasan in the campaign, annotated with answer counts."""
    return (
        Employee.objects.filter(supervisor=atasan, is_active=True, akp_entries__campaign=campaign)
        .annotate(
            n_items=Count("akp_entries", filter=Q(akp_entries__campaign=campaign)),
            n_rated=Count(
                "akp_entries",
                filter=Q(akp_entries__campaign=campaign, akp_entries__atasan_level__isnull=False),
            ),
        )
        .select_related("unit")
        .order_by("name")
    )


# --- demand from proposals and votes ------------------------------------------------------------


@dataclass(frozen=True)
class DemandRow:
    label: str
    n_proposals: int
    n_votes: int


@dataclass(frozen=True)
class Demand:
    by_opd: tuple[DemandRow, ...]
    by_competency: tuple[DemandRow, ...]
    by_jabatan: tuple[DemandRow, ...]
    n_proposals: int
    n_votes: int
    n_voters: int


def proposals_for(user: User, campaign: AkpCampaign | None = None) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(campaign__instansi_id=user.instansi_id or 0)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def get_proposal_for_user(user: User, pk: int) -> Proposal:
    try:
        return (
            proposals_for(user)
            .select_related("campaign", "proposer", "unit", "competency")
            .get(pk=pk)
        )
    except Proposal.DoesNotExist:
        raise Http404("Usulan tidak ditemukan") from None


def demand(campaign: AkpCampaign) -> Demand:
    """Proposals and votes by OPD, competency and jabatan kind (a constant 6 queries)."""
    from kompeten.people.models import JabatanKind

    proposals = Proposal.objects.filter(campaign=campaign).order_by()
    votes = ProposalVote.objects.filter(proposal__campaign=campaign).order_by()
    opd_of = opd_of_units(campaign.instansi_id)
    by_opd: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in proposals.values("unit_id").annotate(n=Count("id")):
        by_opd[opd_of[row["unit_id"]].display_name][0] += row["n"]
    for urow in votes.values("unit_id").annotate(n=Count("id")):
        by_opd[opd_of[urow["unit_id"]].display_name][1] += urow["n"]
    by_comp: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for crow in proposals.values("competency__name").annotate(n=Count("id"), v=Sum("vote_count")):
        label = crow["competency__name"] or gettext("(tanpa kompetensi)")
        by_comp[label][0] += crow["n"]
        by_comp[label][1] += crow["v"] or 0
    by_jab: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    labels = dict(JabatanKind.choices)
    for jrow in proposals.values("jabatan_kind").annotate(n=Count("id")):
        by_jab[str(labels.get(jrow["jabatan_kind"], jrow["jabatan_kind"]))][0] += jrow["n"]
    for vrow in votes.values("jabatan_kind").annotate(n=Count("id")):
        by_jab[str(labels.get(vrow["jabatan_kind"], vrow["jabatan_kind"]))][1] += vrow["n"]

    def ranked(table: dict[str, list[int]]) -> tuple[DemandRow, ...]:
        rows = (DemandRow(k, v[0], v[1]) for k, v in table.items())
        return tuple(sorted(rows, key=lambda r: (-r.n_votes, -r.n_proposals, r.label)))

    return Demand(
        by_opd=ranked(by_opd),
        by_competency=ranked(by_comp),
        by_jabatan=ranked(by_jab),
        n_proposals=sum(v[0] for v in by_jab.values()),
        n_votes=sum(v[1] for v in by_jab.values()),
        n_voters=votes.values("voter_id").distinct().count(),
    )


# --- programmes --------------------------------------------------------------------------------


def programmes_for(user: User) -> QuerySet[Programme]:
    """Admin and pimpinan see every programme; others see published and final ones."""
    qs = Programme.objects.filter(instansi_id=user.instansi_id or 0)
    if scoping.sees_whole_instansi(user):
        return qs
    return qs.filter(status__in=[ProgrammeStatus.PUBLISHED, ProgrammeStatus.FINAL])


def get_programme_for_user(user: User, pk: int) -> Programme:
    try:
        return programmes_for(user).get(pk=pk)
    except Programme.DoesNotExist:
        raise Http404("Program tidak ditemukan") from None


def get_batch_for_user(user: User, pk: int) -> Batch:
    try:
        return (
            Batch.objects.filter(programme__in=programmes_for(user))
            .select_related("programme")
            .get(pk=pk)
        )
    except Batch.DoesNotExist:
        raise Http404("Angkatan tidak ditemukan") from None


def programme_costs(programme: Programme) -> tuple[list[CostItem], Decimal]:
    items = list(programme.cost_items.all())
    return items, sum((i.amount for i in items), Decimal("0"))


# --- the co-design record ----------------------------------------------------------------------


@dataclass(frozen=True)
class AdoptedProposal:
    id: int
    title: str
    problem: str
    opd: str
    n_votes: int
    n_comments: int
    created: datetime


@dataclass(frozen=True)
class FeedbackRoundRecord:
    number: int
    opens_at: datetime
    closes_at: datetime
    outline: str
    summary: str
    n_feedback: int
    n_people: int


@dataclass(frozen=True)
class CodesignRecord:
    """How ASN shaped a programme: adopted proposals, votes, comments, feedback rounds, people.

    `participant_ids` are the employees who proposed, voted on or commented on an adopted
    proposal, or gave feedback on a draft (accounts not linked to an employee are not counted).
    """

    programme_id: int
    proposals: tuple[AdoptedProposal, ...]
    n_votes: int
    n_comments: int
    rounds: tuple[FeedbackRoundRecord, ...]
    n_feedback: int
    participant_ids: frozenset[int]
    participants_by_opd: tuple[tuple[str, int], ...] = field(default=())

    @property
    def n_participants(self) -> int:
        return len(self.participant_ids)

    @property
    def n_proposals(self) -> int:
        return len(self.proposals)

    @property
    def is_codesigned(self) -> bool:
        return bool(self.proposals or self.n_feedback)


def codesign_record(programme: Programme) -> CodesignRecord:
    """The co-design record of one programme (a constant 7 queries)."""
    opd_of = opd_of_units(programme.instansi_id)
    proposals = list(
        programme.adopted_proposals.order_by("-vote_count", "created").values(
            "id",
            "title",
            "problem",
            "unit_id",
            "vote_count",
            "comment_count",
            "created",
            "proposer_id",
        )
    )
    ids = [p["id"] for p in proposals]
    participants: set[int] = {p["proposer_id"] for p in proposals}
    participants.update(
        ProposalVote.objects.filter(proposal_id__in=ids).values_list("voter_id", flat=True)
    )
    participants.update(
        e
        for e in ProposalComment.objects.filter(proposal_id__in=ids).values_list(
            "author__employee__id", flat=True
        )
        if e is not None
    )
    rounds = list(
        programme.feedback_rounds.annotate(
            n=Count("feedback"), people=Count("feedback__author", distinct=True)
        ).order_by("number")
    )
    feedback_people = Feedback.objects.filter(round__programme=programme).values_list(
        "author__employee__id", flat=True
    )
    participants.update(e for e in feedback_people if e is not None)
    by_opd: dict[str, int] = defaultdict(int)
    for unit_id in Employee.objects.filter(pk__in=participants).values_list("unit_id", flat=True):
        by_opd[opd_of[unit_id].display_name] += 1
    return CodesignRecord(
        programme_id=programme.pk,
        proposals=tuple(
            AdoptedProposal(
                id=p["id"],
                title=p["title"],
                problem=p["problem"],
                opd=opd_of[p["unit_id"]].display_name,
                n_votes=p["vote_count"],
                n_comments=p["comment_count"],
                created=p["created"],
            )
            for p in proposals
        ),
        n_votes=sum(p["vote_count"] for p in proposals),
        n_comments=sum(p["comment_count"] for p in proposals),
        rounds=tuple(
            FeedbackRoundRecord(
                number=r.number,
                opens_at=r.opens_at,
                closes_at=r.closes_at,
                outline=r.outline,
                summary=r.summary,
                n_feedback=r.n,
                n_people=r.people,
            )
            for r in rounds
        ),
        n_feedback=sum(r.n for r in rounds),
        participant_ids=frozenset(participants),
        participants_by_opd=tuple(sorted(by_opd.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def programme_code_options(instansi_id: int, limit: int = 300) -> list[tuple[str, str]]:
    """(code, "code — title") of the instansi's programmes, newest first: the suggestions an
    import's "Kode program" box offers."""
    rows = (
        Programme.objects.filter(instansi_id=instansi_id)
        .order_by("-id")
        .values_list("code", "title")[:limit]
    )
    return [(code, f"{code} — {title}") for code, title in rows]
