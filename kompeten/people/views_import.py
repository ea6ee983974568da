"""The employee import's old pages, kept as addresses: the import now runs on the one import
engine's pages (``/impor/employees/``: upload, mapping, preview, pending rows). Every old
address redirects there, for the people who bookmarked it, after the same permission check."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Role
from kompeten.core.permissions import role_required

# Admin BKPSDM (whole instansi) and pengelola OPD (their subtree): the same as the declaration.
import_required = role_required(Role.PENGELOLA)


def _generic_upload() -> str:
    return reverse("imports:upload", kwargs={"key": "employees"})


@import_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    return HttpResponseRedirect(_generic_upload())


@import_required
def import_step(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """An upload started on the old pages is gone: start again on the engine's page."""
    return HttpResponseRedirect(_generic_upload())


import_mapping = import_preview = import_confirm = import_error_report = import_cancel = import_step
