"""The OPD pages: create, edit, move, close and reopen units, for admin and pengelola OPD."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kompeten.core.models import AuditLog
from kompeten.people.actions import do_deactivate_employee
from kompeten.people.models import Unit
from tests import factories


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def test_the_tree_offers_tambah_unit_to_those_who_may_change_it(
    world, client, django_assert_max_num_queries
) -> None:
    for user, offered in ((world.alice, True), (world.bob, True), (world.pia, False)):
        client.force_login(user)
        with django_assert_max_num_queries(8):
            html = client.get(reverse("people:unit_tree")).content.decode()
        assert ("Tambah unit" in html) is offered, user
        # the tree from a file is the admin's (the units import is admin only)
        assert ('data-testid="unit-import"' in html) is (user == world.alice), user


def test_the_tree_shows_closed_units_and_short_names(world, client) -> None:
    gamma = factories.make_unit(world.instansi, "Dinas Gamma", code="GAMMA")
    gamma.short_name = "DG"
    gamma.save(update_fields=["short_name"])
    client.force_login(world.alice)
    client.post(reverse("people:unit_close", args=[gamma.pk]))
    html = client.get(reverse("people:unit_tree")).content.decode()
    assert "(DG)" in html and "ditutup" in html


def test_admin_creates_a_top_level_opd(world, client, django_assert_max_num_queries) -> None:
    client.force_login(world.alice)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("people:unit_create"))
    assert "tingkat teratas" in page.content.decode()
    response = client.post(
        reverse("people:unit_create"),
        {
            "parent": "",
            "code": "DUKCAPIL",
            "name": "Dinas Kependudukan",
            "short_name": "Disdukcapil",
            "kind": "dinas",
        },
    )
    unit = _unit("DUKCAPIL")
    assert response.status_code == 302 and response["Location"] == unit.get_absolute_url()
    assert (unit.parent_id, unit.path, unit.short_name) == (None, "DUKCAPIL/", "Disdukcapil")
    assert AuditLog.objects.filter(action="unit.create", actor=world.alice).exists()


def test_a_refused_create_keeps_what_was_typed(world, client) -> None:
    client.force_login(world.alice)
    response = client.post(
        reverse("people:unit_create"),
        {"parent": world.alfa.pk, "code": "BETA", "name": "Bidang Baru Sekali", "kind": "bagian"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kode unit BETA sudah dipakai." in html
    assert 'value="Bidang Baru Sekali"' in html and f'value="{world.alfa.pk}" selected' in html
    assert not Unit.objects.filter(name="Bidang Baru Sekali").exists()


def test_the_create_form_is_prefilled_with_the_parent(world, client) -> None:
    client.force_login(world.bob)
    html = client.get(
        reverse("people:unit_create") + f"?parent={world.layanan.pk}"
    ).content.decode()
    assert f'value="{world.layanan.pk}" selected' in html


def test_pengelola_creates_inside_its_subtree_only(world, client) -> None:
    client.force_login(world.bob)
    page = client.get(reverse("people:unit_create")).content.decode()
    assert "Dinas Alfa" in page and "Dinas Beta" not in page and "tingkat teratas" not in page
    ok = client.post(
        reverse("people:unit_create"),
        {"parent": world.layanan.pk, "code": "LAY-1", "name": "Seksi Loket", "kind": "bagian"},
    )
    assert ok.status_code == 302 and _unit("LAY-1").path == "KOTA/ALFA/ALFA-LAY/LAY-1/"
    for parent in (world.beta.pk, ""):
        refused = client.post(
            reverse("people:unit_create"),
            {"parent": parent, "code": "X-1", "name": "Di luar", "kind": "bagian"},
        )
        assert refused.status_code == 200 and "parent" in refused.context["form"].errors
    assert not Unit.objects.filter(code="X-1").exists()


def test_edit_renames_and_keeps_what_was_typed_on_error(
    world, client, django_assert_max_num_queries
) -> None:
    client.force_login(world.bob)
    url = reverse("people:unit_edit", args=[world.alfa.pk])  # bob may rename his own OPD
    with django_assert_max_num_queries(8):
        page = client.get(url)
    assert 'value="Dinas Alfa"' in page.content.decode()
    bad = client.post(url, {"name": "Dinas Alfa Raya", "code": "A/B", "kind": "dinas"})
    assert (
        "tidak boleh memuat" in bad.content.decode()
        and 'value="Dinas Alfa Raya"' in bad.content.decode()
    )
    ok = client.post(
        url, {"name": "Dinas Alfa Raya", "short_name": "DAR", "code": "ALFA2", "kind": "badan"}
    )
    assert ok.status_code == 302
    assert _unit("ALFA-LAY").path == "KOTA/ALFA2/ALFA-LAY/"
    bob = type(world.bob).objects.get(pk=world.bob.pk)
    assert bob.managed_unit.path == "KOTA/ALFA2/"  # his scope follows the new code


def test_admin_moves_a_unit_with_its_subtree(world, client, django_assert_max_num_queries) -> None:
    factories.make_unit(world.instansi, "Seksi A", parent=world.layanan, code="LAY-A")
    client.force_login(world.alice)
    url = reverse("people:unit_move", args=[world.layanan.pk])
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert "Seksi A" not in page  # its own subtree is no choice
    response = client.post(url, {"parent": world.beta.pk})
    assert response.status_code == 302
    assert _unit("LAY-A").path == "KOTA/BETA/ALFA-LAY/LAY-A/" and _unit("LAY-A").depth == 3


def test_pengelola_cannot_move_outside_its_subtree_nor_move_its_own_opd(world, client) -> None:
    seksi = factories.make_unit(world.instansi, "Seksi A", parent=world.layanan, code="LAY-A")
    client.force_login(world.bob)
    refused = client.post(
        reverse("people:unit_move", args=[world.layanan.pk]), {"parent": world.beta.pk}
    )
    assert refused.status_code == 200 and "parent" in refused.context["form"].errors
    assert _unit("ALFA-LAY").path == "KOTA/ALFA/ALFA-LAY/"
    top = client.post(reverse("people:unit_move", args=[world.layanan.pk]), {"parent": ""})
    assert top.status_code == 200 and _unit("ALFA-LAY").parent_id == world.alfa.pk
    assert client.get(reverse("people:unit_move", args=[world.alfa.pk])).status_code == 403
    assert client.post(reverse("people:unit_close", args=[world.alfa.pk])).status_code == 403
    ok = client.post(reverse("people:unit_move", args=[seksi.pk]), {"parent": world.alfa.pk})
    assert ok.status_code == 302 and _unit("LAY-A").path == "KOTA/ALFA/LAY-A/"


@pytest.mark.parametrize("name", ["unit_edit", "unit_move"])
def test_units_outside_the_scope_are_404_and_read_only_roles_get_403(world, client, name) -> None:
    client.force_login(world.bob)
    assert client.get(reverse(f"people:{name}", args=[world.beta.pk])).status_code == 404
    client.force_login(world.pia)
    assert client.get(reverse(f"people:{name}", args=[world.beta.pk])).status_code == 403
    client.force_login(world.mallory)
    assert client.get(reverse(f"people:{name}", args=[world.beta.pk])).status_code == 404


def test_close_is_refused_with_the_counts_then_works_and_reopens(world, client) -> None:
    client.force_login(world.bob)
    detail = reverse("people:unit_detail", args=[world.layanan.pk])
    response = client.post(reverse("people:unit_close", args=[world.layanan.pk]), follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "masih memiliki 2 pegawai aktif" in response.content.decode()
    assert _unit("ALFA-LAY").is_active
    for emp in (world.carol_emp, world.dave_emp):
        do_deactivate_employee(employee=emp, reason="pensiun", on=date(2026, 1, 1))
    html = client.post(
        reverse("people:unit_close", args=[world.layanan.pk]), follow=True
    ).content.decode()
    assert "ditutup" in html and not _unit("ALFA-LAY").is_active
    assert "Buka kembali" in html
    client.post(reverse("people:unit_reopen", args=[world.layanan.pk]))
    assert _unit("ALFA-LAY").is_active


def test_close_and_reopen_answer_only_post(world, client) -> None:
    client.force_login(world.alice)
    assert client.get(reverse("people:unit_close", args=[world.beta.pk])).status_code == 405


def test_the_detail_page_shows_the_actions_to_writers_only(
    world, client, django_assert_max_num_queries
) -> None:
    client.force_login(world.bob)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("people:unit_detail", args=[world.layanan.pk])).content.decode()
    assert "Tambah sub-unit" in html and "Pindahkan" in html and "Tutup unit" in html
    own = client.get(reverse("people:unit_detail", args=[world.alfa.pk])).content.decode()
    assert "Ubah" in own and "Pindahkan" not in own and "Tutup unit" not in own
    client.force_login(world.pia)
    html = client.get(reverse("people:unit_detail", args=[world.layanan.pk])).content.decode()
    assert 'data-testid="unit-actions"' not in html
