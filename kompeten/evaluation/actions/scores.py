"""Pre- and post-test totals recorded without item answers (e.g. the panitia's score recap).

A test of any length becomes one total per person on a *scores-only* pre-test or post-test
instrument of the programme (``Instrument.scores_only``, created on first use). L2 pairs them
exactly like item-scored tests (percent of ``max_score``); item analysis is left out because no
item answers exist. Re-recording a person's total replaces the earlier total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.evaluation.actions.instruments import _new_instrument
from kompeten.evaluation.actions.responses import record_learning_gains
from kompeten.evaluation.models import (
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    RaterRole,
    Response,
)
from kompeten.learning.models import Batch, Programme
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.people.models import Employee

PRE_HOUR = time(8, 0)
POST_HOUR = time(15, 0)


@dataclass(frozen=True)
class ScoreInput:
    """One person's totals; ``None`` = absent from that test. ``note`` is the recap's remark
    (``KETERANGAN``), kept on the person's responses. Times default to the batch's first day
    08:00 (pre) and last day 15:00 (post)."""

    subject_id: int
    pre: float | None
    post: float | None
    note: str = ""
    pre_at: datetime | None = None
    post_at: datetime | None = None


@dataclass(frozen=True)
class ScoreOutcome:
    n_pre: int
    n_post: int
    n_replaced: int
    n_absent: int


def scores_only_instrument(
    programme: Programme, kind: str, *, actor: User | None, create: bool = True
) -> Instrument | None:
    """The programme's scores-only instrument of ``kind`` (pre/post-test), made on first use."""
    found = (
        Instrument.objects.filter(programme=programme, kind=kind, scores_only=True)
        .order_by("-version")
        .first()
    )
    if found is not None or not create:
        return found
    label = (
        gettext("Nilai pre-test") if kind == InstrumentKind.PRETEST else gettext("Nilai post-test")
    )
    inst = _new_instrument(
        programme, kind, f"{label} (nilai total) — {programme.title}", actor=actor
    )
    inst.scores_only = True
    inst.status = InstrumentStatus.CLOSED
    inst.save(update_fields=["scores_only", "status"])
    audit.record(actor=actor, action="evaluation.instrument_created", obj=inst, summary=str(inst))
    return inst


def _at(day: object, hour: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, hour))  # type: ignore[arg-type]


def _check_score(n: int, which: str, value: float | None, max_score: float) -> None:
    if value is None:
        return
    if not math.isfinite(value) or not 0 <= value <= max_score:
        raise ValidationError(
            gettext("Baris {n}: nilai {which} harus 0–{max:g}.").format(
                n=n, which=which, max=max_score
            )
        )


@dataclass
class _Known:
    """What the database says of the submitted people: accepted enrolments (earliest batch),
    their batches, units and names."""

    enrolments: dict[int, Enrolment]
    batches: dict[int, Batch]
    units: dict[int, int]
    names: dict[int, str]


def _check_entries(programme: Programme, entries: Sequence[ScoreInput], max_score: float) -> _Known:
    """Refuse a bad maximum, a person twice, someone not found or not a participant, and a
    total out of range, naming the row."""
    if not math.isfinite(max_score) or max_score <= 0:
        raise ValidationError(gettext("Nilai maksimum tes harus lebih dari 0."))
    subject_ids = [e.subject_id for e in entries]
    if len(set(subject_ids)) != len(subject_ids):
        raise ValidationError(gettext("Seorang peserta muncul dua kali dalam kiriman ini."))
    enrolments = {
        e.employee_id: e
        for e in Enrolment.objects.filter(
            employee_id__in=subject_ids,
            batch__programme=programme,
            status=EnrolmentStatus.ACCEPTED,
        ).order_by("-batch__start_date")  # the earliest batch wins
    }
    batches = {
        b.pk: b for b in Batch.objects.filter(pk__in={e.batch_id for e in enrolments.values()})
    }
    units = dict(Employee.objects.filter(pk__in=subject_ids).values_list("pk", "unit_id"))
    names = dict(Employee.objects.filter(pk__in=subject_ids).values_list("pk", "name"))
    for n, entry in enumerate(entries, start=1):
        if entry.subject_id not in names:
            raise ValidationError(gettext("Baris {n}: pegawai tidak ditemukan.").format(n=n))
        if entry.subject_id not in enrolments:
            raise ValidationError(
                gettext("Baris {n}: {name} bukan peserta program ini.").format(
                    n=n, name=names[entry.subject_id]
                )
            )
        _check_score(n, "pre-test", entry.pre, max_score)
        _check_score(n, "post-test", entry.post, max_score)
    return _Known(enrolments, batches, units, names)


class _ScoreRows:
    """The responses to create and to update for a set of totals, and the counts."""

    def __init__(
        self,
        programme: Programme,
        known: _Known,
        subject_ids: list[int],
        max_score: float,
        actor: User | None,
    ) -> None:
        self.programme = programme
        self.known = known
        self.max_score = max_score
        self.actor = actor
        self.existing = {
            (r.kind, r.subject_id): r
            for r in Response.objects.filter(
                programme=programme,
                kind__in=[InstrumentKind.PRETEST, InstrumentKind.POSTTEST],
                phase="",
                rater_role=RaterRole.SELF,
                subject_id__in=subject_ids,
            ).select_related("instrument")
        }
        self.instruments: dict[str, Instrument] = {}
        self.to_create: list[Response] = []
        self.to_update: list[Response] = []
        self.n_pre = self.n_post = 0
        self.posted: list[int] = []

    def _instrument(self, kind: str) -> Instrument:
        if kind not in self.instruments:
            inst = scores_only_instrument(self.programme, kind, actor=self.actor)
            assert inst is not None
            self.instruments[kind] = inst
        return self.instruments[kind]

    def add(self, n: int, entry: ScoreInput) -> None:
        """One row's pre and post totals; refused when that test was answered item by item."""
        enrolment = self.known.enrolments[entry.subject_id]
        batch = self.known.batches[enrolment.batch_id]
        for kind, value, when in (
            (InstrumentKind.PRETEST, entry.pre, entry.pre_at or _at(batch.start_date, PRE_HOUR)),
            (InstrumentKind.POSTTEST, entry.post, entry.post_at or _at(batch.end_date, POST_HOUR)),
        ):
            if value is None:
                continue
            old = self.existing.get((kind, entry.subject_id))
            if old is not None and not old.instrument.scores_only:
                raise ValidationError(
                    gettext(
                        "Baris {n}: {name} sudah mengerjakan {test} butir demi butir; nilai totalnya "
                        "tidak ditimpa."
                    ).format(
                        n=n,
                        name=self.known.names[entry.subject_id],
                        test=InstrumentKind(kind).label,
                    )
                )
            if kind == InstrumentKind.PRETEST:
                self.n_pre += 1
            else:
                self.n_post += 1
                self.posted.append(entry.subject_id)
            if old is not None:
                old.score = float(value)
                old.max_score = float(self.max_score)
                old.note = entry.note[:300]
                old.submitted_at = when
                self.to_update.append(old)
                continue
            self.to_create.append(
                Response(
                    instrument=self._instrument(kind),
                    programme=self.programme,
                    kind=kind,
                    phase="",
                    batch_id=enrolment.batch_id,
                    subject_id=entry.subject_id,
                    unit_id=self.known.units[entry.subject_id],
                    rater_id=entry.subject_id,
                    rater_role=RaterRole.SELF,
                    submitted_at=when,
                    score=float(value),
                    max_score=float(self.max_score),
                    needs_marking=False,
                    note=entry.note[:300],
                )
            )


@transaction.atomic
def do_record_test_scores(
    programme: Programme,
    *,
    entries: Sequence[ScoreInput],
    max_score: float = 100.0,
    actor: User | None = None,
) -> ScoreOutcome:
    """Store pre/post totals of the programme's participants; all or nothing.

    Refused (naming the row): a person not enrolled (accepted) in a batch of the programme, a
    person twice, a total outside 0–``max_score``, and a person whose test was already answered
    item by item (their item answers are kept; the total would contradict them).
    """
    known = _check_entries(programme, entries, max_score)
    rows = _ScoreRows(programme, known, [e.subject_id for e in entries], max_score, actor)
    n_absent = 0
    for n, entry in enumerate(entries, start=1):
        if entry.pre is None and entry.post is None:
            n_absent += 1
            continue
        rows.add(n, entry)
    Response.objects.bulk_create(rows.to_create)
    Response.objects.bulk_update(rows.to_update, ["score", "max_score", "note", "submitted_at"])
    audit.record(
        actor=actor,
        action="evaluation.test_scores_recorded",
        obj=programme,
        summary=f"{rows.n_pre} pre-test, {rows.n_post} post-test, {len(rows.to_update)} diganti",
    )
    _after_scores(programme, rows.posted, known.enrolments, entries, actor)
    return ScoreOutcome(
        n_pre=rows.n_pre, n_post=rows.n_post, n_replaced=len(rows.to_update), n_absent=n_absent
    )


def _after_scores(
    programme: Programme,
    posted: Sequence[int],
    enrolments: dict[int, Enrolment],
    entries: Sequence[ScoreInput],
    actor: User | None,
) -> None:
    """Tell participation that the post-test is done, and the learning gains."""
    from kompeten.participation.actions.attendance import do_record_posttest_done

    when = {
        r.subject_id: r.submitted_at
        for r in Response.objects.filter(
            programme=programme, kind=InstrumentKind.POSTTEST, subject_id__in=list(posted)
        )
    }
    for subject_id in posted:
        do_record_posttest_done(
            enrolment=enrolments[subject_id], when=when.get(subject_id), actor=actor
        )
    record_learning_gains(programme.pk, [e.subject_id for e in entries], actor)
