from importlib import import_module
from typing import ClassVar

from django.apps import AppConfig
from django.utils.module_loading import import_string


class KompetenApp:
    """What every Kompeten app's config shares (mixed in before ``AppConfig``: Django takes the
    one ``AppConfig`` subclass an ``apps.py`` holds, so this one is not one). ``ready()`` imports
    the modules in ``registers`` for what they register when imported (periodic jobs, deployment
    checks) and puts the declarations in ``imports`` on the one import engine
    (``kompeten.core.importing``); the app's label is Django's default, the last part of
    ``name``."""

    default_auto_field = "django.db.models.BigAutoField"
    registers: ClassVar[tuple[str, ...]] = ()
    imports: ClassVar[tuple[str, ...]] = ()  # "module.DeclarationClass"

    def ready(self) -> None:
        from kompeten.core import importing

        for module in self.registers:
            import_module(module)
        for declaration in self.imports:
            importing.register(import_string(declaration))


class CoreConfig(KompetenApp, AppConfig):
    name = "kompeten.core"
    registers = ("kompeten.core.clientip",)  # its deployment check

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kompeten.core.middleware_security import stamp_login

        super().ready()
        # The idle timeout counts from the login (no session write on the first request).
        user_logged_in.connect(stamp_login, dispatch_uid="kompeten_idle_stamp")
