from django.apps import AppConfig

from kompeten.core.apps import KompetenApp


class ReportsConfig(KompetenApp, AppConfig):
    name = "kompeten.reports"
    verbose_name = "Laporan"
    registers = ("kompeten.reports.tasks",)  # periodic jobs

    def ready(self) -> None:
        from kompeten.reports.model import connect_signals

        super().ready()
        connect_signals()  # the data version of the cached report model
