"""`kompeten demo`: build the deterministic Sawahlunto demo."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.demo.build import build_demo, demo_exists


class Command(BaseCommand):
    help = "Bangun data demo Kota Sawahlunto (sintetis) melalui aksi yang sama dengan pengguna."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Lewati bila demo sudah ada.")

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if demo_exists():
            if if_empty:
                self.stdout.write("Data demo sudah ada; tidak dibangun ulang.")
                return
            raise CommandError(
                "Data demo sudah ada. Hapus var/kompeten.sqlite3 untuk membangun ulang."
            )
        started = time.monotonic()
        build_demo(self.stdout)  # type: ignore[arg-type]
        self.stdout.write(f"Demo selesai dalam {time.monotonic() - started:.1f} detik.")
