"""kompeten import skm UNIT_CODE FILE: import SKM responses (columns by unsur name)."""

from __future__ import annotations

from typing import Any

from kompeten.service.actions import do_import_skm_responses
from kompeten.service.management.commands._file_import import FileImportCommand
from kompeten.service.models import ServiceUnit


class Command(FileImportCommand):
    help = (
        "Impor jawaban SKM (CSV/XLSX) untuk satu unit layanan; semua baris atau tidak sama sekali."
    )
    target_help = "kode survei unit layanan"

    def find_target(self, code: str) -> Any:
        return ServiceUnit.objects.filter(code=code).first()

    def unknown_target(self, code: str) -> str:
        return f"Unit layanan {code!r} tidak dikenal"

    def run_import(self, target: Any, data: bytes, filename: str) -> int:
        return do_import_skm_responses(target, data, filename)

    def done(self, count: int, target: Any) -> str:
        return f"{count} jawaban SKM diimpor ke {target.name}."
