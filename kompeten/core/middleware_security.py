"""Security middleware: no caching of personal data, and sessions that end when left idle.

`NoStoreMiddleware` marks every response to a signed-in user (pages, htmx fragments, API
answers, exports) and every download (`Content-Disposition: attachment`) with
`Cache-Control: no-store, private`, so that neither the browser's disk cache nor a proxy keeps
personal data. Public static files never reach it (WhiteNoise answers first) and keep their
long cache; public pages (the survey, the login page) are left as their views set them.

`NulCharacterMiddleware` answers a page request whose query string or form carries a NUL
character with the 400 page: no browser sends one, PostgreSQL cannot store or even compare
one (a search for it is a DataError, a 500), and Django's form fields already refuse it; this
covers the values views read by hand. The API checks its own inputs (`NoNul`) and answers in
its own error format, so `/api/` is left to it.

`IdleSessionMiddleware` signs a user out after `KOMPETEN_SESSION_IDLE_MINUTES` without a
request (default 30; 0 turns it off), whatever the cookie's age (`SESSION_COOKIE_AGE`, a working
day). The last activity is kept in the session, written at most once a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "kompeten_last_seen"
# The last-activity stamp is rewritten only when older than this (seconds): not a session
# write on every request.
TOUCH_EVERY = 60


class NulInRequest(SuspiciousOperation):
    """A query string or form value with a NUL character (answered with the 400 page)."""


class NulCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            for params in (request.GET, request.POST):
                for name, values in params.lists():
                    if "\x00" in name or any("\x00" in value for value in values):
                        raise NulInRequest(f"NUL character in the request parameter {name!r}")
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        static_url = settings.STATIC_URL or "/static/"
        if request.path.startswith(static_url if static_url.startswith("/") else "/" + static_url):
            return response
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        download = response.get("Content-Disposition", "").lower().startswith("attachment")
        if (signed_in or download) and "no-store" not in response.get("Cache-Control", ""):
            # merged into what the view set; "private" drops a "public"
            patch_cache_control(response, no_store=True, private=True)
        return response


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        idle_minutes = int(getattr(settings, "KOMPETEN_SESSION_IDLE_MINUTES", 30))
        if user is not None and user.is_authenticated and idle_minutes > 0:
            now = time.time()
            last = request.session.get(LAST_SEEN_KEY)
            if isinstance(last, int | float) and now - last > idle_minutes * 60:
                logout(request)
                messages.info(
                    request,
                    _(
                        "Sesi Anda berakhir karena tidak ada aktivitas selama %(minutes)d "
                        "menit. Silakan masuk lagi."
                    )
                    % {"minutes": idle_minutes},
                )
            elif not isinstance(last, int | float) or now - last >= TOUCH_EVERY:
                request.session[LAST_SEEN_KEY] = int(now)
        return self.get_response(request)


def stamp_login(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """user_logged_in receiver: the idle clock starts at the login."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())
