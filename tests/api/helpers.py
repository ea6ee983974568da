"""Helpers for API tests: tokens for an instansi and authenticated calls."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from kompeten.api.actions import do_create_api_token
from kompeten.api.models import ApiToken
from kompeten.core.models import Instansi, User
from kompeten.people.apiutil import ALL_SCOPES

# A token call counts itself in the token's rate-limit counter: one atomic upsert in the
# database (kompeten/core/counters.py), none when CACHE_URL is Redis.
RATE_COUNTER_QUERIES = 1


def make_token(
    instansi: Instansi,
    scopes: list[str] | None = None,
    *,
    name: str = "Kios uji",
    days: int | None = 30,
    actor: User | None = None,
) -> tuple[ApiToken, str]:
    expires = timezone.now() + timedelta(days=days) if days is not None else None
    return do_create_api_token(
        instansi=instansi,
        name=name,
        scopes=list(ALL_SCOPES) if scopes is None else scopes,
        expires_at=expires,
        actor=actor,
    )


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def api_get(client: Client, path: str, secret: str, **params: Any) -> Any:
    return client.get(path, params, **bearer(secret))


def api_send(client: Client, path: str, body: Any, secret: str, method: str = "post") -> Any:
    """``body`` as JSON to ``path`` by ``method`` (post, put, patch), with the token ``secret``."""
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", **bearer(secret)
    )


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is in the one error format with the given status and code."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == code
    assert error["message"]["id"] and error["message"]["en"]
    assert isinstance(error["details"], list)
    return error
