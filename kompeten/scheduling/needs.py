"""Who needs which programme: AKP gaps and JP deficits against each programme's target criteria.

The learning app states, per programme, its target group (jenis jabatan, OPD), the minimum AKP
gap on the programme's competencies (`target_min_gap`) and whether employees below the yearly
JP target are targeted (`target_jp_deficit`). A need exists when the employee is in the target
group, has not completed the programme, and meets at least one stated criterion (everyone in
the group when none is stated). Priority (a positive integer, higher first):

    1 + 2 × (largest AKP gap on the programme's competencies) + ⌈JP deficit / 5⌉
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q, Sum

from kompeten.learning.models import AkpEntry, Programme, ProgrammeCompetency
from kompeten.participation.models import Enrolment, JpEntry
from kompeten.people.models import Employee
from kompeten.standards import jp as jp_std


def jp_deficits(instansi_id: int, year: int) -> dict[int, Fraction]:
    """JP still missing this year per active employee with a yearly minimum (PNS)."""
    minutes = {
        row["employee_id"]: row["total"] or Decimal(0)
        for row in JpEntry.objects.filter(instansi_id=instansi_id, year=year)
        .values("employee_id")
        .annotate(total=Sum("minutes"))
    }
    out: dict[int, Fraction] = {}
    for pk, status in Employee.objects.filter(instansi_id=instansi_id, is_active=True).values_list(
        "pk", "status"
    ):
        result = jp_std.jp_status(
            jp_std.minutes_to_jp(Fraction(minutes.get(pk, Decimal(0)))), status
        )
        if result.deficit > 0:
            out[pk] = result.deficit
    return out


def akp_gaps(programme: Programme, year: int) -> dict[int, int]:
    """Largest gap (required − rated level; the atasan's rating, else the self-rating) per employee."""
    competency_ids = list(
        ProgrammeCompetency.objects.filter(programme=programme).values_list(
            "competency_id", flat=True
        )
    )
    if not competency_ids:
        return {}
    entries = AkpEntry.objects.filter(
        campaign__instansi_id=programme.instansi_id,
        campaign__year__in=[year, year - 1],
        competency_id__in=competency_ids,
    ).filter(Q(atasan_level__isnull=False) | Q(self_level__isnull=False))
    gaps: dict[int, int] = {}
    for employee_id, required, atasan, own in entries.values_list(
        "employee_id", "required_level", "atasan_level", "self_level"
    ):
        rated = atasan if atasan is not None else own
        if rated is None:
            continue
        gap = required - rated
        if gap > gaps.get(employee_id, -99):
            gaps[employee_id] = gap
    return gaps


def programme_needs(programmes: list[Programme], year: int) -> dict[int, dict[int, int]]:
    """{employee id: {programme id: priority}} for the given programmes."""
    if not programmes:
        return {}
    instansi_id = programmes[0].instansi_id
    deficits = jp_deficits(instansi_id, year)
    done = defaultdict(set)
    for employee_id, programme_id in Enrolment.objects.filter(
        batch__programme__in=programmes, completed_at__isnull=False
    ).values_list("employee_id", "batch__programme_id"):
        done[programme_id].add(employee_id)
    needs: dict[int, dict[int, int]] = defaultdict(dict)
    for programme in programmes:
        group = Employee.objects.filter(instansi_id=instansi_id, is_active=True)
        if programme.target_jabatan_kinds:
            group = group.filter(jabatan_kind__in=programme.target_jabatan_kinds)
        unit_paths = list(programme.target_units.values_list("path", flat=True))
        if unit_paths:
            q = Q(pk__in=[])
            for path in unit_paths:
                q |= Q(unit__path__startswith=path)
            group = group.filter(q)
        gaps = akp_gaps(programme, year)
        use_gap = programme.target_min_gap is not None and programme.target_min_gap > 0
        use_jp = programme.target_jp_deficit
        for employee_id in group.values_list("pk", flat=True):
            if employee_id in done[programme.pk]:
                continue
            gap = gaps.get(employee_id, 0)
            deficit = deficits.get(employee_id, Fraction(0))
            if use_gap or use_jp:
                hit = (use_gap and gap >= (programme.target_min_gap or 0)) or (
                    use_jp and deficit > 0
                )
                if not hit:
                    continue
            needs[employee_id][programme.pk] = 1 + 2 * max(gap, 0) + math.ceil(deficit / 5)
    return dict(needs)
