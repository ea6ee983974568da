"""Indonesian 400, 403, 404 and 500 pages (English in English mode), through Django's handlers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path
from django.utils.translation import trans_real


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# This module doubles as a URLconf (pytest.mark.urls): the project's URLs plus one that fails.
urlpatterns = [path("boom/", boom), path("", include("kompeten.urls"))]

ENGLISH = {
    "Halaman tidak ditemukan": "Page not found",
    "Akses ditolak": "Access denied",
    "Terjadi kesalahan pada server": "Something went wrong on the server",
    "Permintaan tidak dapat diproses": "The request could not be processed",
}


@pytest.fixture
def english() -> Iterator[None]:
    """English for the pages' headings in the English catalogue (as the lead's translation of
    them will be), so that the test proves the pages go through gettext."""
    catalog = trans_real.translation("en")._catalog
    saved = {msgid: catalog.get(msgid) for msgid in ENGLISH}
    for msgid, text in ENGLISH.items():
        catalog[msgid] = text
    yield
    for msgid, text in saved.items():
        catalog[msgid] = text if text is not None else msgid


def english_client() -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    return client


def test_an_unknown_address_gets_the_indonesian_404_in_the_layout(db) -> None:
    response = Client().get("/tidak-ada/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'lang="id"' in html and 'class="topbar"' in html
    assert "Halaman tidak ditemukan" in html and "/tidak-ada/" in html
    assert "Not Found" not in html


def test_an_object_outside_the_scope_is_an_indonesian_404(world) -> None:
    client = Client()
    client.force_login(world.dave)
    response = client.get(f"/pegawai/{world.erin_emp.pk}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html and "di luar cakupan akses" in html
    assert "Erin" not in html


def test_a_refusal_is_an_indonesian_403_in_the_layout(world) -> None:
    client = Client()
    client.force_login(world.dave)
    response = client.get("/audit/")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'class="topbar"' in html and "Akses ditolak" in html


@pytest.mark.urls(__name__)
def test_a_crash_is_the_static_500_page(db) -> None:
    response = Client(raise_request_exception=False).get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert 'lang="id"' in html and "Terjadi kesalahan pada server" in html
    assert "a bug" not in html and "Traceback" not in html
    assert 'href="/static/kompeten/css/app.css"' in html


def test_the_500_page_renders_without_a_request_or_database() -> None:
    from django.views.defaults import server_error

    response = server_error(HttpRequest())  # no database access: this test has no db fixture
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.content.decode()


def test_a_bad_request_is_the_indonesian_400_page(db) -> None:
    response = Client().get("/", headers={"host": "situs-lain.example"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in html and "Tidak ada data yang disimpan" in html


def test_a_form_without_its_csrf_token_gets_the_indonesian_explanation(world) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = client.post("/keluar/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Formulir tidak dapat diterima" in html and "Tidak ada yang disimpan" in html
    assert "CSRF verification failed" not in html


def test_the_404_page_is_english_in_english_mode(db, english) -> None:
    html = english_client().get("/tidak-ada/").content.decode()
    assert 'lang="en"' in html and "Page not found" in html
    assert "Halaman tidak ditemukan" not in html


def test_the_403_page_is_english_in_english_mode(world, english) -> None:
    client = english_client()
    client.force_login(world.dave)
    html = client.get("/audit/").content.decode()
    assert 'lang="en"' in html and "Access denied" in html


@pytest.mark.urls(__name__)
def test_the_500_page_is_english_in_english_mode(db, english) -> None:
    html = english_client().get("/boom/").content.decode()
    assert 'lang="en"' in html and "Something went wrong on the server" in html


def test_the_400_page_is_english_in_english_mode(db, english) -> None:
    response = english_client().get("/", headers={"host": "situs-lain.example"})
    html = response.content.decode()
    assert 'lang="en"' in html and "The request could not be processed" in html
