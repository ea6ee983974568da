"""Codes carried by tables and results read as words on pages."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context: object) -> str:
    return Template("{% load labels %}" + source).render(Context(context))


def test_confidence_and_source_codes_read_as_words_in_both_languages() -> None:
    with translation.override("id"):
        assert render("{{ c|confidence }}", c="MED") == "sedang"
        assert render("{{ s|data_source }}", s="skp_predikat") == "predikat SKP"
    with translation.override("en"):
        assert render("{{ c|confidence }}", c="HIGH") == "high"
        assert render("{{ s|data_source }}", s="none") == "no SKP data yet"
    assert render("{{ c|confidence }}", c="something else") == "something else"
