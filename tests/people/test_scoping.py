"""Who sees whom: every persona against the list, the detail page and the OPD tree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kompeten.people import scoping

LIST = reverse("people:employee_list")


def names(world, response) -> set[str]:
    return {e.name for e in response.context["page"]}


ALL = {"Bobby Santoso", "Carolina Putri", "Dave Saputra", "Erin Lestari"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", ALL),
        ("pia", ALL),
        ("bob", {"Bobby Santoso", "Carolina Putri", "Dave Saputra"}),
        ("carol", {"Carolina Putri", "Dave Saputra"}),
        ("dave", {"Dave Saputra"}),
        ("erin", {"Erin Lestari"}),
        ("mallory", set()),
    ],
)
def test_each_persona_sees_their_scope_in_the_list(world, client, persona, expected) -> None:
    client.force_login(getattr(world, persona))
    assert names(world, client.get(LIST, {"active": "all"})) == expected
    assert {e.name for e in scoping.employees_for(getattr(world, persona))} == expected


@pytest.mark.parametrize(
    ("persona", "target", "status"),
    [
        ("bob", "erin_emp", 404),
        ("bob", "dave_emp", 200),
        ("carol", "dave_emp", 200),
        ("carol", "bob_emp", 404),
        ("dave", "carol_emp", 404),
        ("dave", "dave_emp", 200),
        ("erin", "dave_emp", 404),
        ("mallory", "dave_emp", 404),
        ("pia", "erin_emp", 200),
    ],
)
def test_an_out_of_scope_employee_is_not_found(world, client, persona, target, status) -> None:
    client.force_login(getattr(world, persona))
    pk = getattr(world, target).pk
    assert client.get(reverse("people:employee_detail", args=[pk])).status_code == status


def test_a_missing_employee_is_not_found(world, client) -> None:
    client.force_login(world.alice)
    assert client.get(reverse("people:employee_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", {"KOTA", "ALFA", "ALFA-LAY", "BETA"}),
        ("bob", {"ALFA", "ALFA-LAY"}),
        ("dave", {"ALFA-LAY"}),
        ("erin", {"BETA"}),
        ("mallory", set()),
    ],
)
def test_the_opd_tree_is_scoped(world, client, persona, expected) -> None:
    client.force_login(getattr(world, persona))
    rows = client.get(reverse("people:unit_tree")).context["rows"]
    assert {r["unit"].code for r in rows} == expected


def test_a_unit_outside_the_scope_is_not_found(world, client) -> None:
    client.force_login(world.bob)
    assert client.get(reverse("people:unit_detail", args=[world.beta.pk])).status_code == 404
    assert client.get(reverse("people:unit_detail", args=[world.layanan.pk])).status_code == 200


def test_the_export_of_mallory_holds_nothing_of_kota_uji(world, client) -> None:
    client.force_login(world.mallory)
    response = client.get(reverse("people:employee_export", args=["csv"]), {"active": "all"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.strip().count("\n") == 0


def test_anonymous_users_are_sent_to_login(client) -> None:
    for url in (
        LIST,
        reverse("people:unit_tree"),
        reverse("people:employee_export", args=["xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]
