"""`kompeten demo`: build the deterministic Sawahlunto demo."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core import formatting
from kompeten.core.commands import KompetenCommand
from kompeten.demo.build import build_demo, demo_exists


class Command(KompetenCommand):
    help = gettext_lazy(
        "Bangun data demo Kota Sawahlunto (sintetis) melalui aksi yang sama dengan pengguna."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help=_("Lewati bila demo sudah ada.")
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if demo_exists():
            if if_empty:
                self.stdout.write(_("Data demo sudah ada; tidak dibangun ulang."))
                return
            raise CommandError(
                _("Data demo sudah ada. Hapus var/kompeten.sqlite3 untuk membangun ulang.")
            )
        started = time.monotonic()
        # the data in the site's language, the progress lines in the command line's
        build_demo(self.stdout)  # type: ignore[arg-type]
        self.stdout.write(
            _("Demo selesai dalam {seconds} detik.").format(
                seconds=formatting.number(time.monotonic() - started, 1)
            )
        )
