from django.apps import AppConfig

from kompeten.core.apps import KompetenApp


class ParticipationConfig(KompetenApp, AppConfig):
    name = "kompeten.participation"
    verbose_name = "Pelaksanaan dan partisipasi"
    # the SITE_URL check and the periodic jobs
    registers = ("kompeten.participation.checks", "kompeten.participation.tasks")
    imports = ("kompeten.participation.imports.TrainingImport",)  # the panitia's attendance list
