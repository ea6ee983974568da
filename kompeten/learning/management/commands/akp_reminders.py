"""Send the AKP reminders now (the worker also runs them once a day)."""

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext

from kompeten.core import formatting
from kompeten.core.commands import KompetenCommand
from kompeten.learning.tasks import send_akp_reminders_now


class Command(KompetenCommand):
    help = gettext_lazy(
        "Kirim pengingat AKP kepada pegawai dan atasan yang belum mengisi penilaian."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # the reminders are written for other people: in the site's language, as the worker's
        with translation.override(settings.LANGUAGE_CODE):
            n = send_akp_reminders_now()
        self.stdout.write(
            ngettext("{n} pengingat terkirim.", "{n} pengingat terkirim.", n).format(
                n=formatting.number(n, 0)
            )
        )
