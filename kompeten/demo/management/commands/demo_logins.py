"""Print the demo URL and one login per role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kompeten.demo.build import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Tampilkan alamat demo dan satu login per peran."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, port: int, **options: Any) -> None:
        self.stdout.write("")
        self.stdout.write(f"Kompeten berjalan di http://127.0.0.1:{port}")
        self.stdout.write(f"Kata sandi semua akun demo: {DEMO_PASSWORD}")
        for role, username, note in demo_logins():
            self.stdout.write(f"  {role:<32} {username:<20} {note}")
        self.stdout.write("")
