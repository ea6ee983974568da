from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "kompeten.service"
    label = "service"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers the periodic jobs: the rollup fold and the outage spool replay
        # the SP4N-LAPOR! complaints import, for the import engine (kompeten.core.importing)
        from kompeten.core import importing
        from kompeten.service import spool, tasks  # noqa: F401
        from kompeten.service.imports_complaints import ComplaintsImport

        importing.register(ComplaintsImport)
        # the SKM imports (answers and published summaries) on the one import engine
        from kompeten.service import imports_skm

        importing.register(imports_skm.SkmResponsesImport)
        importing.register(imports_skm.SkmSummaryImport)
