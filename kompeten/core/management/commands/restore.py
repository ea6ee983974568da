"""`kompeten restore FILE`: replace the whole database with a backup (stop web and worker first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.backup import BackupError, restore
from kompeten.core.commands import KompetenCommand


class Command(KompetenCommand):
    help = gettext_lazy(
        "Pulihkan seluruh basis data dari cadangan `kompeten backup`. Menimpa semua data: "
        "hentikan proses web dan worker lebih dahulu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("Berkas cadangan."))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Basis data dipulihkan dari {path}.").format(path=path))
