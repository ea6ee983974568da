from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "kompeten.records"
    label = "records"
    verbose_name = "Catatan kepegawaian (SKP, disiplin)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the SKP and discipline imports, on the one import engine (kompeten.core.importing)
        from kompeten.core import importing
        from kompeten.records.imports import DisciplineImport, SkpImport

        importing.register(SkpImport)
        importing.register(DisciplineImport)
