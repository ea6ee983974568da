from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "kompeten.scheduling"
    label = "scheduling"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Jadwal"

    def ready(self) -> None:
        # the planner task; the duty calendar import, on the one import engine
        from kompeten.core import importing
        from kompeten.scheduling import tasks  # noqa: F401 - registers the planner task
        from kompeten.scheduling.imports import DutiesImport

        importing.register(DutiesImport)
