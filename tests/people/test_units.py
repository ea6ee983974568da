"""The OPD tree: subtree totals, unit detail, and the rules of do_create_unit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.people.actions import do_create_unit
from tests import factories


def test_the_tree_counts_each_unit_and_its_subtree(
    world, client, django_assert_max_num_queries
) -> None:
    client.force_login(world.alice)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:unit_tree"))
    rows = {r["unit"].code: r for r in response.context["rows"]}
    assert rows["ALFA"]["unit"].n_active == 1 and rows["ALFA"]["subtree"] == 3
    assert rows["KOTA"]["subtree"] == 4 and rows["ALFA-LAY"]["indent"] == 2


def test_the_tree_query_count_does_not_grow_with_units(
    world, client, django_assert_max_num_queries
) -> None:
    for i in range(30):
        factories.make_unit(world.instansi, f"Seksi {i}", parent=world.layanan, code=f"S{i}")
    client.force_login(world.alice)
    with django_assert_max_num_queries(8):
        client.get(reverse("people:unit_tree"))


def test_unit_detail_lists_children_and_staff(world, client) -> None:
    client.force_login(world.alice)
    html = client.get(reverse("people:unit_detail", args=[world.alfa.pk])).content.decode()
    assert "Bidang Layanan" in html and "Bobby Santoso" in html


def test_paths_are_materialised(world) -> None:
    assert world.layanan.path == "KOTA/ALFA/ALFA-LAY/" and world.layanan.depth == 2


def test_unit_codes_are_unique_and_without_slash(world) -> None:
    with pytest.raises(ValidationError, match="sudah dipakai"):
        do_create_unit(instansi=world.instansi, code="ALFA", name="Lagi", kind="dinas")
    with pytest.raises(ValidationError, match="'/'"):
        do_create_unit(instansi=world.instansi, code="A/B", name="Miring", kind="dinas")


def test_a_parent_from_another_instansi_is_refused(world) -> None:
    with pytest.raises(ValidationError, match="instansi lain"):
        do_create_unit(
            instansi=world.mallory.instansi, code="X", name="X", kind="dinas", parent=world.alfa
        )
