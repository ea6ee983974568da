from django.apps import AppConfig

from kompeten.core.apps import KompetenApp


class SchedulingConfig(KompetenApp, AppConfig):
    name = "kompeten.scheduling"
    verbose_name = "Jadwal"
    registers = ("kompeten.scheduling.tasks",)  # the planner task
    imports = ("kompeten.scheduling.imports.DutiesImport",)  # the duty calendar
