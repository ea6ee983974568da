"""The client address behind a trusted proxy: X-Forwarded-For is believed only from a proxy
listed in KOMPETEN_TRUSTED_PROXIES, and then only its right end (what our proxies wrote)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory

from kompeten.core.clientip import check_trusted_proxies, client_ip, parse_networks
from tests.factories import PASSWORD

rf = RequestFactory()


def _ip(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(rf.get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = []
    assert _ip("127.0.0.1", "198.51.100.7") == "127.0.0.1"


def test_from_a_trusted_proxy_the_forwarded_client_counts(settings) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert _ip("127.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert _ip("::1", "2001:db8::5") == "2001:db8::5"


def test_a_client_that_is_not_a_proxy_cannot_choose_its_address(settings) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert _ip("203.0.113.50", "198.51.100.7") == "203.0.113.50"


def test_a_forged_header_behind_the_proxy_only_adds_entries_on_the_left(settings) -> None:
    """nginx's $proxy_add_x_forwarded_for appends the address it saw to what the client sent."""
    settings.KOMPETEN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert _ip("127.0.0.1", "1.2.3.4, 198.51.100.7") == "198.51.100.7"
    assert _ip("127.0.0.1", "127.0.0.1, 198.51.100.7") == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert _ip("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3, 10.9.9.9") == "198.51.100.7"


def test_only_trusted_hops_means_the_left_most_one(settings) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert _ip("127.0.0.1", "10.4.4.4, 10.1.1.1") == "10.4.4.4"
    assert _ip("127.0.0.1") == "127.0.0.1"  # no header at all


def test_junk_where_a_proxy_should_have_written_leaves_the_nearest_proxy(settings) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert _ip("127.0.0.1", "198.51.100.7, not-an-ip, 10.1.1.1") == "10.1.1.1"
    assert _ip("127.0.0.1", "unknown") == "127.0.0.1"


def test_ports_brackets_and_mapped_addresses_are_read_as_proxies_write_them(settings) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert _ip("127.0.0.1", "198.51.100.7:51234") == "198.51.100.7"
    assert _ip("127.0.0.1", "[2001:db8::5]:443") == "2001:db8::5"
    assert _ip("::ffff:127.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert _ip("127.0.0.1", " 198.51.100.7 ,, ") == "198.51.100.7"


def test_a_bad_entry_is_named() -> None:
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        parse_networks(["127.0.0.1", "10.0.0.300"])


def test_a_bad_trusted_proxy_stops_the_start_up() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kompeten.settings", "DEBUG": "true"}
    env["KOMPETEN_TRUSTED_PROXIES"] = "127.0.0.1,nginx"
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "KOMPETEN_TRUSTED_PROXIES: 'nginx' is not an IP address or network" in done.stderr


@pytest.mark.django_db
def test_the_login_lockout_counts_the_forwarded_client(settings, world) -> None:
    """Five wrong passwords from one citizen behind nginx lock that client out of the account;
    the owner, forwarded from another address, still logs in (django-axes asks
    kompeten.core.clientip for the address)."""
    from axes.models import AccessAttempt

    settings.KOMPETEN_TRUSTED_PROXIES = ["127.0.0.1"]

    def login(client_address: str, password: str) -> int:
        return (
            Client()
            .post(
                "/masuk/",
                {"username": "erin", "password": password},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=client_address,
            )
            .status_code
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("198.51.100.66", "salah-salah")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    assert login("198.51.100.66", PASSWORD) == 429
    assert login("198.51.100.67", PASSWORD) == 302


def test_the_deployment_check_warns_when_no_proxy_is_trusted(settings) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = []
    assert [m.id for m in check_trusted_proxies()] == ["kompeten.W001"]
    settings.KOMPETEN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert check_trusted_proxies() == []


def test_the_deployment_check_is_registered() -> None:
    from django.core import checks

    assert check_trusted_proxies in checks.registry.registry.get_checks(
        include_deployment_checks=True
    )
