"""A database outage answers 503 ("Layanan sedang tidak tersedia") with Retry-After, not a 500.

:class:`DatabaseOutageMiddleware` is the outermost middleware. A view that raises
``django.db.OperationalError`` or ``InterfaceError`` (the server is down, restarting, refusing
connections, or the connection broke mid-request) is answered by ``process_exception``. An outage
that surfaces in another middleware (the session or the login lockout reading the database) is
turned into a 500 by Django before it reaches us; the ``got_request_exception`` receiver marks the
request so that the middleware swaps that 500 for the same 503 page.

The page is rendered without a request context: no context processor, no user, no session,
nothing that would need the database again. The public survey keeps working through an outage on
its own (kompeten/service/spool.py); this is for every other page.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
T = TypeVar("T")
_MARK = "_kompeten_database_outage"
_LOG_EVERY_SECONDS = 10.0
_last_logged = [0.0]


def is_database_outage(exc: BaseException | None) -> bool:
    """True for the errors of an unavailable database (not for a bad query or a constraint)."""
    return isinstance(exc, DATABASE_ERRORS)


def without_probe(work: Callable[[], T]) -> T:
    """Run ``work`` without the connection health check's extra round trip (the SELECT 1 that
    CONN_HEALTH_CHECKS sends before the first query of a request). A connection kept from an
    earlier request that turns out stale (the database restarted since) fails the first
    statement before the server saw it; ``work`` is then run once more on a fresh connection.
    A second failure is a real outage and is raised. ``work`` must be one transaction, so that
    a failed first try left nothing behind."""
    reused = connection.connection is not None and not connection.in_atomic_block
    if reused:
        connection.health_check_done = True  # type: ignore[attr-defined]  # (Django's own flag)
    try:
        return work()
    except DATABASE_ERRORS:
        if not reused:
            raise
        connection.close()
        return work()


def retry_after() -> int:
    return int(getattr(settings, "KOMPETEN_OUTAGE_RETRY_AFTER", 30))


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API and /health, an Indonesian page for everything else."""
    seconds = retry_after()
    response: HttpResponse
    if request.path.startswith("/api/") or request.path.startswith("/health"):
        response = JsonResponse(
            {
                "status": "error",
                "detail": "Layanan sedang tidak tersedia: basis data tidak dapat dihubungi.",
                "detail_en": "Service unavailable: the database cannot be reached.",
            },
            status=503,
        )
    else:
        html = render_to_string("core/outage.html", {"retry_after": seconds})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def log_outage(exc: BaseException | None, where: str = "answering 503") -> None:
    now = time.monotonic()
    if now - _last_logged[0] >= _LOG_EVERY_SECONDS:  # one line per 10 s, not one per request
        _last_logged[0] = now
        logger.error("database unavailable, %s: %s", where, exc)


def _mark_request(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    exc = sys.exc_info()[1]
    if request is not None and is_database_outage(exc):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark_request, dispatch_uid="kompeten.core.outage")


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as exc:  # pragma: no cover - Django converts these first
            log_outage(exc)
            return outage_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            log_outage(None)
            return outage_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            log_outage(exception)
            return outage_response(request)
        return None
