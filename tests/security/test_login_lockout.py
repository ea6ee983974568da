"""The login identity is normalised once, for the lookup and the lockout; the lockout holds per
account from one client, per client, and per account from all clients (docs/security.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.core.accounts import find_login_user, normalise_login
from kompeten.core.models import Role
from kompeten.people import actions
from tests.factories import PASSWORD

LOGIN = reverse("login")
X, Y, Z = "10.0.0.1", "10.0.0.2", "10.0.0.3"


@pytest.fixture(autouse=True)
def fresh_axes(settings, db):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.KOMPETEN_LOCKOUT_CLIENT_LIMIT = 20
    settings.KOMPETEN_LOCKOUT_ACCOUNT_LIMIT = 20
    reset()
    yield
    reset()


def login(client, username: str, password: str = PASSWORD, ip: str = X):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(response) -> bool:
    return response.status_code == 302


def spellings(nip: str) -> list[str]:
    return [
        nip,
        f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
        f"{nip[:8]}.{nip[8:14]}.{nip[14]}.{nip[15:]}",
        f"{nip[:8]}-{nip[8:14]}-{nip[14]}-{nip[15:]}",
        f"  {nip[:4]} {nip[4:]}\t",
    ]


# -- the identity ----------------------------------------------------------------------------


def test_every_printed_spelling_of_a_nip_is_its_digits() -> None:
    nip = "198109172013011001"
    assert {normalise_login(s) for s in spellings(nip)} == {nip}


def test_usernames_are_case_folded_and_keep_their_dots() -> None:
    assert normalise_login("  Pengelola.Dukcapil ") == "pengelola.dukcapil"
    assert normalise_login("ADMIN") == "admin"


def test_each_nip_spelling_and_username_case_reaches_the_account(world) -> None:
    for spelling in spellings(world.dave_emp.nip):
        assert find_login_user(spelling) == world.dave
    assert find_login_user("CaRoL") == world.carol
    assert find_login_user("nobody") is None


def test_a_username_differing_only_in_case_cannot_be_created(world) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_create_user(
            instansi=world.instansi, username="Carol", password=PASSWORD, role=Role.PEGAWAI
        )
    assert "Nama pengguna Carol sudah dipakai" in str(caught.value)


def test_a_nip_with_dots_and_a_username_in_capitals_log_in(world, client) -> None:
    assert logged_in(login(client, spellings(world.dave_emp.nip)[2]))
    client.logout()
    assert logged_in(login(client, "CAROL"))


# -- one account from one client -------------------------------------------------------------


def test_every_spelling_of_one_nip_shares_the_failure_count(world, client) -> None:
    for spelling in spellings(world.dave_emp.nip):  # five failures, five spellings
        assert not logged_in(login(client, spelling, "salah"))
    response = login(client, world.dave_emp.nip)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_username_cases_share_the_failure_count(world, client) -> None:
    for spelling in ("erin", "ERIN", "Erin", " erin", "eRiN"):
        login(client, spelling, "salah")
    assert login(client, "erin").status_code == 429


def test_an_account_locked_from_one_client_still_opens_from_another(world, client) -> None:
    for _ in range(5):
        login(client, "erin", "salah", ip=X)
    assert login(client, "erin", ip=X).status_code == 429
    assert logged_in(login(client, "erin", ip=Y))


def test_a_client_hammering_a_locked_account_does_not_lock_the_owner_out(world, client) -> None:
    # tries refused by the lockout are not failures: 40 from one client stay 5 for the account
    for _ in range(40):
        login(client, "erin", "salah", ip=X)
    assert login(client, "erin", ip=X).status_code == 429
    assert logged_in(login(client, "erin", ip=Y))


# -- one account from every client -----------------------------------------------------------


def test_an_account_guessed_from_many_clients_is_refused_to_every_client(world, client) -> None:
    clients = [f"10.1.0.{i}" for i in range(1, 5)]
    for ip in clients:  # 4 clients x 5 = 20 failures: the account's own limit
        for _ in range(5):
            login(client, world.dave_emp.nip_display, "salah", ip=ip)
    response = login(client, world.dave_emp.nip, ip=Z)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_below_the_account_limit_another_client_still_logs_in(world, client) -> None:
    for ip in ("10.1.0.1", "10.1.0.2", "10.1.0.3"):  # 15 failures
        for _ in range(5):
            login(client, world.dave_emp.nip, "salah", ip=ip)
    assert logged_in(login(client, world.dave_emp.nip, ip=Z))


# -- one client, many accounts ---------------------------------------------------------------


def _spray(client, ip: str, failures: int) -> None:
    """`failures` wrong passwords from one client, spread over accounts so that no account
    reaches its own limit from this client."""
    names = ["bob", "carol", "pia", "alice", "dave", "erin"]
    for i in range(failures):
        login(client, names[i % len(names)], "salah", ip=ip)


def test_a_client_spraying_many_accounts_is_refused_everywhere(world, client) -> None:
    _spray(client, X, 20)
    assert login(client, "mallory", ip=X).status_code == 429
    assert logged_in(login(client, "mallory", ip=Y))


def test_logging_into_ones_own_account_does_not_clear_the_clients_count(world, client) -> None:
    _spray(client, X, 19)
    assert logged_in(login(client, "mallory", ip=X))
    client.logout()
    login(client, "bob", "salah", ip=X)  # the 20th failure from X
    assert login(client, "erin", ip=X).status_code == 429


def test_a_success_clears_the_accounts_own_count(world, client) -> None:
    for _ in range(4):
        login(client, "erin", "salah", ip=X)
    assert logged_in(login(client, "erin", ip=X))
    client.logout()
    for _ in range(4):
        login(client, "erin", "salah", ip=X)
    assert logged_in(login(client, "erin", ip=X))


# -- behind the documented proxy -------------------------------------------------------------


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(
    world, client, settings
) -> None:
    settings.KOMPETEN_TRUSTED_PROXIES = ["127.0.0.1"]

    def via_proxy(username: str, password: str, forwarded_for: str):
        return client.post(
            LOGIN,
            {"username": username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for spelling in spellings(world.dave_emp.nip):
        via_proxy(spelling, "salah", "203.0.113.7")
    assert via_proxy(world.dave_emp.nip, PASSWORD, "203.0.113.7").status_code == 429
    # the owner, elsewhere in the city, is not locked out by that client
    assert logged_in(via_proxy(world.dave_emp.nip, PASSWORD, "198.51.100.20"))
    # the owner's login elsewhere does not give that client new tries, and forging the header
    # does not escape its count: the proxy appends the real address
    client.logout()
    forged = via_proxy(world.dave_emp.nip, PASSWORD, "198.51.100.20, 203.0.113.7")
    assert forged.status_code == 429


@pytest.mark.parametrize("path", [LOGIN, "/django-admin/login/"])
def test_an_overlong_login_is_refused_and_counted_not_a_database_error(client, path) -> None:
    """axes keeps the login in a 255-character column; 5,000 characters typed at either login
    form was a DataError on PostgreSQL. It is cut to the longest login there can be."""
    from axes.models import AccessAttempt

    from kompeten.core.accounts import axes_username

    typed = "a" * 5000
    response = client.post(path, {"username": typed, "password": "x"}, REMOTE_ADDR=X)
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    # Kompeten's own form refuses it before authenticating; the admin's counts a failure
    stored = list(AccessAttempt.objects.filter(ip_address=X).values_list("username", flat=True))
    assert stored == ([] if path == LOGIN else ["a" * 150])
    assert axes_username(None, {"username": typed}) == "a" * 150
