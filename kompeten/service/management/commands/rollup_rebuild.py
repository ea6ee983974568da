"""kompeten rollup rebuild [--unit CODE …]: recount the SKM rollups from stored responses."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.service.actions import do_rebuild_rollups
from kompeten.service.models import ServiceUnit


class Command(BaseCommand):
    help = "Bangun ulang rekap (rollup) SKM dari semua jawaban yang tersimpan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", action="append", default=[], help="kode survei unit layanan")

    def handle(self, *args: Any, **opts: Any) -> None:
        ids = None
        if opts["unit"]:
            found = dict(
                ServiceUnit.objects.filter(code__in=opts["unit"]).values_list("code", "id")
            )
            unknown = sorted(set(opts["unit"]) - set(found))
            if unknown:
                raise CommandError(f"Unit layanan tidak dikenal: {', '.join(unknown)}")
            ids = list(found.values())
        self.stdout.write("Membangun ulang rekap SKM …")
        t0 = time.perf_counter()
        unsur_rows, profile_rows = do_rebuild_rollups(ids)
        self.stdout.write(
            f"Selesai dalam {time.perf_counter() - t0:.1f} s: {unsur_rows} baris unsur, "
            f"{profile_rows} baris profil."
        )
