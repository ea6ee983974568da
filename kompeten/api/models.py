"""API tokens: one per integration (a kiosk, an e-SKM app, a SIASN export), with scopes."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.models import Instansi, user_ref

TOKEN_PREFIX = "kpt_"  # noqa: S105 - a visible marker, not a secret


def hash_secret(secret: str) -> str:
    """SHA-256 of the secret. The secret has 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for one integration of one instansi. Only the hash of the secret is kept."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("nama integrasi"), max_length=120)
    prefix = models.CharField(_("awalan"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("izin"), default=list)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = user_ref()
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    created_by = user_ref(verbose_name=_("dibuat oleh"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def get_absolute_url(self) -> str:
        return reverse("api_tokens:list")

    def is_expired(self, now: datetime | None = None) -> bool:
        moment = now if now is not None else timezone.now()
        return self.expires_at is not None and self.expires_at <= moment

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired()
