import pytest
from django.core.exceptions import ValidationError

from kompeten.evaluation.actions.instruments import do_set_instrument_status
from kompeten.evaluation.actions.responses import (
    ResponseInput,
    do_submit_response,
    do_submit_responses,
)
from kompeten.evaluation.actions.simulation import do_score_simulations
from kompeten.evaluation.models import Answer, InstrumentStatus, Response, SimulationScore
from kompeten.learning.models import RubricCriterion
from tests.evaluation import builders


@pytest.fixture
def s(world):
    return builders.build(world, n=3)


def test_it_refuses_an_answer_for_a_closed_instrument(world, s):
    r = s.instruments["reaksi"]
    do_set_instrument_status(r, status=InstrumentStatus.CLOSED, actor=world.alice)
    with pytest.raises(ValidationError, match="ditutup"):
        do_submit_response(
            r,
            subject=world.dave_emp,
            rater=world.dave_emp,
            answers=builders.likert_answers(r, 4, [s.trainer.pk]),
        )
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("key", "rater", "answers", "refusal"),
    [
        pytest.param(
            "perilaku:sebelum",
            "erin_emp",
            lambda inst: builders.likert_answers(inst, 3),
            "bukan penilai yang ditunjuk",
            id="a_rater_who_is_not_the_designated_rater",
        ),
        pytest.param(
            "posttest",
            "dave_emp",
            lambda inst: builders.test_answers(inst, 2),
            "belum mengerjakan pre-test",
            id="a_posttest_before_the_pretest",
        ),
    ],
)
def test_it_refuses_an_answer_and_writes_nothing(world, s, key, rater, answers, refusal):
    inst = s.instruments[key]
    with pytest.raises(ValidationError, match=refusal):
        do_submit_response(
            inst, subject=world.dave_emp, rater=getattr(world, rater), answers=answers(inst)
        )
    assert Response.objects.count() == 0


def test_the_atasan_rates_and_is_recorded_as_the_rater(world, s):
    inst = s.instruments["perilaku:sebelum"]
    r = do_submit_response(
        inst,
        subject=world.dave_emp,
        rater=world.carol_emp,
        answers=builders.likert_answers(inst, 3),
    )
    assert (r.rater_id, r.rater_role) == (world.carol_emp.pk, "atasan")
    assert not Response.objects.filter(
        rater_role="peserta"
    ).exists()  # never copied to the other rater


def test_it_refuses_a_test_answered_twice(world, s):
    pre = s.instruments["pretest"]
    do_submit_response(
        pre, subject=world.dave_emp, rater=world.dave_emp, answers=builders.test_answers(pre, 2)
    )
    with pytest.raises(ValidationError, match="sudah dikerjakan"):
        do_submit_response(
            pre, subject=world.dave_emp, rater=world.dave_emp, answers=builders.test_answers(pre, 5)
        )
    assert Response.objects.count() == 1


def test_a_bad_row_writes_nothing_of_a_batch(world, s):
    pre = s.instruments["pretest"]
    good = ResponseInput(world.dave_emp.pk, world.dave_emp.pk, builders.test_answers(pre, 2))
    outsider = ResponseInput(world.erin_emp.pk, world.erin_emp.pk, builders.test_answers(pre, 2))
    with pytest.raises(ValidationError, match=r"Baris 2: .*bukan peserta"):
        do_submit_responses(pre, entries=[good, outsider])
    assert Response.objects.count() == Answer.objects.count() == 0


def test_it_refuses_a_likert_answer_out_of_range(world, s):
    r = s.instruments["reaksi"]
    answers = builders.likert_answers(r, 4, [s.trainer.pk])
    answers[next(iter(answers))] = 9
    with pytest.raises(ValidationError, match="1–5"):
        do_submit_response(r, subject=world.dave_emp, rater=world.dave_emp, answers=answers)


def test_it_refuses_a_rubric_score_outside_its_levels(world, s):
    crits = list(RubricCriterion.objects.filter(rubric__scenario__module=s.module))
    with pytest.raises(ValidationError, match="di luar level rubrik"):
        do_score_simulations(
            s.module,
            batch=s.batch,
            observer=s.trainer_user,
            scores={world.dave_emp.pk: {crits[0].pk: 7, crits[1].pk: 2}},
        )
    assert SimulationScore.objects.count() == 0


def test_it_refuses_an_observer_without_a_session(world, s):
    crits = list(RubricCriterion.objects.filter(rubric__scenario__module=s.module))
    with pytest.raises(ValidationError, match="bukan pengamat"):
        do_score_simulations(
            s.module,
            batch=s.batch,
            observer=world.carol,
            scores={world.dave_emp.pk: {c.pk: 2 for c in crits}},
        )
