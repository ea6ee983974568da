"""Import the required competency levels per jabatan from an XLSX file (all or nothing)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.core.models import Instansi
from kompeten.learning.actions.competencies import do_import_required_levels, read_xlsx_rows


class Command(BaseCommand):
    help = (
        "Impor level kompetensi yang dipersyaratkan per jabatan dari XLSX "
        "(kolom: Jenis jabatan, Nama jabatan, Kode kompetensi, Level)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instansi", help="kode instansi, mis. sawahlunto")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            instansi = Instansi.objects.get(code=options["instansi"])
        except Instansi.DoesNotExist:
            raise CommandError(f"Instansi {options['instansi']!r} tidak ditemukan.") from None
        try:
            rows = read_xlsx_rows(options["file"].read_bytes())
            n = do_import_required_levels(instansi=instansi, rows=rows)
        except (ValidationError, OSError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(messages)) from None
        self.stdout.write(f"{n} level dipersyaratkan diimpor.")
