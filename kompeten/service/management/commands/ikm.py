"""kompeten ikm FILE [--by COLUMN[,COLUMN…]] [--weight exact|0.111] [--regulation 2017|2004]
[--format table|csv|json]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.commands import KompetenCommand
from kompeten.service.ikm_cli import CliError, compute_groups, render
from kompeten.service.tabular import TableError, read_path


class Command(KompetenCommand):
    help = gettext_lazy(
        "Hitung IKM (PermenPANRB 14/2017 atau Kepmenpan 25/2004) dari berkas jawaban CSV/XLSX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("berkas jawaban CSV/XLSX"))
        parser.add_argument("--by", default="", help=_("kolom pengelompokan, dipisah koma"))
        parser.add_argument("--weight", choices=["exact", "0.111"], default="exact")
        parser.add_argument("--regulation", choices=["2017", "2004"], default="2017")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **opts: Any) -> None:
        by = [c.strip() for c in opts["by"].split(",") if c.strip()]
        try:
            table = read_path(opts["file"])
            groups = compute_groups(table, by, opts["weight"], opts["regulation"])
        except (CliError, TableError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(render(groups, by, opts["format"]), ending="")
