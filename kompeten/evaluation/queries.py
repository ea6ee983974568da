"""Reads of the evaluation app, and :func:`evaluate_programme`, the typed entry point the
report issue calls. Every level is computed from a constant number of queries (aggregated in
SQL where possible, else fetched as plain tuples and computed with numpy), never per row."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Avg, Case, Count, Max, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core.models import User
from kompeten.evaluation import benefits
from kompeten.evaluation.actions.followups import add_months
from kompeten.evaluation.levels import l1 as l1_engine
from kompeten.evaluation.levels import l2 as l2_engine
from kompeten.evaluation.levels import l3 as l3_engine
from kompeten.evaluation.levels import l4 as l4_engine
from kompeten.evaluation.levels.results import (
    GroupIndex,
    ItemAnalysis,
    L1Result,
    L3Result,
    L4Result,
    OfficerComplaints,
    ProgrammeEvaluation,
    ResponseRate,
    SimulationResult,
)
from kompeten.evaluation.models import (
    Answer,
    FollowUp,
    Instrument,
    InstrumentKind,
    Item,
    ItemKind,
    Phase,
    RaterRole,
    Response,
    Section,
    SimulationScore,
)
from kompeten.evaluation.skp import skp_results
from kompeten.learning.models import (
    Batch,
    Programme,
    RubricCriterion,
    Trainer,
)
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.people.models import Unit
from kompeten.people.scoping import sees_whole_instansi
from kompeten.service.models import Complaint, ServiceUnit
from kompeten.service.queries import (
    ResolutionGroups,
    complaint_durations,
    complaint_resolution_groups,
    ikm_rows,
)

KIND_LABELS = {k.value: str(k.label) for k in InstrumentKind}


def _rows(qs: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """Run a values_list queryset on the raw cursor (no per-row model or dict building)."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- scope -----------------------------------------------------------------------------------


def programmes_for(user: User) -> QuerySet[Programme]:
    """Programmes whose evaluation the user may read: whole instansi for admin and pimpinan;
    a pengelola the programmes with participants in their OPD (their participants only)."""
    if user.instansi_id is None:
        return Programme.objects.none()
    qs = Programme.objects.filter(instansi_id=user.instansi_id)
    if sees_whole_instansi(user):
        return qs
    if user.is_pengelola and user.managed_unit is not None:
        return qs.filter(
            batches__enrolments__employee__unit__path__startswith=user.managed_unit.path
        ).distinct()
    return qs.none()


def get_programme_for_user(user: User, pk: int) -> Programme:
    try:
        return programmes_for(user).get(pk=pk)
    except Programme.DoesNotExist:
        raise Http404("Program tidak ditemukan") from None


def forced_unit(user: User) -> Unit | None:
    """The OPD a pengelola is limited to (None: the whole instansi)."""
    if sees_whole_instansi(user):
        return None
    return user.managed_unit


# --- the engine entry point ------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    batch_id: int | None = None
    unit: Unit | None = None
    trainer_id: int | None = None
    period: tuple[date, date] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "unit_id": self.unit.pk if self.unit else None,
            "trainer_id": self.trainer_id,
            "period": self.period,
        }


@dataclass(frozen=True)
class _Scope:
    """Who and what an evaluation covers: the programme's batches (id → (id, name, code,
    start, end)), the chosen ones, every accepted enrolment (employee, batch, unit path) and
    the participants among them (in a chosen batch and within the OPD subtree)."""

    batches: dict[int, tuple[Any, ...]]
    batch_labels: dict[int, str]
    chosen: set[int]
    enrol_rows: list[tuple[Any, ...]]
    participants: list[tuple[Any, ...]]
    participant_ids: set[int]
    unit_path: str | None


def _scope(programme: Programme, f: Filters) -> _Scope:
    batches = {
        b[0]: b
        for b in _rows(
            Batch.objects.filter(programme=programme).values_list(
                "id", "name", "code", "start_date", "end_date"
            )
        )
    }
    chosen = set(batches)
    if f.batch_id is not None:
        chosen &= {f.batch_id}
    if f.period is not None:
        period = f.period
        chosen = {b for b in chosen if period[0] <= batches[b][4] <= period[1]}
    if f.trainer_id is not None:
        taught = set(
            Batch.trainers.through.objects.filter(
                trainer_id=f.trainer_id, batch__programme=programme
            ).values_list("batch_id", flat=True)
        )
        chosen &= taught
    enrol_rows = _rows(
        Enrolment.objects.filter(
            batch__programme=programme, status=EnrolmentStatus.ACCEPTED
        ).values_list("employee_id", "batch_id", "employee__unit__path")
    )
    unit_path = f.unit.path if f.unit is not None else None
    participants = [
        r
        for r in enrol_rows
        if r[1] in chosen and (unit_path is None or r[2].startswith(unit_path))
    ]
    return _Scope(
        batches=batches,
        batch_labels={bid: f"{b[1]} ({b[2]})" for bid, b in batches.items()},
        chosen=chosen,
        enrol_rows=enrol_rows,
        participants=participants,
        participant_ids={r[0] for r in participants},
        unit_path=unit_path,
    )


# months after the training's last month that the outcome window shows (the rest: before it)
MONTHS_AFTER_TRAINING = 6


def _month_window(
    today: date, period: tuple[date, date] | None, trained: date | None = None
) -> tuple[date, date]:
    """The first months of the twelve-month window the outcomes cover. It ends with the current
    month; or the period's last month when that is earlier; or, for a training that ended
    (``trained``: its last day) more than six months ago, six months after its month, so that
    the window holds the months before and after the training rather than a year long after
    it (a BKPSDM evaluating last year's training from its files)."""
    end_month = date(today.year, today.month, 1)
    if period is not None:
        end_month = min(end_month, date(period[1].year, period[1].month, 1))
    elif trained is not None:
        after = add_months(date(trained.year, trained.month, 1), MONTHS_AFTER_TRAINING)
        end_month = min(end_month, after)
    return add_months(end_month, -11), end_month


def _officer_complaints(
    programme: Programme, s: _Scope, start_month: date, today: date
) -> OfficerComplaints | None:
    """L3's complaints handled by the participants, before their batch and after it."""
    complaints_qs = Complaint.objects.filter(
        instansi_id=programme.instansi_id, received_at__date__gte=add_months(start_month, -12)
    )
    # L3 needs the complaints the participants handled (per complaint, a few thousand rows);
    # L4 only counts on-time resolutions per unit and month (grouped by the database).
    durations = complaint_durations(
        complaints_qs.filter(
            officer_id__in=Enrolment.objects.filter(
                batch__programme=programme, status=EnrolmentStatus.ACCEPTED
            ).values("employee_id")
        ),
        as_of=today,
        instansi_id=programme.instansi_id,
    )
    training = {
        r[0]: (np.datetime64(s.batches[r[1]][3], "D"), np.datetime64(s.batches[r[1]][4], "D"))
        for r in s.participants
    }
    officer_mask = np.isin(
        durations.officer_ids, np.array(sorted(s.participant_ids), dtype=np.int64)
    )
    return l3_engine.officer_complaints(
        officer_ids=durations.officer_ids[officer_mask],
        received=durations.received[officer_mask],
        resolution_days=durations.resolution_days[officer_mask],
        resolution_event=durations.resolution_event[officer_mask],
        met=durations.resolution_met[officer_mask],
        breached=durations.resolution_breached[officer_mask],
        rating=durations.rating[officer_mask],
        training=training,
    )


def _level3(programme: Programme, s: _Scope, rq: Q, start_month: date, today: date) -> L3Result:
    """Behaviour ratings, the participants' complaints and their SKP, before vs after."""
    changes = _behaviour(rq)
    complaints = _officer_complaints(programme, s, start_month, today)
    skp_main, skp_comparison, skp_groups = skp_results(
        instansi_id=programme.instansi_id,
        participants=s.participants,
        enrolled={r[0] for r in s.enrol_rows},
        batches={bid: (s.batch_labels[bid], b[3], b[4]) for bid, b in s.batches.items()},
        today=today,
    )
    return l3_engine.compute_l3(changes, complaints, skp_main, skp_comparison, skp_groups)


def evaluate_programme(
    programme: Programme,
    *,
    period: tuple[date, date] | None = None,
    batch_id: int | None = None,
    unit: Unit | None = None,
    trainer_id: int | None = None,
    today: date | None = None,
) -> ProgrammeEvaluation:
    """All five levels of a programme's evaluation, optionally for one batch, one OPD subtree,
    one trainer's batches, or batches ending within ``period``."""
    today = today or timezone.localdate()
    f = Filters(batch_id=batch_id, unit=unit, trainer_id=trainer_id, period=period)
    s = _scope(programme, f)
    rf: dict[str, Any] = {"programme": programme, "batch_id__in": sorted(s.chosen)}
    if s.unit_path is not None:
        rf["unit__path__startswith"] = s.unit_path
    rq = Q(**{f"response__{k}": v for k, v in rf.items()})

    l1 = _level1(programme, rq, s.batch_labels, len(s.participant_ids))
    if s.unit_path is not None:
        l1 = replace(l1, n_anonymous_left_out=_anonymous_reactions(programme, s.chosen))
    l2 = _level2(programme, rq, rf, s.batch_labels)
    trained = max((s.batches[b][4] for b in s.chosen), default=None)
    start_month, end_month = _month_window(today, period, trained)
    l3 = _level3(programme, s, rq, start_month, today)
    groups = complaint_resolution_groups(
        Complaint.objects.filter(instansi_id=programme.instansi_id),
        as_of=today,
        instansi_id=programme.instansi_id,
        received_from=start_month,
        received_before=add_months(end_month, 1),
    )
    all_paths = [(r[2], s.batches[r[1]][4]) for r in s.enrol_rows]
    chosen_paths = [(r[2], s.batches[r[1]][4]) for r in s.participants]
    l4 = _level4(programme, all_paths, chosen_paths, start_month, end_month, groups)
    l5 = benefits.level5(programme, rq, today, l4)
    rates = _response_rates(programme, s.chosen, s.unit_path)
    return ProgrammeEvaluation(
        programme_id=programme.pk,
        title=programme.title,
        n_participants=len(s.participant_ids),
        filters=f.as_dict(),
        response_rates=rates,
        l1=l1,
        l2=l2,
        l3=l3,
        l4=l4,
        l5=l5,
        batches=tuple(
            GroupIndex(
                key=bid,
                label=s.batch_labels[bid],
                n=sum(1 for r in s.participants if r[1] == bid),
                index=None,
            )
            for bid in sorted(s.chosen, key=lambda b: (s.batches[b][3], b))
        ),
    )


def _anonymous_reactions(programme: Programme, batch_ids: set[int]) -> int:
    """How many answers of anonymous reaction forms the batches have."""
    return Response.objects.filter(
        programme=programme,
        kind=InstrumentKind.REACTION,
        batch_id__in=sorted(batch_ids),
        subject__isnull=True,
    ).count()


def _level1(programme: Programme, rq: Q, batch_labels: dict[int, str], n_participants: int):
    rows = _rows(
        Answer.objects.filter(rq, response__kind=InstrumentKind.REACTION, value__isnull=False)
        .values_list("response_id", "item_id", "trainer_id", "value", "response__batch_id")
        .order_by()
    )
    items: dict[int, tuple[str, str, int]] = {}
    item_meta: dict[int, l1_engine.ItemMeta] = {}
    column_keys: dict[tuple[str, str, int, tuple[str, ...]], int] = {}
    scale_max, latest = 5, (-1, -1)
    for (
        item_id,
        section,
        aspect,
        text,
        order,
        own_max,
        options,
        inst_max,
        inst_id,
        version,
    ) in _rows(
        Item.objects.filter(
            instrument__programme=programme, instrument__kind=InstrumentKind.REACTION
        ).values_list(
            "id",
            "section",
            "aspect",
            "text",
            "order",
            "scale_max",
            "options",
            "instrument__scale_max",
            "instrument_id",
            "instrument__version",
        )
    ):
        labels = tuple(str(o) for o in (_json_list(options) if section != Section.OPEN else []))
        top = len(labels) if labels else (own_max or inst_max)
        key = (section, aspect or text, top, labels)
        items[item_id] = (section, aspect, column_keys.setdefault(key, len(column_keys)))
        if section != Section.OPEN:
            # free-text questions have no scale: their answers are the comments, not a row of
            # the per-item table with "1–5" and n = 0
            item_meta[item_id] = l1_engine.ItemMeta(order=order, text=text, top=top, labels=labels)
        if (version, inst_id) > latest:
            latest, scale_max = (version, inst_id), inst_max
    arr = np.array(rows, dtype=float).reshape(-1, 5) if rows else np.zeros((0, 5))
    present = arr[:, 2][~np.isnan(arr[:, 2])]
    trainer_ids = [int(t) for t in np.unique(present)]
    names = {
        t.pk: t.name for t in Trainer.objects.filter(pk__in=trainer_ids).select_related("employee")
    }
    comments = tuple(
        t
        for (t,) in _rows(
            Answer.objects.filter(
                rq, response__kind=InstrumentKind.REACTION, item__kind=ItemKind.OPEN
            )
            .exclude(text="")
            # a number alone answers a count question ("Berapa kali …"), it says nothing
            .exclude(text__regex=r"^[0-9.,\s]+$")
            .values_list("text")
            .order_by("-response__submitted_at")[:30]
        )
    )
    return l1_engine.compute_l1(
        response_ids=arr[:, 0].astype(np.int64),
        item_ids=arr[:, 1].astype(np.int64),
        trainer_ids=np.nan_to_num(arr[:, 2]).astype(np.int64),
        values=arr[:, 3],
        batch_ids=arr[:, 4].astype(np.int64),
        items=items,
        trainer_names=names,
        batch_labels=batch_labels,
        comments=comments,
        n_participants=n_participants,
        scale_max=scale_max,
        item_meta=item_meta,
    )


def programme_reactions(
    programmes: Iterable[Programme], answers: Q | None = None
) -> dict[int, L1Result]:
    """Each programme's L1 result, as the evaluation page and the programme report compute it,
    over the reaction answers ``answers`` selects (a cycle's window, a year). Its ``overall`` is
    the programme's reaction index everywhere a report or the dashboard prints one: the
    organiser sections as one scale, on the questionnaire's own numeric scale. Four queries a
    programme."""
    return {
        p.pk: _level1(p, Q(response__programme=p) & (answers or Q()), {}, 0) for p in programmes
    }


def reaction_index(result: L1Result | None) -> float | None:
    """The reaction index of a programme's L1 result (None when nobody answered it)."""
    overall = result.overall if result is not None else None
    return overall.index if overall is not None else None


def _json_list(value: Any) -> list[Any]:
    """A JSON list column as the raw cursor returns it (text on SQLite, a list on PostgreSQL)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


def _level2(programme: Programme, rq: Q, rf: dict[str, Any], batch_labels: dict[int, str]):
    resp_q = Q(**rf)
    rows = _rows(
        Response.objects.filter(resp_q, kind__in=[InstrumentKind.PRETEST, InstrumentKind.POSTTEST])
        .values_list(
            "subject_id",
            "kind",
            "score",
            "max_score",
            "needs_marking",
            "batch_id",
            "instrument_id",
            "instrument__scores_only",
        )
        .order_by()
    )
    final = [r for r in rows if not r[4] and r[2] is not None and r[3]]
    subjects = np.array([r[0] for r in final], dtype=np.int64)
    is_post = np.array([r[1] == InstrumentKind.POSTTEST for r in final], dtype=bool)
    pct = np.array([r[2] / r[3] * 100 for r in final], dtype=float)
    batches = np.array([r[5] for r in final], dtype=np.int64)
    items: list[ItemAnalysis] = []
    by_instrument: dict[int, list[float]] = defaultdict(list)
    for r in final:
        if not r[7]:  # totals without item answers have no item analysis
            by_instrument[r[6]].append(r[2])
    labels = {
        i.pk: f"{i.get_kind_display()} {i.form_label} v{i.version}".replace("  ", " ")
        for i in Instrument.objects.filter(pk__in=list(by_instrument))
    }
    for inst_id, scores in sorted(by_instrument.items()):
        cut = l2_engine.upper_lower_cutoffs(np.array(scores))
        hi, lo = cut if cut else (float("inf"), float("-inf"))
        agg = _rows(
            Answer.objects.filter(
                rq, response__instrument_id=inst_id, response__needs_marking=False
            )
            .values("item_id")
            .annotate(
                n=Count("id"),
                mean=Avg("points"),
                up=Avg(Case(When(response__score__gte=hi, then="points"))),
                low=Avg(Case(When(response__score__lte=lo, then="points"))),
            )
            .values_list(
                "item_id", "item__order", "item__text", "item__points", "n", "mean", "up", "low"
            )
            .order_by("item__order")
        )
        items.extend(
            l2_engine.item_analysis(
                instrument_label=labels.get(inst_id, str(inst_id)),
                rows=[
                    (a, o, t, float(w), n, float(m or 0), u if cut else None, lw if cut else None)
                    for a, o, t, w, n, m, u, lw in agg
                ],
            )
        )
    sims = _simulations(programme, rf)
    return l2_engine.compute_l2(
        subjects=subjects,
        is_post=is_post,
        pct=pct,
        batches=batches,
        n_pending=sum(1 for r in rows if r[4]),
        batch_labels=batch_labels,
        items=items,
        simulations=sims,
        totals_only=bool(final) and all(r[7] for r in final),
    )


def _simulations(programme: Programme, rf: dict[str, Any]) -> list[SimulationResult]:
    filters: dict[str, Any] = {"module__programme": programme, "batch_id__in": rf["batch_id__in"]}
    if "unit__path__startswith" in rf:
        filters["subject__unit__path__startswith"] = rf["unit__path__startswith"]
    rows = _rows(
        SimulationScore.objects.filter(**filters)
        .values_list("module_id", "subject_id", "observer_id", "criterion_id", "score")
        .order_by()
    )
    if not rows:
        return []
    meta: dict[int, dict[int, tuple[str, float, float]]] = defaultdict(dict)
    titles: dict[int, str] = {}
    for cid, name, weight, module_id, title, top in _rows(
        RubricCriterion.objects.filter(rubric__scenario__module__programme=programme)
        .annotate(top=Max("levels__score"))
        .values_list(
            "id",
            "name",
            "weight",
            "rubric__scenario__module_id",
            "rubric__scenario__module__title",
            "top",
        )
    ):
        meta[module_id][cid] = (name, float(weight), float(top or 1))
        titles[module_id] = title
    arr = np.array(rows, dtype=np.int64)
    out = []
    for module_id in sorted(set(arr[:, 0].tolist())):
        m = arr[:, 0] == module_id
        out.append(
            l2_engine.simulation_result(
                module_id=module_id,
                title=titles.get(module_id, ""),
                subjects=arr[m, 1],
                observers=arr[m, 2],
                criteria=arr[m, 3],
                scores=arr[m, 4].astype(float),
                criterion_meta=meta[module_id],
            )
        )
    return out


def _behaviour(rq: Q):
    rows = _rows(
        Answer.objects.filter(
            rq,
            response__kind=InstrumentKind.BEHAVIOUR,
            item__kind=ItemKind.LIKERT,
            value__isnull=False,
        )
        .values("response_id", "response__subject_id", "response__phase", "response__rater_role")
        .annotate(m=Avg("value"))
        .values_list("response__subject_id", "response__phase", "response__rater_role", "m")
        .order_by()
    )
    return l3_engine.behaviour_changes(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=object),
        np.array([r[2] for r in rows], dtype=object),
        np.array([r[3] for r in rows], dtype=float),
    )


def _first_of_next_month(day: date) -> date:
    return add_months(date(day.year, day.month, 1), 1)


def _level4(
    programme: Programme,
    all_paths: list[tuple[str, date]],
    chosen_paths: list[tuple[str, date]],
    start: date,
    end: date,
    groups: ResolutionGroups,
) -> L4Result:
    sus = _rows(
        ServiceUnit.objects.filter(instansi_id=programme.instansi_id, is_active=True)
        .values_list("id", "name", "unit__path")
        .order_by("name")
    )
    first_all: dict[str, date] = {}
    for p, e in all_paths:
        first_all[p] = min(e, first_all.get(p, e))
    first_chosen: dict[str, date] = {}
    for p, e in chosen_paths:
        first_chosen[p] = min(e, first_chosen.get(p, e))
    any_trained: dict[int, date] = {}
    treated_from: dict[int, date] = {}
    for su_id, _name, su_path in sus:
        ends_all = [e for p, e in first_all.items() if p.startswith(su_path)]
        if ends_all:
            any_trained[su_id] = min(ends_all)
        ends = [e for p, e in first_chosen.items() if p.startswith(su_path)]
        if ends:
            treated_from[su_id] = _first_of_next_month(min(ends))
    comparison = [s[0] for s in sus if s[0] not in any_trained]
    months = []
    m = start
    while m <= end:
        months.append(m)
        m = add_months(m, 1)
    ids = list(treated_from) + comparison
    ikm_obs = monthly_ikm_unit(ids, start, end)
    outcomes = [
        l4_engine.did_outcome(
            key="ikm",
            label="IKM",
            unit_label=gettext("poin"),
            observations=ikm_obs,
            treated_from=treated_from,
            comparison=comparison,
            months=months,
        )
    ]
    # complaint resolution on time (share of decided complaints), per service unit and month
    complaint_obs = complaint_observations(
        groups, [(i, p) for i, _n, p in sus], start, add_months(end, 1)
    )
    if complaint_obs:
        outcomes.append(
            l4_engine.did_outcome(
                key="pengaduan",
                label=gettext("Ketepatan waktu penyelesaian pengaduan"),
                unit_label=gettext("poin persentase"),
                observations=complaint_obs,
                treated_from=treated_from,
                comparison=comparison,
                months=months,
            )
        )
    names = {s[0]: s[1] for s in sus}
    main = outcomes[0].sentence
    return L4Result(
        outcomes=tuple(outcomes),
        treated_units=tuple(names[s] for s in treated_from),
        comparison_units=tuple(names[s] for s in comparison),
        sentence=main,
    )


def complaint_observations(
    groups: ResolutionGroups, service_units: list[tuple[int, str]], start: date, before: date
) -> list[tuple[int, date, float]]:
    """(service unit, month, % of decided complaints resolved on time) for complaints received
    in [start, before), each unit's complaints counted for the deepest service unit above it;
    in the order of each cell's first complaint (by id), as a per-complaint loop would give."""
    su_paths = sorted(((p, i) for i, p in service_units), key=lambda x: -len(x[0]))
    start64, end64 = np.datetime64(start, "D"), np.datetime64(before, "D")
    window = (groups.received >= start64) & (groups.received < end64)
    window &= groups.met | groups.breached
    unit_paths = dict(
        _rows(
            Unit.objects.filter(pk__in=sorted(set(groups.unit_ids[window].tolist()))).values_list(
                "id", "path"
            )
        )
    )
    unit_to_su: dict[int, int] = {}
    for uid, path in unit_paths.items():
        for p, su_id in su_paths:
            if path.startswith(p):
                unit_to_su[uid] = su_id
                break
    su_of = {u: unit_to_su.get(u, -1) for u in set(groups.unit_ids[window].tolist())}
    su = np.array([su_of[u] for u in groups.unit_ids[window].tolist()], dtype=np.int64)
    month = groups.received[window].astype("datetime64[M]").astype(np.int64)
    keep = su >= 0
    su, month = su[keep], month[keep]
    count = groups.count[window][keep]
    met = np.where(groups.met[window][keep], count, 0)
    first = groups.first_id[window][keep]
    if not su.size:
        return []
    # one cell per (service unit, month): sums of counts, smallest complaint id
    cell_keys, cell = np.unique(np.stack([su, month], axis=1), axis=0, return_inverse=True)
    cell = cell.reshape(-1)
    n_cells = cell_keys.shape[0]
    decided = np.bincount(cell, weights=count, minlength=n_cells).astype(np.int64)
    on_time = np.bincount(cell, weights=met, minlength=n_cells).astype(np.int64)
    first_of = np.full(n_cells, np.iinfo(np.int64).max)
    np.minimum.at(first_of, cell, first)
    months = cell_keys[:, 1].astype("datetime64[M]").astype("datetime64[D]").tolist()
    return [
        (int(cell_keys[i, 0]), months[i], int(on_time[i]) / int(decided[i]) * 100)
        for i in np.argsort(first_of, kind="stable").tolist()
        if decided[i]
    ]


def monthly_ikm_unit(
    service_unit_ids: list[int], start: date, end: date
) -> list[tuple[int, date, float]]:
    """IKM unit (25–100) per service unit and month: the IKM engine's figure for each month's
    rollup counts (:func:`kompeten.service.queries.ikm_rows`, one query, without the margins of
    error and respondent counts the impact estimator does not need). A month lacking an unsur
    has no IKM."""
    if not service_unit_ids:
        return []
    rows = ikm_rows(
        service_unit_ids,
        start,
        end,
        by=("service_unit_id", "month"),
        with_margin=False,
        count_respondents=False,
    )
    return [
        (int(r.key[0]), r.key[1], float(r.result.ikm_unit)) for r in rows if r.result is not None
    ]


def _response_rates(
    programme: Programme, chosen: set[int], unit_path: str | None
) -> tuple[ResponseRate, ...]:
    qs = FollowUp.objects.filter(instrument__programme=programme, batch_id__in=list(chosen))
    if unit_path is not None:
        qs = qs.filter(subject__unit__path__startswith=unit_path)
    phase_labels = {p.value: str(p.label) for p in Phase}
    role_labels = {r.value: str(r.label) for r in RaterRole}
    out = []
    for kind, phase, role, n, answered in _rows(
        qs.values("instrument__kind", "instrument__phase", "rater_role")
        .annotate(n=Count("id"), answered=Count("response"))
        .values_list("instrument__kind", "instrument__phase", "rater_role", "n", "answered")
        .order_by("instrument__kind", "instrument__phase", "rater_role")
    ):
        label = KIND_LABELS.get(kind, kind)
        if phase:
            label += f" — {phase_labels.get(phase, phase)} — {role_labels.get(role, role)}"
        out.append(ResponseRate(label=label, invited=n, answered=answered))
    return tuple(out)


# --- the pegawai's own instruments and scores -----------------------------------------------


def my_follow_ups(user: User) -> QuerySet[FollowUp]:
    """Invitations the user must answer (as participant or as atasan), open instruments only."""
    if user.employee_id is None:
        return FollowUp.objects.none()
    return (
        FollowUp.objects.filter(
            rater_id=user.employee_id, response__isnull=True, sent_at__isnull=False
        )
        .filter(instrument__status="open")
        .select_related("instrument", "instrument__programme", "subject", "batch")
        .order_by("due_at")
    )


def my_scores(user: User) -> QuerySet[Response]:
    if user.employee_id is None:
        return Response.objects.none()
    return (
        Response.objects.filter(
            subject_id=user.employee_id, kind__in=[InstrumentKind.PRETEST, InstrumentKind.POSTTEST]
        )
        .select_related("instrument", "programme", "batch")
        .order_by("programme_id", "kind")
    )


def scoped_follow_up_for(user: User, pk: int) -> FollowUp:
    """A follow-up the user is the designated rater of (else 404)."""
    try:
        return FollowUp.objects.select_related(
            "instrument", "instrument__programme", "subject", "batch"
        ).get(pk=pk, rater_id=user.employee_id)
    except FollowUp.DoesNotExist:
        raise Http404("Undangan tidak ditemukan") from None


__all__ = ["Section", "evaluate_programme", "programmes_for"]
