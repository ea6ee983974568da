"""`kompeten report PROGRAMME_CODE --format pdf|html|xlsx|json -o FILE
[--before FROM:TO --after FROM:TO]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kompeten.learning.models import Programme
from kompeten.reports.assemble import assemble_programme, programme_period
from kompeten.reports.export import write_report
from kompeten.reports.impact import windows_from_text


class Command(BaseCommand):
    help = "Tulis laporan evaluasi satu program (PDF, HTML, XLSX atau angka JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Kode program")
        parser.add_argument("--format", choices=["pdf", "html", "xlsx", "json"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help="Berkas keluaran")
        parser.add_argument("--instansi", help="Kode instansi (bila lebih dari satu)")
        parser.add_argument(
            "--before",
            help="Jendela sebelum pelatihan DARI:SAMPAI (TTTT-BB-HH, inklusif)",
        )
        parser.add_argument(
            "--after",
            help="Jendela sesudah pelatihan DARI:SAMPAI (TTTT-BB-HH, inklusif)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        qs = Programme.objects.filter(code=options["code"])
        if options["instansi"]:
            qs = qs.filter(instansi__code=options["instansi"])
        found = list(qs.select_related("instansi")[:2])
        if not found:
            raise CommandError(f"Program {options['code']!r} tidak ditemukan.")
        if len(found) > 1:
            raise CommandError("Kode program ada di beberapa instansi: sebutkan --instansi.")
        programme = found[0]
        try:
            first, last = programme_period(programme)
            windows = windows_from_text(
                first, last, options["before"], options["after"], timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write("Menyusun data laporan…")
        data = assemble_programme(programme, windows)
        size = write_report(programme.instansi, data, options["format"], Path(options["output"]))
        self.stdout.write(self.style.SUCCESS(f"{options['output']} ({size:,} bita)"))
