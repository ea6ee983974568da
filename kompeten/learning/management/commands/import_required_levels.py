"""`kompeten import required_levels FILE`: required competency levels per post, on the import
engine (the older `kompeten import_required_levels CODE FILE` form still works)."""

from kompeten.core.importing import ImportCommand


class Command(ImportCommand):
    declaration_key = "required_levels"
