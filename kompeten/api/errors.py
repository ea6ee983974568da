"""One error format for the whole API, with Indonesian and English messages:

    {"error": {"code": "validation_error",
               "message": {"id": "Data tidak valid; …", "en": "The data is not valid; …"},
               "details": [{"field": "nip", "message": {"id": "…", "en": "…"}}]}}

Registered on the NinjaAPI object for validation errors (422), authentication (401),
permission (403), not found (404), rate limits (429), bodies Django cannot parse (400, or 413
when too large) and unexpected errors (500, logged).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from kompeten.core.apiutil import ApiError, bilingual, from_validation_error, invalid

logger = logging.getLogger("kompeten.api")

# Indonesian wording of pydantic's error types (the English text comes from pydantic itself).
PYDANTIC_ID = {
    "missing": "Wajib diisi.",
    "string_type": "Harus berupa teks.",
    "string_too_short": "Terlalu pendek.",
    "string_too_long": "Terlalu panjang.",
    "string_pattern_mismatch": "Formatnya tidak sesuai.",
    "int_type": "Harus bilangan bulat.",
    "int_parsing": "Harus bilangan bulat.",
    "int_from_float": "Harus bilangan bulat.",
    "float_type": "Harus angka.",
    "float_parsing": "Harus angka.",
    "bool_type": "Harus true atau false.",
    "bool_parsing": "Harus true atau false.",
    "date_type": "Harus tanggal (TTTT-BB-HH).",
    "date_parsing": "Harus tanggal (TTTT-BB-HH).",
    "date_from_datetime_parsing": "Harus tanggal (TTTT-BB-HH).",
    "date_from_datetime_inexact": "Harus tanggal tanpa jam.",
    "datetime_type": "Harus tanggal dan jam (ISO 8601).",
    "datetime_parsing": "Harus tanggal dan jam (ISO 8601).",
    "datetime_from_date_parsing": "Harus tanggal dan jam (ISO 8601).",
    "greater_than": "Nilainya terlalu kecil.",
    "greater_than_equal": "Nilainya terlalu kecil.",
    "less_than": "Nilainya terlalu besar.",
    "less_than_equal": "Nilainya terlalu besar.",
    "literal_error": "Pilihan tidak dikenal.",
    "enum": "Pilihan tidak dikenal.",
    "list_type": "Harus berupa daftar.",
    "dict_type": "Harus berupa objek.",
    "model_attributes_type": "Harus berupa objek.",
    "model_type": "Harus berupa objek.",
    "json_invalid": "Badan permintaan bukan JSON yang sah.",
    "extra_forbidden": "Kolom ini tidak dikenal.",
    "value_error": "Nilai tidak sah.",
}
LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in (loc or ()) if str(p) not in LOCATIONS]
    # ninja nests the body under the parameter name (e.g. ["body", "payload", "nip"]).
    if len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def pydantic_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    details = []
    for error in errors:
        kind = str(error.get("type", ""))
        english = str(error.get("msg", "Invalid value"))
        details.append(
            {
                "field": _field_name(error.get("loc")),
                "message": bilingual(PYDANTIC_ID.get(kind, "Nilai tidak sah."), english),
            }
        )
    return details


def _respond(api: NinjaAPI, request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = api.create_response(request, exc.payload(), status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api` (replacing ninja's defaults)."""

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _respond(api, request, exc)

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return _respond(api, request, invalid(pydantic_details(list(exc.errors))))

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return _respond(api, request, from_validation_error(exc))

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _respond(
            api,
            request,
            ApiError(
                401,
                "not_authenticated",
                "Autentikasi diperlukan: kirim header Authorization: Bearer <token>.",
                "Authentication required: send the header Authorization: Bearer <token>.",
                headers={"WWW-Authenticate": "Bearer"},
            ),
        )

    def on_permission(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _respond(
            api, request, ApiError(403, "forbidden", "Akses ditolak.", "Permission denied.")
        )

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _respond(api, request, ApiError(404, "not_found", "Tidak ditemukan.", "Not found."))

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return _respond(
            api,
            request,
            ApiError(429, "rate_limited", "Terlalu banyak permintaan.", "Too many requests."),
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if status == 403:
            error = ApiError(403, "forbidden", "Akses ditolak.", "Permission denied.")
        elif status == 404:
            error = ApiError(404, "not_found", "Tidak ditemukan.", "Not found.")
        elif status == 400:
            error = ApiError(400, "bad_request", "Permintaan tidak sah.", "Bad request.")
        else:
            error = ApiError(status, "http_error", "Permintaan gagal.", str(exc) or "Error.")
        return _respond(api, request, error)

    def on_unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        """What Django refuses to parse: 413 for a body over the limit, 400 otherwise (e.g.
        multipart/form-data without a boundary, too many fields)."""
        if isinstance(exc, RequestDataTooBig):
            id_text, en_text = "Badan permintaan terlalu besar.", "The request body is too large."
            return _respond(api, request, ApiError(413, "too_large", id_text, en_text))
        if isinstance(exc, MultiPartParserError):
            id_text = f"Badan permintaan multipart tidak dapat dibaca: {exc}."
            en_text = f"The multipart request body cannot be read: {exc}."
        else:
            id_text, en_text = "Permintaan tidak sah.", "Bad request."
        return _respond(api, request, ApiError(400, "bad_request", id_text, en_text))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        return _respond(
            api,
            request,
            ApiError(
                500,
                "server_error",
                "Terjadi kesalahan di server; sudah dicatat.",
                "A server error occurred; it has been logged.",
            ),
        )

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (ApiError, on_api_error),
        (NinjaValidationError, on_ninja_validation),
        (DjangoValidationError, on_django_validation),
        (AuthenticationError, on_authentication),
        (PermissionDenied, on_permission),
        (Http404, on_not_found),
        (Throttled, on_throttled),
        (HttpError, on_http_error),
        (MultiPartParserError, on_unreadable),
        (SuspiciousOperation, on_unreadable),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
