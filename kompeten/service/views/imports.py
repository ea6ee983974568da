"""The old upload page of the service app (``/layanan/impor/``): SKM answers, published SKM
summaries and SP4N-LAPOR! complaints now go through the one import engine's pages
(``/impor/<key>/``: mapping, preview of every problem, pending rows). The URL stays alive as a
redirect, so bookmarks and old links keep working."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Role
from kompeten.core.permissions import role_required

# the generic import pages (kompeten/core/importing), by declaration key
IMPORT_INDEX = "/impor/"


def import_page(key: str = "") -> str:
    return f"{IMPORT_INDEX}{key}/" if key else IMPORT_INDEX


@role_required(Role.PENGELOLA)
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Redirect to the import page asked for (``?jenis=skm|skm_summary|complaints``; the old
    form's ``responses``/``summary`` are understood), else to the index of imports."""
    kind = request.GET.get("jenis") or request.POST.get("kind") or ""
    key = {"responses": "skm", "summary": "skm_summary"}.get(kind, kind)
    if key not in ("skm", "skm_summary", "complaints"):
        key = ""
    return HttpResponseRedirect(import_page(key))
