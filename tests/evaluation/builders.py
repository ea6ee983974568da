"""An evaluated programme for the evaluation tests, built through the actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from kompeten.core.models import Role, User
from kompeten.evaluation.actions import instruments as inst_actions
from kompeten.evaluation.actions.followups import do_schedule_follow_ups
from kompeten.evaluation.models import Instrument, InstrumentKind, InstrumentStatus, ItemKind, Phase
from kompeten.learning.actions.competencies import LevelInput, do_create_competency
from kompeten.learning.actions.programmes import (
    CriterionInput,
    ModuleInput,
    RoleInput,
    do_add_module,
    do_set_programme_competencies,
    do_set_rubric,
    do_set_scenario,
)
from kompeten.learning.models import Batch, Module, Programme, Trainer
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.people.models import Employee
from tests import factories
from tests.participation.builders import at as builders_at_hour
from tests.participation.builders import make_batch, make_programme, make_trainer


@dataclass
class Scenario:
    programme: Programme
    batch: Batch
    trainer: Trainer
    trainer_user: User
    module: Module
    participants: list[Employee]
    instruments: dict[str, Instrument] = field(default_factory=dict)


def build(
    world, n: int = 6, start: date = date(2026, 3, 2), *, instruments: bool = True
) -> Scenario:  # type: ignore[no-untyped-def]
    programme = make_programme(world.instansi, "Pelayanan Prima", jp="8")
    comp = _competency(world)
    do_set_programme_competencies(programme, [(comp, 3)])
    module = _simulation_module(programme)
    trainer_emp = factories.make_employee(world.beta, "Tono Pelatih")
    trainer = make_trainer(world.instansi, trainer_emp)
    trainer_user = factories.make_user(
        world.instansi, "tono", Role.FASILITATOR, employee=trainer_emp
    )
    batch = make_batch(
        programme,
        [(start, 8, 16), (start + timedelta(days=1), 8, 16)],
        capacity=40,
        trainers=[trainer],
    )
    people = [world.dave_emp] + [
        factories.make_employee(world.layanan, f"Peserta {i}", supervisor=world.carol_emp)
        for i in range(n - 1)
    ]
    for e in people:
        early = builders_at(start - timedelta(days=20))
        enrolment = do_invite(batch=batch, employee=e, actor=world.alice, notify=False, now=early)
        do_accept(enrolment=enrolment, actor=None, now=early)
    s = Scenario(
        programme=programme,
        batch=batch,
        trainer=trainer,
        trainer_user=trainer_user,
        module=module,
        participants=people,
    )
    if not instruments:
        return s
    for i in _open_instruments(world, programme):
        s.instruments[i.kind + (f":{i.phase}" if i.phase else "")] = i
    do_schedule_follow_ups(batch)
    return s


def _simulation_module(programme: Programme) -> Module:
    """An 8-JP simulation module with its scenario and a two-criterion rubric."""
    module = do_add_module(
        programme, data=ModuleInput(title="Simulasi loket", kind="simulasi", jp="8")
    )
    scenario = do_set_scenario(
        module,
        title="Warga marah",
        situation="Warga marah di loket.",
        roles=[
            RoleInput(role="Petugas", brief="Meredakan."),
            RoleInput(role="Warga", brief="Marah."),
        ],
    )
    levels = [(1, "Kurang", "a"), (2, "Cukup", "b"), (3, "Baik", "c"), (4, "Sangat baik", "d")]
    do_set_rubric(
        scenario,
        name="Rubrik",
        criteria=[
            CriterionInput(name="Empati", weight="50", levels=levels),
            CriterionInput(name="Solusi", weight="50", levels=levels),
        ],
    )
    return module


def _open_instruments(world, programme: Programme) -> list[Instrument]:
    """The default instruments, a ten-item bank and parallel pre/post forms, all open."""
    made = inst_actions.do_create_default_instruments(programme, actor=world.alice)
    inst_actions.do_add_bank_items(
        programme,
        items=[
            inst_actions.BankItemInput(
                kind=ItemKind.MULTIPLE_CHOICE,
                text=f"Soal {i}",
                options=["a", "b", "c"],
                correct="a",
            )
            for i in range(8)
        ]
        + [
            inst_actions.BankItemInput(kind=ItemKind.TRUE_FALSE, text="Benar?", correct="benar"),
            inst_actions.BankItemInput(kind=ItemKind.SHORT, text="Jelaskan.", points="2"),
        ],
        actor=world.alice,
    )
    pre, post = inst_actions.do_create_test_forms(programme, parallel=True, actor=world.alice)
    made += [pre, post]
    for i in made:
        inst_actions.do_set_instrument_status(i, status=InstrumentStatus.OPEN, actor=world.alice)
    return made


def builders_at(day: date):  # type: ignore[no-untyped-def]
    return builders_at_hour(day, 9)


def _competency(world):  # type: ignore[no-untyped-def]
    return do_create_competency(
        instansi=world.instansi,
        code="M-PP",
        name="Pelayanan Publik",
        group="manajerial",
        description="Melayani.",
        levels=[
            LevelInput(
                level=3,
                description="Mandiri",
                indicators="Menyapa warga dengan ramah\nMenjelaskan prosedur dengan jelas",
            )
        ],
    )


def likert_answers(instrument: Instrument, value: int, trainer_ids=()) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out: dict[str, object] = {}
    for item in instrument.items.all():
        if item.kind == ItemKind.LIKERT:
            if item.section == "pengajar":
                for t in trainer_ids:
                    out[f"{item.pk}:{t}"] = value
            else:
                out[str(item.pk)] = value
        elif item.kind == ItemKind.PERCENT:
            out[str(item.pk)] = 50
    return out


def test_answers(instrument: Instrument, n_right: int) -> dict[str, object]:
    out: dict[str, object] = {}
    right = 0
    for item in instrument.items.order_by("order"):
        if item.kind == ItemKind.MULTIPLE_CHOICE:
            out[str(item.pk)] = (
                item.correct
                if right < n_right
                else next(o for o in item.options if o != item.correct)
            )
            right += 1
        elif item.kind == ItemKind.TRUE_FALSE:
            out[str(item.pk)] = (
                item.correct
                if right < n_right
                else ("salah" if item.correct == "benar" else "benar")
            )
            right += 1
        else:
            out[str(item.pk)] = "jawaban"
    return out


from kompeten.evaluation.actions.responses import ResponseInput  # noqa: E402

__all__ = ["InstrumentKind", "Phase", "ResponseInput", "Scenario", "build"]
