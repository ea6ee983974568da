"""The first run in the browser (/mulai/), its one-time token, and the pages that explain a
refusal to a signed-in user without an instansi or a role."""

from __future__ import annotations

import re
import stat
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kompeten.core.models import AuditLog, Instansi, Role, User
from kompeten.people import firstrun
from tests import factories

PASSWORD = "Sawah-Lunto-2026!x"
TOKEN_RE = re.compile(r"Token: ([A-Z0-9-]+)")


@pytest.fixture
def var_dir(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def printed_token(capsys: pytest.CaptureFixture[str]) -> str:
    found = TOKEN_RE.findall(capsys.readouterr().err)
    assert found, "no token printed on the console"
    return found[-1]


def form(token: str, **overrides: str) -> dict[str, str]:
    data = {
        "token": token,
        "name": "Pemerintah Kota Sawahlunto",
        "code": "kota-sawahlunto",
        "kind": "kota",
        "admin_username": "admin",
        "admin_name": "Rina Admin",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


# --- an empty install leads to the first run ------------------------------------------------


def test_home_and_login_send_an_empty_install_to_the_first_run(db, var_dir: Path) -> None:
    client = Client()
    assert client.get("/")["Location"] == "/mulai/"
    assert client.get("/masuk/")["Location"] == "/mulai/"


def test_the_first_visit_prints_a_token_once(
    db, var_dir: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    page = client.get("/mulai/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Penyiapan pertama Kompeten" in html and "konsol server" in html
    token = printed_token(capsys)
    assert re.fullmatch(r"([A-Z2-9]{4}-){3}[A-Z2-9]{4}", token)
    assert "http://testserver/mulai/?token=" + token in caplog.text  # the host asked
    kept = var_dir / firstrun.TOKEN_FILENAME
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert token not in kept.read_text()  # only its hash is kept

    client.get("/mulai/")
    assert "Token:" not in capsys.readouterr().err  # the live token is not replaced


def test_the_token_in_the_printed_address_fills_the_form(db, var_dir: Path, capsys) -> None:
    Client().get("/mulai/")
    token = printed_token(capsys)
    html = Client().get(f"/mulai/?token={token}").content.decode()
    assert f'value="{token}"' in html


def test_the_page_creates_the_instansi_and_admin_and_logs_in(db, var_dir: Path, capsys) -> None:
    client = Client()
    client.get("/mulai/")
    token = printed_token(capsys)

    response = client.post("/mulai/", form(token.lower().replace("-", " ")))

    assert response.status_code == 302 and response["Location"] == "/mulai/selanjutnya/"
    instansi = Instansi.objects.get()
    assert (instansi.name, instansi.code, instansi.kind) == (
        "Pemerintah Kota Sawahlunto",
        "kota-sawahlunto",
        "kota",
    )
    admin = User.objects.get()
    assert (admin.username, admin.first_name, admin.role) == ("admin", "Rina Admin", Role.ADMIN)
    assert admin.instansi == instansi and admin.check_password(PASSWORD)
    assert AuditLog.objects.filter(action="instansi.setup", actor=admin).exists()
    assert not (var_dir / firstrun.TOKEN_FILENAME).exists()  # spent

    next_page = client.get("/mulai/selanjutnya/")
    html = next_page.content.decode()
    assert next_page.status_code == 200
    assert "Pemerintah Kota Sawahlunto siap: langkah berikutnya" in html
    assert 'href="/impor/"' in html and 'href="/opd/"' in html
    steps = ["Pohon OPD dan pegawai", "Pelatihan", "Nilai", "Reaksi", "SKM", "Pengaduan"]
    positions = [html.index(f"<strong>{step}</strong>") for step in [*steps, "Laporan"]]
    assert positions == sorted(positions)


def test_after_the_first_run_the_page_is_gone(db, var_dir: Path, capsys) -> None:
    client = Client()
    client.get("/mulai/")
    token = printed_token(capsys)
    client.post("/mulai/", form(token))

    assert Client().get("/mulai/").status_code == 404
    again = Client().post("/mulai/", form(token, code="kedua", admin_username="kedua"))
    assert again.status_code == 404
    assert Instansi.objects.count() == 1
    assert Client().get("/masuk/").status_code == 200  # the login page is back
    assert Client().get("/")["Location"].startswith("/masuk/")


def test_a_wrong_token_is_refused_and_nothing_is_written(db, var_dir: Path, capsys) -> None:
    client = Client()
    client.get("/mulai/")
    printed_token(capsys)

    response = client.post("/mulai/", form("AAAA-BBBB-CCCC-DDDD"))

    assert response.status_code == 200
    assert "Token salah atau sudah kedaluwarsa" in response.content.decode()
    assert not Instansi.objects.exists() and not User.objects.exists()
    assert 'value="Pemerintah Kota Sawahlunto"' in response.content.decode()  # kept as typed


def test_too_many_wrong_tries_spend_the_token(db, var_dir: Path, capsys) -> None:
    client = Client()
    client.get("/mulai/")
    token = printed_token(capsys)
    for _ in range(firstrun.TOKEN_MAX_ATTEMPTS):
        response = client.post("/mulai/", form("AAAA-BBBB-CCCC-DDDD"))
        assert "Token salah atau sudah kedaluwarsa" in response.content.decode()
    fresh = printed_token(capsys)  # the last wrong try spent it: a new one is printed
    assert fresh != token

    response = client.post("/mulai/", form(token))

    assert "Token salah atau sudah kedaluwarsa" in response.content.decode()
    assert not Instansi.objects.exists()
    assert client.post("/mulai/", form(fresh)).status_code == 302


def test_an_expired_token_is_refused_and_a_new_one_printed(db, var_dir: Path, capsys) -> None:
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get("/mulai/")
        token = printed_token(capsys)
        traveller.shift(timedelta(seconds=firstrun.TOKEN_TTL + 1))

        response = client.post("/mulai/", form(token))

        assert "Token salah atau sudah kedaluwarsa" in response.content.decode()
        assert not Instansi.objects.exists()
        fresh = printed_token(capsys)
        assert fresh != token
        assert client.post("/mulai/", form(fresh)).status_code == 302


def test_bad_input_keeps_the_token_and_writes_nothing(db, var_dir: Path, capsys) -> None:
    client = Client()
    client.get("/mulai/")
    token = printed_token(capsys)

    response = client.post(
        "/mulai/", form(token, code="Kota Saya", password1="12345678", password2="12345678")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kode instansi Kota Saya tidak sah" in html
    assert "Kata sandi ini terlalu umum" in html
    assert not Instansi.objects.exists() and not User.objects.exists()
    assert client.post("/mulai/", form(token)).status_code == 302  # the token still works


def test_two_different_passwords_are_refused(db, var_dir: Path, capsys) -> None:
    client = Client()
    client.get("/mulai/")
    token = printed_token(capsys)
    response = client.post("/mulai/", form(token, password2="Lain-Sekali-99!"))
    assert "Kedua kata sandi tidak sama" in response.content.decode()
    assert not Instansi.objects.exists()


def test_a_var_directory_that_cannot_be_written_is_explained(db, settings, tmp_path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.VAR_DIR = blocker  # the token file cannot be created below a file

    response = Client().get("/mulai/")

    assert response.status_code == 503
    html = response.content.decode()
    assert "Token penyiapan tidak dapat disimpan di server" in html
    assert "kompeten setup" in html and 'name="token"' not in html


def test_the_first_run_page_costs_one_query(
    db, var_dir: Path, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(1):  # is there an instansi?
        assert Client().get("/mulai/").status_code == 200


def test_the_next_steps_page_has_a_query_budget(
    world, var_dir: Path, django_assert_max_num_queries
) -> None:
    client = Client()
    client.force_login(world.alice)
    with django_assert_max_num_queries(6):
        assert client.get("/mulai/selanjutnya/").status_code == 200


def test_the_next_steps_page_is_for_admins(world, var_dir: Path) -> None:
    client = Client()
    client.force_login(world.erin)
    assert client.get("/mulai/selanjutnya/").status_code == 403


# --- a signed-in user without an instansi or a role ----------------------------------------


def test_an_account_without_instansi_is_told_what_to_do(world) -> None:
    orphan = User.objects.create_user(username="tanpa.instansi", password=factories.PASSWORD)
    client = Client()
    client.force_login(orphan)

    for url in ("/", "/pegawai/impor/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403, url
        assert "Akun Anda belum siap dipakai" in html
        assert "belum terhubung ke instansi" in html
        assert "minta Admin BKPSDM instansi Anda" in html
        assert "kompeten setup --update --code KODE-INSTANSI --admin tanpa.instansi" in html


def test_a_superuser_without_instansi_on_an_empty_install_is_sent_to_the_first_run(db) -> None:
    root = User.objects.create_superuser(username="root", password=factories.PASSWORD)
    client = Client()
    client.force_login(root)
    for url in ("/", "/audit/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403, url
        assert "Kompeten ini juga belum disiapkan" in html and 'href="/mulai/"' in html


def test_an_account_without_a_role_is_told_whom_to_ask(world) -> None:
    nobody = factories.make_user(world.instansi, "tanpa.peran", Role.PEGAWAI)
    User.objects.filter(pk=nobody.pk).update(role="")
    client = Client()
    client.force_login(nobody)

    response = client.get("/pegawai/impor/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "belum memiliki peran" in html
    assert "Admin BKPSDM, Pengelola OPD, Fasilitator, Pimpinan, Pegawai" in html
    assert "alice" in html  # the admin to ask


def test_a_role_without_access_gets_an_indonesian_403_naming_the_admins(world) -> None:
    client = Client()
    client.force_login(world.erin)

    response = client.get("/audit/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in html and "peran: Pegawai" in html
    assert "Admin BKPSDM: alice." in html
    assert "mallory" not in html  # another instansi's admin
    assert "403 Forbidden" not in html


def test_the_refusal_page_has_a_query_budget(world, django_assert_max_num_queries) -> None:
    client = Client()
    client.force_login(world.erin)
    with django_assert_max_num_queries(6):
        assert client.get("/audit/").status_code == 403
