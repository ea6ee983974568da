"""`kompeten plan solve INSTANCE.json --out PLAN.json [--time-limit S]` (docs/planner.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.scheduling.planner.cli import solve_file


class Command(BaseCommand):
    help = "Plan an instance file with the CP-SAT planner and write the plan as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", help="Instance JSON (see docs/planner.md).")
        parser.add_argument(
            "--out", required=True, help="Where to write the plan ('-' for stdout)."
        )
        parser.add_argument("--time-limit", type=float, default=None, help="Seconds (default 60).")

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
            raise CommandError("Instans tidak valid; lihat pesan di atas.", returncode=code)
