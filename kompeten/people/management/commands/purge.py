"""`kompeten purge [--apply]`: apply the personal-data retention policy (dry run by default)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kompeten.core import formatting
from kompeten.core.commands import KompetenCommand
from kompeten.people.privacy import PurgeResult, purge


class Command(KompetenCommand):
    help = gettext_lazy(
        "Terapkan kebijakan retensi data pribadi. Tanpa --apply hanya menghitung (uji coba); "
        "dengan --apply menghapus/mengosongkan data yang melewati masa simpan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help=_("Benar-benar hapus (bawaan: uji coba saja).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = not options["apply"]
        results = purge(dry_run=dry_run)
        mode = _("UJI COBA (tidak ada yang diubah)") if dry_run else _("DITERAPKAN")
        self.stdout.write(_("Retensi data pribadi — {mode}").format(mode=mode))
        for r in results:
            self.stdout.write("  " + self._line(r, dry_run))

    def _line(self, r: PurgeResult, dry_run: bool) -> str:
        if r.cutoff is None:
            return _("{name}: disimpan selamanya ({description})").format(
                name=r.name, description=r.description
            )
        params = {
            "name": r.name,
            "count": formatting.number(r.count, 0),
            "action": r.action,
            "days": formatting.number(r.days, 0),
            "cutoff": timezone.localtime(r.cutoff).strftime("%Y-%m-%d"),
            "description": r.description,
        }
        if dry_run:
            return ngettext(
                "{name}: {count} baris akan {action} (lebih tua dari {days} hari, sebelum "
                "{cutoff}; {description})",
                "{name}: {count} baris akan {action} (lebih tua dari {days} hari, sebelum "
                "{cutoff}; {description})",
                r.count,
            ).format(**params)
        return ngettext(
            "{name}: {count} baris {action} (lebih tua dari {days} hari, sebelum {cutoff}; "
            "{description})",
            "{name}: {count} baris {action} (lebih tua dari {days} hari, sebelum {cutoff}; "
            "{description})",
            r.count,
        ).format(**params)
