"""The rollup fold: public-form responses are counted within seconds, exactly once, and the fold
agrees with ``kompeten rollup rebuild``."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from kompeten.core.periodic import PERIODIC
from kompeten.service.actions import (
    do_bulk_add_skm_responses,
    do_create_questionnaire,
    do_fold_skm_responses,
    do_rebuild_rollups,
    do_submit_skm_response,
)
from kompeten.service.actions.rollups import PACKED_UNSUR, count_responses, pack_scores
from kompeten.service.actions.skm import SkmRecord
from kompeten.service.models import SkmFoldState, SkmProfileRollup, SkmResponse, SkmRollup
from kompeten.service.versions import engine_version
from kompeten.standards.ikm import SKM_2004, SKM_2017
from tests.service.helpers import all_scores, jkt, make_service_unit
from tests.service.test_rollups import _snapshot


def _mixed_data(world):  # type: ignore[no-untyped-def]
    su = make_service_unit(world.alfa)
    other = make_service_unit(world.beta, code="layanan-beta")
    service = su.services.get()
    for i in range(5):
        do_submit_skm_response(
            service_unit=su,
            scores=all_scores(1 + i % 4),
            service=service if i % 2 else None,
            sex="LP"[i % 2],
            age_group="30-39",
            submitted=jkt(2026, 1 + i % 3, 10, 9),
        )
    records = [
        SkmRecord(submitted=jkt(2026, 2, 3, 9), scores=all_scores(3), profile={"sex": "P"}),
        SkmRecord(submitted=jkt(2026, 3, 3, 9), scores=all_scores(2), service_id=service.pk),
    ]
    do_bulk_add_skm_responses(su, records)
    do_submit_skm_response(service_unit=other, scores=all_scores(4), education="SMA")
    return su, other


@pytest.mark.django_db
def test_the_fold_counts_each_form_response_once_and_imports_never(world) -> None:
    _mixed_data(world)
    assert do_fold_skm_responses() == 6  # the two imported rows were counted by their import
    assert do_fold_skm_responses() == 0
    state = SkmFoldState.objects.get()
    assert state.last_id == SkmResponse.objects.order_by("-id").values_list("id", flat=True)[0]
    folded = _snapshot()
    do_rebuild_rollups()
    assert _snapshot() == folded  # the fold and the rebuild agree


@pytest.mark.django_db
def test_a_rebuild_with_responses_not_yet_folded_counts_them_once(world) -> None:
    su, other = _mixed_data(world)
    do_rebuild_rollups()  # counts the pending form responses and moves the mark
    assert do_fold_skm_responses() == 0
    rebuilt = _snapshot()
    do_submit_skm_response(service_unit=su, scores=all_scores(4))
    do_rebuild_rollups([other.pk])  # a partial rebuild folds what is pending first
    assert do_fold_skm_responses() == 0
    do_rebuild_rollups()
    after = _snapshot()
    assert after != rebuilt
    do_fold_skm_responses()
    assert _snapshot() == after


@pytest.mark.django_db
def test_fold_and_rebuild_agree_on_a_custom_questionnaire_beyond_the_packed_unsur(world) -> None:
    extra = [
        {"slug": f"tambahan_{c}", "name": f"Tambahan {c}{c}{c}", "labels": ["a", "b", "c", "d"]}
        for c in "abcdefghijklmn"[: PACKED_UNSUR - 9 + 2]  # 23 unsur: two read from the JSON
    ]
    q = do_create_questionnaire(
        instansi=world.instansi, code="besar", name="Kuesioner besar", extra_unsur=extra
    )
    su = make_service_unit(world.alfa, questionnaire=q)
    version = engine_version(su.version_id)
    assert len(version.unsur) == 23
    for k in range(4):
        scores = {u.slug: 1 + (i + k) % 4 for i, u in enumerate(version.unsur)}
        do_submit_skm_response(service_unit=su, scores=scores)
    do_fold_skm_responses()
    unsur, _ = count_responses("service_unit_id = %s", [su.pk])
    assert len(unsur) == 23 and all(sum(c) == 4 for c in unsur.values())
    folded = _snapshot()
    do_rebuild_rollups()
    assert _snapshot() == folded


def test_packed_scores_hold_three_bits_per_unsur_in_questionnaire_order() -> None:
    scores = {u.slug: 1 + i % 4 for i, u in enumerate(SKM_2004.unsur)}
    packed = pack_scores(SKM_2004, scores)
    assert [(packed >> (3 * i)) & 7 for i in range(14)] == [1 + i % 4 for i in range(14)]
    assert packed < 2**63
    partial = pack_scores(SKM_2017, {SKM_2017.unsur[2].slug: 4})
    assert partial == 4 << 6  # unanswered unsur are 0


def test_the_worker_runs_the_fold_every_few_seconds() -> None:
    job = PERIODIC["service.skm_fold"]
    assert job.every <= timedelta(seconds=10)


@pytest.mark.django_db(transaction=True)
def test_a_response_committed_after_a_later_one_is_not_skipped(world) -> None:
    """Ids are drawn before commit: the fold must not move its mark past a response whose
    transaction is still open. On PostgreSQL a writer holds the form lock (shared) while its
    transaction is open, so a fold meanwhile skips the round; on SQLite writers and the fold
    are serialised by the database, so the same sequence runs one after the other."""
    su = make_service_unit(world.alfa)
    do_submit_skm_response(service_unit=su, scores=all_scores(4))
    assert do_fold_skm_responses() == 1
    if connection.vendor != "postgresql":
        with transaction.atomic():
            do_submit_skm_response(service_unit=su, scores=all_scores(3))
        do_submit_skm_response(service_unit=su, scores=all_scores(2))
        assert do_fold_skm_responses() == 2
        return
    inserted, release, errors = threading.Event(), threading.Event(), []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                do_submit_skm_response(service_unit=su, scores=all_scores(3))
                inserted.set()
                release.wait(10)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert inserted.wait(10)
    do_submit_skm_response(service_unit=su, scores=all_scores(2))  # higher id, commits first
    assert do_fold_skm_responses() == 0  # the open transaction holds the lock: skip the round
    release.set()
    writer.join()
    assert errors == []
    assert do_fold_skm_responses() == 2
    assert SkmResponse.objects.count() == 3
    folded = _snapshot()
    do_rebuild_rollups()
    assert _snapshot() == folded


@pytest.mark.django_db(transaction=True)
def test_writers_and_folds_running_together_lose_and_double_nothing(world) -> None:
    su = make_service_unit(world.alfa)
    postgres = connection.vendor == "postgresql"
    writers, per_writer = (4, 15) if postgres else (1, 10)
    stop, errors = threading.Event(), []

    def write() -> None:
        try:
            for i in range(per_writer):
                do_submit_skm_response(service_unit=su, scores=all_scores(1 + i % 4))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    def fold() -> None:
        try:
            while not stop.is_set():
                do_fold_skm_responses()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=write) for _ in range(writers)]
    folder = threading.Thread(target=fold) if postgres else None
    for t in [*pool, *([folder] if folder else [])]:
        t.start()
    for t in pool:
        t.join()
    stop.set()
    if folder:
        folder.join()
    assert errors == []
    do_fold_skm_responses(wait=True)
    total = writers * per_writer
    folded = _snapshot()
    totals = [row for row in folded[1] if row[4] == "total"]
    assert sum(row[-1] for row in totals) == total == SkmResponse.objects.count()
    do_rebuild_rollups()
    assert _snapshot() == folded
    assert timezone.now() - SkmFoldState.objects.get().folded_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_a_rebuild_counts_every_unsur_of_a_version_no_unit_uses_any_more(world) -> None:
    su = make_service_unit(world.alfa)  # SKM 2017 (9 unsur) today
    scores = {u.slug: 1 + i % 4 for i, u in enumerate(SKM_2004.unsur)}
    record = SkmRecord(submitted=jkt(2025, 6, 1, 9), scores=scores)
    do_bulk_add_skm_responses(su, [record, record], version_id="SKM_2004")
    imported = _snapshot()
    SkmRollup.objects.all().delete()
    SkmProfileRollup.objects.all().delete()
    do_rebuild_rollups()  # the one pass reads 9 positions; the 14-unsur rows get a second read
    assert _snapshot() == imported
    assert len({row[4] for row in imported[0]}) == 14
