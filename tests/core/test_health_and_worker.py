"""/health reports the database and the worker; the worker's scheduler enqueues periodic jobs."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from kompeten.core import periodic
from kompeten.core.models import PeriodicRun
from kompeten.core.worker import beat, worker_status


def test_health_says_the_worker_was_never_seen(client, db) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "worker": "never_seen"}}


def test_a_beat_makes_the_worker_healthy_and_it_goes_stale_later(db) -> None:
    beat("w-1")
    assert worker_status() == "ok"
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert worker_status() == "stale"


class FakeTask:
    def __init__(self) -> None:
        self.enqueued = 0

    def enqueue(self) -> None:
        self.enqueued += 1


def test_a_periodic_job_is_enqueued_once_per_interval(db, monkeypatch) -> None:
    task = FakeTask()
    monkeypatch.setattr(periodic, "PERIODIC", {})
    periodic.register("uji", every=timedelta(hours=1))(task)
    start = timezone.now()
    assert periodic.enqueue_due(start) == ["uji"]
    assert periodic.enqueue_due(start + timedelta(minutes=30)) == []
    assert periodic.enqueue_due(start + timedelta(minutes=61)) == ["uji"]
    assert task.enqueued == 2
    assert PeriodicRun.objects.get(name="uji").last_enqueued == start + timedelta(minutes=61)
