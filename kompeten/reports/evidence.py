"""Typed evidence the recommendation rules read: the numbers behind a report, no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OpdParticipation:
    unit_id: int
    label: str
    invited: int
    completed: int
    declined: int

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.invited if self.invited else None


@dataclass(frozen=True)
class TrainerScore:
    trainer_id: int
    name: str
    index: float  # 0–100
    n: int
    band: str


@dataclass(frozen=True)
class SkmSample:
    service_unit_id: int
    unit_id: int | None
    label: str
    n: int
    required: int | None  # Krejcie–Morgan for the unit's population; None when unknown

    @property
    def adequate(self) -> bool | None:
        return None if self.required is None else self.n >= self.required


@dataclass(frozen=True)
class ServiceChange:
    """A before/after change of one trained service unit (or the trained units pooled), with
    its 95 % interval: IKM points, or percentage points of complaints within the SLA."""

    label: str
    before: float
    after: float
    change: float
    ci_low: float | None
    ci_high: float | None
    n_before: int
    n_after: int
    pvalue: float | None = None
    design: str = ""  # the estimator's design in words, with its limits
    design_code: str = ""  # the same design as the estimator's code ("did", "its")
    n_comparison: int = 0  # comparison units the design compared with

    @property
    def significant_fall(self) -> bool:
        return self.ci_high is not None and self.ci_high < 0


@dataclass(frozen=True)
class Evidence:
    """Everything a rule may look at. Counts are exact; indices are unrounded."""

    scope: str
    invited: int = 0
    accepted: int = 0
    declined: int = 0
    attended: int = 0
    completed: int = 0
    held: int = 0  # enrolled after a held training (never invited), included in ``invited``
    declines_by_reason: dict[str, int] = field(default_factory=dict)
    opd: tuple[OpdParticipation, ...] = ()
    relevance_index: float | None = None
    relevance_n: int = 0
    relevance_aspect: str = ""  # the reaction section the index is of (RELEVANCE_SECTIONS)
    trainers: tuple[TrainerScore, ...] = ()
    followups_due: int = 0
    followups_answered: int = 0
    skm_samples: tuple[SkmSample, ...] = ()
    class_gain: float | None = None
    gain_n: int = 0
    jp_with_target: int = 0
    jp_met: int = 0
    complaints_decided: int = 0
    complaints_met: int = 0
    # public-service impact of a programme (trained units, before/after) and its ROI
    ikm_changes: tuple[ServiceChange, ...] = ()
    sla_changes: tuple[ServiceChange, ...] = ()
    has_comparison: bool = False
    roi_pct: float | None = None
    total_cost: float | None = None
    total_benefit: float | None = None

    @property
    def workload_declines(self) -> int:
        return self.declines_by_reason.get("beban_kerja", 0) + self.declines_by_reason.get(
            "bentrok_tugas", 0
        )


# The reaction sections that measure how relevant the training was, best first: the
# questionnaire's own "Relevansi dengan pekerjaan" section, else its "Materi" section.
RELEVANCE_SECTIONS = ("relevansi", "materi")


def relevance_measure(
    sections: Iterable[tuple[str, float | None, int]],
) -> tuple[str, float, int] | None:
    """(section key, index 0–100, n responses) the low-relevance rule reads, from the reaction
    sections as (key, index, n): the first of RELEVANCE_SECTIONS the questionnaire has, whatever
    the order the sections come in."""
    found = {key: (index, n) for key, index, n in sections if index is not None}
    for key in RELEVANCE_SECTIONS:
        if key in found:
            index, n = found[key]
            return key, float(index), n
    return None
