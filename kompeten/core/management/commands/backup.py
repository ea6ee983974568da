"""`kompeten backup [--out FILE]`: back up the whole database (SQLite online backup, pg_dump)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core import formatting
from kompeten.core.backup import BackupError, backup
from kompeten.core.commands import KompetenCommand


class Command(KompetenCommand):
    help = gettext_lazy(
        "Cadangkan seluruh basis data (SQLite: backup online; PostgreSQL: pg_dump -Fc)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help=_("Berkas tujuan (bawaan: var/backups/kompeten-<waktu>.sqlite3|pgdump)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Cadangan tersimpan: {path} ({size} bita)").format(
                path=path, size=formatting.number(path.stat().st_size, 0)
            )
        )
