from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "kompeten.evaluation"
    label = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Evaluasi"

    def ready(self) -> None:
        from kompeten.evaluation import tasks  # noqa: F401 - registers periodic jobs
        from kompeten.evaluation.imports import register

        register()  # pre/post scores and reaction questionnaires on the import engine
