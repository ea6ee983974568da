"""The units API's writes: create, update (rename/move), close and reopen, scoped like the pages."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kompeten.core.models import AuditLog
from kompeten.people.actions import do_deactivate_employee
from kompeten.people.models import Unit
from tests import factories
from tests.api.helpers import assert_error, bearer, make_token


@pytest.fixture
def secret(world):
    return make_token(world.instansi, ["units:read", "units:write"], actor=world.alice)[1]


def _post(client, path, secret=None, body=None):
    headers = bearer(secret) if secret else {}
    return client.post(path, json.dumps(body or {}), content_type="application/json", **headers)


def _patch(client, path, secret=None, body=None):
    headers = bearer(secret) if secret else {}
    return client.patch(path, json.dumps(body or {}), content_type="application/json", **headers)


def test_a_token_creates_a_sub_unit_and_a_top_level_opd(world, client, secret) -> None:
    response = _post(
        client,
        "/api/units",
        secret,
        {"code": "LAY-1", "name": "Seksi Loket", "kind": "bagian", "parent_id": world.layanan.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["path"], body["depth"], body["parent_id"]) == (
        "KOTA/ALFA/ALFA-LAY/LAY-1/",
        3,
        world.layanan.pk,
    )
    top = _post(client, "/api/units", secret, {"code": "RSUD", "name": "RSUD", "kind": "rsud"})
    assert top.status_code == 201 and top.json()["path"] == "RSUD/"
    # the action's audit row names the token's owner; the api.write row names the token
    assert AuditLog.objects.filter(action="unit.create", actor=world.alice).count() == 2
    assert AuditLog.objects.filter(action="api.write").count() == 2


def test_create_refusals_name_the_field_and_write_nothing(world, client, secret) -> None:
    dup = _post(client, "/api/units", secret, {"code": "BETA", "name": "X", "kind": "dinas"})
    error = assert_error(dup, 422, "validation_error")
    assert error["details"][0]["field"] == "code"
    assert "sudah dipakai" in error["details"][0]["message"]["id"]
    elsewhere = factories.make_unit(world.mallory.instansi, "Dinas Lain", code="LAIN")
    foreign = _post(
        client,
        "/api/units",
        secret,
        {"code": "Z", "name": "Z", "kind": "dinas", "parent_id": elsewhere.pk},
    )
    assert assert_error(foreign, 422, "validation_error")["details"][0]["field"] == "parent_id"
    bad_kind = _post(client, "/api/units", secret, {"code": "Z", "name": "Z", "kind": "planet"})
    assert_error(bad_kind, 422, "validation_error")
    assert not Unit.objects.filter(code="Z").exists()
    assert not AuditLog.objects.filter(action="api.write").exists()


def test_patch_renames_only_the_fields_sent(world, client, secret) -> None:
    response = _patch(client, f"/api/units/{world.alfa.pk}", secret, {"short_name": "DA"})
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["short_name"]) == ("Dinas Alfa", "DA")
    recoded = _patch(client, f"/api/units/{world.alfa.pk}", secret, {"code": "A2"})
    assert recoded.json()["path"] == "KOTA/A2/"
    assert Unit.objects.get(pk=world.layanan.pk).path == "KOTA/A2/ALFA-LAY/"


def test_patch_moves_with_parent_id_and_null_means_top_level(world, client, secret) -> None:
    moved = _patch(client, f"/api/units/{world.layanan.pk}", secret, {"parent_id": world.beta.pk})
    assert moved.status_code == 200 and moved.json()["path"] == "KOTA/BETA/ALFA-LAY/"
    top = _patch(client, f"/api/units/{world.layanan.pk}", secret, {"parent_id": None})
    assert top.json()["path"] == "ALFA-LAY/" and top.json()["depth"] == 0
    same = _patch(client, f"/api/units/{world.layanan.pk}", secret, {"parent_id": None})
    assert same.status_code == 200  # already there: nothing to do


def test_a_cycle_is_refused_and_the_rename_in_the_same_call_is_undone(
    world, client, secret
) -> None:
    response = _patch(
        client,
        f"/api/units/{world.alfa.pk}",
        secret,
        {"name": "Dinas Alfa Baru", "parent_id": world.layanan.pk},
    )
    error = assert_error(response, 422, "validation_error")
    assert error["details"][0]["field"] == "parent_id"
    assert Unit.objects.get(pk=world.alfa.pk).name == "Dinas Alfa"


def test_close_says_how_many_then_closes_and_reopens(world, client, secret) -> None:
    refused = _post(client, f"/api/units/{world.layanan.pk}/close", secret)
    error = assert_error(refused, 422, "validation_error")
    assert error["details"][0]["field"] == "is_active"
    assert "2 pegawai aktif" in error["details"][0]["message"]["id"]
    for emp in (world.carol_emp, world.dave_emp):
        do_deactivate_employee(employee=emp, reason="pensiun", on=date(2026, 1, 1))
    closed = _post(client, f"/api/units/{world.layanan.pk}/close", secret)
    assert closed.status_code == 200 and closed.json()["is_active"] is False
    reopened = _post(client, f"/api/units/{world.layanan.pk}/reopen", secret)
    assert reopened.status_code == 200 and reopened.json()["is_active"] is True


def test_a_read_only_token_and_another_instansi_are_refused(world, client) -> None:
    read_only = make_token(world.instansi, ["units:read"])[1]
    response = _post(client, "/api/units", read_only, {"code": "Q", "name": "Q", "kind": "dinas"})
    assert_error(response, 403, "insufficient_scope")
    other = make_token(world.mallory.instansi, ["units:write"])[1]
    assert_error(_post(client, f"/api/units/{world.alfa.pk}/close", other), 404, "not_found")
    assert_error(
        _patch(client, f"/api/units/{world.alfa.pk}", other, {"name": "X"}), 404, "not_found"
    )


def test_a_browser_session_writes_as_the_pages_allow(world, client) -> None:
    client.force_login(world.alice)
    ok = _post(client, "/api/units", body={"code": "S1", "name": "Seksi", "kind": "bagian"})
    assert ok.status_code == 201
    client.force_login(world.bob)  # a pengelola's session reads only
    refused = _patch(client, f"/api/units/{world.layanan.pk}", body={"name": "X"})
    assert_error(refused, 403, "insufficient_scope")


def test_the_scope_rules_hold_for_a_pengelola_with_the_write_scope(world, rf) -> None:
    """Defence in depth: should a pengelola's session ever carry units:write, the endpoints
    still keep it inside its subtree and away from its own OPD's place in the tree."""
    from kompeten.people import api
    from kompeten.people.apiutil import ALL_SCOPES, ApiError, ApiPrincipal

    request = rf.post("/api/units")
    request.auth = ApiPrincipal(
        instansi_id=world.instansi.pk, scopes=frozenset(ALL_SCOPES), user=world.bob
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        api._unit_for_writing(request, world.alfa.pk, restructure=True)
    assert api._unit_for_writing(request, world.alfa.pk).pk == world.alfa.pk  # rename: yes
    with pytest.raises(ApiError):
        api._unit_for_writing(request, world.beta.pk)  # not in its scope: 404
    with pytest.raises(ApiError) as refused:
        api._parent_for_writing(request, None)  # top level: admin only
    assert refused.value.details[0]["field"] == "parent_id"
    with pytest.raises(ApiError):
        api._parent_for_writing(request, world.beta.pk)
    assert api._parent_for_writing(request, world.layanan.pk) == world.layanan
