"""`kompeten worker`: run background tasks (reminders, follow-ups, periodic reports)."""

from __future__ import annotations

import os
import socket
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.management.commands.db_worker import Worker

from kompeten.core.commands import KompetenCommand
from kompeten.core.worker import start_scheduler_thread


class Command(KompetenCommand):
    help = gettext_lazy(
        "Jalankan worker latar belakang: tugas dalam antrean ditambah penjadwal berkala."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help=_("Jeda antarpemeriksaan antrean (detik).")
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help=_("Berhenti setelah sekian tugas.")
        )

    def handle(self, *args: Any, interval: float, max_tasks: int | None, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}"
        start_scheduler_thread(worker_id)
        self.stdout.write(
            _("Kompeten worker {worker_id} berjalan (Ctrl+C untuk berhenti).").format(
                worker_id=worker_id
            )
        )
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
        # The tasks write for other people (reminders, notifications, reports) in the site's
        # language, not in the language of the console that started the worker.
        with translation.override(settings.LANGUAGE_CODE):
            worker.run()
