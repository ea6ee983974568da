"""Scoring role-play simulations on the module's rubric, by several observers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.evaluation.models import SimulationScore
from kompeten.learning.models import Batch, Module, ModuleKind, RubricLevel, Session
from kompeten.participation.models import Enrolment, EnrolmentStatus


def may_observe(user: User, batch: Batch) -> bool:
    """Admins, and trainers (fasilitator) who teach a session of this batch or are its trainers."""
    if user.is_admin:
        return True
    if user.employee_id is None:
        return False
    return (
        Session.objects.filter(batch=batch, trainer__employee_id=user.employee_id).exists()
        or batch.trainers.filter(employee_id=user.employee_id).exists()
    )


def rubric_levels(module: Module) -> dict[int, set[int]]:
    """criterion id → the scores its levels allow."""
    out: dict[int, set[int]] = {}
    for criterion_id, score in RubricLevel.objects.filter(
        criterion__rubric__scenario__module=module
    ).values_list("criterion_id", "score"):
        out.setdefault(criterion_id, set()).add(score)
    return out


def _check_observation(module: Module, batch: Batch, observer: User) -> dict[int, set[int]]:
    """The module's rubric levels; refused when the module is no simulation, the batch is of
    another programme, the observer has no session in it, or there is no rubric."""
    if module.kind != ModuleKind.SIMULASI:
        raise ValidationError(gettext("Modul ini bukan simulasi."))
    if batch.programme_id != module.programme_id:
        raise ValidationError(gettext("Angkatan ini bukan angkatan program modul tersebut."))
    if not may_observe(observer, batch):
        raise ValidationError(gettext("Anda bukan pengamat/pengajar sesi angkatan ini."))
    levels = rubric_levels(module)
    if not levels:
        raise ValidationError(gettext("Modul simulasi ini belum punya rubrik."))
    return levels


def _level_score(levels: dict[int, set[int]], criterion_id: int, raw: object) -> int:
    """The score given for a criterion, refused unless it is one of the criterion's levels."""
    allowed = levels.get(criterion_id)
    if allowed is None:
        raise ValidationError(gettext("Kriteria itu bukan bagian rubrik modul ini."))
    try:
        score = int(str(raw).strip())
    except ValueError:
        score = -1
    if score not in allowed:
        raise ValidationError(
            gettext("Skor {score} di luar level rubrik (yang ada: {levels}).").format(
                score=raw, levels=", ".join(str(s) for s in sorted(allowed))
            )
        )
    return score


@transaction.atomic
def do_score_simulations(
    module: Module,
    *,
    batch: Batch,
    observer: User,
    scores: Mapping[int, Mapping[int, object]],
    now: datetime | None = None,
) -> list[SimulationScore]:
    """Store ``scores`` = {participant id: {criterion id: level score}} of one observer.

    Every criterion must get a score that is one of its levels; a participant scored before by
    the same observer, a non-participant or an observer without a session in the batch is refused.
    """
    now = now or timezone.now()
    levels = _check_observation(module, batch, observer)
    enrolled = set(
        Enrolment.objects.filter(
            batch=batch, employee_id__in=list(scores), status=EnrolmentStatus.ACCEPTED
        ).values_list("employee_id", flat=True)
    )
    done = set(
        SimulationScore.objects.filter(
            module=module, observer=observer, subject_id__in=list(scores)
        ).values_list("subject_id", flat=True)
    )
    rows: list[SimulationScore] = []
    for subject_id, by_criterion in scores.items():
        if subject_id not in enrolled:
            raise ValidationError(
                gettext("Pegawai #{subject_id} bukan peserta angkatan ini.").format(
                    subject_id=subject_id
                )
            )
        if subject_id in done:
            raise ValidationError(
                gettext("Pegawai #{subject_id} sudah Anda nilai untuk simulasi ini.").format(
                    subject_id=subject_id
                )
            )
        missing = set(levels) - {int(c) for c in by_criterion}
        if missing:
            raise ValidationError(gettext("Setiap kriteria rubrik harus dinilai."))
        for criterion_id, raw in by_criterion.items():
            score = _level_score(levels, int(criterion_id), raw)
            rows.append(
                SimulationScore(
                    batch=batch,
                    module=module,
                    subject_id=subject_id,
                    observer=observer,
                    criterion_id=int(criterion_id),
                    score=score,
                    created=now,
                )
            )
    created = SimulationScore.objects.bulk_create(rows)
    audit.record(
        actor=observer,
        action="evaluation.simulation_scored",
        obj=module,
        summary=f"{len(scores)} peserta, angkatan {batch.code}",
    )
    return created
