"""kompeten import complaints FILE [--instansi CODE] [--partial] [--problems F.xlsx] …

An SP4N-LAPOR! export (or any complaint list) through the import engine; see docs/imports.md.
The older form ``kompeten import complaints CODE FILE`` still works.
"""

from __future__ import annotations

from kompeten.core.importing.command import ImportCommand


class Command(ImportCommand):
    declaration_key = "complaints"
