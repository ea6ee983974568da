from django.apps import AppConfig

from kompeten.core.apps import KompetenApp


class ServiceConfig(KompetenApp, AppConfig):
    name = "kompeten.service"
    # the periodic jobs: the rollup fold and the outage spool replay
    registers = ("kompeten.service.spool", "kompeten.service.tasks")
    # the SP4N-LAPOR! complaints, the SKM answers and published SKM summaries
    imports = (
        "kompeten.service.imports_complaints.ComplaintsImport",
        "kompeten.service.imports_skm.SkmResponsesImport",
        "kompeten.service.imports_skm.SkmSummaryImport",
    )
