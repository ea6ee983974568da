"""Bahasa Indonesia by default, with Indonesian number and date formats."""

from __future__ import annotations

from datetime import date

from django.template import Context, Template
from django.utils import translation


def test_numbers_and_dates_use_indonesian_formats() -> None:
    with translation.override("id"):
        out = Template(
            '{% load humanize %}{{ x|floatformat:2 }} · {{ n|intcomma }} · {{ d|date:"DATE_FORMAT" }}'
        ).render(Context({"x": 91.4812, "n": 2000, "d": date(2026, 11, 27)}))
    assert out == "91,48 · 2.000 · 27 November 2026"


def test_the_login_page_is_in_indonesian_by_default(client, world) -> None:
    response = client.get("/masuk/")
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
    assert "Masuk ke Kompeten" in response.content.decode()


def test_a_browser_asking_for_english_still_gets_indonesian(client, world) -> None:
    response = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="id"' in response.content.decode()
    assert "Masuk ke Kompeten" in response.content.decode()


def test_the_language_switch_still_chooses_english(client, world) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    response = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="id")
    assert 'lang="en"' in response.content.decode()
