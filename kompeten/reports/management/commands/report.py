"""`kompeten report PROGRAMME_CODE --format pdf|html|xlsx -o FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.learning.models import Programme
from kompeten.reports.assemble import assemble_programme
from kompeten.reports.export import write_report


class Command(BaseCommand):
    help = "Tulis laporan evaluasi satu program (PDF, HTML atau XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Kode program")
        parser.add_argument("--format", choices=["pdf", "html", "xlsx"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help="Berkas keluaran")
        parser.add_argument("--instansi", help="Kode instansi (bila lebih dari satu)")

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
        self.stderr.write("Menyusun data laporan…")
        data = assemble_programme(programme)
        size = write_report(programme.instansi, data, options["format"], Path(options["output"]))
        self.stdout.write(self.style.SUCCESS(f"{options['output']} ({size:,} bita)"))
