"""Bahasa Indonesia is the default whatever the browser asks for.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so a phone set to
English would show a citizen the survey, or an ASN the whole system, in English. Kompeten's
default is Bahasa Indonesia; English is a choice the user makes with the language switch (stored
in the ``django_language`` cookie), so the header is dropped before LocaleMiddleware reads it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IndonesianByDefaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
