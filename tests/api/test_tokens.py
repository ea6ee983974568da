"""Token lifecycle: valid, expired, revoked, unknown, wrong scope, another instansi, rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from kompeten.api.actions import do_create_api_token, do_revoke_api_token
from kompeten.api.models import ApiToken, hash_secret
from kompeten.core.models import AuditLog
from tests.api.helpers import api_get, assert_error, bearer, make_token


def test_it_stores_only_the_hash_of_the_secret(world):
    token, secret = make_token(world.instansi, actor=world.alice)
    assert secret.startswith("kpt_") and len(secret) > 40
    token.refresh_from_db()
    assert token.token_hash == hash_secret(secret)
    assert secret not in {token.token_hash, token.prefix, token.name}
    assert secret.startswith(token.prefix)


def test_a_valid_token_reads_and_is_marked_used(world, client):
    token, secret = make_token(world.instansi)
    assert token.last_used_at is None
    response = api_get(client, "/api/employees", secret)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_call_without_credentials_gets_401(world, client):
    error = assert_error(client.get("/api/employees"), 401, "not_authenticated")
    assert "Bearer" in error["message"]["en"]


def test_an_unknown_token_gets_401(world, client):
    assert_error(api_get(client, "/api/employees", "kpt_bukan-token"), 401, "token_invalid")


def test_an_expired_token_gets_401(world, client):
    _token, secret = make_token(world.instansi, days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = api_get(client, "/api/employees", secret)
    assert_error(response, 401, "token_expired")


def test_a_revoked_token_gets_401(world, client):
    token, secret = make_token(world.instansi)
    do_revoke_api_token(token=token, actor=world.alice)
    assert_error(api_get(client, "/api/employees", secret), 401, "token_revoked")


def test_a_token_without_the_scope_gets_403(world, client):
    _token, secret = make_token(world.instansi, ["units:read"])
    error = assert_error(api_get(client, "/api/employees", secret), 403, "insufficient_scope")
    assert "employees:read" in error["message"]["en"]
    assert api_get(client, "/api/units", secret).status_code == 200


def test_a_read_token_cannot_write(world, client):
    _token, secret = make_token(world.instansi, ["employees:read", "units:read"])
    response = client.post("/api/employees", {}, content_type="application/json", **bearer(secret))
    assert_error(response, 403, "insufficient_scope")


def test_a_token_of_another_instansi_sees_nothing_of_this_one(world, client):
    _token, secret = make_token(world.mallory.instansi)
    body = api_get(client, "/api/employees", secret).json()
    assert body["count"] == 0 and body["items"] == []
    assert api_get(client, "/api/units", secret).json()["count"] == 0
    assert_error(api_get(client, f"/api/employees/{world.dave_emp.pk}", secret), 404, "not_found")
    assert_error(api_get(client, f"/api/employees/{world.dave_emp.nip}", secret), 404, "not_found")
    assert_error(api_get(client, f"/api/units/{world.alfa.pk}", secret), 404, "not_found")


def test_token_calls_need_no_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    _token, secret = make_token(world.instansi)
    response = strict.post(
        "/api/employees", {"nip": "1"}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 422  # validated, not refused for CSRF


def test_it_rate_limits_each_token_with_429(world, client, settings):
    settings.KOMPETEN_API_RATE_LIMIT = 3
    cache.clear()
    _token, secret = make_token(world.instansi)
    _other, other_secret = make_token(world.instansi, name="Lain")
    statuses = [api_get(client, "/api/units", secret).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_get(client, "/api/units", secret)
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
    assert api_get(client, "/api/units", other_secret).status_code == 200


def test_creating_and_revoking_are_audited(world):
    token, _secret = make_token(world.instansi, ["skm:write"], actor=world.alice)
    do_revoke_api_token(token=token, actor=world.alice)
    actions = list(
        AuditLog.objects.filter(object_type="api.apitoken", object_id=str(token.pk))
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert actions == [("api_token.create", "alice"), ("api_token.revoke", "alice")]


def test_it_refuses_a_token_without_name_or_scopes(world):
    with pytest.raises(ValidationError) as excinfo:
        do_create_api_token(
            instansi=world.instansi, name=" ", scopes=[], expires_at=None, actor=world.alice
        )
    assert set(excinfo.value.message_dict) == {"name", "scopes"}
    with pytest.raises(ValidationError) as excinfo:
        do_create_api_token(
            instansi=world.instansi,
            name="X",
            scopes=["everything:write"],
            expires_at=None,
            actor=world.alice,
        )
    assert "everything:write" in excinfo.value.message_dict["scopes"][0]
    assert not ApiToken.objects.exists()


def test_revoking_twice_is_refused(world):
    token, _secret = make_token(world.instansi)
    do_revoke_api_token(token=token, actor=world.alice)
    with pytest.raises(ValidationError):
        do_revoke_api_token(token=token, actor=world.alice)
