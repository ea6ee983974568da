"""Send the AKP reminders now (the worker also runs them once a day)."""

from typing import Any

from django.core.management.base import BaseCommand

from kompeten.learning.tasks import send_akp_reminders_now


class Command(BaseCommand):
    help = "Kirim pengingat AKP kepada pegawai dan atasan yang belum mengisi penilaian."

    def handle(self, *args: Any, **options: Any) -> None:
        n = send_akp_reminders_now()
        self.stdout.write(f"{n} pengingat terkirim.")
