"""The rows behind a programme report's figures, for its evidence pages.

A report table is an aggregate (a funnel, a mean per aspect, an IKM per window); its evidence
page lists the records it was computed from — the participants, the test scores, the answers,
the follow-ups, the complaints, the SKM questionnaires — one page at a time, and exports them
all as XLSX or CSV. Each source is a queryset of plain tuples scoped by the report model's
:class:`~kompeten.reports.model.RowScope` (the programme, its windows and the service units the
report compared), so an evidence page reads the cached model and two small queries (a count
and one page), never the whole report again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.evaluation.models import (
    Answer,
    FollowUp,
    InstrumentKind,
    Phase,
    RaterRole,
    Response,
    SimulationScore,
)
from kompeten.evaluation.models import Section as ItemSection
from kompeten.learning.models import CostCategory, Session
from kompeten.participation.models import (
    Attendance,
    DeclineReason,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
)
from kompeten.reports.collect import aware
from kompeten.reports.model import RowScope
from kompeten.service.models import (
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    ServiceUnit,
    SkmResponse,
)
from kompeten.service.models import Source as SkmSource
from kompeten.standards import ikm as ikm_std

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class RowSource:
    """One kind of record behind one or more report tables."""

    key: str
    title: StrOrPromise
    headers: tuple[StrOrPromise, ...]
    query: Callable[[RowScope], QuerySet[Any]]
    row: Callable[[RowScope, tuple[Any, ...]], tuple[Any, ...]] = lambda _scope, v: tuple(v)
    note: StrOrPromise = ""

    def rows(self, scope: RowScope, values: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return [self.row(scope, v) for v in values]

    def all_rows(self, scope: RowScope) -> Iterator[tuple[Any, ...]]:
        for values in self.query(scope).iterator(chunk_size=2000):
            yield self.row(scope, values)


def _local(value: datetime | None) -> datetime | None:
    return None if value is None else timezone.localtime(value)


def _label(choices: Any) -> Callable[[str], str]:
    """A code's label, in the language active when it is shown (not at import)."""
    labels = dict(choices)
    return lambda code: str(labels.get(code, code)) if code else ""


STATUS = _label(EnrolmentStatus.choices)
SOURCE = _label(EnrolmentSource.choices)
REASON = _label(DeclineReason.choices)
KIND = _label(InstrumentKind.choices)
PHASE = _label(Phase.choices)
ROLE = _label(RaterRole.choices)
SECTION = _label(ItemSection.choices)
COST = _label(CostCategory.choices)
COMPLAINT_STATUS = _label(ComplaintStatus.choices)
COMPLAINT_CATEGORY = _label(ComplaintCategory.choices)
SKM_SOURCE = _label(SkmSource.choices)


# --- participants ----------------------------------------------------------------------------


def _enrolments(scope: RowScope, declined_only: bool = False) -> QuerySet[Any]:
    present = Attendance.objects.filter(enrolment=OuterRef("pk"), present=True)
    qs = Enrolment.objects.filter(batch__programme_id=scope.programme_id)
    if declined_only:
        qs = qs.filter(status=EnrolmentStatus.DECLINED)
    return (
        qs.annotate(attended=Exists(present))
        .order_by("employee__unit__path", "employee__name", "pk")
        .values_list(
            "employee__name",
            "employee__nip",
            "employee__unit__name",
            "batch__code",
            "source",
            "status",
            "decline_reason",
            "attended",
            "attendance_pct",
            "completed_at",
            "learning_gain",
        )
    )


def _enrolment_row(_scope: RowScope, v: tuple[Any, ...]) -> tuple[Any, ...]:
    name, nip, unit, batch, source, status, reason, attended, pct, completed, gain = v
    return (
        name,
        nip,
        unit,
        batch,
        SOURCE(source),
        STATUS(status),
        REASON(reason),
        bool(attended),
        None if pct is None else float(pct),
        _local(completed),
        None if gain is None else float(gain),
    )


ENROLMENT_HEADERS = (
    _("Nama"),
    "NIP",
    _("Unit kerja"),
    _("Angkatan"),
    _("Sumber"),
    _("Status"),
    _("Alasan menolak"),
    _("Hadir (minimal satu sesi)"),
    _("Kehadiran (%)"),
    _("Selesai pada"),
    _("Gain belajar"),
)

PARTICIPANTS = RowSource(
    "peserta",
    _("Peserta program"),
    ENROLMENT_HEADERS,
    _enrolments,
    _enrolment_row,
)
DECLINES = RowSource(
    "menolak",
    _("Undangan yang ditolak"),
    ENROLMENT_HEADERS,
    lambda s: _enrolments(s, declined_only=True),
    _enrolment_row,
)


# --- evaluation ------------------------------------------------------------------------------


def _scored(kinds: tuple[str, ...]) -> Callable[[RowScope], QuerySet[Any]]:
    def query(scope: RowScope) -> QuerySet[Any]:
        return (
            Response.objects.filter(programme_id=scope.programme_id, kind__in=kinds)
            .order_by("subject__name", "subject_id", "kind", "submitted_at", "pk")
            .values_list(
                "subject__name",
                "subject__nip",
                "batch__code",
                "kind",
                "phase",
                "rater_role",
                "submitted_at",
                "score",
                "max_score",
            )
        )

    return query


def _scored_row(_scope: RowScope, v: tuple[Any, ...]) -> tuple[Any, ...]:
    name, nip, batch, kind, phase, role, submitted, score, max_score = v
    percent = score / max_score * 100 if score is not None and max_score else None
    return (
        name,
        nip,
        batch,
        KIND(kind),
        PHASE(phase),
        ROLE(role),
        _local(submitted),
        score,
        max_score,
        percent,
    )


SCORED_HEADERS = (
    _("Peserta"),
    "NIP",
    _("Angkatan"),
    _("Instrumen"),
    _("Tahap"),
    _("Penilai"),
    _("Dikirim"),
    _("Skor"),
    _("Skor maksimum"),
    _("Skor (%)"),
)

TESTS = RowSource(
    "tes",
    _("Skor pre-test dan post-test per peserta"),
    SCORED_HEADERS,
    _scored((InstrumentKind.PRETEST, InstrumentKind.POSTTEST)),
    _scored_row,
)
BEHAVIOUR = RowSource(
    "perilaku",
    _("Penilaian perilaku (L3) per peserta"),
    SCORED_HEADERS,
    _scored((InstrumentKind.BEHAVIOUR,)),
    _scored_row,
)


def _reaction_answers(scope: RowScope) -> QuerySet[Any]:
    return (
        Answer.objects.filter(
            response__programme_id=scope.programme_id,
            response__kind=InstrumentKind.REACTION,
            value__isnull=False,
        )
        .order_by("response_id", "item__order", "pk")
        .values_list(
            "response_id",
            "response__batch__code",
            "response__submitted_at",
            "item__order",
            "item__section",
            "item__text",
            "trainer__employee__name",
            "trainer__external_name",
            "value",
            "item__instrument__scale_max",
        )
    )


def _reaction_row(_scope: RowScope, v: tuple[Any, ...]) -> tuple[Any, ...]:
    response, batch, submitted, order, section, text, trainer, external, value, scale = v
    return (
        f"#{response}",
        batch,
        _local(submitted),
        order,
        SECTION(section),
        text,
        trainer or external or "",
        value,
        scale,
    )


REACTION = RowSource(
    "reaksi",
    _("Jawaban kuesioner reaksi (L1) per butir"),
    (
        _("Kuesioner"),
        _("Angkatan"),
        _("Dikirim"),
        _("No. butir"),
        _("Aspek"),
        _("Butir"),
        _("Pengajar"),
        _("Jawaban"),
        _("Skala maksimum"),
    ),
    _reaction_answers,
    _reaction_row,
    note=_("Kuesioner reaksi anonim: nomor kuesioner, bukan nama responden."),
)


def _followups(scope: RowScope) -> QuerySet[Any]:
    return (
        FollowUp.objects.filter(
            batch__programme_id=scope.programme_id,
            instrument__kind=InstrumentKind.BEHAVIOUR,
            instrument__phase__in=(Phase.AFTER_3, Phase.AFTER_6),
        )
        .order_by("due_at", "subject__name", "pk")
        .values_list(
            "subject__name",
            "subject__nip",
            "rater__name",
            "rater_role",
            "instrument__phase",
            "due_at",
            "response__submitted_at",
        )
    )


def _followup_row(_scope: RowScope, v: tuple[Any, ...]) -> tuple[Any, ...]:
    subject, nip, rater, role, phase, due, answered = v
    return (subject, nip, rater, ROLE(role), PHASE(phase), _local(due), _local(answered))


FOLLOWUPS = RowSource(
    "tindak_lanjut",
    _("Penilaian perilaku tindak lanjut 3 dan 6 bulan"),
    (
        _("Peserta"),
        "NIP",
        _("Penilai"),
        _("Peran penilai"),
        _("Tahap"),
        _("Jatuh tempo"),
        _("Dijawab pada"),
    ),
    _followups,
    _followup_row,
)


def _simulation_scores(scope: RowScope) -> QuerySet[Any]:
    return (
        SimulationScore.objects.filter(batch__programme_id=scope.programme_id)
        .order_by("module__order", "subject__name", "criterion__order", "pk")
        .values_list(
            "module__title",
            "batch__code",
            "subject__name",
            "subject__nip",
            "observer__employee__name",
            "observer__username",
            "criterion__name",
            "score",
        )
    )


SIMULATION = RowSource(
    "simulasi",
    _("Skor rubrik simulasi per peserta, pengamat dan kriteria"),
    (_("Simulasi"), _("Angkatan"), _("Peserta"), "NIP", _("Pengamat"), _("Kriteria"), _("Skor")),
    _simulation_scores,
    lambda _scope, v: (v[0], v[1], v[2], v[3], v[4] or v[5], v[6], v[7]),
)


# --- delivery and costs ----------------------------------------------------------------------


def _sessions(scope: RowScope) -> QuerySet[Any]:
    return (
        Session.objects.filter(batch__programme_id=scope.programme_id)
        .order_by("start", "pk")
        .values_list("batch__code", "module__title", "start", "end", "location")
    )


SESSIONS = RowSource(
    "sesi",
    _("Sesi per angkatan"),
    (_("Angkatan"), _("Modul"), _("Mulai"), _("Selesai"), _("Tempat")),
    _sessions,
    lambda _scope, v: (v[0], v[1] or "", _local(v[2]), _local(v[3]), v[4]),
)


def _costs(scope: RowScope) -> QuerySet[Any]:
    from kompeten.learning.models import CostItem

    return (
        CostItem.objects.filter(programme_id=scope.programme_id)
        .order_by("category", "pk")
        .values_list("category", "amount", "note")
    )


COSTS = RowSource(
    "biaya",
    _("Rincian biaya program"),
    (_("Kategori"), _("Jumlah (Rp)"), _("Catatan")),
    _costs,
    lambda _scope, v: (COST(v[0]), float(v[1]), v[2]),
)


# --- public service --------------------------------------------------------------------------


def _windows(scope: RowScope) -> list[tuple[str, date, date]]:
    out = []
    if scope.before is not None:
        out.append((str(_("sebelum")), *scope.before))
    if scope.after is not None:
        out.append((str(_("sesudah")), *scope.after))
    return out


def _window_of(scope: RowScope, day: date) -> str:
    return next((name for name, a, b in _windows(scope) if a <= day <= b), "")


def _service_units(scope: RowScope) -> list[int]:
    return [*scope.trained_service_units, *scope.comparison_service_units]


def _in_windows(field: str, scope: RowScope) -> Q:
    parts = [
        Q(**{f"{field}__gte": aware(a), f"{field}__lte": aware(b, True)})
        for _name, a, b in _windows(scope)
    ]
    return reduce(or_, parts) if parts else Q(pk__in=[])


def _complaints(scope: RowScope) -> QuerySet[Any]:
    paths = list(
        ServiceUnit.objects.filter(pk__in=_service_units(scope)).values_list(
            "unit__path", flat=True
        )
    )
    where = reduce(or_, [Q(unit__path__startswith=p) for p in paths if p], Q(pk__in=[]))
    return (
        Complaint.objects.filter(where, _in_windows("received_at", scope))
        .filter(instansi_id=scope.instansi_id)
        .order_by("received_at", "pk")
        .values_list(
            "tracking_number",
            "unit__name",
            "category",
            "status",
            "received_at",
            "closed_at",
        )
    )


def _complaint_row(scope: RowScope, v: tuple[Any, ...]) -> tuple[Any, ...]:
    number, unit, category, status, received, closed = v
    received = _local(received)
    window = "" if received is None else _window_of(scope, received.date())
    return (
        number,
        unit,
        COMPLAINT_CATEGORY(category),
        COMPLAINT_STATUS(status),
        received,
        _local(closed),
        window,
    )


def _skm(scope: RowScope) -> QuerySet[Any]:
    return (
        SkmResponse.objects.filter(
            _in_windows("submitted", scope), service_unit_id__in=_service_units(scope)
        )
        .order_by("submitted", "pk")
        .values_list("pk", "service_unit__name", "service__name", "submitted", "source", "scores")
    )


# an SKM answer's unsur by its stored slug: its place and name in its regulation (the slugs of
# the 2017 and 2004 lists do not overlap)
UNSUR = {
    u.slug: (order, u.name)
    for version in ikm_std.VERSIONS.values()
    for order, u in enumerate(version.unsur)
}


def _answers(scores: dict[str, Any] | None) -> str:
    """A questionnaire's answers as its reader knows them: "Persyaratan 3; Prosedur 4; …", in
    the regulation's order (a slug no list knows is written as stored, after them)."""
    known = sorted(scores or {}, key=lambda k: (UNSUR.get(k, (len(UNSUR), k)), k))
    return "; ".join(f"{UNSUR[k][1] if k in UNSUR else k} {(scores or {})[k]}" for k in known)


def _skm_row(scope: RowScope, v: tuple[Any, ...]) -> tuple[Any, ...]:
    pk, unit, service, submitted, source, scores = v
    submitted = _local(submitted)
    window = "" if submitted is None else _window_of(scope, submitted.date())
    return (f"#{pk}", unit, service or "", submitted, SKM_SOURCE(source), window, _answers(scores))


COMPLAINTS = RowSource(
    "pengaduan",
    _("Pengaduan unit layanan dalam jendela sebelum dan sesudah"),
    (
        _("Nomor"),
        _("Unit kerja"),
        _("Kategori"),
        _("Status"),
        _("Diterima"),
        _("Selesai"),
        _("Jendela"),
    ),
    _complaints,
    _complaint_row,
)
SKM = RowSource(
    "skm",
    _("Kuesioner SKM unit layanan dalam jendela sebelum dan sesudah"),
    (
        _("Kuesioner"),
        _("Unit layanan"),
        _("Jenis layanan"),
        _("Dikirim"),
        _("Sumber"),
        _("Jendela"),
        _("Jawaban"),
    ),
    _skm,
    _skm_row,
    note=_("Kuesioner SKM anonim; jawaban 1–4 per unsur."),
)


# --- which rows stand behind which table -----------------------------------------------------

BY_TABLE: dict[str, RowSource] = {
    "corong_partisipasi": PARTICIPANTS,
    "partisipasi_opd": PARTICIPANTS,
    "alasan_menolak": DECLINES,
    "belajar": TESTS,
    "belajar_angkatan": TESTS,
    "kompetensi_sasaran": TESTS,
    "tujuan": TESTS,
    "reaksi": REACTION,
    "reaksi_butir": REACTION,
    "pengajar": REACTION,
    "perilaku": BEHAVIOUR,
    "tindak_lanjut": FOLLOWUPS,
    "simulasi": SIMULATION,
    "simulasi_kriteria": SIMULATION,
    "angkatan": SESSIONS,
    "biaya": COSTS,
    "roi": COSTS,
    "dampak_ikm": SKM,
    "dampak_ikm_unsur": SKM,
    "dampak_pengaduan": COMPLAINTS,
}


def source_for(slug: str) -> RowSource | None:
    """The records behind the report table ``slug`` (None: the table's own rows are its
    records, e.g. the modules, the proposals or the recommendations)."""
    return BY_TABLE.get(slug)
