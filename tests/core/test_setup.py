"""`kompeten setup`: the instansi and its first admin from the command line."""

from __future__ import annotations

import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from kompeten.core.models import AuditLog, Instansi, Role, User
from tests import factories

PASSWORD = "Sawah-Lunto-2026!x"


@pytest.fixture
def var_dir(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The instance's var directory is the test's own; no SECRET_KEY in the environment."""
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SECRET_KEY", raising=False)
    return tmp_path


def password_file(directory: Path, text: str = PASSWORD + "\n", name: str = "other") -> str:
    path = directory / f"{name}-password"
    path.write_text(text, encoding="utf-8")
    return str(path)


def flags(var_dir: Path, **overrides: str) -> list[str]:
    values = {
        "--instansi": "Pemerintah Kota Sawahlunto",
        "--code": "kota-sawahlunto",
        "--kind": "kota",
        "--admin": "admin.bkpsdm",
        "--password-file": password_file(var_dir, name="admin"),
    }
    values.update({f"--{k.replace('_', '-')}": v for k, v in overrides.items()})
    argv = [item for pair in values.items() for item in pair]
    return [*argv, "--no-input"]


def run(*argv: str) -> str:
    out = StringIO()
    call_command("setup", *argv, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_creates_the_instansi_and_its_admin(db, var_dir: Path) -> None:
    output = run(*flags(var_dir))

    instansi = Instansi.objects.get()
    assert (instansi.name, instansi.code, instansi.kind) == (
        "Pemerintah Kota Sawahlunto",
        "kota-sawahlunto",
        Instansi.Kind.KOTA,
    )
    admin = User.objects.get()
    assert admin.username == "admin.bkpsdm"
    assert admin.role == Role.ADMIN and admin.instansi == instansi
    assert admin.check_password(PASSWORD) and admin.is_active
    assert set(AuditLog.objects.filter(instansi=instansi).values_list("action", flat=True)) == {
        "instansi.create",
        "user.create",
        "instansi.setup",
    }
    assert "Instansi Pemerintah Kota Sawahlunto (kota-sawahlunto) dibuat" in output
    assert "admin.bkpsdm" in output


def test_it_keeps_a_generated_secret_key_readable_only_by_its_owner(db, var_dir: Path) -> None:
    output = run(*flags(var_dir))

    key_file = var_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50
    assert f"SECRET_KEY baru disimpan di {key_file}" in output


def test_a_kept_secret_key_is_kept_on_a_later_run(db, var_dir: Path) -> None:
    run(*flags(var_dir))
    key = (var_dir / "secret_key").read_text()
    output = run(*flags(var_dir, code="kab-lain", instansi="Kabupaten Lain", admin="admin2"))
    assert (var_dir / "secret_key").read_text() == key
    assert "SECRET_KEY tetap" in output


def test_an_explicit_secret_key_in_the_environment_writes_no_file(
    db, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    output = run(*flags(var_dir))
    assert not (var_dir / "secret_key").exists()
    assert "variabel lingkungan" in output


def test_the_password_is_the_first_line_of_the_file(db, var_dir: Path) -> None:
    path = password_file(var_dir, PASSWORD + "\r\nsecond line is ignored\n")
    run(*flags(var_dir, password_file=path))
    assert User.objects.get(username="admin.bkpsdm").check_password(PASSWORD)


def test_the_password_can_come_from_stdin(
    db, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", StringIO(PASSWORD + "\n"))
    run(*flags(var_dir, password_file="-"))
    assert User.objects.get(username="admin.bkpsdm").check_password(PASSWORD)


def test_a_second_run_says_so_and_changes_nothing(db, var_dir: Path) -> None:
    run(*flags(var_dir))
    output = run(*flags(var_dir, instansi="Nama Lain", kind="kabupaten", admin="other"))

    assert "Instansi kota-sawahlunto (Pemerintah Kota Sawahlunto) sudah ada" in output
    assert "tidak ada yang diubah" in output
    instansi = Instansi.objects.get()
    assert (instansi.name, instansi.kind) == ("Pemerintah Kota Sawahlunto", "kota")
    assert list(User.objects.values_list("username", flat=True)) == ["admin.bkpsdm"]


def test_update_renames_the_instansi_and_makes_a_new_admin(db, var_dir: Path) -> None:
    run(*flags(var_dir))
    output = run(*flags(var_dir, instansi="Pemkot Sawahlunto", admin="kedua"), "--update")

    instansi = Instansi.objects.get()
    assert instansi.name == "Pemkot Sawahlunto"
    second = User.objects.get(username="kedua")
    assert second.role == Role.ADMIN and second.instansi == instansi
    assert "diperbarui" in output and "admin kedua dibuat" in output


def test_update_gives_an_account_without_instansi_the_admin_role(db, var_dir: Path) -> None:
    run(*flags(var_dir))
    orphan = User.objects.create_user(username="root", password="old-password-1234")
    run(*flags(var_dir, admin="root"), "--update")
    orphan.refresh_from_db()
    assert orphan.role == Role.ADMIN and orphan.instansi == Instansi.objects.get()
    assert orphan.check_password(PASSWORD)
    assert AuditLog.objects.filter(action="user.role", object_id=str(orphan.pk)).exists()


def test_bad_input_lists_every_problem_and_writes_nothing(db, var_dir: Path) -> None:
    weak = password_file(var_dir, "12345\n")
    with pytest.raises(CommandError) as refused:
        run(*flags(var_dir, instansi=" ", code="Kota Saya", admin="a b", password_file=weak))

    message = str(refused.value)
    assert "Tidak ada yang disimpan" in message
    assert "--instansi: Nama instansi wajib diisi" in message
    assert "--code: Kode instansi Kota Saya tidak sah" in message
    assert "--admin: Nama pengguna a b tidak sah" in message
    assert "--password-file: Kata sandi terlalu pendek" in message
    assert "seluruhnya terdiri dari angka" in message
    assert not Instansi.objects.exists() and not User.objects.exists()
    assert not AuditLog.objects.exists()
    assert not (var_dir / "secret_key").exists()


def test_a_missing_password_file_is_named(db, var_dir: Path) -> None:
    with pytest.raises(CommandError, match=r"Berkas kata sandi .*tidak ditemukan"):
        run(*flags(var_dir, password_file=str(var_dir / "nope")))
    assert not Instansi.objects.exists()


def test_an_empty_password_file_is_refused(db, var_dir: Path) -> None:
    with pytest.raises(CommandError, match=r"Baris pertama berkas kata sandi .* kosong"):
        run(*flags(var_dir, password_file=password_file(var_dir, "\n")))


def test_a_login_taken_elsewhere_writes_no_instansi(db, var_dir: Path) -> None:
    other = factories.make_instansi("Kabupaten Lain", "kab-lain")
    factories.make_user(other, "admin.bkpsdm", Role.ADMIN)
    with pytest.raises(CommandError, match=r"Nama pengguna admin\.bkpsdm sudah dipakai"):
        run(*flags(var_dir))
    assert list(Instansi.objects.values_list("code", flat=True)) == ["kab-lain"]


def test_an_unknown_kind_is_refused_with_the_choices(db, var_dir: Path) -> None:
    expected = "Jenis instansi desa tidak dikenal; pilih salah satu: kota, kabupaten, provinsi"
    with pytest.raises(CommandError, match=expected):
        run(*flags(var_dir, kind="desa"))
    assert not Instansi.objects.exists()


def test_a_refusal_exits_non_zero(
    db, var_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = flags(var_dir, code="BAD CODE")
    # run_from_argv closes every connection on its way out (as a process does at exit); here
    # that would close the test's own transaction on PostgreSQL
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["kompeten", "setup", *argv]).execute()
    assert exited.value.code == 1
    assert "Kode instansi BAD CODE tidak sah" in capsys.readouterr().err
    assert not Instansi.objects.exists()


def test_it_asks_in_indonesian_when_flags_are_missing(
    db, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []
    answers = iter(["Pemerintah Kabupaten Sijunjung", "", "kabupaten", ""])
    passwords = iter(["Tidak-Sama-123!", "berbeda", PASSWORD, PASSWORD])

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", fake_input)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    call_command("setup", stdout=StringIO(), stderr=StringIO())

    assert prompts == [
        "Nama instansi (mis. Pemerintah Kota Sawahlunto): ",
        "Kode instansi [pemerintah-kabupaten-sijunjung]: ",
        "Jenis instansi (kota/kabupaten/provinsi) [kota]: ",
        "Nama pengguna admin [admin]: ",
    ]
    instansi = Instansi.objects.get()
    assert (instansi.code, instansi.kind) == ("pemerintah-kabupaten-sijunjung", "kabupaten")
    assert User.objects.get(username="admin").role == Role.ADMIN


def test_interactive_mode_asks_again_for_what_was_refused(
    db, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["Kota Uji", "Kode Salah", "kota", "admin", "kode-benar"])
    passwords = iter(["123", "123", PASSWORD, PASSWORD])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    err = StringIO()
    call_command("setup", stdout=StringIO(), stderr=err)

    assert "Kode instansi Kode Salah tidak sah" in err.getvalue()
    assert "Kata sandi terlalu pendek" in err.getvalue()
    assert Instansi.objects.get().code == "kode-benar"


def test_interactive_mode_ends_cleanly_when_input_ends(
    db, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_more(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", no_more)
    with pytest.raises(CommandError, match="Dibatalkan"):
        call_command("setup", stdout=StringIO(), stderr=StringIO())
    assert not Instansi.objects.exists()
