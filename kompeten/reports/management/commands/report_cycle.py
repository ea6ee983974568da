"""`kompeten report cycle PERIOD --format pdf|html|xlsx -o FILE` (PERIOD: 2026, 2026-S1, 2026-Q3).

Generates the cycle's report first when it does not exist (or with --regenerate)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core import formatting
from kompeten.core.commands import KompetenCommand
from kompeten.core.models import Instansi
from kompeten.reports.actions import do_generate_cycle, recommendation_rows
from kompeten.reports.assemble import parse_period
from kompeten.reports.export import write_report
from kompeten.reports.models import ReportCycle
from kompeten.reports.queries import cycle_recommendations


class Command(KompetenCommand):
    help = gettext_lazy("Tulis laporan siklus evaluasi se-kota untuk satu periode.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", help=_("2026, 2026-S1 atau 2026-Q3"))
        parser.add_argument("--format", choices=["pdf", "html", "xlsx"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help=_("Berkas keluaran"))
        parser.add_argument("--instansi", help=_("Kode instansi (bila lebih dari satu)"))
        parser.add_argument("--regenerate", action="store_true", help=_("Susun ulang data siklus"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            parse_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["instansi"]:
            instansi = Instansi.objects.filter(code=options["instansi"]).first()
        else:
            all_ = list(Instansi.objects.all()[:2])
            instansi = all_[0] if len(all_) == 1 else None
        if instansi is None:
            raise CommandError(_("Sebutkan --instansi KODE."))
        code = options["period"].strip().upper()
        cycle = ReportCycle.objects.filter(instansi=instansi, code=code).first()
        if cycle is None or options["regenerate"]:
            self.stderr.write(_("Menyusun laporan siklus {code}…").format(code=code))
            cycle = do_generate_cycle(instansi=instansi, code=code)
        recs = recommendation_rows(cycle_recommendations(cycle), cycle)
        size = write_report(instansi, cycle.data, options["format"], Path(options["output"]), recs)
        self.stdout.write(
            self.style.SUCCESS(
                _("{path} ({size} bita)").format(
                    path=options["output"], size=formatting.number(size, 0)
                )
            )
        )
