"""Engine results pinned to direct numpy / stats-library computations on crafted data."""

import numpy as np
import pytest

from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from kompeten.evaluation.actions.simulation import do_score_simulations
from kompeten.evaluation.levels.l2 import simulation_result
from kompeten.evaluation.queries import evaluate_programme
from kompeten.learning.models import RubricCriterion
from kompeten.stats import cronbach_alpha, icc, normalized_gain, paired_ttest
from tests.evaluation import builders
from tests.evaluation.reactions import answer_reaction


def test_l1_index_band_and_alpha_match_a_direct_computation(world):
    s = builders.build(world, n=6)
    r = s.instruments["reaksi"]
    levels = [5, 4, 4, 3, 5, 4]
    entries = []
    for i, (e, v) in enumerate(zip(s.participants, levels, strict=True)):
        answers = builders.likert_answers(r, v, [s.trainer.pk])
        # vary one item so the scale has variance within respondents
        first = next(k for k in answers if ":" not in k)
        answers[first] = max(1, v - (i % 2))
        entries.append(ResponseInput(e.pk, e.pk, answers))
    do_submit_responses(r, entries=entries)
    ev = evaluate_programme(s.programme)
    trainer = ev.l1.trainers[0]
    mean = float(np.mean(levels))
    assert trainer.overall.mean == pytest.approx(mean)
    assert trainer.overall.index == pytest.approx((mean - 1) / 4 * 100)
    sarana = next(x for x in ev.l1.sections if x.key == "sarana")
    matrix = np.array([[max(1, v - (i % 2)), v] for i, v in enumerate(levels)], dtype=float)
    assert sarana.alpha.alpha == pytest.approx(cronbach_alpha(matrix).alpha)


def test_l2_gain_and_paired_test_match_the_stats_library(world):
    s = builders.build(world, n=6)
    pre, post = s.instruments["pretest"], s.instruments["posttest"]
    # post-test without its short answer item marked: use the pre-test form (no short item) only for pct
    pre_right = [1, 2, 2, 3, 1, 2]
    do_submit_responses(
        pre,
        entries=[
            ResponseInput(e.pk, e.pk, builders.test_answers(pre, k))
            for e, k in zip(s.participants, pre_right, strict=True)
        ],
    )
    post_right = [3, 4, 3, 4, 2, 4]
    made = do_submit_responses(
        post,
        entries=[
            ResponseInput(e.pk, e.pk, builders.test_answers(post, k))
            for e, k in zip(s.participants, post_right, strict=True)
        ],
    )
    from kompeten.evaluation.actions.responses import do_mark_short_answers

    for resp in made:
        a = resp.answers.get(item__kind="singkat")
        do_mark_short_answers(resp, points={a.pk: 1}, actor=world.alice)
    pre_max = sum(float(i.points) for i in pre.items.all())
    post_max = sum(float(i.points) for i in post.items.all())
    pre_pct = np.array(pre_right) / pre_max * 100
    post_pct = (np.array(post_right) + 1) / post_max * 100
    ev = evaluate_programme(s.programme)
    assert ev.l2.n_pairs == 6
    assert ev.l2.gain.class_gain == pytest.approx(
        normalized_gain(pre_pct, post_pct, 100).class_gain
    )
    assert ev.l2.ttest.mean_difference == pytest.approx(
        paired_ttest(pre_pct, post_pct).mean_difference
    )
    assert "naik" in ev.l2.change_sentence


def test_simulation_icc_matches_the_stats_library(world):
    s = builders.build(world, n=5)
    crits = list(
        RubricCriterion.objects.filter(rubric__scenario__module=s.module).order_by("order")
    )
    a = [[1, 2], [2, 2], [3, 3], [4, 3], [2, 1]]
    b = [[2, 2], [2, 3], [3, 4], [4, 4], [1, 1]]
    for observer, table in ((s.trainer_user, a), (world.alice, b)):
        do_score_simulations(
            s.module,
            batch=s.batch,
            observer=observer,
            scores={
                e.pk: {crits[0].pk: row[0], crits[1].pk: row[1]}
                for e, row in zip(s.participants, table, strict=True)
            },
        )
    ev = evaluate_programme(s.programme)
    sim = ev.l2.simulations[0]
    totals = lambda t: [(r[0] / 4 * 50 + r[1] / 4 * 50) for r in t]  # noqa: E731
    expected = icc(
        np.column_stack([totals(a), totals(b)])
        if s.trainer_user.pk < world.alice.pk
        else np.column_stack([totals(b), totals(a)])
    ).icc2_1.value
    assert sim.icc_value == pytest.approx(expected)
    assert sim.n_observers == 2
    # on the rubric's own 1–4 scale: each participant's weighted level (two equal weights),
    # averaged over observers, then over participants
    levels = [(r[0] + r[1]) / 2 for r in a + b]
    assert sim.level_top == 4.0
    assert sim.mean_level == pytest.approx(sum(levels) / len(levels))
    assert sim.mean_score == pytest.approx(sim.mean_level / 4 * 100)


def test_a_rubric_whose_criteria_have_different_top_levels_has_no_mean_level() -> None:
    sim = simulation_result(
        module_id=1,
        title="Simulasi loket",
        subjects=np.array([1, 1, 2, 2]),
        observers=np.array([9, 9, 9, 9]),
        criteria=np.array([1, 2, 1, 2]),
        scores=np.array([4.0, 5.0, 2.0, 3.0]),
        criterion_meta={1: ("Empati", 1.0, 4.0), 2: ("Solusi", 1.0, 5.0)},
    )
    # (4/4 + 5/5)/2 × 100 = 100 and (2/4 + 3/5)/2 × 100 = 55: a 0–100 score, no single level scale
    assert sim.mean_score == pytest.approx(77.5)
    assert sim.level_top is None and sim.mean_level is None


def test_behaviour_pairs_only_complete_raters_and_keeps_roles_apart(world):
    s = builders.build(world, n=6)
    before, after = s.instruments["perilaku:sebelum"], s.instruments["perilaku:3bulan"]
    atasan = world.carol_emp.pk
    do_submit_responses(
        before,
        entries=[
            ResponseInput(e.pk, atasan, builders.likert_answers(before, 2)) for e in s.participants
        ],
    )
    # one atasan answer missing after: it stays missing
    do_submit_responses(
        after,
        entries=[
            ResponseInput(e.pk, atasan, builders.likert_answers(after, 4))
            for e in s.participants[:-1]
        ],
    )
    ev = evaluate_programme(s.programme)
    sup = next(c for c in ev.l3.changes if c.rater_role == "atasan" and c.phase_after == "3bulan")
    self_ = next(
        c for c in ev.l3.changes if c.rater_role == "peserta" and c.phase_after == "3bulan"
    )
    assert sup.n_pairs == 5 and sup.mean_before == 2 and sup.mean_after == 4
    assert self_.n_pairs == 0


def test_response_rates_count_invitations_and_answers(world):
    s = builders.build(world, n=4)
    answer_reaction(s, s.participants[:3])
    ev = evaluate_programme(s.programme)
    rate = next(x for x in ev.response_rates if x.label.startswith("Kuesioner reaksi"))
    assert (rate.invited, rate.answered) == (4, 3)


def test_l5_isolates_by_the_participants_estimate_and_leaves_intangibles_unconverted(world):
    from decimal import Decimal

    from kompeten.evaluation.actions.roi import BenefitInput, do_add_benefit
    from kompeten.learning.models import CostItem
    from tests.evaluation.roi_setup import set_hourly_costs

    s = builders.build(world, n=5)
    after = s.instruments["perilaku:3bulan"]
    estimates = [(50, 80), (60, 90), (40, 50), (80, 100), (70, 70)]
    entries = []
    for e, (a, c) in zip(s.participants, estimates, strict=True):
        answers = builders.likert_answers(after, 4)
        for item in after.items.filter(kind="persen"):
            answers[str(item.pk)] = a if item.roi_role == "atribusi" else c
        entries.append(ResponseInput(e.pk, e.pk, answers))
    do_submit_responses(after, entries=entries)
    CostItem.objects.create(programme=s.programme, category="pengajar", amount=Decimal("10000000"))
    set_hourly_costs(world, name="t")
    do_add_benefit(
        s.programme,
        data=BenefitInput(
            kind="moneter",
            name="Jam",
            hours_per_year="1000",
            golongan_group="III",
            isolation="estimasi",
        ),
        actor=world.alice,
    )
    do_add_benefit(
        s.programme, data=BenefitInput(kind="intangible", name="Warga puas"), actor=world.alice
    )
    ev = evaluate_programme(s.programme)
    share = np.mean([a / 100 * c / 100 for a, c in estimates])
    assert ev.l5.estimate_share == pytest.approx(share)
    assert ev.l5.total_benefit == pytest.approx(1000 * 50000 * share)
    assert ev.l5.bcr == pytest.approx(ev.l5.total_benefit / 10_000_000)
    assert ev.l5.roi_pct == pytest.approx((ev.l5.total_benefit - 10_000_000) / 10_000_000 * 100)
    assert ev.l5.intangibles == ("Warga puas",)


def test_the_posttest_tells_participation_and_records_the_individual_gain(world):
    from kompeten.participation.models import Enrolment

    s = builders.build(world, n=2)
    pre, post = s.instruments["pretest"], s.instruments["posttest"]
    do_submit_responses(
        pre,
        entries=[
            ResponseInput(world.dave_emp.pk, world.dave_emp.pk, builders.test_answers(pre, 1))
        ],
    )
    [resp] = do_submit_responses(
        post,
        entries=[
            ResponseInput(world.dave_emp.pk, world.dave_emp.pk, builders.test_answers(post, 4))
        ],
    )
    enrolment = Enrolment.objects.get(employee=world.dave_emp, batch=s.batch)
    assert enrolment.posttest_done_at is not None
    assert enrolment.learning_gain is None  # the short answer is not marked yet
    from kompeten.evaluation.actions.responses import do_mark_short_answers

    a = resp.answers.get(item__kind="singkat")
    do_mark_short_answers(resp, points={a.pk: 2}, actor=world.alice)
    enrolment.refresh_from_db()
    pre_pct = 1 / sum(float(i.points) for i in pre.items.all()) * 100
    post_pct = 6 / sum(float(i.points) for i in post.items.all()) * 100
    assert float(enrolment.learning_gain) == pytest.approx(
        (post_pct - pre_pct) / (100 - pre_pct), abs=1e-5
    )
