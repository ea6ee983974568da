from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kompeten.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kompeten.core import clientip  # noqa: F401 - registers its deployment check
        from kompeten.core.middleware_security import stamp_login

        # The idle timeout counts from the login (no session write on the first request).
        user_logged_in.connect(stamp_login, dispatch_uid="kompeten_idle_stamp")
