"""`kompeten backup [--out FILE]`: back up the whole database (SQLite online backup, pg_dump)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Cadangkan seluruh basis data (SQLite: backup online; PostgreSQL: pg_dump -Fc)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help="Berkas tujuan (bawaan: var/backups/kompeten-<waktu>.sqlite3|pgdump).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Cadangan tersimpan: {path} ({path.stat().st_size} bita)")
