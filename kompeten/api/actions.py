"""Every write to API tokens: create (the secret is returned once), revoke. Both audited."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.api.models import TOKEN_PREFIX, ApiToken, hash_secret
from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.people.apiutil import ALL_SCOPES


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _state(token: ApiToken) -> dict[str, object]:
    return {
        "name": token.name,
        "prefix": token.prefix,
        "scopes": list(token.scopes),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


@transaction.atomic
def do_create_api_token(
    *,
    instansi: Instansi,
    name: str,
    scopes: list[str],
    expires_at: datetime | None,
    actor: User | None,
) -> tuple[ApiToken, str]:
    """Create a token; return it with its secret, which is never stored and never shown again."""
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = ["Nama integrasi wajib diisi."]
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown:
        errors["scopes"] = [f"Izin tidak dikenal: {', '.join(unknown)}."]
    elif not scopes:
        errors["scopes"] = ["Pilih sekurang-kurangnya satu izin."]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = ["Tanggal berlaku harus di masa depan."]
    if errors:
        raise ValidationError(errors)
    secret = new_secret()
    token = ApiToken.objects.create(
        instansi=instansi,
        name=name,
        prefix=secret[:12],
        token_hash=hash_secret(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        created_by=actor,
    )
    audit.record(
        actor=actor, action="api_token.create", obj=token, summary=name, after=_state(token)
    )
    return token, secret


@transaction.atomic
def do_revoke_api_token(*, token: ApiToken, actor: User | None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(gettext("Token ini sudah dicabut."))
    before = _state(token)
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        summary=token.name,
        before=before,
        after=_state(token),
    )
    return token
