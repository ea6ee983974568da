"""The cost side of the ROI for evaluation tests, and the demo's evaluation step run on a built
scenario (see `builders.build`)."""

from __future__ import annotations

import random
from datetime import date

from kompeten.demo.evaluation import evaluate_demo_programme
from kompeten.evaluation.actions.roi import do_set_hourly_costs
from kompeten.learning.models import Programme
from tests.conftest import World
from tests.evaluation import builders

DEMO_DAY = date(2026, 11, 20)


def set_hourly_costs(world: World, name: str = "Uji") -> None:
    """Participants' time in golongan III costs Rp50.000 an hour from 1 January 2026."""
    do_set_hourly_costs(
        world.instansi,
        name=name,
        effective_from=date(2026, 1, 1),
        source="uji",
        rates={"III": "50000"},
        actor=world.alice,
    )


def demo_evaluated(world: World, code: str = "") -> tuple[builders.Scenario, int]:
    """Twelve participants trained from 2 March 2026 (no instruments yet), renamed to ``code``
    when given, the hourly costs set, and the demo's evaluation step run on `DEMO_DAY` with seed
    1; returns the scenario and the number of responses the step submitted."""
    s = builders.build(world, n=12, start=date(2026, 3, 2), instruments=False)
    if code:
        Programme.objects.filter(pk=s.programme.pk).update(code=code)
        s.programme.refresh_from_db()
    set_hourly_costs(world)
    n = evaluate_demo_programme(
        s.programme, admin=world.alice, rng=random.Random(1), today=DEMO_DAY
    )
    return s, n
