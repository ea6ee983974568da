from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "kompeten.service"
    label = "service"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers the periodic jobs: the rollup fold and the outage spool replay
        from kompeten.service import spool, tasks  # noqa: F401
