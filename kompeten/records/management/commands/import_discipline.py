"""`kompeten import discipline FILE`: disciplinary sanctions from XLSX/CSV, on the engine."""

from kompeten.core.importing import ImportCommand


class Command(ImportCommand):
    declaration_key = "discipline"
