from django.apps import AppConfig

from kompeten.core.apps import KompetenApp


class PeopleConfig(KompetenApp, AppConfig):
    name = "kompeten.people"
    # the employee and OPD tree imports
    imports = (
        "kompeten.people.imports.EmployeesImport",
        "kompeten.people.imports_units.UnitsImport",
    )
