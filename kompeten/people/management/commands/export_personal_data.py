"""`kompeten export_personal_data NIP [--out FILE]`: all personal data about one employee (JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core import audit
from kompeten.core.commands import KompetenCommand
from kompeten.core.models import Instansi
from kompeten.core.private_files import write_private
from kompeten.people.models import Employee
from kompeten.people.privacy import export_personal_data_json, find_subject


class Command(KompetenCommand):
    help = gettext_lazy(
        "Ekspor semua data pribadi yang disimpan tentang satu pegawai (permintaan subjek data, "
        "UU PDP) sebagai JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nip", help=_("NIP pegawai (18 digit, spasi boleh)."))
        parser.add_argument(
            "--instansi",
            default=None,
            help=_("Kode instansi, bila NIP yang sama terdaftar di beberapa instansi."),
        )
        parser.add_argument(
            "--out", type=Path, default=None, help=_("Berkas tujuan (bawaan: stdout).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        nip = options["nip"]
        instansi = None
        if options["instansi"]:
            instansi = Instansi.objects.filter(code=options["instansi"]).first()
            if instansi is None:
                raise CommandError(
                    _("Instansi dengan kode {code} tidak ada.").format(code=options["instansi"])
                )
        try:
            employee = find_subject(nip, instansi)
        except Employee.DoesNotExist:
            raise CommandError(
                _("Pegawai dengan NIP {nip} tidak ditemukan.").format(nip=nip)
            ) from None
        except Employee.MultipleObjectsReturned:
            codes = ", ".join(
                Instansi.objects.filter(employees__nip="".join(nip.split()))
                .order_by("code")
                .values_list("code", flat=True)
            )
            raise CommandError(
                _(
                    "NIP {nip} terdaftar di beberapa instansi ({codes}); sebutkan satu dengan "
                    "--instansi KODE."
                ).format(nip=nip, codes=codes)
            ) from None
        text = export_personal_data_json(nip, employee.instansi)
        audit.record(
            actor=None,
            action="privacy.export",
            obj=employee,
            summary="Ekspor data pribadi (permintaan subjek data)",
        )
        out: Path | None = options["out"]
        if out is None:
            self.stdout.write(text)
        else:
            write_private(out, text)  # 0600: personal data
            self.stderr.write(_("Data pribadi tersimpan: {path}").format(path=out))
