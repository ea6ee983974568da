"""Accounts: the login identity, one-time password links and password changes.

- `normalise_login` is THE spelling of a login: the backend's lookup and the lockout's count
  both use it, so "1981 0917 2013 01 1001", "19810917.201301.1.001" and "198109172013011001"
  are one account with one failure count, and "Admin" is "admin".
- One-time links (`PasswordLink`) activate a provisioned account or reset a password chosen by
  an admin; only the SHA-256 of the secret is stored, a link works once and expires.
- A password set by someone else (`User.must_change_password`) must be changed at the first
  login: `ForcePasswordChangeMiddleware` sends the user to the change page until it is.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import PasswordLink, User

LINK_TTL = timedelta(hours=72)
LINK_KEEP_EXPIRED = timedelta(days=30)
_NIP_SEPARATORS = re.compile(r"[\s.\-]+")


def normalise_login(raw: str) -> str:
    """The one spelling of what a user types as their login.

    A NIP is kept as its digits (spaces, dots and dashes as printed on ID cards dropped); any
    other login is a username, trimmed and case-folded.
    """
    compact = _NIP_SEPARATORS.sub("", raw or "")
    if compact.isdigit():
        return compact
    return (raw or "").strip().casefold()


def find_login_user(raw: str) -> User | None:
    """The account a login names: a NIP reaches its employee's account, else the username.

    Usernames are compared without case; two accounts differing only in case (which
    `do_create_user` no longer allows) name nobody rather than an arbitrary one.
    """
    key = normalise_login(raw)
    if not key:
        return None
    if key.isdigit():
        # The username first (unique across the server); a NIP is unique only per instansi,
        # so it names an account through its employee only when exactly one account has it.
        named = User.objects.filter(username=key).first()
        if named is not None:
            return named
        by_nip = list(User.objects.filter(employee__nip=key)[:2])
        return by_nip[0] if len(by_nip) == 1 else None
    matches = list(User.objects.filter(username__iexact=key)[:2])
    return matches[0] if len(matches) == 1 else None


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the lockout counts failures per normalised login, cut to the
    longest login there can be (axes stores it in a 255-character column: a longer one typed
    at a login form was a database error on PostgreSQL, and can name no account anyway)."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    longest = User._meta.get_field("username").max_length or 150
    return normalise_login(str(raw or ""))[:longest]


# -- one-time links -------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def link_path(secret: str) -> str:
    return reverse("account_link", kwargs={"secret": secret})


@transaction.atomic
def do_issue_password_links(
    *, users: Iterable[User], purpose: str, actor: User | None
) -> list[tuple[User, str]]:
    """Issue one new link per user (earlier unused links of the same users stop working).

    Returns (user, secret) pairs; the secret is never stored and cannot be shown again.
    """
    users = list(users)
    if purpose not in PasswordLink.Purpose.values:
        raise ValidationError({"purpose": gettext("Keperluan tautan tidak dikenal.")})
    now = timezone.now()
    PasswordLink.objects.filter(user__in=users, used__isnull=True).update(used=now)
    # links are worth nothing once expired; the audit log keeps who issued and used them
    PasswordLink.objects.filter(expires__lt=now - LINK_KEEP_EXPIRED).delete()
    issued: list[tuple[User, str]] = []
    rows = []
    for user in users:
        secret = secrets.token_urlsafe(32)
        issued.append((user, secret))
        rows.append(
            PasswordLink(
                user=user,
                purpose=purpose,
                token_hash=_hash(secret),
                expires=now + LINK_TTL,
                issued_by=actor if actor is not None and actor.pk else None,
            )
        )
    PasswordLink.objects.bulk_create(rows, batch_size=1000)
    if users:
        label = PasswordLink.Purpose(purpose).label
        if len(users) == 1:
            audit.record(
                actor=actor,
                action=f"user.password_link.{purpose}",
                obj=users[0],
                summary=gettext("Tautan {what} dibuat untuk {user}").format(
                    what=str(label).lower(), user=users[0].username
                ),
            )
        else:
            audit.record(
                actor=actor,
                action=f"user.password_link.{purpose}",
                object_type="core.user",
                instansi=users[0].instansi,
                summary=gettext("{n} tautan {what} dibuat").format(
                    n=len(users), what=str(label).lower()
                ),
            )
    return issued


def get_valid_link(secret: str) -> PasswordLink | None:
    """The unused, unexpired link with this secret, or None (unknown, used or expired)."""
    link = (
        PasswordLink.objects.select_related("user")
        .filter(token_hash=_hash(secret), used__isnull=True, expires__gt=timezone.now())
        .first()
    )
    if link is None or not link.user.is_active:
        return None
    return link


def _check_new_password(user: User, new1: str, new2: str) -> None:
    if not new1:
        raise ValidationError({"new_password1": gettext("Kata sandi baru wajib diisi.")})
    if new1 != new2:
        raise ValidationError({"new_password2": gettext("Kedua isian kata sandi baru tidak sama.")})
    try:
        password_validation.validate_password(new1, user=user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc


@transaction.atomic
def do_use_password_link(*, link: PasswordLink, new1: str, new2: str) -> User:
    """Set the password chosen through a one-time link; the link is spent."""
    locked = PasswordLink.objects.select_for_update().get(pk=link.pk)
    if locked.used is not None or locked.expires <= timezone.now():
        raise ValidationError(
            gettext("Tautan ini sudah dipakai atau kedaluwarsa. Minta tautan baru ke admin.")
        )
    user = link.user
    _check_new_password(user, new1, new2)
    user.set_password(new1)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    locked.used = timezone.now()
    locked.save(update_fields=["used"])
    audit.record(
        actor=user,
        action=f"user.password_link_used.{link.purpose}",
        obj=user,
        summary=gettext("Kata sandi diatur lewat tautan sekali pakai"),
    )
    return user


@transaction.atomic
def do_change_password(*, user: User, new_password: str, via: str) -> User:
    """Record a password the user chose (change page or e-mailed reset); clears the forced change.

    The caller's form has checked the old password or the reset token and the validators.
    """
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(
        actor=user,
        action=f"user.password_{via}",
        obj=user,
        summary=gettext("Kata sandi diganti oleh pemiliknya"),
    )
    return user


NEVER_ACTIVATED = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)


def accounts_awaiting_activation(instansi_id: int) -> Q:
    """Accounts that never had a usable password (provisioned, not yet activated)."""
    return Q(instansi_id=instansi_id, is_active=True) & NEVER_ACTIVATED


# -- forcing the change ---------------------------------------------------------------------

_FORCED_CHANGE_OPEN = ("/static/", "/i18n/", "/health")


class ForcePasswordChangeMiddleware:
    """Until a user with a password set by someone else has chosen their own, every page
    sends them to the change page (logging out and switching language still work)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)  # no session, no login: no query spent on one
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._open(request.path)
        ):
            if request.path.startswith("/api/"):
                return HttpResponse(
                    gettext("Ganti kata sandi Anda dulu sebelum memakai layanan ini."),
                    status=403,
                    content_type="text/plain; charset=utf-8",
                )
            if request.headers.get("HX-Request"):  # htmx swaps a fragment: send the page
                return HttpResponse(status=204, headers={"HX-Redirect": reverse("password_change")})
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        allowed = (reverse("password_change"), reverse("logout"))
        return path in allowed or path.startswith(_FORCED_CHANGE_OPEN)
