"""Benchmark: the complete evaluation (L1–L5, with the DiD over 12 months of public-service data)
of a programme with 10,000 participants, against a naive baseline measured in the same run.

    DATABASE_URL=sqlite:////tmp/bench_eval.sqlite3 DEBUG=true .venv/bin/python bench/bench_evaluation.py

The data is generated with bulk inserts straight into the tables (a benchmark fixture, not app
data: 10,000 participants through the actions would take minutes); the evaluation itself runs
exactly as the pages run it, through ``evaluate_programme``.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Small regressions (the DiD's 480 × 52 design) run slower with OpenBLAS threads fighting for two
# busy cores: 1,7 s vs 0,05 s measured here. kompeten/cli.py and kompeten/wsgi.py set the same
# default for the CLI, the worker and the web processes.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.common import cpu_seconds  # noqa: E402

N = int(os.environ.get("BENCH_PARTICIPANTS", "10000"))
JKT = ZoneInfo("Asia/Jakarta")


@dataclass
class Fixture:
    """What the steps of ``build`` hand one another; ``rng`` is shared so the draws stay in order."""

    rng: random.Random
    inst: Any
    units: list[Any]
    heads: list[Any]
    staff: list[Any]
    prog: Any = None
    batches: list[Any] = field(default_factory=list)
    trained_units: dict[int, Any] = field(default_factory=dict)
    participants: list[Any] = field(default_factory=list)


@dataclass
class Instruments:
    """The programme's instruments by (kind, phase), their items, and who sits in which batch."""

    fx: Fixture
    by: dict[tuple[str, str], Any]
    items: dict[tuple[str, str], list[Any]]
    enrol_batch: dict[int, int]
    batch_trainers: dict[int, list[int]]
    submitted_at: datetime

    def responses(self, kind_phase, rater_of, role, score=None):  # type: ignore[no-untyped-def]
        from kompeten.evaluation.models import Response

        inst_ = self.by[kind_phase]
        rows = [
            Response(
                instrument=inst_,
                programme=self.fx.prog,
                kind=inst_.kind,
                phase=inst_.phase,
                batch_id=self.enrol_batch[e.pk],
                subject=e,
                unit_id=e.unit_id,
                rater_id=rater_of(e),
                rater_role=role,
                submitted_at=self.submitted_at,
                score=score(e) if score else None,
                max_score=10.0 if score else None,
            )
            for e in self.fx.participants
        ]
        return Response.objects.bulk_create(rows, batch_size=2000)


def build() -> object:
    fx = _organisation(random.Random(7))
    _programme_and_batches(fx)
    _enrol(fx)
    ins = _instruments(fx)
    _reaction_and_test_answers(ins)
    _test_scores(fx.prog)
    _behaviour_answers(ins)
    _follow_ups(ins)
    _service_rollups(fx)
    _complaints(fx)
    _costs_and_benefits(fx)
    return fx.prog


def the_programme() -> Any:
    """The benchmark programme B-1 of the instansi "bench", built (in one transaction, timed)
    the first time it is asked for."""
    from kompeten.learning.models import Programme

    prog = Programme.objects.filter(instansi__code="bench", code="B-1").first()
    if prog is None:
        t = time.perf_counter()
        with transaction.atomic():
            prog = build()
        print(f"data built in {time.perf_counter() - t:.1f} s")
    return prog


def plain_employee(instansi: Any, nip: str, name: str, unit_id: int, *, education: str) -> Any:
    """An unsaved employee for bulk_create: a man born 1 January 1980, PNS III/a, pelaksana."""
    from kompeten.people.models import Employee

    return Employee(
        instansi=instansi,
        nip=nip,
        name=name,
        sex="L",
        birth_date=date(1980, 1, 1),
        status="PNS",
        golongan="III/a",
        jabatan_kind="pelaksana",
        jabatan_name="Pelaksana",
        education=education,
        unit_id=unit_id,
    )


def _organisation(rng: random.Random) -> Fixture:
    """The instansi, 40 units under one root, and 2N + 400 employees (400 heads, the rest staff)."""
    from kompeten.core.models import Instansi
    from kompeten.people.models import Employee, Unit

    inst = Instansi.objects.create(name="Kota Bench", code="bench", kind="kota")
    root = Unit.objects.create(instansi=inst, code="ROOT", name="Pemkot", kind="other")
    Unit.objects.filter(pk=root.pk).update(path=f"/{root.pk}/")
    units = []
    for i in range(40):
        u = Unit.objects.create(
            instansi=inst, parent=root, code=f"U{i}", name=f"Dinas {i}", kind="dinas", depth=1
        )
        u.path = f"/{root.pk}/{u.pk}/"
        Unit.objects.filter(pk=u.pk).update(path=u.path)
        units.append(u)
    emps = [
        plain_employee(
            inst, str(198001012005010000 + i), f"Pegawai {i}", units[i % 40].pk, education="S1"
        )
        for i in range(2 * N + 400)
    ]
    Employee.objects.bulk_create(emps, batch_size=2000)
    emps = list(Employee.objects.filter(instansi=inst).order_by("id"))
    heads, staff = emps[:400], emps[400:]
    for i, e in enumerate(staff):
        e.supervisor_id = heads[i % 400].pk
    Employee.objects.bulk_update(staff, ["supervisor_id"], batch_size=2000)
    return Fixture(rng=rng, inst=inst, units=units, heads=heads, staff=staff)


def _programme_and_batches(fx: Fixture) -> None:
    """The programme with one competency, five trainers and 20 finished batches."""
    from kompeten.learning.models import (
        Batch,
        Competency,
        CompetencyLevel,
        Programme,
        ProgrammeCompetency,
        Trainer,
    )

    inst = fx.inst
    fx.prog = Programme.objects.create(
        instansi=inst, code="B-1", title="Pelayanan Prima", learning_type="pelatihan", total_jp=24
    )
    comp = Competency.objects.create(
        instansi=inst, code="M-PP", name="Pelayanan", group="manajerial"
    )
    CompetencyLevel.objects.create(competency=comp, level=3, indicators="Ramah\nJelas\nTepat waktu")
    ProgrammeCompetency.objects.create(programme=fx.prog, competency=comp, target_level=3)
    trainers = [
        Trainer.objects.create(instansi=inst, external_name=f"Pelatih {i}", kind="external")
        for i in range(5)
    ]
    # 20 of the 40 units trained (staggered months 4..7 of 2026), 20 comparison
    for b in range(20):
        start = date(2026, 4 + b % 4, 6 + b // 4)
        batch = Batch.objects.create(
            programme=fx.prog,
            code=f"A{b}",
            name=f"Angkatan {b}",
            capacity=600,
            start_date=start,
            end_date=start + timedelta(days=2),
            status="done",
        )
        batch.trainers.set([trainers[b % 5], trainers[(b + 1) % 5]])
        fx.batches.append(batch)
    fx.trained_units = {u.pk: fx.batches[i] for i, u in enumerate(fx.units[:20])}


def _enrol(fx: Fixture) -> None:
    """N participants from the trained units (topped up with heads), each enrolled in a batch."""
    from kompeten.participation.models import Enrolment

    fx.participants = [e for e in fx.staff if e.unit_id in fx.trained_units][:N]
    i = 0
    while len(fx.participants) < N:  # top up from trained units' heads
        fx.participants.append(fx.heads[i])
        i += 1
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                instansi=fx.inst,
                employee=e,
                batch=fx.trained_units.get(e.unit_id, fx.batches[0]),
                status="diterima",
                invited_at=datetime(2026, 3, 1, tzinfo=JKT),
            )
            for e in fx.participants
        ],
        batch_size=2000,
    )


def _instruments(fx: Fixture) -> Instruments:
    """The default instruments, a 20-item bank and parallel test forms, all open."""
    from kompeten.evaluation.actions import instruments as ia
    from kompeten.evaluation.models import Instrument, InstrumentStatus, Item
    from kompeten.participation.models import Enrolment

    prog = fx.prog
    made = ia.do_create_default_instruments(prog, actor=None)
    ia.do_add_bank_items(
        prog,
        items=[
            ia.BankItemInput(kind="pg", text=f"S{k}", options=["a", "b", "c", "d"], correct="a")
            for k in range(20)
        ],
        actor=None,
    )
    made += ia.do_create_test_forms(prog, parallel=True, actor=None)
    Instrument.objects.filter(programme=prog).update(status=InstrumentStatus.OPEN)
    by = {(m.kind, m.phase): m for m in Instrument.objects.filter(programme=prog)}
    return Instruments(
        fx=fx,
        by=by,
        items={k: list(Item.objects.filter(instrument=v).order_by("order")) for k, v in by.items()},
        enrol_batch={
            e.employee_id: e.batch_id for e in Enrolment.objects.filter(batch__programme=prog)
        },
        batch_trainers={b.pk: [t.pk for t in b.trainers.all()] for b in fx.batches},
        submitted_at=datetime(2026, 8, 1, tzinfo=JKT),
    )


def _reaction_and_test_answers(ins: Instruments) -> None:
    """L1 answers (one per trainer for the trainer section) and L2 pre/post answers by ability."""
    from kompeten.evaluation.models import Answer, InstrumentKind, ItemKind, Response

    rng, prog = ins.fx.rng, ins.fx.prog
    ability = {e.pk: rng.gauss(0, 1) for e in ins.fx.participants}
    answers: list[Answer] = []
    for r in ins.responses((InstrumentKind.REACTION, ""), lambda e: e.pk, "peserta"):
        for it in ins.items[(InstrumentKind.REACTION, "")]:
            if it.kind != ItemKind.LIKERT:
                continue
            ts = ins.batch_trainers[r.batch_id] if it.section == "pengajar" else [None]
            for t in ts:
                answers.append(
                    Answer(
                        response=r,
                        item=it,
                        trainer_id=t,
                        value=float(max(1, min(5, round(4 + rng.gauss(0, 0.7))))),
                    )
                )
    for kind, shift in ((InstrumentKind.PRETEST, -0.5), (InstrumentKind.POSTTEST, 0.9)):
        its = ins.items[(kind, "")]
        for r in ins.responses((kind, ""), lambda e: e.pk, "peserta", score=lambda e, s=shift: 0.0):
            total = 0.0
            for it in its:
                ok = rng.random() < 1 / (1 + 2.718 ** -(ability[r.subject_id] + shift))
                total += 1.0 if ok else 0.0
                answers.append(
                    Answer(
                        response=r,
                        item=it,
                        value=0.0 if ok else 1.0,
                        text="a" if ok else "b",
                        points=1.0 if ok else 0.0,
                    )
                )
            r.score = total
        Response.objects.filter(programme=prog, kind=kind).update(max_score=float(len(its)))
    Answer.objects.bulk_create(answers, batch_size=5000)


def _test_scores(prog: Any) -> None:
    """Each pre/post response's score is the sum of its answers' points."""
    from kompeten.evaluation.models import Answer, InstrumentKind, Response

    for kind in (InstrumentKind.PRETEST, InstrumentKind.POSTTEST):
        rs = list(Response.objects.filter(programme=prog, kind=kind))
        sums: defaultdict[int, float] = defaultdict(float)
        for rid, pts in Answer.objects.filter(response__in=rs).values_list("response_id", "points"):
            sums[rid] += pts or 0
        for r in rs:
            r.score = sums[r.pk]
        Response.objects.bulk_update(rs, ["score"], batch_size=2000)


def _behaviour_answers(ins: Instruments) -> None:
    """L3: each participant's supervisor rates before and three months after, with a lift."""
    from kompeten.evaluation.models import Answer, InstrumentKind, ItemKind, Phase

    rng = ins.fx.rng
    answers = []
    sup = {e.pk: e.supervisor_id or e.pk for e in ins.fx.participants}
    for phase, lift in ((Phase.BEFORE, 0.0), (Phase.AFTER_3, 0.6)):
        for r in ins.responses((InstrumentKind.BEHAVIOUR, phase), lambda e: sup[e.pk], "atasan"):
            for it in ins.items[(InstrumentKind.BEHAVIOUR, phase)]:
                if it.kind == ItemKind.LIKERT:
                    answers.append(
                        Answer(
                            response=r,
                            item=it,
                            value=float(max(1, min(5, round(3 + lift + rng.gauss(0, 0.6))))),
                        )
                    )
    Answer.objects.bulk_create(answers, batch_size=5000)


def _follow_ups(ins: Instruments) -> None:
    from kompeten.evaluation.models import FollowUp, InstrumentKind

    FollowUp.objects.bulk_create(
        [
            FollowUp(
                instrument=ins.by[(InstrumentKind.REACTION, "")],
                batch_id=ins.enrol_batch[e.pk],
                subject=e,
                rater=e,
                rater_role="peserta",
                due_at=ins.submitted_at,
            )
            for e in ins.fx.participants
        ],
        batch_size=2000,
    )


def _service_rollups(fx: Fixture) -> None:
    """40 service units with 12 months of SKM rollups; trained units' scores lift after training."""
    from kompeten.service.models import ServiceUnit, SkmProfileRollup, SkmRollup

    sus = [
        ServiceUnit.objects.create(
            instansi=fx.inst, unit=u, code=f"su{u.pk}", name=f"Layanan {u.name}"
        )
        for u in fx.units
    ]
    # the current questionnaire version id and its unsur, from the service app's registry
    from kompeten.service.versions import engine_version

    version = "SKM_2017"
    unsur = [u.slug for u in engine_version(version).unsur]
    rollups, totals = [], []
    for su in sus:
        t_month = fx.trained_units.get(su.unit_id)
        for m in range(12):
            month = date(2025 + (m + 11) // 12, (m + 11) % 12 + 1, 1)
            lift = 0.25 if t_month and month > t_month.end_date else 0.0
            n = 60
            for slug in unsur:
                p4 = min(0.9, 0.35 + lift + fx.rng.uniform(-0.08, 0.08))
                c4 = int(n * p4)
                c3 = int(n * 0.45)
                c2 = n - c4 - c3
                c1 = 0
                rollups.append(
                    SkmRollup(
                        service_unit=su,
                        month=month,
                        version=version,
                        unsur=slug,
                        c1=c1,
                        c2=max(c2, 0),
                        c3=c3,
                        c4=c4,
                    )
                )
            totals.append(
                SkmProfileRollup(
                    service_unit=su,
                    month=month,
                    version=version,
                    dimension="total",
                    value="",
                    count=n,
                )
            )
    SkmRollup.objects.bulk_create(rollups, batch_size=5000)
    SkmProfileRollup.objects.bulk_create(totals, batch_size=5000)


def _complaints(fx: Fixture) -> None:
    """6,000 closed complaints; in trained units a participant is the officer."""
    from kompeten.service.models import Complaint

    rng = fx.rng
    complaints = []
    for k in range(6000):
        u = fx.units[k % 40]
        day = date(2025, 12, 1) + timedelta(days=rng.randrange(330))
        rec = datetime(day.year, day.month, day.day, 9, tzinfo=JKT)
        officer = (
            fx.participants[rng.randrange(N)]
            if u.pk in fx.trained_units
            else fx.staff[rng.randrange(len(fx.staff))]
        )
        complaints.append(
            Complaint(
                instansi=fx.inst,
                unit=u,
                tracking_number=f"T{k}",
                category="informasi",
                status="selesai",
                officer=officer,
                received_at=rec,
                first_response_at=rec + timedelta(days=1),
                closed_at=rec + timedelta(days=rng.randrange(2, 12)),
                citizen_rating=rng.randrange(3, 6),
            )
        )
    Complaint.objects.bulk_create(complaints, batch_size=2000)


def _costs_and_benefits(fx: Fixture) -> None:
    """L5 inputs: two cost items, the hourly rate for golongan III and one monetary benefit."""
    from kompeten.evaluation.actions.roi import BenefitInput, do_add_benefit, do_set_hourly_costs
    from kompeten.learning.models import CostItem

    prog = fx.prog
    CostItem.objects.create(programme=prog, category="pengajar", amount=250_000_000)
    CostItem.objects.create(programme=prog, category="waktu_peserta", amount=400_000_000)
    do_set_hourly_costs(
        fx.inst,
        name="Bench",
        effective_from=date(2026, 1, 1),
        source="bench",
        rates={"III": "58000"},
        actor=None,
    )
    do_add_benefit(
        prog,
        data=BenefitInput(
            kind="moneter",
            name="Jam dihemat",
            hours_per_year=str(N * 30),
            golongan_group="III",
            isolation="pembanding",
            isolation_share="0.5",
        ),
        actor=None,
    )


def naive(prog) -> float:  # type: ignore[no-untyped-def]
    """What a first version would do: load every answer as a model and aggregate in Python."""
    from kompeten.evaluation.models import Answer, Response

    t = time.perf_counter()
    sums: dict[str, list[float]] = defaultdict(list)
    for a in Answer.objects.filter(response__programme=prog).select_related("response", "item"):
        if a.value is not None:
            sums[a.item.section].append(a.value)
    pairs: dict[int, dict[str, float]] = defaultdict(dict)
    for r in Response.objects.filter(programme=prog, kind__in=["pretest", "posttest"]):
        pairs[r.subject_id][r.kind] = r.score_pct or 0
    _ = {k: sum(v) / len(v) for k, v in sums.items()}
    _ = [p["posttest"] - p["pretest"] for p in pairs.values() if len(p) == 2]
    return time.perf_counter() - t


def main() -> None:
    call_command("migrate", verbosity=0)
    prog = the_programme()
    from django.test.utils import CaptureQueriesContext

    from kompeten.evaluation.queries import evaluate_programme

    evaluate_programme(prog, today=date(2026, 11, 20))  # warm imports (statsmodels, scipy)
    runs, cpus = [], []
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            t, c = time.perf_counter(), cpu_seconds()
            ev = evaluate_programme(prog, today=date(2026, 11, 20))
            runs.append(time.perf_counter() - t)
            cpus.append(cpu_seconds() - c)
    print(
        f"participants: {ev.n_participants}; L1 responses {ev.l1.n_responses}; L2 pairs {ev.l2.n_pairs}; "
        f"L4 units {ev.l4.outcomes[0].n_treated_units} treated / {ev.l4.outcomes[0].n_comparison_units} comparison"
    )
    print(f"  {ev.l2.gain_sentence}\n  {ev.l4.sentence}\n  {ev.l5.sentence}")
    print(
        f"evaluate_programme (all five levels): best {min(runs):.2f} s, median {sorted(runs)[1]:.2f} s "
        f"(CPU median {sorted(cpus)[1]:.2f} s, load {os.getloadavg()[0]:.1f}), "
        f"{len(ctx.captured_queries)} queries"
    )
    base = naive(prog)
    print(f"naive baseline (ORM objects, Python loops, L1+L2 means only): {base:.2f} s")


if __name__ == "__main__":
    main()
