"""kompeten spool replay: record the SKM answers spooled while the database was down."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kompeten.service import spool


class Command(BaseCommand):
    help = (
        "Catat jawaban SKM yang disimpan sementara (spool) selama basis data tidak tersedia. "
        "Aman dijalankan berulang: setiap jawaban dicatat sekali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--status", action="store_true", help="hanya tampilkan jumlah yang menunggu"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["status"]:
            self.stdout.write(f"{spool.pending_count()} jawaban menunggu di {spool.spool_dir()}")
            return
        r = spool.replay()
        self.stdout.write(
            f"{r.recorded} dicatat, {r.duplicates} sudah tercatat sebelumnya, "
            f"{r.rejected} ditolak, {r.pending} masih menunggu."
        )
        for reason in r.reasons[:50]:
            self.stdout.write(f"  ditolak: {reason}")
        if r.rejected:
            self.stdout.write(
                f"Jawaban yang ditolak disimpan di {spool.spool_dir() / 'rejected.jsonl'}"
            )
