"""kompeten import skm_summary INSTANSI_CODE FILE: import published SKM results."""

from __future__ import annotations

from typing import Any

from kompeten.service.actions import do_import_skm_summary
from kompeten.service.management.commands._file_import import InstansiFileImportCommand


class Command(InstansiFileImportCommand):
    help = "Impor ringkasan hasil SKM yang dipublikasikan (NRR dan n per unsur, unit, periode)."

    def run_import(self, target: Any, data: bytes, filename: str) -> int:
        return do_import_skm_summary(target, data, filename)

    def done(self, count: int, target: Any) -> str:
        return f"{count} baris ringkasan SKM diimpor."
