"""Helpers shared by the participation views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def can_manage(user: object) -> bool:
    return bool(getattr(user, "is_admin", False) or getattr(user, "is_pengelola", False))
