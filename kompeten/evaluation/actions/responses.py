"""Answering instruments: validation, automatic scoring, hand marking of short answers.

The core is :func:`do_submit_responses` (many responses to one instrument, validated together,
written together: the demo and imports use it); :func:`do_submit_response` is one of them;
:func:`do_record_anonymous_reactions` stores an anonymous reaction form's answers.
Bad input raises ``ValidationError`` naming the row and item, and nothing is written.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.evaluation import scales
from kompeten.evaluation.models import (
    Answer,
    FollowUp,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    Item,
    ItemKind,
    RaterRole,
    Response,
    Section,
)
from kompeten.learning.models import Batch
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.people.models import Employee


@dataclass(frozen=True)
class ResponseInput:
    """One answered instrument. ``answers`` maps ``"<item id>"`` (or ``"<item id>:<trainer id>"``
    for trainer items) to the raw value as typed (a string or a number)."""

    subject_id: int
    rater_id: int
    answers: Mapping[str, object]
    submitted_at: datetime | None = None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object) -> float | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _parse(item: Item, raw: object, scale_max: int) -> tuple[float | None, str, float | None]:
    """(value, text, points) of one answer, or ValidationError with a plain message."""
    if item.kind == ItemKind.LIKERT:
        return _parse_likert(item, raw, scale_max)
    if item.kind == ItemKind.PERCENT:
        v = _number(raw)
        if v is None or not 0 <= v <= 100:
            raise ValidationError(gettext("jawaban harus persentase 0–100"))
        return v, "", None
    if item.kind == ItemKind.OPEN:
        return None, str(raw).strip()[:4000], None
    points = float(item.points)
    if item.kind == ItemKind.MULTIPLE_CHOICE:
        return _parse_multiple_choice(item, raw, points)
    if item.kind == ItemKind.TRUE_FALSE:
        text = str(raw).strip().lower()
        if text not in ("benar", "salah"):
            raise ValidationError(gettext("jawaban harus 'benar' atau 'salah'"))
        return (1.0 if text == "benar" else 0.0), text, points if text == item.correct else 0.0
    # short answer: marked by hand later
    return None, str(raw).strip()[:2000], None


def _parse_likert(item: Item, raw: object, scale_max: int) -> tuple[float, str, None]:
    """A Likert answer: one of the item's labels, or a whole number 1 to the scale's top."""
    if item.is_labelled_scale:
        labels = item.option_list
        level = scales.label_level(labels, raw)
        if level is None:
            raise ValidationError(
                gettext("jawaban harus salah satu dari: {labels}").format(
                    labels=" / ".join(reversed(labels))
                )
            )
        return float(level), labels[level - 1], None
    top = item.top_of_scale(scale_max)
    v = _number(raw)
    if v is None and (level := scales.likert_level(raw)) is not None:
        v = float(level)  # "4 - Setuju", as a form exports an option with its label
    if v is None or v != int(v) or not 1 <= v <= top:
        raise ValidationError(
            gettext("jawaban harus angka bulat 1–{scale_max}").format(scale_max=top)
        )
    return v, "", None


def _parse_multiple_choice(item: Item, raw: object, points: float) -> tuple[float, str, float]:
    """A multiple-choice answer: an option's text or its 0-based index; full points when it
    is the correct option."""
    options = item.option_list
    text = str(raw).strip()
    if text not in options:
        v = _number(text)
        if v is None or v != int(v) or not 0 <= v < len(options):
            raise ValidationError(gettext("pilihan tidak ada di soal ini"))
        text = options[int(v)]
    return float(options.index(text)), text, points if text == item.correct else 0.0


def _raise_row(n: int, total: int, message: str) -> NoReturn:
    if total > 1:
        message = gettext("Baris {n}: {message}").format(n=n, message=message)
    raise ValidationError(message)


def _check_open(instrument: Instrument, imported: bool) -> None:
    if instrument.status != InstrumentStatus.OPEN and not imported:
        raise ValidationError(
            gettext("Instrumen ini sudah ditutup.")
            if instrument.status == InstrumentStatus.CLOSED
            else gettext("Instrumen ini belum dibuka.")
        )


@dataclass
class _Known:
    """What the database says about the subjects of one submission, read in a few queries
    before any row is checked: enrolments, employees, trainers per batch, follow-ups, the
    responses already given and (for a post-test) the pre-tests."""

    enrolments: dict[int, Enrolment]
    employees: dict[int, Employee]
    trainers_by_batch: dict[int, list[int]]
    follow_ups: dict[tuple[int, str], FollowUp]
    existing: set[tuple[int, str]]
    pre_done: dict[int, datetime]


def _follow_ups(instrument: Instrument, subject_ids: set[int]) -> dict[tuple[int, str], FollowUp]:
    """Behaviour: the instrument's own follow-ups (they name the rater). Otherwise the open
    follow-ups of the same kind and phase in the programme, which this response answers."""
    if instrument.kind == InstrumentKind.BEHAVIOUR:
        found = FollowUp.objects.filter(instrument=instrument, subject_id__in=subject_ids)
    else:
        found = FollowUp.objects.filter(
            instrument__programme_id=instrument.programme_id,
            instrument__kind=instrument.kind,
            instrument__phase=instrument.phase,
            subject_id__in=subject_ids,
            response__isnull=True,
        )
    return {(f.subject_id, f.rater_role): f for f in found}


def _load_known(instrument: Instrument, entries: Sequence[ResponseInput]) -> _Known:
    subject_ids = {e.subject_id for e in entries}
    enrolments = {
        e.employee_id: e
        for e in Enrolment.objects.filter(
            employee_id__in=subject_ids,
            batch__programme_id=instrument.programme_id,
            status=EnrolmentStatus.ACCEPTED,
        ).order_by("-batch__start_date")  # the earliest batch wins
    }
    employees = {
        e.pk: e for e in Employee.objects.filter(pk__in=subject_ids | {x.rater_id for x in entries})
    }
    batch_ids = {e.batch_id for e in enrolments.values()}
    trainers_by_batch: dict[int, list[int]] = {b: [] for b in batch_ids}
    for b_id, t_id in Batch.trainers.through.objects.filter(batch_id__in=batch_ids).values_list(
        "batch_id", "trainer_id"
    ):
        trainers_by_batch[b_id].append(t_id)
    follow_ups = _follow_ups(instrument, subject_ids)
    existing = set(
        Response.objects.filter(
            programme_id=instrument.programme_id,
            kind=instrument.kind,
            phase=instrument.phase,
            subject_id__in=subject_ids,
        ).values_list("subject_id", "rater_role")
    )
    pre_done: dict[int, datetime] = {}
    if instrument.kind == InstrumentKind.POSTTEST:
        pre_done = dict(
            Response.objects.filter(
                programme_id=instrument.programme_id,
                kind=InstrumentKind.PRETEST,
                subject_id__in=subject_ids,
            ).values_list("subject_id", "submitted_at")
        )
    return _Known(enrolments, employees, trainers_by_batch, follow_ups, existing, pre_done)


def _check_rater(
    instrument: Instrument,
    subject: Employee,
    rater: Employee,
    known: _Known,
    n: int,
    total: int,
) -> tuple[str, FollowUp | None]:
    """The rater's role and the follow-up the response answers; refused when the rater is
    not the designated one, or the response was given already."""
    if instrument.kind == InstrumentKind.BEHAVIOUR:
        role = RaterRole.SELF if rater.pk == subject.pk else RaterRole.ATASAN
        follow_up = known.follow_ups.get((subject.pk, role))
        if follow_up is None or follow_up.rater_id != rater.pk:
            _raise_row(
                n,
                total,
                gettext("{rater} bukan penilai yang ditunjuk untuk {subject}.").format(
                    rater=rater.name, subject=subject.name
                ),
            )
    else:
        role = RaterRole.SELF
        if rater.pk != subject.pk:
            _raise_row(n, total, gettext("Instrumen ini hanya dapat diisi oleh peserta sendiri."))
        follow_up = known.follow_ups.get((subject.pk, role))
    if (subject.pk, role) in known.existing:
        done_msg = (
            gettext("Tes ini sudah dikerjakan oleh/untuk {name}.")
            if instrument.is_test
            else gettext("Instrumen ini sudah dikerjakan oleh/untuk {name}.")
        )
        _raise_row(n, total, done_msg.format(name=subject.name))
    return role, follow_up


def _check_pre_test_done(
    instrument: Instrument,
    subject: Employee,
    submitted: datetime,
    known: _Known,
    n: int,
    total: int,
) -> None:
    """A post-test is refused before its subject's pre-test."""
    if instrument.kind != InstrumentKind.POSTTEST:
        return
    pre_at = known.pre_done.get(subject.pk)
    if pre_at is None or pre_at > submitted:
        _raise_row(
            n, total, gettext("{name} belum mengerjakan pre-test.").format(name=subject.name)
        )


@dataclass
class _Scored:
    """One response's answers and, for a test, its score so far."""

    answers: list[Answer]
    score: float = 0.0
    max_score: float = 0.0
    needs_marking: bool = False


def _score_answers(
    instrument: Instrument,
    items: list[Item],
    given: Mapping[str, object],
    trainers: list[int],
    n: int,
    total: int,
) -> _Scored:
    """Parse and score every answer of one response (trainer items once per trainer of the
    batch); refused on a missing required answer or an out-of-range one."""
    scored = _Scored(answers=[])
    for item in items:
        keys: list[tuple[str, int | None]] = (
            [(f"{item.pk}:{t}", t) for t in trainers]
            if item.section == Section.TRAINER
            else [(str(item.pk), None)]
        )
        for key, trainer_id in keys:
            raw = given.get(key)
            if _blank(raw):
                if item.required and item.kind != ItemKind.OPEN:
                    _raise_row(
                        n, total, gettext("Butir {order} belum dijawab.").format(order=item.order)
                    )
                if instrument.is_test:
                    scored.max_score += float(item.points)
                    scored.answers.append(Answer(item=item, points=0.0, text=""))
                continue
            try:
                value, text, points = _parse(item, raw, instrument.scale_max)
            except ValidationError as exc:
                _raise_row(
                    n,
                    total,
                    gettext("Butir {order}: {error}.").format(
                        order=item.order, error=exc.messages[0]
                    ),
                )
            if instrument.is_test:
                scored.max_score += float(item.points)
                if points is None:
                    scored.needs_marking = True
                else:
                    scored.score += points
            scored.answers.append(
                Answer(item=item, trainer_id=trainer_id, value=value, text=text, points=points)
            )
    return scored


def _response_to(instrument: Instrument, **fields: Any) -> Response:
    """A response to ``instrument`` (its programme, kind and phase), not yet saved."""
    return Response(
        instrument=instrument,
        programme_id=instrument.programme_id,
        kind=instrument.kind,
        phase=instrument.phase,
        **fields,
    )


def _store(
    instrument: Instrument,
    responses: list[Response],
    answer_rows: list[list[Answer]],
    linked: list[FollowUp | None],
) -> list[Response]:
    """Write the checked responses, their answers and the follow-ups they answer."""
    created = Response.objects.bulk_create(responses)
    if created and created[0].pk is None:  # a backend that does not return ids
        stored = Response.objects.filter(
            programme_id=instrument.programme_id, kind=instrument.kind, phase=instrument.phase
        )
        if responses[0].anonymous_key:
            found = stored.filter(anonymous_key__in=[r.anonymous_key for r in responses])
            keys = {r.anonymous_key: r for r in found}
            created = [keys[r.anonymous_key] for r in responses]
        else:
            stored = stored.filter(subject_id__in=[r.subject_id for r in responses])
            by_subject = {(r.subject_id, r.rater_role): r for r in stored}
            created = [by_subject[(r.subject_id, r.rater_role)] for r in responses]
    flat: list[Answer] = []
    for response, answers in zip(created, answer_rows, strict=True):
        for a in answers:
            a.response = response
            flat.append(a)
    Answer.objects.bulk_create(flat, batch_size=2000)
    to_link = []
    for response, follow_up in zip(created, linked, strict=True):
        if follow_up is not None:
            follow_up.response = response
            to_link.append(follow_up)
    FollowUp.objects.bulk_update(to_link, ["response"])
    return created


@transaction.atomic
def do_submit_responses(
    instrument: Instrument,
    *,
    entries: Sequence[ResponseInput],
    actor: User | None = None,
    now: datetime | None = None,
    imported: bool = False,
) -> list[Response]:
    """Validate and store responses to ``instrument``; all or nothing.

    ``imported``: answers brought from a file after the fact (each with its own
    ``submitted_at``), accepted whatever the instrument's status.

    Refused: an instrument that is not open (unless imported); a rater who is not the designated rater (the
    participant themself for reaction and tests; the follow-up's rater for behaviour); a subject
    not enrolled (accepted) in a batch of the programme; a second response of the same kind and
    phase; a post-test before the pre-test; a missing required answer or an out-of-range one.
    """
    now = now or timezone.now()
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    _check_open(instrument, imported)
    items = list(instrument.items.all())
    total = len(entries)
    if len({e.subject_id for e in entries}) != total:
        raise ValidationError(gettext("Seorang peserta muncul dua kali dalam kiriman ini."))
    known = _load_known(instrument, entries)

    responses: list[Response] = []
    answer_rows: list[list[Answer]] = []
    linked: list[FollowUp | None] = []
    for n, entry in enumerate(entries, start=1):
        subject = known.employees.get(entry.subject_id)
        rater = known.employees.get(entry.rater_id)
        if subject is None or rater is None:
            _raise_row(n, total, gettext("Pegawai tidak ditemukan."))
        enrolment = known.enrolments.get(subject.pk)
        if enrolment is None:
            _raise_row(
                n, total, gettext("{name} bukan peserta program ini.").format(name=subject.name)
            )
        role, follow_up = _check_rater(instrument, subject, rater, known, n, total)
        submitted = entry.submitted_at or now
        _check_pre_test_done(instrument, subject, submitted, known, n, total)
        trainers = known.trainers_by_batch.get(enrolment.batch_id, [])
        scored = _score_answers(instrument, items, entry.answers, trainers, n, total)
        responses.append(
            _response_to(
                instrument,
                batch_id=enrolment.batch_id,
                subject=subject,
                unit_id=subject.unit_id,
                rater=rater,
                rater_role=role,
                submitted_at=submitted,
                score=scored.score if instrument.is_test else None,
                max_score=scored.max_score if instrument.is_test else None,
                needs_marking=scored.needs_marking,
            )
        )
        answer_rows.append(scored.answers)
        linked.append(follow_up)

    created = _store(instrument, responses, answer_rows, linked)
    audit.record(
        actor=actor,
        action="evaluation.responses_submitted",
        obj=instrument,
        summary=f"{len(created)} jawaban",
    )
    if instrument.kind == InstrumentKind.POSTTEST:
        _after_posttest(instrument, created, known.enrolments, actor)
    return created


@dataclass(frozen=True)
class AnonymousReaction:
    """One answer of an anonymous reaction questionnaire: ``answers`` as in
    :class:`ResponseInput`; ``key`` what tells it from every other answer of the form (a digest
    of its time and answers), so that the same file imported twice stores it once."""

    answers: Mapping[str, object]
    submitted_at: datetime
    key: str


@transaction.atomic
def do_record_anonymous_reactions(
    instrument: Instrument,
    *,
    batch: Batch,
    entries: Sequence[AnonymousReaction],
    actor: User | None = None,
) -> list[Response]:
    """Store the answers of an anonymous reaction questionnaire (a form that asked no NIP or
    name) as responses of ``batch`` with no subject, rater or unit; all or nothing.

    They count in the programme's L1 results, for its batch; not in a result limited to an
    OPD (no unit), nor in anyone's own record. Refused: an instrument that is not a reaction
    questionnaire, a batch of another programme, a key already stored or given twice, a
    missing required answer or an out-of-range one.
    """
    if instrument.kind != InstrumentKind.REACTION:
        raise ValidationError(gettext("Hanya kuesioner reaksi yang dapat diisi tanpa nama."))
    if batch.programme_id != instrument.programme_id:
        raise ValidationError(gettext("Angkatan ini bukan angkatan program kuesioner ini."))
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    keys = [e.key for e in entries]
    stored = set(
        Response.objects.filter(
            programme_id=instrument.programme_id, kind=instrument.kind, anonymous_key__in=keys
        ).values_list("anonymous_key", flat=True)
    )
    if len(set(keys)) != len(keys) or stored or not all(keys):
        raise ValidationError(gettext("Jawaban yang sama sudah tersimpan atau muncul dua kali."))
    items = list(instrument.items.all())
    trainers = list(batch.trainers.values_list("pk", flat=True))
    responses: list[Response] = []
    answer_rows: list[list[Answer]] = []
    for n, entry in enumerate(entries, start=1):
        scored = _score_answers(instrument, items, entry.answers, trainers, n, len(entries))
        responses.append(
            _response_to(
                instrument,
                batch_id=batch.pk,
                rater_role=RaterRole.SELF,
                submitted_at=entry.submitted_at,
                anonymous_key=entry.key,
            )
        )
        answer_rows.append(scored.answers)
    created = _store(instrument, responses, answer_rows, [None] * len(responses))
    audit.record(
        actor=actor,
        action="evaluation.anonymous_responses_recorded",
        obj=instrument,
        summary=f"{len(created)} jawaban tanpa nama, angkatan {batch.code}",
    )
    return created


def _after_posttest(
    instrument: Instrument,
    created: Sequence[Response],
    enrolments: Mapping[int, Enrolment],
    actor: User | None,
) -> None:
    """Tell the participation app: the post-test is done, and the learning gain when final."""
    from kompeten.participation.actions.attendance import do_record_posttest_done

    subjects = [(r.subject_id, r.submitted_at) for r in created if r.subject_id is not None]
    for subject_id, when in subjects:
        do_record_posttest_done(enrolment=enrolments[subject_id], when=when, actor=actor)
    record_learning_gains(instrument.programme_id, [s for s, _when in subjects], actor)


def record_learning_gains(
    programme_id: int, subject_ids: Sequence[int], actor: User | None
) -> None:
    """Individual normalised gain ``(post% − pre%) / (100 − pre%)`` of fully marked pairs, sent
    to participation (points for a high gain). Skipped when pre is 100 % (undefined)."""
    from kompeten.participation.actions.attendance import do_record_learning_gain

    rows = Response.objects.filter(
        programme_id=programme_id,
        kind__in=[InstrumentKind.PRETEST, InstrumentKind.POSTTEST],
        subject_id__in=list(subject_ids),
    ).values_list("subject_id", "kind", "score", "max_score", "needs_marking")
    pairs: dict[int, dict[str, float | None]] = {}
    for subject_id, kind, score, max_score, pending in rows:
        pct = None if pending or score is None or not max_score else score / max_score * 100
        pairs.setdefault(subject_id, {})[kind] = pct
    enrolments = {
        e.employee_id: e
        for e in Enrolment.objects.filter(
            employee_id__in=list(pairs),
            batch__programme_id=programme_id,
            status=EnrolmentStatus.ACCEPTED,
        )
    }
    for subject_id, pair in pairs.items():
        pre, post = pair.get(InstrumentKind.PRETEST), pair.get(InstrumentKind.POSTTEST)
        if pre is None or post is None or pre >= 100 or subject_id not in enrolments:
            continue
        gain = Decimal(str(round((post - pre) / (100 - pre), 5)))
        do_record_learning_gain(enrolment=enrolments[subject_id], gain=gain, actor=actor)


def do_submit_response(
    instrument: Instrument,
    *,
    subject: Employee,
    rater: Employee,
    answers: Mapping[str, object],
    actor: User | None = None,
    now: datetime | None = None,
) -> Response:
    return do_submit_responses(
        instrument,
        entries=[ResponseInput(subject_id=subject.pk, rater_id=rater.pk, answers=answers)],
        actor=actor,
        now=now,
    )[0]


@transaction.atomic
def do_mark_short_answers(
    response: Response, *, points: Mapping[int, object], actor: User
) -> Response:
    """Mark short answers by hand: ``points`` maps answer id → points (0..the item's weight)."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    answers = {
        a.pk: a for a in response.answers.select_related("item").filter(item__kind=ItemKind.SHORT)
    }
    for answer_id, raw in points.items():
        answer = answers.get(int(answer_id))
        if answer is None:
            raise ValidationError(gettext("Jawaban yang dinilai bukan jawaban singkat tes ini."))
        value = _number(raw)
        if value is None or not 0 <= value <= float(answer.item.points):
            raise ValidationError(
                gettext("Butir {order}: nilai harus 0–{max_points:g}.").format(
                    order=answer.item.order, max_points=float(answer.item.points)
                )
            )
        answer.points = value
        answer.marked_by = actor
    Answer.objects.bulk_update(list(answers.values()), ["points", "marked_by"])
    all_points = list(response.answers.values_list("points", flat=True))
    response.needs_marking = any(p is None for p in all_points)
    response.score = float(sum(p for p in all_points if p is not None))
    response.save(update_fields=["needs_marking", "score"])
    audit.record(actor=actor, action="evaluation.short_answers_marked", obj=response)
    if not response.needs_marking and response.subject_id is not None:
        record_learning_gains(response.programme_id, [response.subject_id], actor)
    return response
