"""kompeten rollup rebuild [--unit CODE …]: recount the SKM rollups from stored responses."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core import formatting
from kompeten.core.commands import KompetenCommand
from kompeten.service.actions import do_rebuild_rollups
from kompeten.service.models import ServiceUnit


class Command(KompetenCommand):
    help = gettext_lazy("Bangun ulang rekap (rollup) SKM dari semua jawaban yang tersimpan.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", action="append", default=[], help=_("kode survei unit layanan")
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        ids = None
        if opts["unit"]:
            found = dict(
                ServiceUnit.objects.filter(code__in=opts["unit"]).values_list("code", "id")
            )
            unknown = sorted(set(opts["unit"]) - set(found))
            if unknown:
                raise CommandError(
                    _("Unit layanan tidak dikenal: {codes}").format(codes=", ".join(unknown))
                )
            ids = list(found.values())
        self.stdout.write(_("Membangun ulang rekap SKM …"))
        t0 = time.perf_counter()
        unsur_rows, profile_rows = do_rebuild_rollups(ids)
        self.stdout.write(
            _(
                "Selesai dalam {seconds} s: {unsur_rows} baris unsur, {profile_rows} baris profil."
            ).format(
                seconds=formatting.number(time.perf_counter() - t0, 1),
                unsur_rows=formatting.number(unsur_rows, 0),
                profile_rows=formatting.number(profile_rows, 0),
            )
        )
