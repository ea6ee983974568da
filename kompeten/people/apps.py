from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kompeten.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the employee and OPD tree imports, on the one import engine (kompeten.core.importing)
        from kompeten.core import importing
        from kompeten.people.imports import EmployeesImport
        from kompeten.people.imports_units import UnitsImport

        importing.register(EmployeesImport)
        importing.register(UnitsImport)
