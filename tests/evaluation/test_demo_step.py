import random
from datetime import date

from kompeten.demo.evaluation import evaluate_demo_programme
from kompeten.evaluation.actions.roi import do_set_hourly_costs
from kompeten.evaluation.models import Response
from kompeten.evaluation.queries import evaluate_programme
from tests.evaluation import builders


def test_the_demo_step_evaluates_a_finished_batch_through_the_actions(world):
    s = builders.build(world, n=12, start=date(2026, 3, 2), instruments=False)
    do_set_hourly_costs(
        world.instansi,
        name="Uji",
        effective_from=date(2026, 1, 1),
        source="uji",
        rates={"III": "50000"},
        actor=world.alice,
    )
    n = evaluate_demo_programme(
        s.programme, admin=world.alice, rng=random.Random(1), today=date(2026, 11, 20)
    )
    assert n == Response.objects.filter(programme=s.programme).count() > 0
    ev = evaluate_programme(s.programme, today=date(2026, 11, 20))
    assert ev.l2.n_pairs > 0
    assert ev.l2.mean_post > ev.l2.mean_pre
    assert ev.l1.n_responses > 0
    assert ev.l5.total_benefit > 0
    assert any(c.n_pairs > 0 for c in ev.l3.changes)
