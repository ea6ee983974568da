"""The base of Kompeten's management commands.

A command's texts (``help``, the options' ``help=``, what it writes, its ``CommandError``) are
Indonesian message ids said through gettext, so that the command line speaks
``settings.KOMPETEN_LANGUAGE``, which the console script activates (kompeten/cli.py). ``help``
is read after the class is defined (by ``--help`` and by ``kompeten import``'s list of kinds),
so it is a lazy translation: this base declares it as one and gives argparse its text in the
active language. Figures shown to people go through :mod:`kompeten.core.formatting` (1.234 in
Indonesian, 1,234 in English); what scripts read (JSON, CSV, file names, tokens) is the same
in every language.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.functional import Promise


class KompetenCommand(BaseCommand):
    help: str | Promise = ""  # type: ignore[assignment]  # a gettext_lazy text; see above

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse wraps the description with re.sub, which needs a str, not a lazy text
        parser.description = str(self.help) if self.help else None
        return parser
