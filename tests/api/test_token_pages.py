"""The admin's token pages: the secret is shown once, revoke, list with last use; admin only."""

from __future__ import annotations

import re

from django.urls import reverse

from kompeten.api.models import ApiToken, hash_secret
from tests.api.helpers import api_get, make_token


def test_the_admin_creates_a_token_and_sees_the_secret_once(world, client):
    client.force_login(world.alice)
    response = client.post(
        reverse("api_tokens:create"),
        {
            "name": "Kios SKM MPP",
            "expires_on": "2099-12-31",
            "scope_skm_write": "on",
            "scope_units_read": "on",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'value="(kpt_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.token_hash == hash_secret(secret)
    assert token.scopes == ["skm:write", "units:read"]
    assert token.created_by == world.alice
    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert "Kios SKM MPP" in listing
    assert secret not in listing
    assert api_get(client, "/api/units", secret).status_code == 200


def test_a_token_needs_at_least_one_scope(world, client):
    client.force_login(world.alice)
    response = client.post(reverse("api_tokens:create"), {"name": "Kosong"})
    assert response.status_code == 200
    assert "sekurang-kurangnya satu izin" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_admin_revokes_a_token(world, client):
    token, secret = make_token(world.instansi, name="Ekspor SIASN")
    client.force_login(world.alice)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == world.alice
    assert api_get(client, "/api/units", secret).status_code == 401


def test_the_list_shows_last_use(world, client):
    token, secret = make_token(world.instansi, name="Kios")
    api_get(client, "/api/units", secret)
    client.force_login(world.alice)
    response = client.get(reverse("api_tokens:list"))
    token.refresh_from_db()
    assert response.context["tokens"][0].last_used_at == token.last_used_at is not None


def test_non_admins_cannot_manage_tokens(world, client):
    token, _secret = make_token(world.instansi)
    for user in (world.bob, world.pia, world.dave):
        client.force_login(user)
        assert client.get(reverse("api_tokens:list")).status_code == 403
        assert client.post(reverse("api_tokens:create"), {"name": "x"}).status_code == 403
        assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_admin_of_another_instansi_cannot_revoke_this_token(world, client):
    token, _secret = make_token(world.instansi)
    client.force_login(world.mallory)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert client.get(reverse("api_tokens:list")).context["tokens"] == []


def test_the_token_list_has_a_constant_query_count(world, client, django_assert_max_num_queries):
    for i in range(5):
        make_token(world.instansi, name=f"T{i}", actor=world.alice)
    client.force_login(world.alice)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api_tokens:list")).status_code == 200
