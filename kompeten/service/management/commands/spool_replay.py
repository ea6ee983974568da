"""kompeten spool replay: record the SKM answers spooled while the database was down."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kompeten.core import formatting
from kompeten.core.commands import KompetenCommand
from kompeten.service import spool


def _count(n: int) -> str:
    return formatting.number(n, 0)


class Command(KompetenCommand):
    help = gettext_lazy(
        "Catat jawaban SKM yang disimpan sementara (spool) selama basis data tidak tersedia. "
        "Aman dijalankan berulang: setiap jawaban dicatat sekali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--status", action="store_true", help=_("hanya tampilkan jumlah yang menunggu")
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["status"]:
            pending = spool.pending_count()
            self.stdout.write(
                ngettext(
                    "{n} jawaban menunggu di {path}", "{n} jawaban menunggu di {path}", pending
                ).format(n=_count(pending), path=spool.spool_dir())
            )
            return
        r = spool.replay()
        self.stdout.write(
            _(
                "{recorded} dicatat, {duplicates} sudah tercatat sebelumnya, {rejected} ditolak, "
                "{pending} masih menunggu."
            ).format(
                recorded=_count(r.recorded),
                duplicates=_count(r.duplicates),
                rejected=_count(r.rejected),
                pending=_count(r.pending),
            )
        )
        for reason in r.reasons[:50]:
            self.stdout.write("  " + _("ditolak: {reason}").format(reason=reason))
        if r.rejected:
            self.stdout.write(
                _("Jawaban yang ditolak disimpan di {path}").format(
                    path=spool.spool_dir() / "rejected.jsonl"
                )
            )
