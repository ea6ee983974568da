"""Who may call the API: a bearer token of an integration, or a logged-in browser session.

- `TokenAuth`: `Authorization: Bearer kpt_…`. The secret is hashed and looked up; a revoked or
  expired token answers 401 with its reason; each token is rate limited (an exact counter, fixed
  window per minute, 429 with Retry-After), and so are refused tokens per client address
  (guessing). Token calls are exempt from CSRF: no cookie is used.
- `SessionAuth`: the Kompeten session cookie, for pages that call the API. Unsafe methods must
  carry the CSRF token (X-CSRFToken header), exactly like a form post.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kompeten.api.models import ApiToken, hash_secret
from kompeten.core import counters
from kompeten.core.clientip import client_ip
from kompeten.people.apiutil import ApiError, ApiPrincipal, session_scopes

LAST_USED_RESOLUTION = timedelta(minutes=1)


def rate_limit_per_minute() -> int:
    return int(getattr(settings, "KOMPETEN_API_RATE_LIMIT", 600))


def _unauthorised(code: str, message_id: str, message_en: str) -> ApiError:
    return ApiError(401, code, message_id, message_en, headers={"WWW-Authenticate": "Bearer"})


def check_rate_limit(token_id: int, now: float | None = None) -> None:
    """Count this call in the token's current one-minute window; 429 when over the limit.
    The counter is exact across web processes (kompeten.core.counters)."""
    limit = rate_limit_per_minute()
    if limit <= 0:
        return
    verdict = counters.hit(f"api-token:{token_id}", limit, 60, now=now)
    if verdict.refused:
        raise ApiError(
            429,
            "rate_limited",
            f"Terlalu banyak permintaan: batasnya {limit} per menit untuk token ini.",
            f"Too many requests: the limit is {limit} per minute for this token.",
            headers={"Retry-After": str(verdict.retry_after)},
        )


def count_failed_token(request: HttpRequest) -> None:
    """Count a refused token against the client's address (guessing tokens); 429 when over
    ``KOMPETEN_API_AUTH_FAILURE_RATE_LIMIT``."""
    limit, window = counters.parse_rate(
        str(getattr(settings, "KOMPETEN_API_AUTH_FAILURE_RATE_LIMIT", "30/60"))
    )
    verdict = counters.hit(f"api-auth-failure:{client_ip(request)}", limit, window)
    if verdict.refused:
        raise ApiError(
            429,
            "rate_limited",
            f"Terlalu banyak token yang ditolak dari alamat ini: batasnya {limit} per "
            f"{window} detik.",
            f"Too many refused tokens from this address: the limit is {limit} per {window} s.",
            headers={"Retry-After": str(verdict.retry_after)},
        )


def authenticate_token(secret: str) -> ApiPrincipal:
    token = (
        ApiToken.objects.filter(token_hash=hash_secret(secret.strip()))
        .only(
            "id",
            "instansi_id",
            "name",
            "scopes",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "created_by_id",
        )
        .first()
    )
    if token is None:
        raise _unauthorised("token_invalid", "Token tidak dikenal.", "Unknown token.")
    if token.revoked_at is not None:
        raise _unauthorised("token_revoked", "Token ini sudah dicabut.", "This token was revoked.")
    now = timezone.now()
    if token.is_expired(now):
        raise _unauthorised(
            "token_expired", "Masa berlaku token ini sudah habis.", "This token has expired."
        )
    check_rate_limit(token.pk)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return ApiPrincipal(
        instansi_id=token.instansi_id,
        scopes=frozenset(token.scopes),
        token_id=token.pk,
        token_name=token.name,
        owner_id=token.created_by_id,
    )


class TokenAuth(HttpBearer):
    """Bearer token of an integration (created by the admin under Integrasi → Token API)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiPrincipal:
        # Authentication may run twice per request (the scope check runs it before input
        # validation): count and look the token up once.
        cached = getattr(request, "_kompeten_principal", None)
        if isinstance(cached, ApiPrincipal):
            return cached
        try:
            principal = authenticate_token(token)
        except ApiError as exc:
            if exc.status == 401:
                count_failed_token(request)
            raise
        request._kompeten_principal = principal  # type: ignore[attr-defined]
        return principal


class SessionAuth(APIKeyCookie):
    """The browser session of a logged-in user; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.instansi_id is None:
            return None
        if check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                "Permintaan dari sesi peramban wajib menyertakan token CSRF.",
                "A request made with a browser session must carry the CSRF token.",
            )
        return ApiPrincipal(instansi_id=user.instansi_id, scopes=session_scopes(user), user=user)
