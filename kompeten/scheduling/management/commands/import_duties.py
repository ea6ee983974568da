"""`kompeten import duties FILE`: duty calendars (shifts, leave, official travel) from XLSX/CSV,
on the import engine."""

from kompeten.core.importing import ImportCommand


class Command(ImportCommand):
    declaration_key = "duties"
