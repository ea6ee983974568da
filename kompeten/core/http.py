"""Typed request for authenticated views."""

from __future__ import annotations

from django.http import HttpRequest

from kompeten.core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
