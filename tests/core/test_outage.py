"""A database outage answers 503 "Layanan sedang tidak tersedia" with Retry-After, not a 500.

The real outage (a PostgreSQL database refusing connections under a separate gunicorn process)
is exercised end to end in tests/service/test_spool.py::test_a_real_postgresql_outage_…
"""

from __future__ import annotations

from collections.abc import Callable
from unittest import mock

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    c = Client(raise_request_exception=False)
    if user is not None:
        c.force_login(user)
    return c


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_view_that_loses_the_database_answers_503(world, error) -> None:
    client = _client(world.alice)
    with mock.patch("kompeten.people.views_site.scoping.employees_for", side_effect=error("down")):
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Layanan sedang tidak tersedia" in body
    assert "Silakan muat ulang halaman ini dalam 30 detik." in body


def test_the_retry_after_is_configurable(world) -> None:
    client = _client(world.alice)
    with (
        override_settings(KOMPETEN_OUTAGE_RETRY_AFTER=120),
        mock.patch(
            "kompeten.people.views_site.scoping.employees_for", side_effect=OperationalError("down")
        ),
    ):
        response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "120"


class _BrokenSessionMiddleware:
    """Stands for a middleware (sessions, the login lockout) that reads the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise OperationalError("connection refused")


def test_an_outage_inside_another_middleware_is_a_503_too(settings) -> None:
    index = settings.MIDDLEWARE.index("kompeten.core.outage.DatabaseOutageMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: index + 1],
        f"{__name__}._BrokenSessionMiddleware",
        *settings.MIDDLEWARE[index + 1 :],
    ]
    response = _client().get("/masuk/")
    assert response.status_code == 503
    assert "Layanan sedang tidak tersedia" in response.content.decode()


def test_the_api_and_health_get_a_json_503() -> None:
    from kompeten.core.outage import outage_response

    request = HttpRequest()
    request.path = "/api/v1/employees"
    response = outage_response(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json"
    assert b"Layanan sedang tidak tersedia" in response.content
    assert b"Service unavailable" in response.content


def test_other_errors_stay_500(world) -> None:
    client = _client(world.alice)
    with mock.patch(
        "kompeten.people.views_site.scoping.employees_for", side_effect=IntegrityError("a bug")
    ):
        assert client.get("/").status_code == 500


def test_health_reports_the_database_down_with_503(django_assert_max_num_queries) -> None:
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("could not connect to server")
    # at most the worker heartbeat's query (which may fail too)
    with mock.patch("kompeten.core.views.connection", broken), django_assert_max_num_queries(1):
        response = _client().get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
    assert response["Retry-After"] == "30"


def test_health_is_200_when_the_database_answers(django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(2):
        response = _client().get("/health")
    assert response.status_code == 200 and response.json()["checks"]["database"] == "ok"
    assert "Retry-After" not in response


def test_the_outage_page_needs_no_database(django_assert_num_queries) -> None:
    from kompeten.core.outage import outage_response

    request = HttpRequest()
    request.path = "/layanan/"
    with django_assert_num_queries(0):
        response = outage_response(request)
    assert response.status_code == 503 and b"Layanan sedang tidak tersedia" in response.content


@pytest.mark.django_db(transaction=True)
def test_work_on_a_kept_connection_skips_the_probe_and_is_retried_once_when_stale() -> None:
    from django.db import connections

    from kompeten.core.outage import without_probe

    connection = connections["default"]
    connection.ensure_connection()
    connection.health_check_done = False  # as at the start of a request
    work = mock.Mock(side_effect=[OperationalError("server closed the connection"), 7])
    with mock.patch.object(type(connection), "is_usable", side_effect=AssertionError("probe")):
        assert without_probe(work) == 7
    assert work.call_count == 2


@pytest.mark.django_db(transaction=True)
def test_work_on_a_new_connection_is_not_retried() -> None:
    from django.db import connections

    from kompeten.core.outage import without_probe

    work = mock.Mock(side_effect=OperationalError("refused"))
    # (no connection open yet: SQLite's in-memory test database never really closes)
    with (
        mock.patch.object(connections["default"], "connection", None),
        pytest.raises(OperationalError),
    ):
        without_probe(work)
    assert work.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_work_inside_a_transaction_is_not_retried() -> None:
    from django.db import connection, transaction

    from kompeten.core.outage import without_probe

    work = mock.Mock(side_effect=OperationalError("gone"))
    with transaction.atomic():
        connection.ensure_connection()
        with pytest.raises(OperationalError):
            without_probe(work)
    assert work.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_failure_is_an_outage() -> None:
    from django.db import connection

    from kompeten.core.outage import without_probe

    connection.ensure_connection()
    work = mock.Mock(side_effect=OperationalError("down"))
    with pytest.raises(OperationalError):
        without_probe(work)
    assert work.call_count == 2
