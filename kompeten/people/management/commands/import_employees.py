"""`kompeten import employees FILE [--instansi CODE] [--create-units]`: employees from a SIASN
export, the Kompeten template or a similar XLSX/CSV, on the import engine (docs/import-employees.md)."""

from __future__ import annotations

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from kompeten.core.importing import ImportCommand


class Command(ImportCommand):
    declaration_key = "employees"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--create-units",
            dest="create_units",
            action="store_true",
            default=None,
            help=_("buat unit kerja yang belum ada dari kolom UNOR ID/UNOR NAMA/UNOR INDUK NAMA"),
        )
