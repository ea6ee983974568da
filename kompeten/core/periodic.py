"""Registry of periodic jobs, enqueued by the worker's scheduler thread.

Apps register with ``register("name", every=timedelta(...))(task)`` where ``task`` is a
django-tasks ``Task`` taking no arguments. Registration happens when the app's ``tasks`` module
is imported (``AppConfig.ready`` imports it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Any


PERIODIC: dict[str, PeriodicJob] = {}


def register(name: str, *, every: timedelta) -> Callable[[Any], Any]:
    def decorator(task: Any) -> Any:
        PERIODIC[name] = PeriodicJob(name=name, every=every, task=task)
        return task

    return decorator


def enqueue_due(now: Any = None) -> list[str]:
    """Enqueue every periodic job whose interval has elapsed; return the names enqueued."""
    from kompeten.core.models import PeriodicRun

    now = now or timezone.now()
    enqueued: list[str] = []
    for job in PERIODIC.values():
        with transaction.atomic():
            run, created = PeriodicRun.objects.select_for_update().get_or_create(
                name=job.name, defaults={"last_enqueued": now}
            )
            if created or now - run.last_enqueued >= job.every:
                run.last_enqueued = now
                run.save(update_fields=["last_enqueued"])
                job.task.enqueue()
                enqueued.append(job.name)
    return enqueued
