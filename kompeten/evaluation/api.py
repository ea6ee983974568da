"""API routers for instrument responses and evaluation summaries (see kompeten/api/main.py).

- Responses are read through the scoping helper over the rated employee (a pegawai sees their
  own scores, an atasan their reports', a pengelola their OPD's; a token its whole instansi) and
  submitted only through `do_submit_response` (all its checks: open instrument, designated
  rater, enrolled subject, one response per phase, answers in range).
- Evaluation summaries are read-only: `evaluate_programme` under the evaluation page's scope
  (`queries.programmes_for`, a pengelola limited to their OPD's participants).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kompeten.evaluation import queries
from kompeten.evaluation.actions.responses import do_submit_response
from kompeten.evaluation.levels.results import ProgrammeEvaluation
from kompeten.evaluation.models import Answer, Instrument, InstrumentKind, Response
from kompeten.learning.models import Programme
from kompeten.people import scoping
from kompeten.people.apiutil import (
    ERROR_RESPONSES,
    MAX_ID,
    ApiPrincipal,
    Id,
    IdFilter,
    NoNul,
    Page,
    Paging,
    PathId,
    field_error,
    filter_given,
    finite,
    not_found,
    paginate,
    principal_of,
    scope_required,
    validation_as_422,
)

responses_router = Router(tags=["responses"])
evaluations_router = Router(tags=["results"])

KindCode = Literal["reaksi", "pretest", "posttest", "perilaku"]
assert set(KindCode.__args__) == set(InstrumentKind.values)  # type: ignore[attr-defined]


def responses_of(principal: ApiPrincipal) -> QuerySet[Response]:
    """Responses the caller may read, by the pages' rule (a token: its instansi):

    - admin and pimpinan: every response of the instansi (the evaluation pages);
    - a pengelola: the responses about participants of their OPD (the evaluation page, limited
      to their OPD), and their own test scores;
    - everyone else: their own test scores only (the /evaluasi/ page). An atasan's rating of a
      report, item by item with the rater's id, is not the report's to read, nor are a report's
      self-ratings their atasan's.
    """
    qs = Response.objects.filter(programme__instansi_id=principal.instansi_id)
    user = principal.user
    if user is None or scoping.sees_whole_instansi(user):
        return qs
    own = queries.my_scores(user).values("pk")
    q = Q(pk__in=own)
    forced = queries.forced_unit(user)
    if user.is_pengelola and forced is not None:
        q |= Q(subject__unit__path__startswith=forced.path)
    return qs.filter(q)


def evaluation_programmes_of(principal: ApiPrincipal) -> QuerySet[Programme]:
    if principal.user is not None:
        return queries.programmes_for(principal.user)
    return Programme.objects.filter(instansi_id=principal.instansi_id)


# --- schemas ----------------------------------------------------------------------------------


class AnswerOut(Schema):
    item_id: int
    trainer_id: int | None
    value: float | None
    text: str
    points: float | None


class ResponseOut(Schema):
    id: int
    instrument_id: int
    programme_id: int
    batch_id: int
    kind: str
    phase: str
    subject_id: int | None = Field(description="None for an anonymous reaction questionnaire.")
    rater_id: int | None = Field(description="None for an anonymous reaction questionnaire.")
    rater_role: str
    submitted_at: datetime
    score: float | None
    max_score: float | None
    score_pct: float | None
    needs_marking: bool


class ResponseDetailOut(ResponseOut):
    answers: list[AnswerOut]


AnswerValue = (
    Annotated[str, Field(max_length=4000), NoNul] | Annotated[float, Field(allow_inf_nan=False)]
)


class ResponseIn(Schema):
    """One answered instrument. `answers` maps "<item id>" (or "<item id>:<trainer id>" for
    trainer items) to the answer: a Likert level, a percentage, an option or a text."""

    instrument_id: Id
    subject_id: Id
    rater_id: Id
    answers: Annotated[
        dict[Annotated[str, Field(max_length=40)], AnswerValue], Field(max_length=500)
    ]


class RateOut(Schema):
    label: str
    invited: int
    answered: int


class ScaleOut(Schema):
    n: int
    mean: float | None
    index: float | None
    band: str


class ItemOut(Schema):
    text: str
    scale_max: int
    labels: list[str]
    n: int
    mean: float | None
    share_agree: float | None


class Level1Out(Schema):
    n_responses: int
    n_participants: int
    overall: ScaleOut | None
    sentence: str
    items: list[ItemOut]
    item_mean: float | None
    share_agree: float | None


class Level2Out(Schema):
    n_pre: int
    n_post: int
    n_pairs: int
    n_pending_marking: int
    mean_pre: float | None
    mean_post: float | None
    class_gain: float | None
    gain_sentence: str
    change_sentence: str
    mean_pre_all: float | None
    mean_gain: float | None
    mean_individual_gain: float | None
    totals_only: bool


class SentenceOut(Schema):
    sentence: str


class Level5Out(Schema):
    total_cost: float | None
    total_benefit: float | None
    bcr: float | None
    roi_pct: float | None
    sentence: str


class EvaluationOut(Schema):
    programme_id: int
    title: str
    n_participants: int
    batch: int | None
    unit: int | None
    response_rates: list[RateOut]
    l1: Level1Out
    l2: Level2Out
    l3: SentenceOut
    l4: SentenceOut
    l5: Level5Out


# --- responses --------------------------------------------------------------------------------


def _response_rows(qs: QuerySet[Response]) -> QuerySet[Response]:
    return qs.order_by("-submitted_at", "-id")


def _detail(response: Response) -> dict[str, Any]:
    answers = Answer.objects.filter(response=response).order_by("id")
    return {
        **{f: getattr(response, f) for f in ResponseOut.model_fields if f != "score_pct"},
        "score_pct": response.score_pct,
        "answers": [
            {
                "item_id": a.item_id,
                "trainer_id": a.trainer_id,
                "value": finite(a.value),
                "text": a.text,
                "points": finite(a.points),
            }
            for a in answers
        ],
    }


@responses_router.get("", response={200: Page[ResponseOut], **ERROR_RESPONSES})
@scope_required("responses:read")
def list_responses(
    request: HttpRequest,
    page: Query[Paging],
    programme: IdFilter = None,
    instrument: IdFilter = None,
    batch: IdFilter = None,
    kind: KindCode | None = None,
    subject: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Employee id.")] = None,
    submitted_from: date | None = None,
    submitted_until: date | None = None,
) -> Any:
    """Instrument responses (scores) the caller may read, newest first."""
    qs = responses_of(principal_of(request))
    qs = filter_given(
        qs,
        programme_id=programme,
        instrument_id=instrument,
        batch_id=batch,
        kind=kind,
        subject_id=subject,
        submitted_at__date__gte=submitted_from,
        submitted_at__date__lte=submitted_until,
    )
    return paginate(_response_rows(qs), page)


@responses_router.get("/{response_id}", response={200: ResponseDetailOut, **ERROR_RESPONSES})
@scope_required("responses:read")
def get_response(request: HttpRequest, response_id: PathId) -> Any:
    """One response with its answers."""
    response = responses_of(principal_of(request)).filter(pk=response_id).first()
    if response is None:
        raise not_found("Jawaban instrumen", "Response")
    return _detail(response)


@responses_router.post("", response={201: ResponseDetailOut, **ERROR_RESPONSES})
@scope_required("responses:write")
def submit_response(request: HttpRequest, payload: ResponseIn) -> Any:
    """Submit one answered instrument (e.g. from a CBT or survey app), checked like the form."""
    principal = principal_of(request)
    instrument = Instrument.objects.filter(
        instansi_id=principal.instansi_id, pk=payload.instrument_id
    ).first()
    if instrument is None:
        raise field_error("instrument_id", "Instrumen tidak dikenal.", "Unknown instrument.")
    people = {
        e.pk: e for e in principal.employees().filter(pk__in={payload.subject_id, payload.rater_id})
    }
    if payload.subject_id not in people:
        raise field_error("subject_id", "Pegawai yang dinilai tidak dikenal.", "Unknown subject.")
    if payload.rater_id not in people:
        raise field_error("rater_id", "Penilai tidak dikenal.", "Unknown rater.")
    with validation_as_422():
        response = do_submit_response(
            instrument,
            subject=people[payload.subject_id],
            rater=people[payload.rater_id],
            answers=dict(payload.answers),
            actor=principal.actor(),
        )
    return Status(201, _detail(response))


# --- evaluation summaries ---------------------------------------------------------------------


def _l1_summary(ev: ProgrammeEvaluation) -> dict[str, Any]:
    overall = ev.l1.overall
    return {
        "n_responses": ev.l1.n_responses,
        "n_participants": ev.l1.n_participants,
        "overall": None
        if overall is None
        else {
            "n": overall.n,
            "mean": finite(overall.mean),
            "index": finite(overall.index),
            "band": overall.band,
        },
        "sentence": ev.l1.sentence,
        "items": [
            {
                "text": i.text,
                "scale_max": i.scale_max,
                "labels": list(i.labels),
                "n": i.n,
                "mean": finite(i.mean),
                "share_agree": finite(i.share_agree),
            }
            for i in ev.l1.items
        ],
        "item_mean": finite(ev.l1.item_mean),
        "share_agree": finite(ev.l1.share_agree),
    }


def _l2_summary(ev: ProgrammeEvaluation) -> dict[str, Any]:
    gain = ev.l2.gain
    return {
        "n_pre": ev.l2.n_pre,
        "n_post": ev.l2.n_post,
        "n_pairs": ev.l2.n_pairs,
        "n_pending_marking": ev.l2.n_pending_marking,
        "mean_pre": finite(ev.l2.mean_pre),
        "mean_post": finite(ev.l2.mean_post),
        "class_gain": finite(gain.class_gain) if gain is not None else None,
        "gain_sentence": ev.l2.gain_sentence,
        "change_sentence": ev.l2.change_sentence,
        "mean_pre_all": finite(ev.l2.mean_pre_all),
        "mean_gain": finite(ev.l2.mean_gain),
        "mean_individual_gain": finite(gain.mean_individual_gain) if gain is not None else None,
        "totals_only": ev.l2.totals_only,
    }


@evaluations_router.get("/{programme_id}", response={200: EvaluationOut, **ERROR_RESPONSES})
@scope_required("results:read")
def programme_evaluation(
    request: HttpRequest,
    programme_id: PathId,
    batch: IdFilter = None,
    unit: Annotated[int | None, Query(ge=1, le=MAX_ID, description="OPD subtree.")] = None,
) -> Any:
    """A programme's evaluation summary (levels 1–5), as on the evaluation page: for the whole
    programme, one batch or one OPD subtree (a pengelola always gets their own OPD)."""
    principal = principal_of(request)
    programme = evaluation_programmes_of(principal).filter(pk=programme_id).first()
    if programme is None:
        raise not_found("Program", "Programme")
    chosen_unit = None
    if unit is not None:
        chosen_unit = principal.units().filter(pk=unit).first()
        if chosen_unit is None:
            raise field_error("unit", "Unit kerja tidak dikenal.", "Unknown unit.")
    if principal.user is not None:
        forced = queries.forced_unit(principal.user)
        if forced is not None and (
            chosen_unit is None or not chosen_unit.path.startswith(forced.path)
        ):
            chosen_unit = forced
    if batch is not None and not programme.batches.filter(pk=batch).exists():
        raise field_error("batch", "Angkatan bukan bagian dari program ini.", "Unknown batch.")
    ev = queries.evaluate_programme(programme, batch_id=batch, unit=chosen_unit)
    return {
        "programme_id": ev.programme_id,
        "title": ev.title,
        "n_participants": ev.n_participants,
        "batch": batch,
        "unit": chosen_unit.pk if chosen_unit is not None else None,
        "response_rates": [
            {"label": r.label, "invited": r.invited, "answered": r.answered}
            for r in ev.response_rates
        ],
        "l1": _l1_summary(ev),
        "l2": _l2_summary(ev),
        "l3": {"sentence": ev.l3.sentence},
        "l4": {"sentence": ev.l4.sentence},
        "l5": {
            "total_cost": finite(ev.l5.total_cost),
            "total_benefit": finite(ev.l5.total_benefit),
            "bcr": finite(ev.l5.bcr),
            "roi_pct": finite(ev.l5.roi_pct),
            "sentence": ev.l5.sentence,
        },
    }
