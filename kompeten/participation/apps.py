from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "kompeten.participation"
    label = "participation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Pelaksanaan dan partisipasi"

    def ready(self) -> None:
        from kompeten.participation import (
            checks,  # noqa: F401 - registers the SITE_URL check
            tasks,  # noqa: F401 - registers periodic jobs
        )
        from kompeten.participation.imports import register

        register()  # the panitia's attendance list on the import engine
