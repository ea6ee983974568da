from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kompeten.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"
