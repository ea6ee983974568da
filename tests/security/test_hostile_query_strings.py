"""Every page's own GET filters, sent what a browser never would: numbers past what a database
key holds, years 0 and 9999, minus signs, NUL, superscript digits, 3,000 characters.

Found by this walk and fixed: the pending-rows page overflowed SQLite with a huge run id, and
the IP ASN and leadership pages crashed on `?tahun=0` or a huge year. Each page reads such
values through its form or kompeten.core.params; a bad one is ignored or refused, never a 500.
The fields are the ones the page itself renders (the inputs of its GET forms, and `page`), so a
new filter is covered without touching this file.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from kompeten.learning.models import Session
from tests.conftest import World
from tests.evaluation import builders
from tests.security.matrix import MATRIX
from tests.security.personas import ADMIN, PEGAWAI, PENGELOLA, clients
from tests.security.walk import all_urls, concrete_path

HOSTILE = (
    "99999999999999999999999",
    "-99999999999999999999",
    "-1",
    "0",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "\x00",
    "²³",
    "1e309",
    "x" * 3000,
)


class GetFormFields(HTMLParser):
    """The names of the fields of the GET forms of a page (csrf tokens aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self._in_get_form = (found.get("method") or "get").lower() == "get"
        elif tag in {"input", "select", "textarea"} and self._in_get_form:
            name = found.get("name")
            if name and name != "csrfmiddlewaretoken":
                self.names.add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_get_form = False


def _pages(world: World, objects: list[int]) -> list[tuple[str, list[str]]]:
    """(URL name, candidate paths) of every GET page: its own kwargs from the matrix, else each
    object id for a single ``<int:pk>``; routes needing anything else are left to the matrix."""
    pages = []
    for url in all_urls():
        access = MATRIX.get(url.name)
        if access is None or access.method != "GET" or url.name.startswith(("admin:", "api")):
            continue
        if access.kwargs is not None or "<" not in url.route:
            kwargs = access.kwargs(world) if access.kwargs is not None else None
            pages.append((url.name, [concrete_path(url.route, kwargs)]))
        elif url.route.count("<") == 1 and "<int:pk>" in url.route:
            pages.append((url.name, [concrete_path(url.route, {"pk": pk}) for pk in objects]))
    return pages


def _server_errors(client: Client, path: str, names: set[str]) -> list[str]:
    queries = [{name: value} for name in sorted(names) for value in HOSTILE]
    queries.append(dict.fromkeys(names, HOSTILE[0]))
    failed = []
    for query in queries:
        response = client.get(f"{path}?{urlencode(query)}")
        if response.status_code >= 500:
            failed.append(f"{path}?{urlencode(query)[:80]} → {response.status_code}")
    return failed


def _fields_of(response: Any) -> set[str] | None:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    parser = GetFormFields()
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.names | {"page"}


@pytest.mark.parametrize("role", [ADMIN, PENGELOLA, PEGAWAI])
def test_no_page_answers_a_hostile_filter_with_a_server_error(world: World, role: str) -> None:
    scenario = builders.build(world, n=2)
    session = Session.objects.filter(batch=scenario.batch).first()
    objects = sorted(
        {
            scenario.programme.pk,
            scenario.batch.pk,
            scenario.module.pk,
            world.dave_emp.pk,
            world.layanan.pk,
            *(i.pk for i in scenario.instruments.values()),
            *([session.pk] if session else []),
        }
    )
    client = clients(world)[role]
    failed: list[str] = []
    walked = 0
    for _name, paths in _pages(world, objects):
        for path in paths:
            names = _fields_of(client.get(path))
            if names is None:
                continue
            walked += 1
            failed += _server_errors(client, path, names)
    assert walked > 20  # the walk reached the pages
    assert failed == []


@pytest.mark.parametrize("posted", ["abc", "²", "99999999999999999999999", "-1"])
def test_a_posted_id_that_is_not_an_id_is_not_found(world: World, client: Client, posted) -> None:
    """Ids posted by a page's buttons and pickers, read by the view itself: a value that is not
    an id (Django raised ValueError on 'abc', SQLite overflowed on the huge one) is no object."""
    scenario = builders.build(world, n=1)
    client.force_login(world.alice)
    instruments = reverse("evaluation:instruments", args=[scenario.programme.pk])
    assert client.post(instruments, {"op": "open", "instrument": posted}).status_code == 404
    add = reverse("participation:participant_add", args=[scenario.batch.pk])
    response = client.post(add, {"employee": posted}, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Pegawai tidak ditemukan."]
