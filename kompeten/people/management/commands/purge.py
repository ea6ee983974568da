"""`kompeten purge [--apply]`: apply the personal-data retention policy (dry run by default)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kompeten.people.privacy import purge


class Command(BaseCommand):
    help = (
        "Terapkan kebijakan retensi data pribadi. Tanpa --apply hanya menghitung (uji coba); "
        "dengan --apply menghapus/mengosongkan data yang melewati masa simpan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="Benar-benar hapus (bawaan: uji coba saja)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = not options["apply"]
        results = purge(dry_run=dry_run)
        mode = "UJI COBA (tidak ada yang diubah)" if dry_run else "DITERAPKAN"
        self.stdout.write(f"Retensi data pribadi — {mode}")
        for r in results:
            if r.cutoff is None:
                self.stdout.write(f"  {r.name}: disimpan selamanya ({r.description})")
                continue
            cutoff = timezone.localtime(r.cutoff).strftime("%Y-%m-%d")
            verb = "akan di" if dry_run else "di"
            self.stdout.write(
                f"  {r.name}: {r.count} baris {verb}{r.action} (lebih tua dari {r.days} hari, "
                f"sebelum {cutoff}; {r.description})"
            )
