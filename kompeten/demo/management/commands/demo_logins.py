"""Print the demo URL and one login per role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.commands import KompetenCommand
from kompeten.demo.build import DEMO_PASSWORD, demo_logins


class Command(KompetenCommand):
    help = gettext_lazy("Tampilkan alamat demo dan satu login per peran.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, port: int, **options: Any) -> None:
        self.stdout.write("")
        self.stdout.write(_("Kompeten berjalan di {url}").format(url=f"http://127.0.0.1:{port}"))
        self.stdout.write(
            _("Kata sandi semua akun demo: {password}").format(password=DEMO_PASSWORD)
        )
        for role, username, note in demo_logins():
            self.stdout.write(f"  {role:<32} {username:<20} {note}")
        self.stdout.write("")
