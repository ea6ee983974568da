"""Keeping the AKP rollups (cells per unit × competency, progress per unit) up to date.

Design rule 4: dashboards read rollups. The assessment actions refresh the cells they touched in
the same transaction (the rollup rows are locked first, so concurrent writers in one unit
serialise and each recount sees the other's committed entries); bulk imports and the opening of a
campaign rebuild the campaign's rollups from the entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When

from kompeten.learning.models import AkpCampaign, AkpEntry, AkpRollup, AkpUnitProgress

CELL_FIELDS = [
    "n_required",
    "self_n",
    "self_gap_n",
    "self_gap_sum",
    "atasan_n",
    "atasan_gap_n",
    "atasan_gap_sum",
]


def _cell_counts(entries: QuerySet[AkpEntry]) -> QuerySet[AkpEntry, dict[str, int]]:
    annotations = {"n_required": Count("id")}
    for basis in ("self", "atasan"):
        level = f"{basis}_level"
        below = Q(**{f"{level}__isnull": False, "required_level__gt": F(level)})
        annotations[f"{basis}_n"] = Count(level)
        annotations[f"{basis}_gap_n"] = Count("id", filter=below)
        annotations[f"{basis}_gap_sum"] = Sum(  # type: ignore[assignment]
            Case(
                When(below, then=F("required_level") - F(level)),
                default=0,
                output_field=IntegerField(),
            )
        )
    return entries.order_by().values("unit_id", "competency_id").annotate(**annotations)  # type: ignore[return-value]


@transaction.atomic
def rebuild_rollups(campaign: AkpCampaign) -> int:
    """Recount every rollup row of the campaign from its entries; return the number of cells."""
    AkpRollup.objects.filter(campaign=campaign).delete()
    AkpUnitProgress.objects.filter(campaign=campaign).delete()
    entries = AkpEntry.objects.filter(campaign=campaign)
    cells = [
        AkpRollup(
            campaign=campaign,
            unit_id=row["unit_id"],
            competency_id=row["competency_id"],
            **{f: row[f] or 0 for f in CELL_FIELDS},
        )
        for row in _cell_counts(entries)
    ]
    AkpRollup.objects.bulk_create(cells, batch_size=2000)
    progress: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_person = (
        entries.order_by()
        .values("employee_id", "unit_id")
        .annotate(n=Count("id"), s=Count("self_level"), a=Count("atasan_level"))
    )
    for row in per_person.iterator(chunk_size=5000):
        counts = progress[row["unit_id"]]
        counts[0] += 1
        counts[1] += row["s"] == row["n"]
        counts[2] += row["a"] == row["n"]
    AkpUnitProgress.objects.bulk_create(
        [
            AkpUnitProgress(
                campaign=campaign,
                unit_id=unit_id,
                n_people=c[0],
                n_self_done=c[1],
                n_atasan_done=c[2],
            )
            for unit_id, c in progress.items()
        ],
        batch_size=2000,
    )
    return len(cells)


def refresh_person(
    campaign: AkpCampaign,
    unit_id: int,
    competency_ids: Iterable[int],
    *,
    kind: str,
    was_complete: bool,
    is_complete: bool,
) -> None:
    """After one person's ratings changed: recount the touched cells, adjust the unit progress.

    Call inside the action's transaction, after the entries are written.
    """
    competency_ids = list(competency_ids)
    locked = list(
        AkpRollup.objects.select_for_update()
        .filter(campaign=campaign, unit_id=unit_id, competency_id__in=competency_ids)
        .order_by("competency_id")
    )
    by_competency = {r.competency_id: r for r in locked}
    counts = _cell_counts(
        AkpEntry.objects.filter(
            campaign=campaign, unit_id=unit_id, competency_id__in=competency_ids
        )
    )
    changed = []
    for row in counts:
        cell = by_competency.get(row["competency_id"])
        if cell is None:
            cell = AkpRollup.objects.create(
                campaign=campaign, unit_id=unit_id, competency_id=row["competency_id"]
            )
        for f in CELL_FIELDS:
            setattr(cell, f, row[f] or 0)
        changed.append(cell)
    AkpRollup.objects.bulk_update(changed, CELL_FIELDS)
    if was_complete != is_complete:
        field = "n_self_done" if kind == "self" else "n_atasan_done"
        delta = 1 if is_complete else -1
        AkpUnitProgress.objects.filter(campaign=campaign, unit_id=unit_id).update(
            **{field: F(field) + delta}
        )
