"""Shared by the service app's file imports (`kompeten import skm|skm_summary|complaints`).

Each command names its target (an instansi or a service unit) by code, reads one CSV/XLSX file and
hands the bytes to an all-or-nothing import action. A rejected file writes nothing and exits
non-zero with the action's messages (row, column, problem).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class FileImportCommand(BaseCommand):
    target_help = "kode"

    def find_target(self, code: str) -> Any:
        """The instansi or service unit named by ``code``, or None."""
        raise NotImplementedError

    def unknown_target(self, code: str) -> str:
        raise NotImplementedError

    def run_import(self, target: Any, data: bytes, filename: str) -> int:
        raise NotImplementedError

    def done(self, count: int, target: Any) -> str:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help=self.target_help)
        parser.add_argument("file")

    def handle(self, *args: Any, **opts: Any) -> None:
        target = self.find_target(opts["target"])
        if target is None:
            raise CommandError(self.unknown_target(opts["target"]))
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan")
        try:
            count = self.run_import(target, path.read_bytes(), path.name)
        except ValidationError as exc:
            raise CommandError("Tidak ada yang disimpan:\n" + "\n".join(exc.messages)) from None
        self.stdout.write(self.done(count, target))


class InstansiFileImportCommand(FileImportCommand):
    target_help = "kode instansi"

    def find_target(self, code: str) -> Any:
        from kompeten.core.models import Instansi

        return Instansi.objects.filter(code=code).first()

    def unknown_target(self, code: str) -> str:
        return f"Instansi {code!r} tidak dikenal"
