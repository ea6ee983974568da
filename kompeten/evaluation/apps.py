from django.apps import AppConfig

from kompeten.core.apps import KompetenApp


class EvaluationConfig(KompetenApp, AppConfig):
    name = "kompeten.evaluation"
    verbose_name = "Evaluasi"
    registers = ("kompeten.evaluation.tasks",)  # periodic jobs
    # pre/post scores and reaction questionnaires
    imports = (
        "kompeten.evaluation.imports.ScoresImport",
        "kompeten.evaluation.imports.ReactionImport",
    )
