"""The employee import's old addresses redirect to the engine's pages, after the same check."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("people:import_employees", []),
        ("people:import_mapping", ["abc"]),
        ("people:import_preview", ["abc"]),
        ("people:import_confirm", ["abc"]),
        ("people:import_error_report", ["abc"]),
        ("people:import_cancel", ["abc"]),
    ],
)
def test_the_old_addresses_lead_to_the_engine(world, client, name, args) -> None:
    client.force_login(world.bob)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith("/impor/employees/")


def test_the_menu_link_is_the_old_address(world, client) -> None:
    client.force_login(world.alice)
    assert client.get(reverse("people:import_employees")).status_code == 302


@pytest.mark.parametrize("persona", ["carol", "dave", "erin"])
def test_others_are_refused(world, client, persona) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(reverse("people:import_employees")).status_code == 403
    assert client.get(reverse("people:import_preview", args=["x"])).status_code == 403


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(reverse("people:import_employees"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]
