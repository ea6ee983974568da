from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "kompeten.participation"
    label = "participation"
    default_auto_field = "django.db.models.BigAutoField"
