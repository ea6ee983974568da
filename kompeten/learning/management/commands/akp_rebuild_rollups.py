"""Recount the AKP rollups of every campaign (or one) from the raw entries."""

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kompeten.core import formatting
from kompeten.core.commands import KompetenCommand
from kompeten.learning.actions.rollups import rebuild_rollups
from kompeten.learning.models import AkpCampaign


class Command(KompetenCommand):
    help = gettext_lazy("Hitung ulang ringkasan AKP (peta panas, kemajuan) dari butir penilaian.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, help=_("id kampanye (bawaan: semua)"))

    def handle(self, *args: Any, **options: Any) -> None:
        campaigns = AkpCampaign.objects.order_by("pk")
        if options["campaign"]:
            campaigns = campaigns.filter(pk=options["campaign"])
        for campaign in campaigns:
            n = rebuild_rollups(campaign)
            self.stdout.write(
                ngettext("{campaign}: {n} sel", "{campaign}: {n} sel", n).format(
                    campaign=campaign, n=formatting.number(n, 0)
                )
            )
