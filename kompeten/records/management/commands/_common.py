"""Shared by `kompeten import skp` and `kompeten import discipline`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.core.models import Instansi
from kompeten.people.imports import ImportFileError
from kompeten.records.imports import RecordImportResult


class ImportCommand(BaseCommand):
    importer: Callable[..., RecordImportResult]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Berkas .xlsx atau .csv")
        parser.add_argument("--instansi", help="Kode instansi (wajib bila lebih dari satu).")
        parser.add_argument("--sheet", help="Nama lembar kerja (bawaan: lembar pertama).")
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        code = options["instansi"]
        if code:
            instansi = Instansi.objects.filter(code=code).first()
            if instansi is None:
                raise CommandError(f"Instansi dengan kode {code!r} tidak ada.")
        else:
            found = list(Instansi.objects.all()[:2])
            if len(found) != 1:
                raise CommandError("Sebutkan --instansi KODE.")
            instansi = found[0]
        try:
            result = type(self).importer(
                path.read_bytes(),
                path.name,
                instansi=instansi,
                actor=None,
                dry_run=options["dry_run"],
                sheet=options["sheet"],
            )
        except ImportFileError as exc:
            raise CommandError(exc.message) from None
        if result.problems:
            for p in result.problems:
                self.stdout.write(f"Baris {p.row}, kolom {p.column}: {p.message}")
            raise CommandError(
                f"{len(result.problems)} masalah di {result.rows} baris; tidak ada yang disimpan."
            )
        if result.dry_run:
            self.stdout.write(f"{result.rows} baris lolos pemeriksaan (--dry-run: tidak disimpan).")
            return
        self.stdout.write(self.style.SUCCESS(f"Baru: {result.created}  Berubah: {result.updated}"))
