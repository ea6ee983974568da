"""`kompeten password_link LOGIN`: print a one-time link to set the password of one account.

For the server's operator when no admin can log in (the only admin forgot the password and has
no e-mail): the link is the same one-time link the admin page issues (72 hours, single use,
audited), printed on the console instead of a page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompeten.core.accounts import do_issue_password_links, find_login_user, link_path
from kompeten.core.models import PasswordLink


class Command(BaseCommand):
    help = (
        "Cetak tautan sekali pakai untuk mengatur kata sandi satu akun (NIP atau nama pengguna), "
        "berlaku 72 jam. Tautan lama akun itu tidak berlaku lagi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("login", help="NIP atau nama pengguna")

    def handle(self, *args: Any, **options: Any) -> None:
        user = find_login_user(options["login"])
        if user is None:
            raise CommandError(f"Tidak ada akun dengan NIP/nama pengguna {options['login']!r}.")
        if not user.is_active:
            raise CommandError(f"Akun {user.username} nonaktif; aktifkan dulu.")
        purpose = (
            PasswordLink.Purpose.RESET
            if user.has_usable_password()
            else PasswordLink.Purpose.ACTIVATION
        )
        ((_, secret),) = do_issue_password_links(users=[user], purpose=purpose, actor=None)
        self.stdout.write(f"Akun: {user.username} ({user})")
        self.stdout.write(f"Tautan (sekali pakai, 72 jam): {settings.SITE_URL}{link_path(secret)}")
