"""Object-level scoping: guessing an id or a NIP reveals nothing outside one's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.helpers import assert_error


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "mallory"])
def test_erin_cannot_be_read_by_id_through_the_page(world, client, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse("people:employee_detail", args=[world.erin_emp.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "mallory"])
def test_erin_cannot_be_read_by_id_or_nip_through_the_api(world, client, who):
    client.force_login(getattr(world, who))
    for ref in (world.erin_emp.pk, world.erin_emp.nip):
        assert_error(client.get(f"/api/employees/{ref}"), 404, "not_found")


def test_a_pengelola_reads_their_own_opd_but_not_another(world, client):
    client.force_login(world.bob)
    assert (
        client.get(reverse("people:employee_detail", args=[world.dave_emp.pk])).status_code == 200
    )
    assert client.get(f"/api/employees/{world.dave_emp.pk}").status_code == 200
    assert client.get(reverse("people:unit_detail", args=[world.beta.pk])).status_code == 404
    assert_error(client.get(f"/api/units/{world.beta.pk}"), 404, "not_found")


def test_a_pegawai_cannot_read_their_atasan_or_a_colleague(world, client):
    client.force_login(world.dave)
    assert client.get(f"/api/employees/{world.dave_emp.pk}").status_code == 200
    for other in (world.carol_emp, world.bob_emp):
        assert client.get(reverse("people:employee_detail", args=[other.pk])).status_code == 404
        assert_error(client.get(f"/api/employees/{other.nip}"), 404, "not_found")


def test_lists_and_exports_hold_only_what_is_in_scope(world, client):
    client.force_login(world.bob)
    api_names = {e["name"] for e in client.get("/api/employees").json()["items"]}
    export = client.get(reverse("people:employee_export", args=["csv"]))
    exported = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    assert "Erin Lestari" not in api_names
    assert "Erin Lestari" not in exported
    assert "Dave Saputra" in exported and "Dave Saputra" in api_names


def test_an_admin_of_another_instansi_sees_no_employee_of_this_one(world, client):
    client.force_login(world.mallory)
    assert client.get("/api/employees").json()["count"] == 0
    assert client.get("/api/units").json()["count"] == 0
