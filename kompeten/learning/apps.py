from django.apps import AppConfig

from kompeten.core.apps import KompetenApp


class LearningConfig(KompetenApp, AppConfig):
    name = "kompeten.learning"
    verbose_name = "Kebutuhan dan program"
    registers = ("kompeten.learning.tasks",)  # the periodic AKP reminders
    imports = ("kompeten.learning.imports.RequiredLevelsImport",)
