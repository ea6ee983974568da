"""kompeten import skm FILE --unit NAME|CODE: SKM answers (Google Forms, e-SKM, any CSV/XLSX).

``--unit`` names the service unit or the OPD as people write it (survey code, unit code, short
name such as ``DPMPTSP``, or the name with or without ``Kota …``); without it, the unit an e-SKM
title names (``Unit Layanan : …``) is used. An OPD without a service unit gets one, and the
command says so. The legend of an e-SKM export (``Keterangan: U1 …; U9 …``) decides what the
bare codes U1..U9 stand for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from kompeten.core.importing import ImportCommand, ReadError
from kompeten.core.importing.declare import get
from kompeten.core.importing.engine import read_for
from kompeten.core.models import Instansi, User
from kompeten.service.imports_skm import find_import_target, parse_legend, unit_named_in_title
from kompeten.standards.ikm import SKM_2017


class Command(ImportCommand):
    declaration_key = "skm"

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit",
            help=_(
                "unit layanan atau OPD: kode survei, kode unit, singkatan atau nama "
                "(bawaan: unit yang disebut judul berkas e-SKM)"
            ),
        )

    def options(
        self, opts: dict[str, Any], instansi: Instansi, user: User | None
    ) -> dict[str, Any]:
        path = Path(opts["paths"][-1])
        rows: list[list[Any]] = []
        if path.is_file():
            try:
                # the sheet the import will read (a rekap sheet may come first), whose title
                # names the unit
                table = read_for(
                    get(self.declaration_key),
                    path.read_bytes(),
                    path.name,
                    opts.get("sheet"),
                    instansi,
                )
                rows = table.rows
            except ReadError:
                rows = []  # the engine reports it when it reads the file
        query = opts.get("unit") or unit_named_in_title(rows[:10]) or ""
        if not query:
            raise CommandError(
                _(
                    "Sebutkan unitnya: --unit NAMA|KODE (unit layanan atau OPD); berkas ini "
                    "tidak menyebut unit di judulnya."
                )
            )
        service_unit, unit = find_import_target(instansi, query)
        if service_unit is None and unit is None:
            raise CommandError(
                _(
                    "Unit {query} tidak dikenal: tulis kode survei, kode unit, singkatan atau "
                    "nama OPD seperti di pohon unit (kompeten import units …)."
                ).format(query=repr(query))
            )
        if service_unit is not None:
            data = {"target": f"su:{service_unit.pk}"}
        else:
            assert unit is not None
            data = {"target": f"unit:{unit.pk}", "create_service_unit": "on"}
            self.stdout.write(
                _("{unit} belum punya unit layanan: unit layanan dibuat saat impor.").format(
                    unit=unit.name
                )
            )
        opts = {**opts, **data}
        cleaned = super().options(opts, instansi, user)
        legend = parse_legend(rows, SKM_2017)
        if legend:
            cleaned["legend"] = legend
        return cleaned
