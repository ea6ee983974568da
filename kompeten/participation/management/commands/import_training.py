"""`kompeten import training FILE --programme CODE [--title T --start YYYY-MM-DD --end YYYY-MM-DD
--jp N]`: the panitia's attendance list of a training that has already happened."""

from __future__ import annotations

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from kompeten.core.importing.command import ImportCommand


class Command(ImportCommand):
    declaration_key = "training"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--programme", dest="programme", required=True, metavar="KODE",
            help=_("kode program (dibuat bila belum ada, bersama --title, --start, --end, --jp)"),
        )  # fmt: skip
        parser.add_argument("--batch", dest="batch", metavar="ID", help=_("id angkatan yang ada"))
        parser.add_argument("--title", dest="title", help=_("judul program baru"))
        parser.add_argument("--start", dest="start", metavar="YYYY-MM-DD", help=_("tanggal mulai"))
        parser.add_argument("--end", dest="end", metavar="YYYY-MM-DD", help=_("tanggal selesai"))
        parser.add_argument("--jp", dest="jp", metavar="N", help=_("total JP program baru"))
        parser.add_argument("--location", dest="location", help=_("tempat pelatihan"))
