"""`kompeten import units FILE`: the OPD tree (the simple template or SIASN's unit columns) on
the import engine; existing units are renamed or moved, never duplicated."""

from kompeten.core.importing import ImportCommand


class Command(ImportCommand):
    declaration_key = "units"
