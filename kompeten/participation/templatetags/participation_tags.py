"""Template filters: JP from stored minutes, exact fractions for display (rounded only here)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import template
from django.template.defaultfilters import floatformat

from kompeten.core import formatting
from kompeten.standards.jp import minutes_to_jp

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


@register.filter
def jp(minutes: Any, places: int = 1) -> str:
    """Stored minutes → JP (minutes / 45), formatted with the locale's decimal comma."""
    value = _decimal(minutes)
    if value is None:
        return "–"
    exact = minutes_to_jp(Fraction(value))
    return floatformat(Decimal(exact.numerator) / Decimal(exact.denominator), places)


@register.filter
def num(value: Any, places: int = 1) -> str:
    """A Fraction, Decimal or number formatted for display; "–" for None."""
    dec = _decimal(value)
    if dec is None:
        return "–"
    return floatformat(dec, places)


@register.simple_tag
def jp_minimum() -> str:
    """The PNS yearly JP minimum, for labels that state it: ``{% jp_minimum as jp %}``."""
    return formatting.jp_minimum()
