"""kompeten import complaints INSTANSI_CODE FILE: import an SP4N-LAPOR!-style export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.core.models import Instansi
from kompeten.service.actions import do_import_complaints


class Command(BaseCommand):
    help = "Impor pengaduan (ekspor SP4N-LAPOR!, CSV/XLSX); semua baris atau tidak sama sekali."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instansi", help="kode instansi")
        parser.add_argument("file")

    def handle(self, *args: Any, **opts: Any) -> None:
        instansi = Instansi.objects.filter(code=opts["instansi"]).first()
        if instansi is None:
            raise CommandError(f"Instansi {opts['instansi']!r} tidak dikenal")
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan")
        try:
            n = do_import_complaints(instansi, path.read_bytes(), path.name)
        except ValidationError as exc:
            raise CommandError("Tidak ada yang disimpan:\n" + "\n".join(exc.messages)) from None
        self.stdout.write(f"{n} pengaduan diimpor.")
