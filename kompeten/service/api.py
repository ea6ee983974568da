"""API routers for SKM responses, complaint imports and IKM results (see kompeten/api/main.py).

- `POST /skm/responses`: a kiosk or another survey app sends one anonymous response; it goes
  through `do_submit_skm_response` (the public form's action: scores validated per unsur, the
  rollups updated in the same transaction). `GET /skm/service-units` tells the app the ids, the
  services and the unsur keys to send.
- `POST /complaints/import`: an SP4N-LAPOR! export (CSV/XLSX) → `do_import_complaints`, all rows
  or none; every problem (row, column, reason) comes back as a detail of the one error format.
- `GET /ikm`: IKM per service unit for a period, from the rollups (`queries.ikm_rows`), never
  from raw responses; the IKM page's filters (year, month range, weight).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from kompeten.core.models import Instansi
from kompeten.core.permissions import can_read_ikm
from kompeten.people.apiutil import (
    ERROR_RESPONSES,
    ApiDateTime,
    ApiPrincipal,
    Id,
    IdFilter,
    NoNul,
    field_error,
    finite,
    from_validation_error,
    principal_of,
    scope_required,
    validated_form,
    validation_as_422,
)
from kompeten.service import queries
from kompeten.service.actions import do_import_complaints, do_submit_skm_response
from kompeten.service.forms import IkmFilterForm
from kompeten.service.models import (
    Service,
    ServiceUnit,
    Sex,
    Source,
)
from kompeten.service.versions import engine_version, version_label

skm_router = Router(tags=["skm"])
complaints_router = Router(tags=["complaints"])
ikm_router = Router(tags=["results"])

SexCode = Literal["L", "P", ""]
SourceCode = Literal["kiosk", "form"]
assert set(SexCode.__args__) == {*Sex.values, ""}  # type: ignore[attr-defined]
assert set(SourceCode.__args__) <= set(Source.values)  # type: ignore[attr-defined]
WeightCode = Literal["exact", "0.111"]
IMPORT_EXTENSIONS = (".csv", ".xlsx", ".xls", ".ods")
# What the respondent tells about themself and the channel: passed to the action as sent.
RESPONDENT_FIELDS = {
    "sex",
    "age_group",
    "education",
    "occupation",
    "suggestion",
    "ticket",
    "source",
}


def service_units_of(principal: ApiPrincipal) -> QuerySet[ServiceUnit]:
    """Service units the caller may read (the IKM pages' scope; a token: its instansi)."""
    if principal.user is not None:
        return queries.service_units_for(principal.user)
    return ServiceUnit.objects.filter(instansi_id=principal.instansi_id)


def ikm_units_of(principal: ApiPrincipal) -> QuerySet[ServiceUnit]:
    """Service units whose IKM the caller may read: the IKM pages' rule (admin, pengelola and
    pimpinan within their scope; a pegawai or atasan none); a token: its instansi."""
    if principal.user is not None and not can_read_ikm(principal.user):
        return ServiceUnit.objects.none()
    return service_units_of(principal)


# --- schemas ----------------------------------------------------------------------------------


class ServiceOut(Schema):
    id: int
    code: str
    name: str


class UnsurOut(Schema):
    key: str
    name: str


class ServiceUnitOut(Schema):
    id: int
    code: str
    name: str
    unit_id: int
    version: str
    regulation: str
    requires_ticket: bool
    services: list[ServiceOut]
    unsur: list[UnsurOut]


ScoreValue = Annotated[int, Field(ge=-(2**31), le=2**31)] | Annotated[str, Field(max_length=10)]


class SkmResponseIn(Schema):
    """One anonymous SKM response. `scores` maps each unsur key (or its name) to 1–4."""

    service_unit_id: Id
    scores: Annotated[dict[Annotated[str, Field(max_length=100)], ScoreValue], Field(max_length=30)]
    service_id: Id | None = None
    sex: SexCode = ""
    age_group: Annotated[str, Field(max_length=10), NoNul] = ""
    education: Annotated[str, Field(max_length=10), NoNul] = ""
    occupation: Annotated[str, Field(max_length=20), NoNul] = ""
    suggestion: Annotated[str, Field(max_length=2000), NoNul] = ""
    ticket: Annotated[str, Field(max_length=40), NoNul] = ""
    source: SourceCode = "kiosk"
    submitted: ApiDateTime | None = Field(
        None, description="When the respondent answered (ISO 8601 with offset); default now."
    )


class SkmResponseOut(Schema):
    id: int
    service_unit_id: int
    service_id: int | None
    month: date
    submitted: datetime
    version: str


class ImportOut(Schema):
    imported: int


class IkmUnsurOut(Schema):
    key: str
    name: str
    n: int
    nrr: float | None


class IkmRowOut(Schema):
    service_unit_id: int
    service_unit_name: str
    version: str
    regulation: str
    n_responses: int
    ikm: float | None
    ikm_unit: float | None
    mutu: str
    kinerja: str
    problem: str
    unsur: list[IkmUnsurOut]


class IkmOut(Schema):
    period_start: date
    period_end: date
    weight: str
    items: list[IkmRowOut]


# --- SKM ----------------------------------------------------------------------------------------


@skm_router.get("/service-units", response={200: list[ServiceUnitOut], **ERROR_RESPONSES})
@scope_required("skm:read")
def list_service_units(request: HttpRequest) -> Any:
    """Active service units with their services and the unsur keys a response must answer."""
    units = list(
        service_units_of(principal_of(request))
        .filter(is_active=True)
        .prefetch_related("services")
        .order_by("name", "id")
    )
    out = []
    for su in units:
        version = engine_version(su.version_id)
        out.append(
            {
                "id": su.pk,
                "code": su.code,
                "name": su.name,
                "unit_id": su.unit_id,
                "version": su.version_id,
                "regulation": version_label(su.version_id),
                "requires_ticket": su.requires_ticket,
                "services": [
                    {"id": s.pk, "code": s.code, "name": s.name}
                    for s in su.services.all()
                    if s.is_active
                ],
                "unsur": [{"key": u.slug, "name": u.name} for u in version.unsur],
            }
        )
    return out


@skm_router.post("/responses", response={201: SkmResponseOut, **ERROR_RESPONSES})
@scope_required("skm:write")
def submit_skm_response(request: HttpRequest, payload: SkmResponseIn) -> Any:
    """Accept one anonymous SKM response from a kiosk or another survey app (the public
    form's action and checks; the rollups are updated at once)."""
    principal = principal_of(request)
    su = ServiceUnit.objects.filter(
        instansi_id=principal.instansi_id, pk=payload.service_unit_id
    ).first()
    if su is None:
        raise field_error("service_unit_id", "Unit layanan tidak dikenal.", "Unknown service unit.")
    service = None
    if payload.service_id is not None:
        service = Service.objects.filter(service_unit=su, pk=payload.service_id).first()
        if service is None:
            raise field_error(
                "service_id",
                "Jenis layanan bukan milik unit layanan ini.",
                "The service does not belong to this service unit.",
            )
    with validation_as_422():
        response = do_submit_skm_response(
            service_unit=su,
            scores={str(k): v for k, v in payload.scores.items()},
            service=service,
            submitted=payload.submitted,
            **payload.model_dump(include=RESPONDENT_FIELDS),
        )
    return Status(
        201,
        {
            "id": response.pk,
            "service_unit_id": su.pk,
            "service_id": service.pk if service is not None else None,
            "month": response.month,
            "submitted": response.submitted,
            "version": response.version,
        },
    )


# --- complaints ---------------------------------------------------------------------------------


@complaints_router.post("/import", response={201: ImportOut, **ERROR_RESPONSES})
@scope_required("complaints:write")
def import_complaints(request: HttpRequest, file: UploadedFile | None = File(None)) -> Any:  # noqa: B008
    """Import an SP4N-LAPOR! export (CSV or XLSX, multipart field `file`, required): all rows
    or none. Each problem is a detail naming the row, the column and the reason."""
    principal = principal_of(request)
    if file is None:
        raise field_error(
            "file",
            "Wajib diisi: kirim berkas CSV atau XLSX di kolom `file`.",
            "Required: send a CSV or XLSX file in the field `file`.",
        )
    name = file.name or ""
    if not name.lower().endswith(IMPORT_EXTENSIONS):
        raise field_error(
            "file",
            "Berkas harus CSV atau XLSX.",
            "The file must be CSV or XLSX.",
        )
    limit = int(settings.KOMPETEN_MAX_UPLOAD_BYTES)
    if file.size is not None and file.size > limit:
        mb = limit // (1024 * 1024)
        raise field_error("file", f"Berkas melebihi {mb} MB.", f"The file is larger than {mb} MB.")
    data = file.read(limit + 1)
    if len(data) > limit:
        mb = limit // (1024 * 1024)
        raise field_error("file", f"Berkas melebihi {mb} MB.", f"The file is larger than {mb} MB.")
    instansi = Instansi.objects.get(pk=principal.instansi_id)
    try:
        n = do_import_complaints(instansi, data, name, actor=principal.actor())
    except ValidationError as exc:
        error = from_validation_error(exc)
        for detail in error.details:
            if detail["field"] == "__all__":
                detail["field"] = "file"
        raise error from None
    return Status(201, {"imported": n})


# --- IKM ----------------------------------------------------------------------------------------


@ikm_router.get("", response={200: IkmOut, **ERROR_RESPONSES})
@scope_required("results:read")
def ikm_results(
    request: HttpRequest,
    year: Annotated[int | None, Query(ge=2017, le=2030, description="Default: this year.")] = None,
    month_from: Annotated[int, Query(ge=1, le=12)] = 1,
    month_to: Annotated[int, Query(ge=1, le=12)] = 12,
    weight: WeightCode = "exact",
    service_unit: IdFilter = None,
) -> Any:
    """IKM per service unit for the months `month_from`..`month_to` of `year`, from the
    rollups (the IKM page's figures; unrounded)."""
    principal = principal_of(request)
    data = {
        "year": str(year or timezone.localdate().year),
        "month_from": str(month_from),
        "month_to": str(month_to),
        "weight": weight,
    }
    form = validated_form(lambda: IkmFilterForm(data))
    cd = form.cleaned_data
    if cd["month_to"] < cd["month_from"]:
        raise field_error(
            "month_to",
            "Bulan akhir tidak boleh sebelum bulan awal.",
            "The last month must not be before the first.",
        )
    start, end = date(cd["year"], cd["month_from"], 1), date(cd["year"], cd["month_to"], 1)
    units_qs = ikm_units_of(principal)
    if service_unit is not None:
        units_qs = units_qs.filter(pk=service_unit)
    units = {su.pk: su for su in units_qs.order_by("name", "id")}
    if service_unit is not None and not units:
        raise field_error("service_unit", "Unit layanan tidak dikenal.", "Unknown service unit.")
    rows = queries.ikm_rows(
        units,
        start,
        end,
        weight_mode=cd["weight"],
        populations={pk: su.population for pk, su in units.items()},
        with_margin=False,
    )
    items = []
    for row in rows:
        su = units[row.key[0]]
        r = row.result
        items.append(
            {
                "service_unit_id": su.pk,
                "service_unit_name": su.name,
                "version": row.version,
                "regulation": row.version_label,
                "n_responses": row.n_responses,
                "ikm": finite(r.ikm) if r else None,
                "ikm_unit": finite(r.ikm_unit) if r else None,
                "mutu": r.mutu if r else "",
                "kinerja": r.kinerja if r else "",
                "problem": row.problem,
                "unsur": [
                    {"key": u["slug"], "name": u["name"], "n": u["n"], "nrr": finite(u["nrr"])}
                    for u in row.unsur_rows()
                ],
            }
        )
    return {"period_start": start, "period_end": end, "weight": cd["weight"], "items": items}
