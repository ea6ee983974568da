"""kompeten impact FILE [--format json|csv]: the training's effect on monthly unit outcomes,
one estimate per dataset (see kompeten/evaluation/impact_cli.py and docs/statistics.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.commands import KompetenCommand
from kompeten.evaluation.impact_cli import ImpactInputError, run


class Command(KompetenCommand):
    help = gettext_lazy(
        "Hitung dampak pelatihan pada hasil bulanan unit layanan (selisih-dalam-selisih bila "
        "ada unit pembanding, deret waktu terputus bila tidak) dari berkas CSV berkolom "
        "dataset, unit, month, value, treated_from."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("berkas CSV"))
        parser.add_argument(
            "--format",
            choices=["json", "csv"],
            default="json",
            help=_("keluaran untuk dibaca program (sama dalam setiap bahasa)"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            out = run(opts["file"], opts["format"])
        except ImpactInputError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(out, ending="")
