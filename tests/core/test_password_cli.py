"""`kompeten password_link LOGIN`: the operator's way in when no admin can log in."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kompeten.core.models import AuditLog, PasswordLink

NEW = "Sawahlunto-Kota-Tambang-7"


def run(login: str) -> str:
    out = io.StringIO()
    call_command("password_link", login, stdout=out)
    return out.getvalue()


def test_it_prints_a_one_time_link_for_any_spelling_of_the_login(world, client, settings):
    settings.AXES_ENABLED = False
    output = run("ALICE")
    match = re.search(re.escape(settings.SITE_URL) + r"(/akun/tautan/\S+/)", output)
    assert match is not None
    assert "alice" in output
    response = client.post(match.group(1), {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("login")
    assert client.login(username="alice", password=NEW)
    link = PasswordLink.objects.get(user=world.alice)
    assert link.used is not None and link.issued_by is None
    assert AuditLog.objects.filter(action="user.password_link.reset", actor=None).exists()


def test_a_nip_typed_with_spaces_names_its_employees_account(world):
    nip = world.dave_emp.nip
    assert world.dave.username in run(f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")


def test_an_unknown_login_is_refused_by_name(world):
    with pytest.raises(CommandError, match="Tidak ada akun dengan NIP/nama pengguna 'siapa'"):
        run("siapa")
    assert not PasswordLink.objects.exists()
