from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kompeten.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Laporan"

    def ready(self) -> None:
        from kompeten.reports import tasks  # noqa: F401 - registers periodic jobs
        from kompeten.reports.model import connect_signals

        connect_signals()  # the data version of the cached report model
