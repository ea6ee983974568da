"""Enumerate every URL pattern of the project and request it as a persona."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PLACEHOLDERS = {
    "int": "999999",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "x",
}
CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Url:
    name: str  # "namespace:name"
    route: str  # "pegawai/<int:pk>/"


def all_urls() -> list[Url]:
    found: list[Url] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {prefix}{pattern.pattern}>"
                full = f"{namespace}:{name}" if namespace else name
                found.append(Url(full, prefix + str(pattern.pattern)))

    walk(get_resolver(), "", None)
    return found


def concrete_path(route: str, kwargs: dict[str, Any] | None = None) -> str:
    """The route with each converter replaced by the given value or a placeholder."""
    kwargs = kwargs or {}

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name in kwargs:
            return str(kwargs[name])
        return PLACEHOLDERS.get(match.group("conv") or "str", "x")

    path = CONVERTER.sub(replace, route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + path


def is_denied(response: Any) -> bool:
    """Refused: 401, 403, 404, or a redirect to a login page."""
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (301, 302):
        location = response.get("Location", "")
        return "/masuk/" in location or "/login/" in location
    return False


def request_as(client: Client, method: str, path: str) -> Any:
    """Make the request inside a rolled-back transaction, so probes leave nothing behind.

    The client's cookies are restored afterwards too (a probe of the logout URL must not log
    the persona out for the next probes).
    """
    saved = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        elif method == "POST":
            response = client.post(path, {})
        else:
            response = client.generic(method, path, "{}", content_type="application/json")
        transaction.set_rollback(True)
    client.cookies = saved
    return response
