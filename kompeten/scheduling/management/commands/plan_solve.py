"""`kompeten plan solve INSTANCE.json --out PLAN.json [--time-limit S]` (docs/planner.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.commands import KompetenCommand
from kompeten.scheduling.plan_cli import solve_file


class Command(KompetenCommand):
    help = gettext_lazy(
        "Susun rencana dari berkas instans dengan perencana CP-SAT dan tulis rencananya "
        "sebagai JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", help=_("Berkas instans JSON (lihat docs/planner.md)."))
        parser.add_argument(
            "--out", required=True, help=_("Berkas tujuan rencana ('-' untuk stdout).")
        )
        parser.add_argument(
            "--time-limit", type=float, default=None, help=_("Batas waktu dalam detik (bawaan 60).")
        )

    def handle(
        self, *args: Any, instance: str, out: str, time_limit: float | None, **options: Any
    ) -> None:
        code = solve_file(
            instance,
            out,
            time_limit,
            stdout=getattr(self.stdout, "_out", None),
            stderr=getattr(self.stderr, "_out", None),
        )
        if code != 0:
            raise CommandError(_("Instans tidak valid; lihat pesan di atas."), returncode=code)
