"""`kompeten import reaction FILE --programme CODE [--instrument ID|vN] [--batch CODE]`: a
reaction questionnaire export (e.g. Google Forms). Without ``--instrument`` the questionnaire
version built earlier from the same columns is used, or a new version is built from them. An
anonymous form (no NIP or name column) is stored for ``--batch``, or the programme's only
batch."""

from __future__ import annotations

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from kompeten.core import importing as imp


class Command(imp.ImportCommand):
    declaration_key = "reaction"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, help=_("kode program"))
        parser.add_argument(
            "--instrument",
            help=_("kuesioner reaksi yang dipetakan: nomor instrumen atau versi (mis. v2)"),
        )
        parser.add_argument(
            "--batch",
            help=_(
                "kode angkatan yang mengisi kuesioner tanpa NIP atau nama (anonim); boleh "
                "tidak ada bila program hanya punya satu angkatan"
            ),
        )
