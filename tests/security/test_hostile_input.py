"""Every page's own forms, sent what a browser never would: numbers past what a database key
holds, years 0 and 9999, minus signs, NUL, superscript digits, 3,000 characters.

The GET walk sends them in each filter; the POST walk in each field of each form a page
renders, one field at a time, the others as the page filled them (inside a rolled-back
transaction). Found by these walks and fixed: the pending-rows page overflowed SQLite with a
huge run id; the IP ASN and leadership pages crashed on `?year=0` or a huge year; a report
window in year 1 overflowed; picking a unit or trainer by a huge id overflowed SQLite in Django's
``pk__in`` query. Pages read such values through their forms (kompeten.core.forms) or
kompeten.core.params; a bad one is ignored or refused, never a 500. The fields are the ones the
page itself renders, so a new form is covered without touching this file.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from kompeten.learning.models import Session
from kompeten.participation.models import Enrolment
from tests.api.helpers import api_get, make_token
from tests.conftest import World
from tests.evaluation import builders
from tests.robustness import forms
from tests.security.matrix import MATRIX
from tests.security.personas import ADMIN, ANON, PEGAWAI, clients
from tests.security.walk import all_urls, concrete_path
from tests.service.helpers import make_service_unit

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


# What each walk must reach (pages, distinct forms): a floor well below the counts seen (anonymous
# 7 and 6: sign-in, password reset, language, the public survey; admin 100 to 113 and 80 to 90;
# pegawai 38 to 40 and 9 to 15: a page of an object kind not listed in `pages` opens only when an
# id happens to match, which varies with the database's ids), so that a walk that stops reaching
# the pages fails instead of passing on nothing.
REACHED = {ANON: (5, 4), ADMIN: (60, 45), PEGAWAI: (20, 6)}


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


def _get_errors(client: Client, path: str, names: set[str]) -> list[str]:
    queries = [{name: value} for name in sorted(names) for value in HOSTILE]
    queries.append(dict.fromkeys(names, HOSTILE[0]))
    failed = []
    for query in queries:
        response = client.get(f"{path}?{urlencode(query)}")
        if response.status_code >= 500:
            failed.append(f"GET {path}?{urlencode(query)[:80]} → {response.status_code}")
    return failed


def _post_errors(client: Client, action: str, fields: dict[str, str | None]) -> list[str]:
    sent = {k: v for k, v in fields.items() if v is not None and k != "csrfmiddlewaretoken"}
    failed = []
    for name in sorted(set(fields) - {"csrfmiddlewaretoken"}):
        for value in HOSTILE:
            cookies = copy.deepcopy(client.cookies)
            with transaction.atomic():
                response = client.post(action, {**sent, name: value})
                transaction.set_rollback(True)
            client.cookies = cookies
            if response.status_code >= 500:
                failed.append(f"POST {action} {name}={value[:30]!r} → {response.status_code}")
    return failed


def _html(response: Any) -> str | None:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    return str(response.content.decode("utf-8", "replace"))


@pytest.fixture
def pages(world: World) -> list[str]:
    """Every GET page's path, with a scenario behind the object pages: each single-id page is
    tried with the id of every object below (one of them is of its kind)."""
    scenario = builders.build(world, n=2)
    survey = make_service_unit(world.layanan)  # also the public SKM survey's two forms
    objects = sorted(
        {
            scenario.programme.pk,
            scenario.batch.pk,
            scenario.module.pk,
            scenario.trainer.pk,
            world.dave_emp.pk,
            world.layanan.pk,
            survey.pk,
            *(i.pk for i in scenario.instruments.values()),
            *Session.objects.filter(batch=scenario.batch).values_list("pk", flat=True),
            *Enrolment.objects.filter(batch=scenario.batch).values_list("pk", flat=True),
        }
    )
    public = [
        reverse("survey", args=[survey.code]),
        reverse("survey_service", args=[survey.code, "ktp"]),
    ]
    return [path for _name, paths in _pages(world, objects) for path in paths] + public


def _rendered(world: World, pages: list[str], role: str) -> Iterator[tuple[Client, str, str]]:
    """(the role's client, path, HTML) of every page the role may open; a 500 in what follows
    is answered as a response, to be listed with the others, not raised."""
    client = clients(world)[role]
    client.raise_request_exception = False
    for path in pages:
        html = _html(client.get(path))
        if html is not None:
            yield client, path, html


@pytest.mark.parametrize("role", [ANON, ADMIN, PEGAWAI])
def test_no_page_answers_a_hostile_filter_with_a_server_error(
    world: World, pages: list[str], role: str
) -> None:
    failed: list[str] = []
    walked = 0
    for client, path, html in _rendered(world, pages, role):
        walked += 1
        parser = GetFormFields()
        parser.feed(html)
        failed += _get_errors(client, path, parser.names | {"page"})
    assert walked >= REACHED[role][0]  # the walk reached the pages
    assert failed == []


@pytest.mark.parametrize("role", [ANON, ADMIN, PEGAWAI])
def test_no_form_answers_a_hostile_field_with_a_server_error(
    world: World, pages: list[str], role: str
) -> None:
    failed: list[str] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for client, path, html in _rendered(world, pages, role):
        for action, found in forms.parse(html):
            fields = forms.as_filled(found)
            target = urljoin(path, action) if action else path
            key = (target, tuple(sorted(fields)))
            if key in seen or "/keluar/" in target:
                continue
            seen.add(key)
            failed += _post_errors(client, target, fields)
    assert len(seen) >= REACHED[role][1]  # and their forms
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


def test_a_nul_character_in_a_page_request_is_the_400_page(world: World, client: Client) -> None:
    """PostgreSQL cannot compare a NUL: a search for one was a DataError there (found by the
    walks above on PostgreSQL), so no page request carrying one reaches a view."""
    client.force_login(world.alice)
    for response in (
        client.get(reverse("people:employee_list"), {"q": "Dedi\x00"}),
        client.post(reverse("people:employee_list"), {"note\x00": "x"}),
    ):
        assert response.status_code == 400
        html = response.content.decode()
        assert "Permintaan tidak dapat diproses" in html and "Tidak ada data yang disimpan" in html


def test_a_nul_character_in_an_api_text_filter_is_a_422_naming_it(world: World, client: Client):
    secret = make_token(world.instansi, actor=world.alice)[1]
    for path, name in (
        ("/api/employees", "q"),
        ("/api/employees", "golongan"),
        ("/api/units", "kind"),
        ("/api/enrolments", "q"),
        ("/api/enrolments", "programme"),
        ("/api/programmes", "q"),
    ):
        response = api_get(client, path, secret, **{name: "a\x00"})
        assert response.status_code == 422, (path, name)
        assert [d["field"] for d in response.json()["error"]["details"]] == [name]
