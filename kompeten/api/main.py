"""The Kompeten REST API: one NinjaAPI object, mounted at /api/ in kompeten/urls.py.

Each app keeps its router in `<app>/api.py` and registers it here with ONE line in `ROUTERS`
(prefix, dotted path). The routers are imported by path, so this module is the only place that
knows them all, and an app never imports `kompeten.api` (the top layer): it uses
`kompeten.people.apiutil` for scopes, errors and pagination. See docs/api.md.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.utils.module_loading import import_string
from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger

from kompeten.api import errors
from kompeten.api.auth import SessionAuth, TokenAuth

ROUTERS: list[tuple[str, str]] = [
    ("/employees", "kompeten.people.api.employees_router"),
    ("/units", "kompeten.people.api.units_router"),
    ("/programmes", "kompeten.learning.api.programmes_router"),
    ("/batches", "kompeten.learning.api.batches_router"),
    ("/sessions", "kompeten.learning.api.sessions_router"),
    ("/enrolments", "kompeten.participation.api.enrolments_router"),
    ("/attendance", "kompeten.participation.api.attendance_router"),
    ("/jp-compliance", "kompeten.participation.api.jp_router"),
    ("/responses", "kompeten.evaluation.api.responses_router"),
    ("/evaluations", "kompeten.evaluation.api.evaluations_router"),
    ("/skm", "kompeten.service.api.skm_router"),
    ("/complaints", "kompeten.service.api.complaints_router"),
    ("/ikm", "kompeten.service.api.ikm_router"),
]

DESCRIPTION = """\
API Kompeten untuk integrasi (kios SKM, aplikasi e-SKM, ekspor SIASN/LAPOR!).

Kirim `Authorization: Bearer <token>`; token dibuat oleh admin BKPSDM di menu Integrasi, dengan
izin per sumber daya (baca/tulis) dan masa berlaku. Semua galat memakai satu format:
`{"error": {"code", "message": {"id", "en"}, "details": [...]}}`.

The Kompeten API for integrations. Send `Authorization: Bearer <token>`; tokens are created by
the BKPSDM admin with read/write scopes per resource and an expiry. Every error uses one format
(above), with Indonesian and English messages. Lists are paginated with `limit` and `offset`.
"""


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Kompeten API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api",
        auth=[TokenAuth(), SessionAuth()],
        docs=Swagger(settings={"persistAuthorization": False}),
        docs_url="/docs",
        openapi_url="/openapi.json",
        # Swagger UI (served from our own static files, no CDN) sets inline styles; its
        # scripts stay 'self' only. The rest of the site keeps the strict policy.
        docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
    )
    errors.install(api)
    for prefix, dotted in ROUTERS:
        router = import_string(dotted)
        if not isinstance(router, Router):
            raise TypeError(f"{dotted} is not a ninja Router")
        api.add_router(prefix, router)
    return api


api = build_api()
