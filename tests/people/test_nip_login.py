"""Logging in with a NIP (spaces allowed) and the lockout after five failures (django-axes)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def fresh_axes(settings, db):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    reset()
    yield
    reset()


def login(client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_an_asn_logs_in_with_the_nip(world, client) -> None:
    response = login(client, world.dave_emp.nip)
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == world.dave


def test_the_nip_may_be_typed_with_spaces(world, client) -> None:
    assert login(client, world.dave_emp.nip_display).status_code == 302


def test_a_nip_linked_through_the_employee_works_too(world, client) -> None:
    # carol's username is "carol", but her NIP reaches the same account.
    assert login(client, world.carol_emp.nip).status_code == 302


def test_a_wrong_password_is_refused_in_indonesian(world, client) -> None:
    response = login(client, world.dave_emp.nip, "salah")
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()


def test_five_failures_lock_the_account_out(world, client) -> None:
    for _ in range(5):
        login(client, world.dave_emp.nip, "salah")
    locked = login(client, world.dave_emp.nip)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(world, client) -> None:
    for _ in range(4):
        login(client, "erin", "salah")
    assert login(client, "erin").status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "erin", "salah")
    assert login(client, "erin").status_code == 302
