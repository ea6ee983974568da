from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "kompeten.scheduling"
    label = "scheduling"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Jadwal"

    def ready(self) -> None:
        from kompeten.scheduling import tasks  # noqa: F401 - registers the planner task
