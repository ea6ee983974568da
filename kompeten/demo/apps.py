from django.apps import AppConfig

from kompeten.core.apps import KompetenApp


class DemoConfig(KompetenApp, AppConfig):
    name = "kompeten.demo"
