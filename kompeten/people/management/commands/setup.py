"""`kompeten setup`: the first run from the command line.

Creates the instansi and its first admin (through `kompeten.people.firstrun.do_first_setup`),
prepares the database when it has never been migrated, and keeps a generated SECRET_KEY in
`<var>/secret_key` (mode 0600) so that later commands need no environment variable.

    kompeten setup                     # asks (in Bahasa Indonesia, or English: KOMPETEN_LANGUAGE)
    kompeten setup --instansi "Pemerintah Kota Sawahlunto" --code kota-sawahlunto --kind kota \\
        --admin admin --password-file /root/admin-password --no-input

A second run for an instansi that exists says so and changes nothing; with `--update` it sets
the instansi's name and kind and (re)makes the admin login.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.commands import KompetenCommand
from kompeten.core.models import Instansi
from kompeten.core.secret_key import SecretKeyFileError, ensure_secret_key, secret_key_path
from kompeten.people.firstrun import (
    SetupInput,
    do_first_setup,
    do_update_setup,
    validate_setup_input,
)

FIELD_LABELS = {
    "name": "--instansi",
    "code": "--code",
    "kind": "--kind",
    "admin_username": "--admin",
    "password": "--password-file",
    "__all__": "",
}


def read_password_file(path: str) -> str:
    """The first line of the file (or of stdin for "-"), without its line ending."""
    try:
        if path == "-":
            line = sys.stdin.readline()
        else:
            with Path(path).open(encoding="utf-8") as handle:
                line = handle.readline()
    except FileNotFoundError:
        raise CommandError(
            _("Berkas kata sandi {path} tidak ditemukan.").format(path=path)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(
            _("Berkas kata sandi {path} tidak dapat dibaca: {error}").format(path=path, error=exc)
        ) from None
    password = line.rstrip("\r\n")
    if not password:
        raise CommandError(_("Baris pertama berkas kata sandi {path} kosong.").format(path=path))
    return password


def format_errors(errors: dict[str, list[str]]) -> str:
    lines = []
    for field, messages in errors.items():
        flag = FIELD_LABELS.get(field, field)
        for message in messages:
            lines.append(f"  - {flag}: {message}" if flag else f"  - {message}")
    return "\n".join(lines)


def pending_migrations() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(KompetenCommand):
    help = gettext_lazy(
        "Penyiapan pertama: membuat instansi dan admin pertamanya, menyiapkan basis data, dan"
        " menyimpan SECRET_KEY di var/secret_key."
    )
    # Like `migrate`, it runs on an install whose database may not exist yet.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--instansi", help=_("Nama instansi, mis. 'Pemerintah Kota Sawahlunto'.")
        )
        parser.add_argument("--code", help=_("Kode instansi (huruf kecil, angka, '-')."))
        parser.add_argument("--kind", help=_("Jenis: kota, kabupaten atau provinsi."))
        parser.add_argument("--admin", help=_("Nama pengguna admin pertama."))
        parser.add_argument("--admin-name", default="", help=_("Nama lengkap admin (opsional)."))
        parser.add_argument(
            "--password-file",
            help=_("Berkas yang baris pertamanya kata sandi admin ('-' = stdin)."),
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=_("Jangan bertanya; semua isian dari opsi."),
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help=_("Instansi sudah ada: perbarui nama dan jenisnya dan siapkan admin ini."),
        )

    # --- gathering the input ---------------------------------------------------------------

    def _ask(self, prompt: str, default: str = "") -> str:
        suffix = f" [{default}]" if default else ""
        try:
            answer = input(f"{prompt}{suffix}: ").strip()
        except EOFError:
            raise CommandError(_("Dibatalkan: masukan berakhir.")) from None
        return answer or default

    def _ask_password(self) -> str:
        while True:
            try:
                first = getpass.getpass(_("Kata sandi admin: "))
                second = getpass.getpass(_("Ulangi kata sandi: "))
            except EOFError:
                raise CommandError(_("Dibatalkan: masukan berakhir.")) from None
            if first != second:
                self.stderr.write(_("Kedua kata sandi tidak sama; ulangi."))
                continue
            return first

    def _gather(self, options: dict[str, Any]) -> SetupInput:
        interactive = options["interactive"]
        name = options["instansi"] or ""
        code = options["code"] or ""
        kind = options["kind"] or ""
        admin = options["admin"] or ""
        admin_name = options["admin_name"] or ""
        password = read_password_file(options["password_file"]) if options["password_file"] else ""
        if not interactive:  # every problem is reported by the validation in handle()
            return SetupInput(name, code, kind, admin, password, admin_name)

        self.stdout.write(_("Penyiapan pertama Kompeten. Tekan Ctrl+C untuk membatalkan."))
        asked: set[str] = set()
        while True:
            if not name or "name" in asked:
                name = self._ask(_("Nama instansi (mis. Pemerintah Kota Sawahlunto)"), name)
            if not code or "code" in asked:
                code = self._ask(_("Kode instansi"), code or slugify(name)[:40])
            if not kind or "kind" in asked:
                kind = self._ask(_("Jenis instansi (kota/kabupaten/provinsi)"), kind or "kota")
            if not admin or "admin_username" in asked:
                admin = self._ask(_("Nama pengguna admin"), admin or "admin")
            if not password or "password" in asked:
                password = self._ask_password()
            data = SetupInput(name, code, kind, admin, password, admin_name)
            errors = validate_setup_input(data)
            if not errors:
                return data
            self.stderr.write(_("Periksa isian berikut:") + "\n" + format_errors(errors))
            asked = set(errors)

    # --- the run ------------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = self._gather(options)
        except KeyboardInterrupt:
            raise CommandError(_("Dibatalkan.")) from None
        errors = validate_setup_input(data)
        if errors:
            raise CommandError(_("Tidak ada yang disimpan:") + "\n" + format_errors(errors))

        if pending_migrations():
            self.stdout.write(_("Menyiapkan basis data (migrasi)…"))
            call_command("migrate", interactive=False, verbosity=0)

        code = data.code.strip()
        existing = Instansi.objects.filter(code=code).first()
        try:
            if existing is not None and not options["update"]:
                self.stdout.write(
                    _(
                        "Instansi {code} ({name}) sudah ada; tidak ada yang diubah. Jalankan"
                        " dengan --update untuk memperbarui nama dan jenisnya dan menyiapkan"
                        " admin {admin}."
                    ).format(code=code, name=existing.name, admin=data.admin_username.strip())
                )
            elif existing is not None:
                instansi, admin, changes = do_update_setup(data)
                self.stdout.write(
                    _("Instansi {code} diperbarui: {changes}.").format(
                        code=code, changes="; ".join(changes) or _("tidak ada perubahan")
                    )
                )
            else:
                instansi, admin = do_first_setup(data)
                self.stdout.write(
                    self.style.SUCCESS(
                        _(
                            "Instansi {name} ({code}) dibuat; admin {username} dapat masuk"
                            " dengan peran Admin BKPSDM."
                        ).format(name=instansi.name, code=instansi.code, username=admin.username)
                    )
                )
        except ValidationError as exc:
            raise CommandError(
                _("Tidak ada yang disimpan:") + "\n" + format_errors(exc.message_dict)
            ) from None
        self._keep_secret_key()
        self.stdout.write(
            _(
                "Langkah berikutnya: masuk ke {url}/masuk/ lalu buka {url}/mulai/selanjutnya/."
            ).format(url=settings.SITE_URL)
        )

    def _keep_secret_key(self) -> None:
        if os.environ.get("SECRET_KEY"):
            self.stdout.write(
                _("SECRET_KEY diambil dari variabel lingkungan; tidak ada kunci yang disimpan.")
            )
            return
        try:
            _key, created = ensure_secret_key(Path(settings.VAR_DIR))
        except SecretKeyFileError as exc:
            raise CommandError(
                _("Kunci rahasia tidak dapat disimpan: {error}").format(error=exc)
            ) from None
        path = secret_key_path(Path(settings.VAR_DIR))
        if created:
            self.stdout.write(
                _("SECRET_KEY baru disimpan di {path} (mode 0600).").format(path=path)
            )
        else:
            self.stdout.write(_("SECRET_KEY tetap: {path}.").format(path=path))
