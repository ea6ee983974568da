"""`kompeten restore FILE`: replace the whole database with a backup (stop web and worker first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Pulihkan seluruh basis data dari cadangan `kompeten backup`. Menimpa semua data: "
        "hentikan proses web dan worker lebih dahulu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Berkas cadangan.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Basis data dipulihkan dari {path}.")
