"""API routers for programmes, batches and sessions (registered in kompeten/api/main.py).

Reads go through the learning queries' scope (`queries.programmes_for`: admin and pimpinan see
every programme, other roles the published and final ones; a token sees its whole instansi);
the programme list uses the catalogue page's filter form. Writes (programme status, new batches,
batch status, sessions) call the learning actions; their Indonesian ValidationErrors become 422
responses in the one error format.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kompeten.learning import queries
from kompeten.learning.actions import batches as batch_actions
from kompeten.learning.actions import programmes as programme_actions
from kompeten.learning.forms import MAX_CAPACITY, ProgrammeFilterForm, filter_programmes
from kompeten.learning.models import (
    Batch,
    BatchStatus,
    Competency,
    LearningType,
    Module,
    ModuleKind,
    Programme,
    ProgrammeStatus,
    Session,
    Trainer,
)
from kompeten.people.apiutil import (
    ERROR_RESPONSES,
    ApiDate,
    ApiDateTime,
    ApiPrincipal,
    Id,
    IdFilter,
    NoNul,
    Page,
    Paging,
    PathId,
    field_error,
    filter_given,
    not_found,
    paginate,
    principal_of,
    scope_required,
    validated_form,
    validation_as_422,
)

programmes_router = Router(tags=["programmes"])
batches_router = Router(tags=["batches"])
sessions_router = Router(tags=["sessions"])

ProgrammeStatusCode = Literal["draft", "published", "final", "archived"]
BatchStatusCode = Literal["planned", "open", "running", "done", "cancelled"]
ModuleKindCode = Literal["teori", "praktik", "simulasi"]
if TYPE_CHECKING:
    LearningTypeCode = str
else:  # the learning types grow with the regulations: follow the model's choices
    LearningTypeCode = Literal[tuple(LearningType.values)]

assert set(ProgrammeStatusCode.__args__) == set(ProgrammeStatus.values)  # type: ignore[attr-defined]
assert set(BatchStatusCode.__args__) == set(BatchStatus.values)  # type: ignore[attr-defined]
assert set(ModuleKindCode.__args__) == set(ModuleKind.values)  # type: ignore[attr-defined]


# --- scope ------------------------------------------------------------------------------------


def programmes_of(principal: ApiPrincipal) -> QuerySet[Programme]:
    """Programmes the caller may read (the catalogue's scope for a user; a token: its instansi)."""
    if principal.user is not None:
        return queries.programmes_for(principal.user)
    return Programme.objects.filter(instansi_id=principal.instansi_id)


def batches_of(principal: ApiPrincipal) -> QuerySet[Batch]:
    return Batch.objects.filter(programme__in=programmes_of(principal))


def sessions_of(principal: ApiPrincipal) -> QuerySet[Session]:
    return Session.objects.filter(batch__in=batches_of(principal))


# --- schemas ----------------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: int
    code: str
    title: str
    description: str
    objectives: list[str]
    learning_type: str
    total_jp: float
    status: str
    year: int | None
    target_jabatan_kinds: list[str]
    n_modules: int
    n_batches: int

    @staticmethod
    def resolve_objectives(obj: Programme) -> list[str]:
        return obj.objective_list

    @staticmethod
    def resolve_total_jp(obj: Programme) -> float:
        return float(obj.total_jp)

    @staticmethod
    def resolve_target_jabatan_kinds(obj: Programme) -> list[str]:
        kinds = obj.target_jabatan_kinds
        return [str(k) for k in kinds] if isinstance(kinds, list) else []


class BatchOut(Schema):
    id: int
    programme_id: int
    programme_code: str = Field(alias="programme.code")
    code: str
    name: str
    capacity: int
    location: str
    online_link: str
    start_date: date
    end_date: date
    status: str


class SessionOut(Schema):
    id: int
    batch_id: int
    module_id: int | None
    module_title: str | None
    start: datetime
    end: datetime
    location: str
    trainer_id: int | None

    @staticmethod
    def resolve_module_title(obj: Session) -> str | None:
        return obj.module.title if obj.module is not None else None


class ProgrammeStatusIn(Schema):
    status: ProgrammeStatusCode


class BatchStatusIn(Schema):
    status: BatchStatusCode


class BatchIn(Schema):
    """A new batch (angkatan) of a programme; validated by the same action as the page."""

    programme_id: Id
    code: Annotated[str, Field(min_length=1, max_length=40), NoNul]
    name: Annotated[str, Field(min_length=1, max_length=100), NoNul]
    capacity: Annotated[int, Field(ge=1, le=MAX_CAPACITY)]
    start_date: ApiDate
    end_date: ApiDate
    location: Annotated[str, Field(max_length=200), NoNul] = ""
    online_link: Annotated[str, Field(max_length=200), NoNul] = ""
    trainer_ids: Annotated[list[Id], Field(max_length=50)] = []


class SessionIn(Schema):
    start: ApiDateTime
    end: ApiDateTime
    module_id: Id | None = None
    trainer_id: Id | None = None
    location: Annotated[str, Field(max_length=200), NoNul] = ""


class SessionsIn(Schema):
    sessions: Annotated[list[SessionIn], Field(min_length=1, max_length=100)]


# --- helpers ----------------------------------------------------------------------------------


def _programme_rows(qs: QuerySet[Programme]) -> QuerySet[Programme]:
    return (
        qs.distinct()
        .annotate(
            n_modules=Count("modules", distinct=True), n_batches=Count("batches", distinct=True)
        )
        .order_by("code")
    )


def _get_programme(request: HttpRequest, programme_id: int) -> Programme:
    programme = _programme_rows(
        programmes_of(principal_of(request)).filter(pk=programme_id)
    ).first()
    if programme is None:
        raise not_found("Program", "Programme")
    return programme


def _batch_rows(qs: QuerySet[Batch]) -> QuerySet[Batch]:
    return qs.select_related("programme").order_by("start_date", "code", "id")


def _get_batch(request: HttpRequest, batch_id: int) -> Batch:
    batch = _batch_rows(batches_of(principal_of(request)).filter(pk=batch_id)).first()
    if batch is None:
        raise not_found("Angkatan", "Batch")
    return batch


def _session_rows(qs: QuerySet[Session]) -> QuerySet[Session]:
    return qs.select_related("module").order_by("start", "id")


def _trainers(principal: ApiPrincipal, ids: list[int], field_name: str) -> dict[int, Trainer]:
    found = {t.pk: t for t in Trainer.objects.filter(instansi_id=principal.instansi_id, pk__in=ids)}
    missing = sorted(set(ids) - set(found))
    if missing:
        text = ", ".join(str(i) for i in missing)
        raise field_error(
            field_name, f"Pengajar tidak dikenal: {text}.", f"Unknown trainer(s): {text}."
        )
    return found


# --- programmes -------------------------------------------------------------------------------


@programmes_router.get("", response={200: Page[ProgrammeOut], **ERROR_RESPONSES})
@scope_required("programmes:read")
def list_programmes(
    request: HttpRequest,
    page: Query[Paging],
    q: Annotated[
        str | None, Query(description="Title, code or description.", max_length=200), NoNul
    ] = None,
    learning_type: LearningTypeCode | None = None,
    status: ProgrammeStatusCode | None = None,
    competency: IdFilter = None,
    module_kind: ModuleKindCode | None = None,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
) -> Any:
    """Programmes, filtered like the catalogue page (/program/)."""
    principal = principal_of(request)
    if q and "\x00" in q:
        raise field_error("q", "Teks pencarian tidak sah.", "Invalid search text.")
    data = {
        "q": q or "",
        "learning_type": learning_type or "",
        "status": status or "",
        "competency": competency or "",
        "module_kind": module_kind or "",
        "year": year or "",
    }
    competencies = Competency.objects.filter(instansi_id=principal.instansi_id, is_active=True)
    form = validated_form(lambda: ProgrammeFilterForm(data, competencies=competencies))
    qs = filter_programmes(programmes_of(principal), form.cleaned_data)
    return paginate(_programme_rows(qs), page)


@programmes_router.get("/{programme_id}", response={200: ProgrammeOut, **ERROR_RESPONSES})
@scope_required("programmes:read")
def get_programme(request: HttpRequest, programme_id: PathId) -> Any:
    """One programme by id."""
    return _get_programme(request, programme_id)


@programmes_router.post("/{programme_id}/status", response={200: ProgrammeOut, **ERROR_RESPONSES})
@scope_required("programmes:write")
def set_programme_status(
    request: HttpRequest,
    programme_id: PathId,
    payload: ProgrammeStatusIn,
) -> Any:
    """Publish, finalise or archive a programme (the same readiness checks as the page)."""
    principal = principal_of(request)
    programme = _get_programme(request, programme_id)
    with validation_as_422():
        programme_actions.do_set_programme_status(
            programme, status=payload.status, actor=principal.actor()
        )
    return _get_programme(request, programme_id)


# --- batches ----------------------------------------------------------------------------------


@batches_router.get("", response={200: Page[BatchOut], **ERROR_RESPONSES})
@scope_required("batches:read")
def list_batches(
    request: HttpRequest,
    page: Query[Paging],
    programme: IdFilter = None,
    status: BatchStatusCode | None = None,
    starts_from: Annotated[date | None, Query(description="Start date on or after.")] = None,
    starts_until: Annotated[date | None, Query(description="Start date on or before.")] = None,
) -> Any:
    """Batches (angkatan) of the programmes the caller may read, by start date."""
    qs = batches_of(principal_of(request))
    qs = filter_given(
        qs,
        programme_id=programme,
        status=status,
        start_date__gte=starts_from,
        start_date__lte=starts_until,
    )
    return paginate(_batch_rows(qs), page)


@batches_router.get("/{batch_id}", response={200: BatchOut, **ERROR_RESPONSES})
@scope_required("batches:read")
def get_batch(request: HttpRequest, batch_id: PathId) -> Any:
    """One batch by id."""
    return _get_batch(request, batch_id)


@batches_router.post("", response={201: BatchOut, **ERROR_RESPONSES})
@scope_required("batches:write")
def create_batch(request: HttpRequest, payload: BatchIn) -> Any:
    """Open a new batch of a programme (the same validation as the page)."""
    principal = principal_of(request)
    programme = programmes_of(principal).filter(pk=payload.programme_id).first()
    if programme is None:
        raise field_error("programme_id", "Program tidak dikenal.", "Unknown programme.")
    trainers = _trainers(principal, list(payload.trainer_ids), "trainer_ids")
    data = batch_actions.BatchInput(
        code=payload.code,
        name=payload.name,
        capacity=payload.capacity,
        start_date=payload.start_date,
        end_date=payload.end_date,
        location=payload.location,
        online_link=payload.online_link,
        trainers=list(trainers.values()),
    )
    with validation_as_422():
        batch = batch_actions.do_create_batch(programme, data=data, actor=principal.actor())
    return Status(201, _get_batch(request, batch.pk))


@batches_router.post("/{batch_id}/status", response={200: BatchOut, **ERROR_RESPONSES})
@scope_required("batches:write")
def set_batch_status(request: HttpRequest, batch_id: PathId, payload: BatchStatusIn) -> Any:
    """Change a batch's status (planned, open, running, done, cancelled)."""
    principal = principal_of(request)
    batch = _get_batch(request, batch_id)
    with validation_as_422():
        batch_actions.do_set_batch_status(batch, status=payload.status, actor=principal.actor())
    return _get_batch(request, batch_id)


@batches_router.post("/{batch_id}/sessions", response={201: list[SessionOut], **ERROR_RESPONSES})
@scope_required("sessions:write")
def add_sessions(request: HttpRequest, batch_id: PathId, payload: SessionsIn) -> Any:
    """Add sessions to a batch, all or none (inside the batch's dates, trainers free).
    Times must carry a UTC offset, e.g. 2026-03-02T08:00:00+07:00."""
    principal = principal_of(request)
    batch = _get_batch(request, batch_id)
    trainers = _trainers(
        principal, [s.trainer_id for s in payload.sessions if s.trainer_id], "sessions"
    )
    module_ids = {s.module_id for s in payload.sessions if s.module_id}
    modules = {
        m.pk: m for m in Module.objects.filter(programme_id=batch.programme_id, pk__in=module_ids)
    }
    missing = sorted(module_ids - set(modules))
    if missing:
        text = ", ".join(str(i) for i in missing)
        raise field_error(
            "sessions",
            f"Modul bukan bagian dari program angkatan ini: {text}.",
            f"Module(s) not part of this batch's programme: {text}.",
        )
    rows = [
        batch_actions.SessionInput(
            start=s.start,
            end=s.end,
            module=modules.get(s.module_id) if s.module_id else None,
            trainer=trainers.get(s.trainer_id) if s.trainer_id else None,
            location=s.location,
        )
        for s in payload.sessions
    ]
    with validation_as_422():
        created = batch_actions.do_add_sessions(batch, sessions=rows, actor=principal.actor())
    return Status(201, list(_session_rows(Session.objects.filter(pk__in=[s.pk for s in created]))))


# --- sessions ---------------------------------------------------------------------------------


@sessions_router.get("", response={200: Page[SessionOut], **ERROR_RESPONSES})
@scope_required("sessions:read")
def list_sessions(
    request: HttpRequest,
    page: Query[Paging],
    batch: IdFilter = None,
    programme: IdFilter = None,
    starts_from: Annotated[date | None, Query(description="On or after this day.")] = None,
    starts_until: Annotated[date | None, Query(description="On or before this day.")] = None,
) -> Any:
    """Sessions of the batches the caller may read, in time order."""
    qs = sessions_of(principal_of(request))
    qs = filter_given(
        qs,
        batch_id=batch,
        batch__programme_id=programme,
        start__date__gte=starts_from,
        start__date__lte=starts_until,
    )
    return paginate(_session_rows(qs), page)


@sessions_router.get("/{session_id}", response={200: SessionOut, **ERROR_RESPONSES})
@scope_required("sessions:read")
def get_session(request: HttpRequest, session_id: PathId) -> Any:
    """One session by id."""
    session = _session_rows(sessions_of(principal_of(request)).filter(pk=session_id)).first()
    if session is None:
        raise not_found("Sesi", "Session")
    return session
