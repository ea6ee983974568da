"""`kompeten import employees FILE`: import employees from a SIASN-style XLSX or CSV."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.core.models import Instansi
from kompeten.people.imports import ImportFileError, import_employees, parse_overrides


class Command(BaseCommand):
    help = (
        "Impor pegawai dari XLSX/CSV bergaya SIASN. Semua atau tidak sama sekali: satu baris "
        "ditolak berarti tidak ada yang disimpan. Lihat docs/import-employees.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Berkas .xlsx atau .csv")
        parser.add_argument(
            "--instansi", help="Kode instansi (wajib bila ada lebih dari satu instansi)."
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help="Pemetaan kolom, mis. --map nip='NIP BARU' (kosongkan judul untuk mengabaikan).",
        )
        parser.add_argument("--sheet", help="Nama lembar kerja (bawaan: lembar pertama).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Periksa saja, tidak menyimpan apa pun."
        )

    def _instansi(self, code: str | None) -> Instansi:
        if code:
            found = Instansi.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"Instansi dengan kode {code!r} tidak ada.")
            return found
        candidates = list(Instansi.objects.all()[:2])
        if len(candidates) != 1:
            raise CommandError(
                "Sebutkan --instansi KODE (ada lebih dari satu instansi atau belum ada)."
            )
        return candidates[0]

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        instansi = self._instansi(options["instansi"])
        started = time.perf_counter()
        verbose = options["verbosity"] >= 1

        def progress(message: str) -> None:
            if verbose:
                elapsed = time.perf_counter() - started
                sys.stderr.write(f"[{elapsed:6.1f} s] {message}\n")

        try:
            mapping = parse_overrides(options["map"])
            result = import_employees(
                path.read_bytes(),
                path.name,
                instansi=instansi,
                mapping=mapping,
                sheet=options["sheet"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except ImportFileError as exc:
            raise CommandError(exc.message) from None
        c = result.counts
        self.stdout.write(
            f"Baru: {c['new']}  Berubah: {c['changed']}  Tetap: {c['unchanged']}  "
            f"Ditolak: {c['rejected']}"
        )
        if result.problems:
            for p in result.problems:
                self.stdout.write(f"Baris {p.row}, kolom {p.column}: {p.message}")
            raise CommandError(
                f"{c['rejected']} baris ditolak ({len(result.problems)} masalah); tidak ada yang "
                "disimpan."
            )
        if result.dry_run:
            self.stdout.write("Uji coba (--dry-run): tidak ada yang disimpan.")
        elif result.written:
            self.stdout.write(self.style.SUCCESS("Impor selesai."))
        else:
            self.stdout.write("Tidak ada perubahan.")
