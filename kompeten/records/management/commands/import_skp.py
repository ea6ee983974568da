"""`kompeten import skp FILE`: SKP ratings from XLSX/CSV, on the import engine."""

from kompeten.core.importing import ImportCommand


class Command(ImportCommand):
    declaration_key = "skp"
