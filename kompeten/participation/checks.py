"""A deployment check: printed documents carry absolute links built from ``SITE_URL``."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_set(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Certificates' and SKM posters' QR codes and printed links are built from ``SITE_URL``;
    left unset it is http://127.0.0.1:8000, which no citizen's phone can open."""
    if os.environ.get("SITE_URL") or settings.DEBUG:
        return []
    return [
        checks.Warning(
            f"SITE_URL is not set: QR codes and links on certificates and SKM posters point at "
            f"{settings.SITE_URL}.",
            hint="Set SITE_URL to the address people reach Kompeten by, "
            "e.g. https://kompeten.sawahluntokota.go.id (docs/operations.md).",
            id="participation.W001",
        )
    ]
