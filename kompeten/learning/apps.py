from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "kompeten.learning"
    label = "learning"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Kebutuhan dan program"

    def ready(self) -> None:
        from kompeten.learning import tasks  # noqa: F401 - registers the periodic AKP reminders
