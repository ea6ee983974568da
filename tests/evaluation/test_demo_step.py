from kompeten.evaluation.models import Response
from kompeten.evaluation.queries import evaluate_programme
from tests.evaluation.roi_setup import DEMO_DAY, demo_evaluated


def test_the_demo_step_evaluates_a_finished_batch_through_the_actions(world):
    s, n = demo_evaluated(world)
    assert n == Response.objects.filter(programme=s.programme).count() > 0
    ev = evaluate_programme(s.programme, today=DEMO_DAY)
    assert ev.l2.n_pairs > 0
    assert ev.l2.mean_post > ev.l2.mean_pre
    assert ev.l1.n_responses > 0
    assert ev.l5.total_benefit > 0
    assert any(c.n_pairs > 0 for c in ev.l3.changes)
