from django.apps import AppConfig

from kompeten.core.apps import KompetenApp


class RecordsConfig(KompetenApp, AppConfig):
    name = "kompeten.records"
    verbose_name = "Catatan kepegawaian (SKP, disiplin)"
    imports = ("kompeten.records.imports.SkpImport", "kompeten.records.imports.DisciplineImport")
