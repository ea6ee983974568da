"""Years are never shown with a thousands separator ("2026", not "2.026" or "2,026").

USE_THOUSAND_SEPARATOR is on for counts and amounts; a year rendered as a plain integer would get
the separator too, and a year in a link or a hidden field would then not parse back."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.participation.builders import make_programme

pytestmark = pytest.mark.django_db

SEPARATED_YEAR = re.compile(r"(?<![0-9.,])2[.,]0[0-9]{2}(?![0-9]|[.,][0-9])")


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    "name",
    [
        "participation:incentives",
        "participation:jp_dashboard",
        "participation:my_jp",
        "cycle_pelaksanaan",
        "scheduling:analytics",
    ],
)
def test_year_pages_show_plain_years(world, name: str, language: str) -> None:
    client = Client()
    # dave (a pegawai) has his own JP page; alice (admin) sees the others
    client.force_login(
        world.dave if name in ("participation:my_jp", "cycle_pelaksanaan") else world.alice
    )
    client.cookies["django_language"] = language
    response = client.get(reverse(name), {"year": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026" in html
    assert not SEPARATED_YEAR.search(html), SEPARATED_YEAR.search(html)


def test_the_incentives_form_posts_back_a_plain_year(world) -> None:
    client = Client()
    client.force_login(world.alice)
    html = client.get(reverse("participation:incentives"), {"year": "2026"}).content.decode()
    assert 'name="year" value="2026"' in html
    assert "?year=2026" in html


def test_the_programme_page_shows_its_year_plainly(world) -> None:
    programme = make_programme(world.instansi)
    programme.year = 2026
    programme.save(update_fields=["year"])
    client = Client()
    client.force_login(world.alice)
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "<dd>2026</dd>" in html
