"""`kompeten export_personal_data NIP [--out FILE]`: all personal data about one employee (JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.core import audit
from kompeten.core.privacy import export_personal_data_json, write_private
from kompeten.people.models import Employee


class Command(BaseCommand):
    help = (
        "Ekspor semua data pribadi yang disimpan tentang satu pegawai (permintaan subjek data, "
        "UU PDP) sebagai JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nip", help="NIP pegawai (18 digit, spasi boleh).")
        parser.add_argument(
            "--out", type=Path, default=None, help="Berkas tujuan (bawaan: stdout)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = export_personal_data_json(options["nip"])
        except Employee.DoesNotExist:
            raise CommandError(f"Pegawai dengan NIP {options['nip']} tidak ditemukan.") from None
        employee = Employee.objects.get(nip="".join(options["nip"].split()))
        audit.record(
            actor=None,
            action="privacy.export",
            obj=employee,
            summary="Ekspor data pribadi (permintaan subjek data)",
        )
        out: Path | None = options["out"]
        if out is None:
            self.stdout.write(text)
        else:
            write_private(out, text)  # 0600: personal data
            self.stderr.write(f"Data pribadi tersimpan: {out}")
