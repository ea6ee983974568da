"""`kompeten report PROGRAMME_CODE --format pdf|html|xlsx|json -o FILE
[--before FROM:TO --after FROM:TO]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core import formatting
from kompeten.core.commands import KompetenCommand
from kompeten.learning.models import Programme
from kompeten.reports.assemble import assemble_programme, programme_period
from kompeten.reports.export import write_report
from kompeten.reports.impact import windows_from_text


class Command(KompetenCommand):
    help = gettext_lazy("Tulis laporan evaluasi satu program (PDF, HTML, XLSX atau angka JSON).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=_("Kode program"))
        parser.add_argument("--format", choices=["pdf", "html", "xlsx", "json"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help=_("Berkas keluaran"))
        parser.add_argument("--instansi", help=_("Kode instansi (bila lebih dari satu)"))
        parser.add_argument(
            "--before",
            help=_("Jendela sebelum pelatihan DARI:SAMPAI (TTTT-BB-HH, inklusif)"),
        )
        parser.add_argument(
            "--after",
            help=_("Jendela sesudah pelatihan DARI:SAMPAI (TTTT-BB-HH, inklusif)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        qs = Programme.objects.filter(code=options["code"])
        if options["instansi"]:
            qs = qs.filter(instansi__code=options["instansi"])
        found = list(qs.select_related("instansi")[:2])
        if not found:
            raise CommandError(
                _("Program {code} tidak ditemukan.").format(code=repr(options["code"]))
            )
        if len(found) > 1:
            raise CommandError(_("Kode program ada di beberapa instansi: sebutkan --instansi."))
        programme = found[0]
        try:
            first, last = programme_period(programme)
            windows = windows_from_text(
                first, last, options["before"], options["after"], timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(_("Menyusun data laporan…"))
        # PDF, HTML and XLSX are read by people, in the command line's language; the JSON is
        # read by programs and is the same in every language (the site's).
        for_programs = options["format"] == "json"
        language = settings.LANGUAGE_CODE if for_programs else translation.get_language()
        with translation.override(language):
            data = assemble_programme(programme, windows)
            size = write_report(
                programme.instansi, data, options["format"], Path(options["output"])
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("{path} ({size} bita)").format(
                    path=options["output"], size=formatting.number(size, 0)
                )
            )
        )
