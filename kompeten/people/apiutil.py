"""Helpers for the apps' API routers (`<app>/api.py`): who is calling, scopes, errors, pages.

This module sits in the core layer so that every app's router can use it without importing
`kompeten.api` (the top layer, which holds the NinjaAPI object and the authentication classes).

- `ApiPrincipal`: what `request.auth` is inside an endpoint: the instansi, the scopes and, for a
  logged-in browser session, the user (then the usual scoping helper applies);
- `scope_required("employees:read")`: the check every endpoint starts with;
- `ApiError`: raise it to answer in the one error format
  `{"error": {"code", "message": {"id", "en"}, "details": [...]}}`;
- `ErrorOut`, `ERROR_RESPONSES`: the error schema for the OpenAPI document;
- `Page`, `paginate()`: limit/offset pagination with a maximum page size.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import wraps
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language
from ninja import Path, Query, Schema
from ninja.decorators import decorate_view
from pydantic import AfterValidator, AwareDatetime, Field
from pydantic_core import PydanticCustomError

from kompeten.core import audit
from kompeten.core.models import Instansi, Role, User
from kompeten.core.moments import FIRST_YEAR, LAST_YEAR, in_supported_years
from kompeten.core.params import MAX_ID
from kompeten.people import scoping
from kompeten.people.models import Employee, Unit

FormT = TypeVar("FormT", bound=BaseForm)
ModelT = TypeVar("ModelT", bound=Model)

# The resources a token can be granted, each with a read and a write scope.
RESOURCES: tuple[tuple[str, str, str], ...] = (
    ("employees", "Pegawai", "Employees"),
    ("units", "Unit kerja", "Units"),
    ("programmes", "Program", "Programmes"),
    ("batches", "Angkatan", "Batches"),
    ("sessions", "Sesi", "Sessions"),
    ("enrolments", "Peserta", "Enrolments"),
    ("attendance", "Presensi", "Attendance"),
    ("responses", "Jawaban instrumen", "Instrument responses"),
    ("skm", "Survei kepuasan masyarakat", "SKM responses"),
    ("complaints", "Pengaduan", "Complaints"),
    ("results", "Hasil (IKM, evaluasi, JP)", "Results (IKM, evaluation, JP)"),
)
ACCESS = ("read", "write")


def resource_label(label_id: str, label_en: str) -> str:
    """A resource's name in the reader's language (the API's messages carry both)."""
    return label_en if (get_language() or "").startswith("en") else label_id


ALL_SCOPES: tuple[str, ...] = tuple(f"{r}:{a}" for r, _id, _en in RESOURCES for a in ACCESS)
READ_SCOPES: frozenset[str] = frozenset(s for s in ALL_SCOPES if s.endswith(":read"))


def session_scopes(user: User) -> frozenset[str]:
    """Scopes of a logged-in user calling the API from the browser.

    An admin may read and write everything in the instansi; every other role may read, and the
    scoping helper narrows what they see (their OPD, their reports, themself).
    """
    if user.is_admin:
        return frozenset(ALL_SCOPES)
    if user.role in {r.value for r in Role}:
        return READ_SCOPES
    return frozenset()


@dataclass(frozen=True)
class ApiPrincipal:
    """The caller of an API endpoint: a token of an integration, or a logged-in user."""

    instansi_id: int
    scopes: frozenset[str]
    user: User | None = None
    token_id: int | None = None
    token_name: str = ""
    owner_id: int | None = None  # the admin who created the token (the audit log's actor)

    @property
    def is_token(self) -> bool:
        return self.token_id is not None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def actor(self) -> User | None:
        """Who a write is attributed to: the logged-in user, or the token's owner (creator)."""
        if self.user is not None:
            return self.user
        if self.owner_id is None:
            return None
        return User.objects.filter(pk=self.owner_id).first()

    def employees(self) -> QuerySet[Employee]:
        """Employees this caller may see: the token's whole instansi, or the user's scope."""
        if self.user is not None:
            return scoping.employees_for(self.user)
        return Employee.objects.filter(instansi_id=self.instansi_id)

    def units(self) -> QuerySet[Unit]:
        if self.user is not None:
            return scoping.units_for(self.user)
        return Unit.objects.filter(instansi_id=self.instansi_id)


def bilingual(message_id: str, message_en: str) -> dict[str, str]:
    return {"id": str(message_id), "en": str(message_en)}


class ApiError(Exception):
    """An error answered in the one format. `details` items: {"field", "message": {id, en}}."""

    def __init__(
        self,
        status: int,
        code: str,
        message_id: str,
        message_en: str,
        details: Iterable[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message_en}")
        self.status = status
        self.code = code
        self.message_id = message_id
        self.message_en = message_en
        self.details = list(details)
        self.headers = headers or {}

    def payload(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": bilingual(self.message_id, self.message_en),
                "details": self.details,
            }
        }


def not_found(what_id: str = "Data", what_en: str = "Object") -> ApiError:
    return ApiError(
        404, "not_found", f"{what_id} tidak ditemukan.", f"{what_en} not found.", details=[]
    )


def _english(message: str, field_name: str) -> str:
    """The English text of a Django validation message: its catalogue entry if one exists."""
    with translation.override("en"):
        translated = translation.gettext(message)
    if translated != message:
        return translated
    if field_name and field_name != "__all__":
        return f"The value of '{field_name}' is not valid."
    return "The data is not valid."


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    """Turn an action's ValidationError (Indonesian messages) into error details."""
    details: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    details.append(
                        {
                            "field": field_name,
                            "message": bilingual(message, _english(message, field_name)),
                        }
                    )
    else:
        for message in exc.messages:
            details.append(
                {"field": "__all__", "message": bilingual(message, _english(message, ""))}
            )
    return details


def invalid(details: list[dict[str, Any]]) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        "Data tidak valid; periksa rinciannya.",
        "The data is not valid; see the details.",
        details=details,
    )


def from_validation_error(exc: ValidationError) -> ApiError:
    return invalid(validation_details(exc))


def field_error(name: str, message_id: str, message_en: str) -> ApiError:
    """A 422 error about one input field, with its message in Indonesian and English."""
    return invalid([{"field": name, "message": bilingual(message_id, message_en)}])


@contextmanager
def validation_as_422(renamed: dict[str, str] | None = None) -> Iterator[None]:
    """Answer an action's ValidationError raised inside the block as a 422 in the one format.

    `renamed` maps an action's field names to the API's (`{"parent": "parent_id"}`).
    """
    try:
        yield
    except ValidationError as exc:
        error = from_validation_error(exc)
        for detail in error.details:
            detail["field"] = (renamed or {}).get(detail["field"], detail["field"])
        raise error from None


def validated_form(form_factory: Callable[[], FormT]) -> FormT:
    """Build and validate a Django form; raise a 422 ApiError naming its fields when invalid.

    `form_factory` builds a fresh bound form. Django produces the form's messages in the
    active language, so an invalid form is validated again in English for the `en` texts.
    """
    with translation.override("id"):
        form = form_factory()
        if form.is_valid():
            return form
        errors_id = {k: [str(m) for m in v] for k, v in form.errors.items()}
    with translation.override("en"):
        form_en = form_factory()
        form_en.is_valid()
        errors_en = {k: [str(m) for m in v] for k, v in form_en.errors.items()}
    details = []
    for name, messages in errors_id.items():
        english = errors_en.get(name, [])
        for i, message in enumerate(messages):
            details.append(
                {
                    "field": name,
                    "message": bilingual(message, english[i] if i < len(english) else message),
                }
            )
    raise invalid(details)


def _principal(request: HttpRequest) -> ApiPrincipal:
    principal = getattr(request, "auth", None)
    if not isinstance(principal, ApiPrincipal):
        raise ApiError(
            401,
            "not_authenticated",
            "Autentikasi diperlukan.",
            "Authentication required.",
        )
    return principal


def principal_of(request: HttpRequest) -> ApiPrincipal:
    """The authenticated caller of this request (401 in the error format when there is none)."""
    return _principal(request)


F = TypeVar("F", bound=Callable[..., Any])


def _insufficient(scope: str) -> ApiError:
    return ApiError(
        403,
        "insufficient_scope",
        f"Token ini tidak memiliki izin {scope}.",
        f"This token lacks the scope {scope}.",
        details=[{"field": "scope", "message": bilingual(scope, scope)}],
    )


def _scope_guard(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap ninja's Operation.run so the scope is checked after authentication and BEFORE the
    input is validated (a token without the scope gets 403, never a 422 about the body)."""

    def deco(run: Callable[..., Any]) -> Callable[..., Any]:
        operation = getattr(run, "__self__", None)

        @wraps(run)
        def guarded(request: HttpRequest, **kw: Any) -> Any:
            if operation is not None and operation.auth_callbacks:
                error = operation._run_authentication(request)
                if error is not None:
                    return error
                principal = getattr(request, "auth", None)
                if isinstance(principal, ApiPrincipal) and not principal.has_scope(scope):
                    return operation.api.on_exception(request, _insufficient(scope))
            return run(request, **kw)

        return guarded

    return deco


def record_token_write(request: HttpRequest, principal: ApiPrincipal, scope: str) -> None:
    """Record a write made through a token in the audit log: the token's owner is the actor,
    the integration's name and the call are in the summary and the `after` data."""
    actor = principal.actor()
    audit.record(
        actor=actor,
        action="api.write",
        object_type="api.apitoken",
        object_id=str(principal.token_id),
        summary=f"Token API «{principal.token_name}»: {request.method} {request.path}",
        after={
            "token_id": principal.token_id,
            "integration": principal.token_name,
            "owner_id": principal.owner_id,
            "scope": scope,
            "method": request.method,
            "path": request.path,
        },
        instansi=Instansi.objects.get(pk=principal.instansi_id),
    )


def scope_required(scope: str) -> Callable[[F], F]:
    """Endpoint decorator: answer 403 unless the caller holds `scope` ("employees:read").

    Put it directly under the router's decorator. It also adds the scope to the operation's
    description in the OpenAPI document.
    """
    if scope not in ALL_SCOPES:
        raise ValueError(f"Unknown API scope {scope!r}; known: {', '.join(ALL_SCOPES)}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            principal = _principal(request)
            if not principal.has_scope(scope):  # defence in depth
                raise _insufficient(scope)
            if scope.endswith(":write") and principal.is_token:
                # A write through a token is one transaction with its audit record, so a
                # refused write leaves neither data nor a record behind.
                with transaction.atomic():
                    result = view(request, *args, **kwargs)
                    record_token_write(request, principal, scope)
                return result
            return view(request, *args, **kwargs)

        # ninja resolves string annotations (`from __future__ import annotations`) in the
        # globals of the function it is given: hand it the view's own, evaluated signature.
        wrapped.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        doc = (view.__doc__ or "").strip()
        wrapped.__doc__ = f"{doc}\n\nScope: `{scope}`." if doc else f"Scope: `{scope}`."
        wrapped.required_scope = scope  # type: ignore[attr-defined]
        return decorate_view(_scope_guard(scope))(wrapped)  # type: ignore[return-value]

    return decorator


# --- input types ----------------------------------------------------------------------------

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_OFFSET = 2**31 - 1


def _no_nul(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Use in input schemas, `name: Annotated[str, Field(max_length=150), NoNul]`, and on every
# text query parameter (PostgreSQL cannot compare a NUL: it would be a 500, not a 422).
NoNul = AfterValidator(_no_nul)


def _in_supported_years(value: datetime) -> datetime:
    """Refuse an instant outside core.moments' years, in its own offset or in UTC (a time at
    the edge of what Python holds cannot even be moved to UTC: a 422, not an overflow later)."""
    try:
        ok = in_supported_years(value) and in_supported_years(value.astimezone(UTC))
    except OverflowError:
        ok = False
    if not ok:
        raise PydanticCustomError(
            "datetime_out_of_range",
            "Must lie between the years {first} and {last}",
            {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


def _day_in_supported_years(value: date) -> date:
    if not in_supported_years(value):
        raise PydanticCustomError(
            "date_out_of_range",
            "Must lie between the years {first} and {last}",
            {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


# Use for every instant an API client sends: ISO 8601 with a UTC offset, in the supported years.
ApiDateTime = Annotated[AwareDatetime, AfterValidator(_in_supported_years)]
# And for every calendar day it sends (a batch's dates, a birth date): the same years.
ApiDate = Annotated[date, AfterValidator(_day_in_supported_years)]

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# An object's id in the URL path, and an optional id filter in the query string.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]


# --- schemas --------------------------------------------------------------------------------


class Paging(Schema):
    """Which page of a list: `limit` rows after the first `offset`."""

    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")


class Message(Schema):
    id: str
    en: str


class ErrorDetail(Schema):
    field: str
    message: Message


class ErrorBody(Schema):
    code: str
    message: Message
    details: list[ErrorDetail]


class ErrorOut(Schema):
    """The one error format of the API."""

    error: ErrorBody


ERROR_RESPONSES: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}

T = TypeVar("T")


class Page(Schema, Generic[T]):
    """One page of a list: `count` rows match, `items` holds rows offset … offset+limit-1."""

    count: int
    limit: int
    offset: int
    items: list[T]


def filter_given(qs: QuerySet[ModelT], **lookups: Any) -> QuerySet[ModelT]:
    """Narrow `qs` by each lookup whose value was given (is not None): a list's query filters.

    One `filter()` call: use it for lookups on the row's own fields and foreign keys, where it
    means the same as one call per lookup.
    """
    return qs.filter(**{lookup: value for lookup, value in lookups.items() if value is not None})


def finite(value: Any) -> float | None:
    """A number for JSON: None for a missing value and for NaN or an infinity."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def paginate(qs: QuerySet[Any], page: Paging) -> dict[str, Any]:
    """Slice a queryset into a page dict; `limit` is capped at MAX_PAGE_SIZE."""
    limit = max(1, min(page.limit, MAX_PAGE_SIZE))
    offset = max(0, min(page.offset, MAX_OFFSET))
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": list(qs[offset : offset + limit]),
    }
