"""SP4N-LAPOR! time limits (PermenPANRB 62/2018; UU 25/2009; Perpres 76/2013), in working days.

=================================================  =====  ==========
stage or category                                  limit  confidence
=================================================  =====  ==========
verification / first response                      3      HIGH
information request or simple complaint            5      MED
complaint without field examination                14     MED
complaint needing field examination                60     MED
=================================================  =====  ==========

Working days per :mod:`kompeten.standards.workdays` (received Friday, answered Monday = 1). The
due date is the ``limit``-th working day after receipt; an item is **met** when closed on or
before it, **breached** when closed after it *or still open after it* (an open item past due can
no longer meet the limit), and **open** while still open and not yet past due. For time-to-
resolution statistics treat open items as censored (Kaplan–Meier), never drop them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from kompeten.standards._tables import (
    Confidence,
    LabelledStrEnum,
    RegulationTable,
    check_confidence,
    head_from_dict,
)
from kompeten.standards.local_time import JAKARTA
from kompeten.standards.workdays import WorkCalendar, default_calendar


class SlaState(LabelledStrEnum):
    MET = "met", "Tepat waktu"
    BREACHED = "breached", "Melewati batas"
    OPEN = "open", "Dalam proses"


@dataclass(frozen=True)
class SlaLimit:
    slug: str
    label: str
    working_days: int
    confidence: Confidence

    def __post_init__(self) -> None:
        check_confidence(self.confidence)
        if self.working_days < 0:
            raise ValueError(f"{self.slug}: working_days must not be negative")


@dataclass(frozen=True)
class SlaTable(RegulationTable):
    """Time limits per stage/category (editable)."""

    limits: Mapping[str, SlaLimit]

    def __post_init__(self) -> None:
        super().__post_init__()
        self._freeze_keyed("limits", lambda x: x.slug, "limit keyed {key!r} has slug {own!r}")

    def get(self, category: str) -> SlaLimit:
        try:
            return self.limits[category]
        except KeyError:
            known = ", ".join(self.limits)
            raise ValueError(
                f"Kategori SLA {category!r} tidak dikenal (yang ada: {known})"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head_dict(),
            "limits": [
                {
                    "slug": x.slug,
                    "label": x.label,
                    "working_days": x.working_days,
                    "confidence": x.confidence,
                }
                for x in self.limits.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlaTable:
        limits = [
            SlaLimit(
                slug=str(x["slug"]),
                label=str(x["label"]),
                working_days=int(x["working_days"]),
                confidence=check_confidence(x["confidence"]),
            )
            for x in data["limits"]
        ]
        return cls(
            **head_from_dict(data),
            limits={x.slug: x for x in limits},
        )


VERIFICATION = "verifikasi"
INFORMATION = "informasi"
WITHOUT_FIELD_EXAMINATION = "tanpa_pemeriksaan_lapangan"
WITH_FIELD_EXAMINATION = "dengan_pemeriksaan_lapangan"

LAPOR_SLA = SlaTable(
    regulation="PermenPANRB Nomor 62 Tahun 2018 (pengelolaan pengaduan pelayanan publik, "
    "SP4N-LAPOR!); UU 25/2009; Perpres 76/2013",
    effective_from=date(2018, 1, 1),
    confidence="MED",
    limits={
        VERIFICATION: SlaLimit(VERIFICATION, "Verifikasi / tanggapan pertama", 3, "HIGH"),
        INFORMATION: SlaLimit(
            INFORMATION, "Permintaan informasi atau pengaduan sederhana", 5, "MED"
        ),
        WITHOUT_FIELD_EXAMINATION: SlaLimit(
            WITHOUT_FIELD_EXAMINATION, "Pengaduan tanpa pemeriksaan lapangan", 14, "MED"
        ),
        WITH_FIELD_EXAMINATION: SlaLimit(
            WITH_FIELD_EXAMINATION, "Pengaduan dengan pemeriksaan lapangan", 60, "MED"
        ),
    },
)


def jakarta_date(moment: date | datetime) -> date:
    """The Asia/Jakarta calendar date of a moment. Naive datetimes are refused."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("naive datetime: give a timezone-aware datetime (Asia/Jakarta)")
        return moment.astimezone(JAKARTA).date()
    return moment


@dataclass(frozen=True)
class SlaStatus:
    category: str
    limit_working_days: int
    received: date
    due: date
    closed: date | None
    elapsed_working_days: int
    state: SlaState
    is_closed: bool
    confidence: Confidence


def sla_status(
    received: date | datetime,
    closed: date | datetime | None,
    category: str,
    calendar: WorkCalendar | None = None,
    *,
    as_of: date | datetime | None = None,
    table: SlaTable = LAPOR_SLA,
) -> SlaStatus:
    """Due date, elapsed working days and state of one complaint (or stage).

    ``closed`` is when it was responded to / closed, ``None`` while open; then ``as_of`` (today,
    Asia/Jakarta) is required. Datetimes must be timezone-aware; they are read as Asia/Jakarta
    dates.
    """
    limit = table.get(category)
    cal = calendar or default_calendar()
    received_day = jakarta_date(received)
    due = cal.add_working_days(received_day, limit.working_days)
    closed_day: date | None = None
    if closed is not None:
        closed_day = jakarta_date(closed)
        if closed_day < received_day:
            raise ValueError("closed before it was received")
        elapsed = cal.working_days_between(received_day, closed_day)
        state = SlaState.MET if elapsed <= limit.working_days else SlaState.BREACHED
    else:
        if as_of is None:
            raise ValueError("as_of is required for an item still open")
        as_of_day = jakarta_date(as_of)
        elapsed = max(0, cal.working_days_between(received_day, as_of_day))
        state = SlaState.BREACHED if elapsed > limit.working_days else SlaState.OPEN
    return SlaStatus(
        category=limit.slug,
        limit_working_days=limit.working_days,
        received=received_day,
        due=due,
        closed=closed_day,
        elapsed_working_days=elapsed,
        state=state,
        is_closed=closed_day is not None,
        confidence=limit.confidence,
    )


@dataclass(frozen=True)
class SlaBatch:
    """Vectorised SLA states: arrays aligned with the input."""

    elapsed_working_days: npt.NDArray[np.int64]
    met: npt.NDArray[np.bool_]
    breached: npt.NDArray[np.bool_]
    open: npt.NDArray[np.bool_]


def sla_states_many(
    received: npt.ArrayLike,
    closed: npt.ArrayLike,
    limit_working_days: npt.ArrayLike,
    as_of: date,
    calendar: WorkCalendar | None = None,
) -> SlaBatch:
    """:func:`sla_status` over arrays (``datetime64[D]`` Jakarta dates; ``closed`` NaT while open;
    ``limit_working_days`` per item or one number), with ``numpy.busday_count``."""
    cal = calendar or default_calendar()
    r = np.asarray(received, dtype="datetime64[D]")
    c = np.asarray(closed, dtype="datetime64[D]")
    limits = np.asarray(limit_working_days, dtype=np.int64)
    is_open = np.isnat(c)
    end = np.where(is_open, np.datetime64(as_of, "D"), c)
    elapsed = cal.working_days_between_many(r, end)
    elapsed = np.where(is_open, np.maximum(elapsed, 0), elapsed)
    late = elapsed > limits
    return SlaBatch(
        elapsed_working_days=elapsed.astype(np.int64),
        met=~is_open & ~late,
        breached=late,
        open=is_open & ~late,
    )
