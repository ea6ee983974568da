"""L4 reads the service rollups; its IKM equals the service app's monthly series."""

import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from kompeten.evaluation.queries import evaluate_programme, monthly_ikm_unit
from kompeten.service.actions.skm import (
    SkmRecord,
    do_bulk_add_skm_responses,
    do_create_service_unit,
)
from kompeten.service.queries import monthly_ikm_series
from kompeten.service.versions import engine_version
from tests.evaluation import builders

JKT = ZoneInfo("Asia/Jakarta")


def test_trained_and_comparison_units_come_from_the_participants_opd(world):
    s = builders.build(world, n=3)
    trained = do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa")
    comparison = do_create_service_unit(unit=world.beta, code="beta", name="Layanan Beta")
    slugs = [u.slug for u in engine_version("SKM_2017").unsur]
    rng = random.Random(2)
    for su, lift in ((trained, 1), (comparison, 0)):
        records = []
        for month in range(1, 11):
            for _ in range(6):
                bonus = lift if month > 3 else 0
                records.append(
                    SkmRecord(
                        submitted=datetime.combine(date(2026, month, 10), time(10), tzinfo=JKT),
                        scores={k: min(4, rng.choice([2, 3, 3]) + bonus) for k in slugs},
                    )
                )
        do_bulk_add_skm_responses(su, records)
    start, end = date(2025, 12, 1), date(2026, 11, 1)
    series = monthly_ikm_series([trained.pk, comparison.pk], start, end)
    expected = {
        (r["service_unit_id"], r["month"]): float(r["ikm_unit"])
        for r in series
        if r["ikm_unit"] is not None
    }
    ours = {(su, m): v for su, m, v in monthly_ikm_unit([trained.pk, comparison.pk], start, end)}
    assert ours.keys() == expected.keys()
    for key, value in expected.items():
        assert ours[key] == value  # one computation: the IKM engine on the same counts
    ev = evaluate_programme(s.programme, today=date(2026, 11, 20))
    assert ev.l4.treated_units == ("Layanan Alfa",)
    assert ev.l4.comparison_units == ("Layanan Beta",)
    ikm = ev.l4.outcomes[0]
    assert ikm.intervention == date(2026, 4, 1)  # the month after the batch ended (3 March)
