from django.apps import AppConfig
from django.utils.translation import gettext_lazy

from kompeten.core.apps import KompetenApp


class ApiConfig(KompetenApp, AppConfig):
    name = "kompeten.api"

    def ready(self) -> None:
        from kompeten.api.models import ApiToken
        from kompeten.people import privacy

        super().ready()
        privacy.register(
            privacy.RetentionRule(
                name="revoked_api_tokens",
                description=gettext_lazy("Token API yang sudah dicabut atau kedaluwarsa"),
                default_days=365,
                candidates=lambda cutoff: (
                    ApiToken.objects.filter(revoked_at__lt=cutoff)
                    | ApiToken.objects.filter(expires_at__lt=cutoff)
                ),
            )
        )
