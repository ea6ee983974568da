"""kompeten import skm_summary FILE [--instansi CODE]: published SKM results (NRR and n per unit,
period and unsur) for years before Kompeten, through the import engine."""

from __future__ import annotations

from kompeten.core.importing import ImportCommand


class Command(ImportCommand):
    declaration_key = "skm_summary"
