"""Navigation follows the cycle: Kebutuhan → Program → Jadwal → Pelaksanaan → Evaluasi → Laporan."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

CYCLE = [
    ("kebutuhan", _("Kebutuhan"), "cycle_kebutuhan"),
    ("program", _("Program"), "cycle_program"),
    ("jadwal", _("Jadwal"), "cycle_jadwal"),
    ("pelaksanaan", _("Pelaksanaan"), "cycle_pelaksanaan"),
    ("evaluasi", _("Evaluasi"), "cycle_evaluasi"),
    ("laporan", _("Laporan"), "cycle_laporan"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    path = request.path
    for key, label, url_name in CYCLE:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"key": key, "label": label, "url": url, "active": path.startswith(url)})
    return {"nav_cycle": items}
