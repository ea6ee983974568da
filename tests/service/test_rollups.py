"""Rollups: atomic increments, concurrency, and rebuild equals recount."""

from __future__ import annotations

import io
import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Sum

from kompeten.service.actions import (
    do_fold_skm_responses,
    do_rebuild_rollups,
    do_submit_skm_response,
    increment_rollups,
)
from kompeten.service.models import SkmProfileRollup, SkmResponse, SkmRollup
from tests.service.helpers import all_scores, jkt, make_service_unit


def _snapshot() -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    """The rollups summed over their stripes (shards)."""
    key = ("service_unit_id", "service_key", "month", "version")
    unsur = {
        (*(r[k] for k in key), r["unsur"], r["a"], r["b"], r["c"], r["d"])
        for r in SkmRollup.objects.values(*key, "unsur")
        .annotate(a=Sum("c1"), b=Sum("c2"), c=Sum("c3"), d=Sum("c4"))
        .order_by()
    }
    profile = {
        (*(r[k] for k in key), r["dimension"], r["value"], r["n"])
        for r in SkmProfileRollup.objects.values(*key, "dimension", "value")
        .annotate(n=Sum("count"))
        .order_by()
    }
    return unsur, profile


@pytest.mark.django_db
def test_the_rollup_equals_a_recount_after_rebuild(world) -> None:
    su = make_service_unit(world.alfa)
    other = make_service_unit(world.beta, code="layanan-beta")
    service = su.services.get()
    for i, moment in enumerate(
        [jkt(2026, 1, 5, 9), jkt(2026, 1, 31, 23, 30), jkt(2026, 2, 1, 0, 15)]
    ):
        do_submit_skm_response(service_unit=su, scores=all_scores(1 + i), submitted=moment, sex="L")
    do_submit_skm_response(
        service_unit=su, service=service, scores=all_scores(2), submitted=jkt(2026, 2, 3, 9)
    )
    do_submit_skm_response(service_unit=other, scores=all_scores(4), submitted=jkt(2026, 2, 3, 9))
    assert do_fold_skm_responses() == 5
    before = _snapshot()
    # the month is the Asia/Jakarta month: 00:15 on 1 February is February
    assert SkmResponse.objects.filter(month=date(2026, 2, 1)).count() == 3
    SkmRollup.objects.filter(unsur="persyaratan").update(c4=999)  # damage
    call_command("rollup_rebuild", stdout=io.StringIO())
    assert _snapshot() == before


@pytest.mark.django_db
def test_rebuilding_one_unit_leaves_the_others_alone(world) -> None:
    su = make_service_unit(world.alfa)
    other = make_service_unit(world.beta, code="layanan-beta")
    do_submit_skm_response(service_unit=su, scores=all_scores(3))
    do_submit_skm_response(service_unit=other, scores=all_scores(4))
    do_fold_skm_responses()
    SkmRollup.objects.filter(service_unit=other).update(c4=7)
    do_rebuild_rollups([su.pk])
    assert set(SkmRollup.objects.filter(service_unit=other).values_list("c4", flat=True)) == {7}


@pytest.mark.django_db
def test_two_transactions_on_the_same_rollup_row_add_up(world) -> None:
    su = make_service_unit(world.alfa)
    key = (su.pk, 0, date(2026, 3, 1), "SKM_2017", "persyaratan")
    with transaction.atomic():
        increment_rollups({key: [1, 0, 2, 0]}, {})
    with transaction.atomic():
        increment_rollups({key: [0, 5, 1, 1]}, {})
    row = SkmRollup.objects.get(unsur="persyaratan")
    assert (row.c1, row.c2, row.c3, row.c4) == (1, 5, 3, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_one_unit_lose_no_count(world) -> None:
    """Real concurrency on PostgreSQL (row locks under INSERT … ON CONFLICT). An in-memory
    SQLite test database cannot take concurrent writers at all (shared-cache table locks), so
    there the writers run one thread at a time and the test checks the same totals."""
    su = make_service_unit(world.alfa)
    errors: list[BaseException] = []
    per_thread = 10
    threads = 4 if connection.vendor == "postgresql" else 1

    def work() -> None:
        try:
            for _ in range(per_thread):
                do_submit_skm_response(service_unit=su, scores=all_scores(4))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    do_fold_skm_responses(wait=True)
    total = per_thread * threads
    assert SkmResponse.objects.count() == total
    sums = SkmRollup.objects.values("unsur").annotate(n=Sum("c4")).order_by()
    assert {r["n"] for r in sums} == {total} and len(sums) == 9
    totals = SkmProfileRollup.objects.filter(dimension="total").aggregate(n=Sum("count"))
    assert totals["n"] == total
