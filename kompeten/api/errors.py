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

from kompeten.core.moments import FIRST_YEAR, LAST_YEAR
from kompeten.people.apiutil import ApiError, bilingual, from_validation_error, invalid

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
    "timezone_aware": "Waktu harus menyertakan zona waktu (mis. +07:00).",
    "datetime_out_of_range": f"Tahunnya harus antara {FIRST_YEAR} dan {LAST_YEAR}.",
    "date_out_of_range": f"Tahunnya harus antara {FIRST_YEAR} dan {LAST_YEAR}.",
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


def _api_error(request: HttpRequest, exc: ApiError) -> ApiError:
    return exc


def _ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> ApiError:
    return invalid(pydantic_details(list(exc.errors)))


def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> ApiError:
    return from_validation_error(exc)


def _authentication(request: HttpRequest, exc: AuthenticationError) -> ApiError:
    return ApiError(
        401,
        "not_authenticated",
        "Autentikasi diperlukan: kirim header Authorization: Bearer <token>.",
        "Authentication required: send the header Authorization: Bearer <token>.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def _permission(request: HttpRequest, exc: PermissionDenied) -> ApiError:
    return ApiError(403, "forbidden", "Akses ditolak.", "Permission denied.")


def _not_found(request: HttpRequest, exc: Http404) -> ApiError:
    return ApiError(404, "not_found", "Tidak ditemukan.", "Not found.")


def _throttled(request: HttpRequest, exc: Throttled) -> ApiError:
    return ApiError(429, "rate_limited", "Terlalu banyak permintaan.", "Too many requests.")


def _http_error(request: HttpRequest, exc: HttpError) -> ApiError:
    status = exc.status_code
    if status == 403:
        return ApiError(403, "forbidden", "Akses ditolak.", "Permission denied.")
    if status == 404:
        return ApiError(404, "not_found", "Tidak ditemukan.", "Not found.")
    if status == 400:
        return ApiError(400, "bad_request", "Permintaan tidak sah.", "Bad request.")
    return ApiError(status, "http_error", "Permintaan gagal.", str(exc) or "Error.")


def _unreadable(request: HttpRequest, exc: Exception) -> ApiError:
    """What Django refuses to parse: 413 for a body over the limit, 400 otherwise (e.g.
    multipart/form-data without a boundary, too many fields)."""
    if isinstance(exc, RequestDataTooBig):
        id_text, en_text = "Badan permintaan terlalu besar.", "The request body is too large."
        return ApiError(413, "too_large", id_text, en_text)
    if isinstance(exc, MultiPartParserError):
        id_text = f"Badan permintaan multipart tidak dapat dibaca: {exc}."
        en_text = f"The multipart request body cannot be read: {exc}."
    else:
        id_text, en_text = "Permintaan tidak sah.", "Bad request."
    return ApiError(400, "bad_request", id_text, en_text)


def _unexpected(request: HttpRequest, exc: Exception) -> ApiError:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return ApiError(
        500,
        "server_error",
        "Terjadi kesalahan di server; sudah dicatat.",
        "A server error occurred; it has been logged.",
    )


# Exception class → the error it becomes, most specific first (ninja looks handlers up
# along the exception's MRO, so the order only documents intent).
_CONVERTERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], ApiError]]] = [
    (ApiError, _api_error),
    (NinjaValidationError, _ninja_validation),
    (DjangoValidationError, _django_validation),
    (AuthenticationError, _authentication),
    (PermissionDenied, _permission),
    (Http404, _not_found),
    (Throttled, _throttled),
    (HttpError, _http_error),
    (MultiPartParserError, _unreadable),
    (SuspiciousOperation, _unreadable),
    (Exception, _unexpected),
]


def _handler(
    api: NinjaAPI, convert: Callable[[HttpRequest, Any], ApiError]
) -> Callable[[HttpRequest, Any], HttpResponse]:
    def handle(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, convert(request, exc))

    return handle


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api` (replacing ninja's defaults)."""
    for exc_class, convert in _CONVERTERS:
        api.add_exception_handler(exc_class, _handler(api, convert))
