"""The background worker: django-tasks-db's worker plus a heartbeat and the periodic scheduler."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_STALE_AFTER = timedelta(minutes=2)


def beat(worker_id: str) -> list[str]:
    """One tick: record that this worker is alive and enqueue the periodic jobs that are due."""
    from kompeten.core.models import WorkerHeartbeat
    from kompeten.core.periodic import enqueue_due

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"last_seen": now})
    return enqueue_due(now)


def start_scheduler_thread(worker_id: str, interval: float = 15.0) -> threading.Event:
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                close_old_connections()
                enqueued = beat(worker_id)
                if enqueued:
                    logger.info("enqueued periodic jobs: %s", ", ".join(enqueued))
            except Exception:
                logger.exception("scheduler tick failed")
            stop.wait(interval)

    threading.Thread(target=loop, name="kompeten-scheduler", daemon=True).start()
    return stop


def worker_status() -> str:
    from kompeten.core.models import WorkerHeartbeat

    try:
        latest = (
            WorkerHeartbeat.objects.order_by("-last_seen")
            .values_list("last_seen", flat=True)
            .first()
        )
    except Exception:  # noqa: BLE001
        return "unknown"
    if latest is None:
        return "never_seen"
    return "ok" if timezone.now() - latest <= HEARTBEAT_STALE_AFTER else "stale"
