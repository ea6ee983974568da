"""`kompeten worker`: run background tasks (reminders, follow-ups, periodic reports)."""

from __future__ import annotations

import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.management.commands.db_worker import Worker

from kompeten.core.worker import start_scheduler_thread


class Command(BaseCommand):
    help = "Run the background worker: queued tasks plus the periodic scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Poll interval (s).")
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after this many tasks."
        )

    def handle(self, *args: Any, interval: float, max_tasks: int | None, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}"
        start_scheduler_thread(worker_id)
        self.stdout.write(f"Kompeten worker {worker_id} berjalan (Ctrl+C untuk berhenti).")
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=max_tasks is not None,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
