"""kompeten import skm UNIT_CODE FILE: import SKM responses (columns by unsur name)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.service.actions import do_import_skm_responses
from kompeten.service.models import ServiceUnit


class Command(BaseCommand):
    help = (
        "Impor jawaban SKM (CSV/XLSX) untuk satu unit layanan; semua baris atau tidak sama sekali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit", help="kode survei unit layanan")
        parser.add_argument("file")

    def handle(self, *args: Any, **opts: Any) -> None:
        su = ServiceUnit.objects.filter(code=opts["unit"]).first()
        if su is None:
            raise CommandError(f"Unit layanan {opts['unit']!r} tidak dikenal")
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan")
        try:
            n = do_import_skm_responses(su, path.read_bytes(), path.name)
        except ValidationError as exc:
            raise CommandError("Tidak ada yang disimpan:\n" + "\n".join(exc.messages)) from None
        self.stdout.write(f"{n} jawaban SKM diimpor ke {su.name}.")
