"""`kompeten import skp FILE`: SKP ratings from XLSX/CSV (see docs/reports.md)."""

from kompeten.records.imports import import_skp
from kompeten.records.management.commands._common import ImportCommand


class Command(ImportCommand):
    help = "Impor penilaian SKP (NIP, Tahun, Hasil Kerja, Perilaku atau Nilai SKP); semua atau tidak sama sekali."
    importer = staticmethod(import_skp)
