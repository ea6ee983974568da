"""`kompeten import scores FILE --programme CODE`: pre/post-test totals (the panitia's recap)."""

from __future__ import annotations

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from kompeten.core import importing as imp


class Command(imp.ImportCommand):
    declaration_key = "scores"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, help=_("kode program"))
        parser.add_argument(
            "--max-score", dest="max_score", help=_("nilai maksimum tes (bawaan 100)")
        )
        parser.add_argument(
            "--test",
            dest="test",
            choices=("pre", "post"),
            help=_(
                "tes dalam berkas berkolom nilai tunggal (mis. kuis Google Forms): pre atau "
                "post (bawaan: dari nama lembar kerja atau nama berkas bila menyebut satu tes)"
            ),
        )
