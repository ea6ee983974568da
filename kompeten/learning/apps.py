from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "kompeten.learning"
    label = "learning"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Kebutuhan dan program"

    def ready(self) -> None:
        # the periodic AKP reminders; the required levels import, on the one import engine
        from kompeten.core import importing
        from kompeten.learning import tasks  # noqa: F401 - registers the periodic AKP reminders
        from kompeten.learning.imports import RequiredLevelsImport

        importing.register(RequiredLevelsImport)
