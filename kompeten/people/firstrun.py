"""First run: create the instansi and its first admin, from the CLI or the browser.

`kompeten setup` and the page at /mulai/ call the same action, `do_first_setup`. The page is
protected by a one-time token that is printed on the server console (and logged) when the page
is first asked for on an install without any instansi; the token is kept (hashed) in a file
under the var directory so that every web process of the machine accepts it, expires after
`TOKEN_TTL`, is refused after `TOKEN_MAX_ATTEMPTS` wrong tries, and is deleted once used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompeten.core import audit
from kompeten.core.models import Instansi, Role, User
from kompeten.core.private_files import private_draft
from kompeten.core.tenancy import is_set_up as is_set_up
from kompeten.people.actions import do_create_user

logger = logging.getLogger("kompeten.firstrun")

TOKEN_FILENAME = "firstrun_token.json"  # noqa: S105 - a file name
TOKEN_TTL = 60 * 60  # seconds
TOKEN_MAX_ATTEMPTS = 10
# No 0/O, 1/I/L or U: read from a console and typed by hand.
TOKEN_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # noqa: S105 - an alphabet
TOKEN_GROUPS = 4
TOKEN_GROUP_LENGTH = 4

CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- the action ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SetupInput:
    """What the first run asks for."""

    name: str
    code: str
    kind: str
    admin_username: str
    password: str
    admin_name: str = ""


def validate_setup_input(data: SetupInput) -> dict[str, list[str]]:
    """Every problem of the input that needs no database, by field (empty when clean)."""
    username = data.admin_username.strip()
    checks = (
        ("name", _name_problems(data.name.strip())),
        ("code", _code_problems(data.code.strip())),
        ("kind", _kind_problems(data.kind)),
        ("admin_username", _username_problems(username)),
        ("password", _password_problems(data.password, username, data.admin_name)),
    )
    return {field: messages for field, messages in checks if messages}


def _name_problems(name: str) -> list[str]:
    if not name:
        return [gettext("Nama instansi wajib diisi (mis. Pemerintah Kota Sawahlunto).")]
    if len(name) > Instansi._meta.get_field("name").max_length:  # type: ignore[operator]
        return [gettext("Nama instansi paling panjang 200 karakter.")]
    return []


def _code_problems(code: str) -> list[str]:
    if not code:
        return [gettext("Kode instansi wajib diisi (mis. kota-sawahlunto).")]
    if not CODE_RE.match(code) or len(code) > 40:
        return [
            gettext(
                "Kode instansi {code} tidak sah: pakai huruf kecil, angka dan tanda hubung,"
                " paling panjang 40 karakter (mis. kota-sawahlunto)."
            ).format(code=code)
        ]
    return []


def _kind_problems(kind: str) -> list[str]:
    if kind in Instansi.Kind.values:
        return []
    return [
        gettext("Jenis instansi {kind} tidak dikenal; pilih salah satu: {choices}.").format(
            kind=kind or "-", choices=", ".join(Instansi.Kind.values)
        )
    ]


def _username_problems(username: str) -> list[str]:
    if not username:
        return [gettext("Nama pengguna admin wajib diisi.")]
    problems: list[str] = []
    try:
        User.username_validator(username)
    except ValidationError:
        problems.append(
            gettext(
                "Nama pengguna {username} tidak sah: pakai huruf, angka dan . @ + - _ saja,"
                " tanpa spasi."
            ).format(username=username)
        )
    if len(username) > 150:
        problems.append(gettext("Nama pengguna paling panjang 150 karakter."))
    return problems


def _password_problems(password: str, username: str, admin_name: str) -> list[str]:
    """Django's password validators, judging the password against the admin it is for."""
    if not password:
        return [gettext("Kata sandi admin wajib diisi.")]
    probe = User(username=username, first_name=admin_name)
    try:
        password_validation.validate_password(password, user=probe)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@transaction.atomic
def do_create_instansi(*, name: str, code: str, kind: str, actor: User | None = None) -> Instansi:
    """Create an instansi (audited). The code must be new."""
    code = code.strip()
    if Instansi.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": gettext("Instansi dengan kode {code} sudah ada.").format(code=code)}
        )
    instansi = Instansi.objects.create(name=name.strip(), code=code, kind=kind)
    audit.record(
        actor=actor,
        action="instansi.create",
        obj=instansi,
        instansi=instansi,
        summary=instansi.name,
        after={"name": instansi.name, "code": code, "kind": kind},
    )
    return instansi


@transaction.atomic
def _create_admin(instansi: Instansi, username: str, data: SetupInput) -> User:
    """The instansi's admin account, as the setup form or command names it."""
    return do_create_user(
        instansi=instansi,
        username=username,
        password=data.password,
        role=Role.ADMIN,
        first_name=data.admin_name.strip(),
    )


def do_first_setup(data: SetupInput, *, first_run: bool = False) -> tuple[Instansi, User]:
    """Create the instansi and its first admin (role admin), in one transaction.

    With `first_run`, refuse when any instansi already exists (the browser page: the first run
    is over). Every problem is raised together as one ValidationError by field; nothing is
    written on any error.
    """
    errors = validate_setup_input(data)
    if first_run and is_set_up():
        errors.setdefault("__all__", []).append(
            gettext("Kompeten sudah disiapkan: instansi pertama sudah ada.")
        )
    code = data.code.strip()
    if "code" not in errors and Instansi.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(
            gettext("Instansi dengan kode {code} sudah ada.").format(code=code)
        )
    username = data.admin_username.strip()
    if "admin_username" not in errors and User.objects.filter(username=username).exists():
        errors.setdefault("admin_username", []).append(
            gettext("Nama pengguna {username} sudah dipakai.").format(username=username)
        )
    if errors:
        raise ValidationError(errors)
    instansi = do_create_instansi(name=data.name, code=code, kind=data.kind)
    admin = _create_admin(instansi, username, data)
    audit.record(
        actor=admin,
        action="instansi.setup",
        obj=instansi,
        instansi=instansi,
        summary=gettext("Penyiapan pertama: admin {username}").format(username=username),
    )
    return instansi, admin


@transaction.atomic
def do_update_setup(data: SetupInput) -> tuple[Instansi, User, list[str]]:
    """A second run asked to change things: the existing instansi's name and kind, and its
    admin (created when missing, else given the admin role and the new password).

    Returns the instansi, the admin and what changed (human sentences). The admin login must
    not belong to another instansi.
    """
    errors = validate_setup_input(data)
    code = data.code.strip()
    instansi = Instansi.objects.select_for_update().filter(code=code).first()
    if instansi is None and "code" not in errors:
        errors.setdefault("code", []).append(
            gettext("Instansi dengan kode {code} belum ada.").format(code=code)
        )
    username = data.admin_username.strip()
    admin = User.objects.select_for_update().filter(username=username).first()
    if admin is not None and instansi is not None and admin.instansi_id not in (None, instansi.pk):
        errors.setdefault("admin_username", []).append(
            gettext("Nama pengguna {username} sudah dipakai di instansi lain.").format(
                username=username
            )
        )
    if errors:
        raise ValidationError(errors)
    assert instansi is not None
    changes: list[str] = []
    before = {"name": instansi.name, "kind": instansi.kind}
    name = data.name.strip()
    if (instansi.name, instansi.kind) != (name, data.kind):
        instansi.name, instansi.kind = name, data.kind
        instansi.save(update_fields=["name", "kind"])
        audit.record(
            actor=None,
            action="instansi.update",
            obj=instansi,
            instansi=instansi,
            before=before,
            after={"name": name, "kind": data.kind},
        )
        changes.append(gettext("nama dan jenis instansi diperbarui"))
    if admin is None:
        admin = _create_admin(instansi, username, data)
        changes.append(gettext("admin {username} dibuat").format(username=username))
    else:
        was = {"role": admin.role, "instansi": admin.instansi_id}
        admin.role = Role.ADMIN
        admin.instansi = instansi
        admin.is_active = True
        admin.set_password(data.password)
        admin.save(update_fields=["role", "instansi", "is_active", "password"])
        audit.record(
            actor=None,
            action="user.role",
            obj=admin,
            instansi=instansi,
            before=was,
            after={"role": Role.ADMIN, "instansi": instansi.pk, "password": "diganti"},
        )
        changes.append(
            gettext("admin {username}: peran admin dan kata sandi baru").format(username=username)
        )
    return instansi, admin, changes


# --- the one-time token of the browser's first run -----------------------------------------


def token_path() -> Path:
    return Path(settings.VAR_DIR) / TOKEN_FILENAME


def _hash(token: str) -> str:
    return hashlib.sha256(normalise_token(token).encode()).hexdigest()


def normalise_token(token: str) -> str:
    """Upper case, without spaces and dashes: how it is compared."""
    return re.sub(r"[\s-]+", "", token).upper()


def _generate_token() -> str:
    groups = [
        "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_GROUP_LENGTH))
        for _ in range(TOKEN_GROUPS)
    ]
    return "-".join(groups)


class TokenStoreError(Exception):
    """The token cannot be kept under the var directory (e.g. not writable)."""


def _read_state() -> dict[str, object] | None:
    try:
        state = json.loads(token_path().read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    except OSError as exc:
        raise TokenStoreError(f"{token_path()}: {exc.strerror}") from None
    return state if isinstance(state, dict) else None


def _write_state(state: dict[str, object]) -> None:
    path = token_path()
    draft = None
    try:
        draft = private_draft(path, json.dumps(state))
        os.replace(draft, path)
    except OSError as exc:
        if draft is not None:
            draft.unlink(missing_ok=True)
        raise TokenStoreError(f"{path}: {exc.strerror}") from None


def _is_live(state: dict[str, object] | None, now: float) -> bool:
    if state is None:
        return False
    expires = state.get("expires")
    attempts = state.get("attempts")
    return (
        isinstance(expires, int | float)
        and now < expires
        and isinstance(attempts, int)
        and attempts < TOKEN_MAX_ATTEMPTS
    )


def announce_token(token: str, expires: float, base_url: str = "") -> None:
    """Print the token on the console (stderr, unfiltered) and log it."""
    url = f"{base_url or settings.SITE_URL}/mulai/?token={token}"
    minutes = round((expires - time.time()) / 60)
    lines = [
        "",
        "=" * 72,
        "Kompeten: penyiapan pertama / first run",
        f"  Token: {token}",
        f"  Buka / open: {url}",
        f"  Berlaku {minutes} menit, sekali pakai / valid {minutes} minutes, single use.",
        "=" * 72,
        "",
    ]
    sys.stderr.write("\n".join(lines))
    sys.stderr.flush()
    logger.warning("First-run token issued: %s (open %s; valid %s minutes)", token, url, minutes)


def ensure_token(*, now: float | None = None, base_url: str = "") -> bool:
    """Issue (and announce) a token unless a live one is kept. True when one was issued.

    `base_url` (scheme and host the page was asked on) starts the printed address; without it,
    settings.SITE_URL.
    """
    now = time.time() if now is None else now
    if _is_live(_read_state(), now):
        return False
    token = _generate_token()
    expires = now + TOKEN_TTL
    _write_state({"hash": _hash(token), "expires": expires, "attempts": 0})
    announce_token(token, expires, base_url)
    return True


def check_token(token: str, *, now: float | None = None) -> bool:
    """True when `token` is the live one. A wrong try counts towards TOKEN_MAX_ATTEMPTS."""
    now = time.time() if now is None else now
    state = _read_state()
    if not _is_live(state, now):
        return False
    assert state is not None
    if hmac.compare_digest(str(state.get("hash", "")), _hash(token)):
        return True
    attempts = state.get("attempts")
    state["attempts"] = (attempts if isinstance(attempts, int) else 0) + 1
    _write_state(state)
    return False


def consume_token() -> None:
    """The token is spent: delete it."""
    token_path().unlink(missing_ok=True)


# --- the browser's form ------------------------------------------------------------------------


class FirstRunForm(forms.Form):
    """The first-run page: the token, the instansi, the first admin."""

    token = forms.CharField(
        label=_("Token penyiapan"),
        max_length=64,
        help_text=_("Tercetak di konsol server (dan di log-nya) saat halaman ini pertama dibuka."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Nama instansi"),
        max_length=200,
        help_text=_("Mis. Pemerintah Kota Sawahlunto."),
    )
    code = forms.CharField(
        label=_("Kode instansi"),
        max_length=40,
        help_text=_("Huruf kecil, angka dan tanda hubung, mis. kota-sawahlunto."),
    )
    kind = forms.ChoiceField(label=_("Jenis instansi"), choices=Instansi.Kind.choices)
    admin_username = forms.CharField(label=_("Nama pengguna admin"), max_length=150)
    admin_name = forms.CharField(label=_("Nama lengkap admin"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Kata sandi admin"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Paling sedikit 8 karakter, bukan kata sandi umum, tidak hanya angka."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    FIELD_OF = {"password": "password1", "__all__": None}

    def setup_input(self) -> SetupInput:
        data = self.cleaned_data
        return SetupInput(
            name=data.get("name", ""),
            code=data.get("code", ""),
            kind=data.get("kind", ""),
            admin_username=data.get("admin_username", ""),
            password=data.get("password1", ""),
            admin_name=data.get("admin_name", ""),
        )

    def add_setup_errors(self, errors: dict[str, list[str]]) -> None:
        for field, messages in errors.items():
            target = self.FIELD_OF.get(field, field)
            for message in messages:
                self.add_error(target, message)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("password1")
            and cleaned.get("password2")
            and cleaned["password1"] != cleaned["password2"]
        ):
            self.add_error("password2", gettext("Kedua kata sandi tidak sama."))
        if not self.errors:
            self.add_setup_errors(validate_setup_input(self.setup_input()))
        return cleaned
