"""kompeten import complaints INSTANSI_CODE FILE: import an SP4N-LAPOR!-style export."""

from __future__ import annotations

from typing import Any

from kompeten.service.actions import do_import_complaints
from kompeten.service.management.commands._file_import import InstansiFileImportCommand


class Command(InstansiFileImportCommand):
    help = "Impor pengaduan (ekspor SP4N-LAPOR!, CSV/XLSX); semua baris atau tidak sama sekali."

    def run_import(self, target: Any, data: bytes, filename: str) -> int:
        return do_import_complaints(target, data, filename)

    def done(self, count: int, target: Any) -> str:
        return f"{count} pengaduan diimpor."
