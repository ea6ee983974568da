"""Words for the codes that tables and results carry (confidence levels, data sources), so a
page never shows ``MED`` or ``skp_predikat``: ``{% load labels %}{{ x.confidence|confidence }}``."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from kompeten.core import formatting

register = template.Library()

CONFIDENCE = {"HIGH": _("tinggi"), "MED": _("sedang"), "LOW": _("rendah")}
SOURCE = {
    "skp_numeric": _("nilai SKP"),
    "skp_predikat": _("predikat SKP"),
    "none": _("belum ada data SKP"),
}


@register.filter
def confidence(code: object) -> object:
    """HIGH/MED/LOW as the reader's word for it (anything else as it is)."""
    return CONFIDENCE.get(str(code), code)


@register.filter
def data_source(code: object) -> object:
    return SOURCE.get(str(code), code)


@register.filter
def get(mapping: object, key: object) -> object:
    """``mapping[key]`` in a template, or "" when the mapping lacks it."""
    if isinstance(mapping, dict):
        return mapping.get(key, "")
    return ""


@register.filter
def percent(share: object) -> str:
    """A 0–1 share as the reader's percentage (0.8677 → "86,8%"; None → "–"), as reports write
    it, so one page does not say 0,868 where another says 86,8%."""
    if share is None or share == "":
        return formatting.percent(None)
    return formatting.percent(float(share))  # type: ignore[arg-type]
