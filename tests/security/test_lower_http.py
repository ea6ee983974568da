"""HTTP hardening: no-store on every signed-in response and on downloads (public static files
keep caching); sessions end after idle minutes and after a working day at most."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from kompeten.core.middleware_security import NoStoreMiddleware


def _no_store(response) -> bool:
    value = response.get("Cache-Control", "")
    directives = {d.strip().split("=")[0] for d in value.split(",")}
    return "no-store" in directives and "private" in directives and "public" not in directives


@pytest.mark.parametrize(
    "url",
    [
        "home",
        "people:employee_list",
        ("people:employee_export", ["csv"]),
        "learning:proposal_board",
        "participation:my_jp",
    ],
)
def test_every_signed_in_page_and_download_is_no_store(world, client, url):
    client.force_login(world.dave)
    name, args = (url, []) if isinstance(url, str) else url
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert _no_store(response), (name, response.get("Cache-Control"))


def test_the_api_answers_a_session_no_store(world, client):
    client.force_login(world.bob)
    response = client.get(f"/api/employees/{world.dave_emp.pk}")
    assert response.status_code == 200 and _no_store(response)


def _through_no_store(path: str, user, response: HttpResponse) -> HttpResponse:
    request = RequestFactory().get(path)
    request.user = user
    return NoStoreMiddleware(lambda r: response)(request)


def test_a_download_without_a_session_is_no_store_too(db):
    download = HttpResponse(b"%PDF", content_type="application/pdf")
    download["Content-Disposition"] = 'attachment; filename="sertifikat.pdf"'
    assert _no_store(_through_no_store("/sertifikat/x.pdf", AnonymousUser(), download))


def test_a_public_page_without_a_session_is_left_as_its_view_set_it(db):
    page = HttpResponse("ok")
    page["Cache-Control"] = "public, max-age=60"
    assert _through_no_store("/s/x/", AnonymousUser(), page)["Cache-Control"] == (
        "public, max-age=60"
    )


def test_public_static_files_keep_caching(world):
    static = HttpResponse(b"body{}", content_type="text/css")
    static["Cache-Control"] = "max-age=315360000, public, immutable"
    answered = _through_no_store(settings.STATIC_URL + "css/app.abc123.css", world.dave, static)
    assert answered["Cache-Control"] == "max-age=315360000, public, immutable"
    # and WhiteNoise answers static files before the session is even read
    mw = settings.MIDDLEWARE
    assert mw.index("whitenoise.middleware.WhiteNoiseMiddleware") < mw.index(
        "kompeten.core.middleware_security.NoStoreMiddleware"
    )


# --- sessions -------------------------------------------------------------------------------


def test_the_session_cookie_lasts_a_working_day_not_two_weeks():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.KOMPETEN_SESSION_IDLE_MINUTES == 30


def test_an_idle_session_ends_and_says_why(world, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(world.dave)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # active: still signed in
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # 29 min after the last request
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "tidak ada aktivitas" in page.content.decode()


def test_the_idle_limit_is_configurable(world, client, settings):
    settings.KOMPETEN_SESSION_IDLE_MINUTES = 5
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(world.dave)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(minutes=6))
        assert client.get(reverse("home")).status_code == 302


def test_an_idle_api_session_gets_401(world, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(world.bob)
        assert client.get("/api/employees").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get("/api/employees").status_code == 401
