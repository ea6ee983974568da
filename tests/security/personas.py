"""The personas of the authorization matrix: one logged-in client per role, and anonymous."""

from __future__ import annotations

from django.test import Client

from kompeten.core.models import Role
from tests import factories

ANON = "anonymous"
ADMIN = "admin"
PENGELOLA = "pengelola"
FASILITATOR = "fasilitator"
PIMPINAN = "pimpinan"
ATASAN = "atasan"
PEGAWAI = "pegawai"
ROLES = (ANON, ADMIN, PENGELOLA, FASILITATOR, PIMPINAN, ATASAN, PEGAWAI)


def clients(world) -> dict[str, Client]:
    fasilitator = factories.make_user(world.instansi, "fani", Role.FASILITATOR)
    users = {
        ADMIN: world.alice,
        PENGELOLA: world.bob,
        FASILITATOR: fasilitator,
        PIMPINAN: world.pia,
        ATASAN: world.carol,
        PEGAWAI: world.dave,
    }
    result = {ANON: Client()}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        result[role] = client
    return result
