"""Behind the documented proxy every limit counts the forwarded client, not the proxy: the
public survey (after validation), the certificate check, and refused API tokens."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kompeten.participation.views import incentives
from kompeten.service.models import SkmResponse
from tests.api.helpers import assert_error
from tests.service.helpers import form_post, make_service_unit

pytestmark = pytest.mark.django_db

NGINX = {"REMOTE_ADDR": "127.0.0.1"}


def _from(client_address: str) -> dict[str, str]:
    return {**NGINX, "HTTP_X_FORWARDED_FOR": client_address}


@pytest.fixture(autouse=True)
def _behind_nginx(settings) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = ["127.0.0.1", "::1"]


def test_each_citizen_behind_the_proxy_has_their_own_survey_quota(world, settings) -> None:
    settings.KOMPETEN_SKM_RATE_LIMIT = "2/600"
    su = make_service_unit(world.alfa)
    url = f"/survei/{su.code}/"
    flood = [Client().post(url, form_post(), **_from("198.51.100.1")).status_code for _ in range(4)]
    neighbour = Client().post(url, form_post(), **_from("198.51.100.2")).status_code
    assert flood == [302, 302, 429, 429]
    assert neighbour == 302
    assert SkmResponse.objects.count() == 3


def test_a_forged_forwarded_header_does_not_buy_a_new_quota(world, settings) -> None:
    settings.KOMPETEN_SKM_RATE_LIMIT = "2/600"
    su = make_service_unit(world.alfa)
    url = f"/survei/{su.code}/"
    statuses = [
        Client()
        .post(url, form_post(), **_from(f"10.0.0.{i}, 198.51.100.1"))  # left part forged
        .status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 429, 429]


def test_without_the_proxy_setting_everyone_behind_nginx_shares_one_bucket(world, settings) -> None:
    """The shared bucket the audit found, kept as the baseline: the setting is what fixes it."""
    settings.KOMPETEN_TRUSTED_PROXIES = []
    settings.KOMPETEN_SKM_RATE_LIMIT = "2/600"
    su = make_service_unit(world.alfa)
    url = f"/survei/{su.code}/"
    statuses = [
        Client().post(url, form_post(), **_from(f"198.51.100.{i}")).status_code for i in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_junk_answers_do_not_use_up_a_citizens_quota(world, settings) -> None:
    """Ten junk POSTs (a missing answer, the honeypot filled) from the citizen's own address,
    then the citizen's real answer is still accepted."""
    settings.KOMPETEN_SKM_RATE_LIMIT = "2/600"
    su = make_service_unit(world.alfa)
    url = f"/survei/{su.code}/"
    incomplete = form_post()
    del incomplete[next(k for k in incomplete if k.startswith("u_"))]
    junk = [Client().post(url, incomplete, **_from("198.51.100.5")).status_code for _ in range(5)]
    junk += [
        Client().post(url, form_post(situs_web="http://spam"), **_from("198.51.100.5")).status_code
        for _ in range(5)
    ]
    assert junk == [400] * 10
    real = Client().post(url, form_post(), **_from("198.51.100.5"))
    assert real.status_code == 302
    assert SkmResponse.objects.count() == 1


def test_the_certificate_check_limits_each_forwarded_client(monkeypatch) -> None:
    monkeypatch.setattr(incentives, "VERIFY_LIMIT", 2)
    url = reverse("certificate_verify", args=["KOTA-U-2026-P-999999-ABCDEF"])
    flood = [Client().get(url, **_from("198.51.100.8")).status_code for _ in range(3)]
    other = Client().get(url, **_from("198.51.100.9")).status_code
    assert flood == [404, 404, 429]
    assert other == 404


def test_refused_api_tokens_are_limited_per_forwarded_client(world, settings) -> None:
    settings.KOMPETEN_API_AUTH_FAILURE_RATE_LIMIT = "3/60"
    client = Client()
    guesses = [
        client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer kpt_guess{i}", **_from("203.0.113.4"))
        for i in range(4)
    ]
    assert [r.status_code for r in guesses] == [401, 401, 401, 429]
    error = assert_error(guesses[-1], 429, "rate_limited")
    assert "token yang ditolak" in error["message"]["id"]
    assert int(guesses[-1]["Retry-After"]) >= 1
    other = client.get("/api/units", HTTP_AUTHORIZATION="Bearer kpt_guess", **_from("203.0.113.5"))
    assert other.status_code == 401
