from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "kompeten.records"
    label = "records"
    verbose_name = "Catatan kepegawaian (SKP, disiplin)"
    default_auto_field = "django.db.models.BigAutoField"
