"""`kompeten password_link LOGIN`: print a one-time link to set the password of one account.

For the server's operator when no admin can log in (the only admin forgot the password and has
no e-mail): the link is the same one-time link the admin page issues (72 hours, single use,
audited), printed on the console instead of a page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.accounts import do_issue_password_links, find_login_user, link_path
from kompeten.core.commands import KompetenCommand
from kompeten.core.models import PasswordLink


class Command(KompetenCommand):
    help = gettext_lazy(
        "Cetak tautan sekali pakai untuk mengatur kata sandi satu akun (NIP atau nama pengguna), "
        "berlaku 72 jam. Tautan lama akun itu tidak berlaku lagi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("login", help=_("NIP atau nama pengguna"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = find_login_user(options["login"])
        if user is None:
            raise CommandError(
                _("Tidak ada akun dengan NIP/nama pengguna {login}.").format(
                    login=repr(options["login"])
                )
            )
        if not user.is_active:
            raise CommandError(
                _("Akun {username} nonaktif; aktifkan dulu.").format(username=user.username)
            )
        purpose = (
            PasswordLink.Purpose.RESET
            if user.has_usable_password()
            else PasswordLink.Purpose.ACTIVATION
        )
        ((_link, secret),) = do_issue_password_links(users=[user], purpose=purpose, actor=None)
        self.stdout.write(_("Akun: {username} ({name})").format(username=user.username, name=user))
        self.stdout.write(
            _("Tautan (sekali pakai, 72 jam): {url}").format(
                url=f"{settings.SITE_URL}{link_path(secret)}"
            )
        )
