"""The paging of a list page whose filters travel in the query string."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paged(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int
) -> dict[str, Any]:
    """The context of a filtered list's paging: "page", the requested page of `items`, and
    "query", the request's query string without its page (the filters the page links keep)."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
