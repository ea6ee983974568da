"""`kompeten import discipline FILE`: disciplinary sanctions from XLSX/CSV (docs/reports.md)."""

from kompeten.records.imports import import_discipline
from kompeten.records.management.commands._common import ImportCommand


class Command(ImportCommand):
    help = (
        "Impor hukuman disiplin (NIP, Tanggal, Tingkat, Keterangan); semua atau tidak sama sekali."
    )
    importer = staticmethod(import_discipline)
