"""L3 behaviour: the same rater's mean rating of the target behaviours before and after
(supervisor and self kept apart; only complete pairs, missing stays missing), and the complaint
handling of the trained officers before their batch and after it (from the service app)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext, gettext_lazy

from kompeten.core import formatting
from kompeten.evaluation import interpret
from kompeten.evaluation.levels.l2 import paired_change, paired_sentence, signed_rank
from kompeten.evaluation.levels.results import (
    BehaviourChange,
    L3Result,
    OfficerComplaints,
    SkpChange,
    SkpCount,
)
from kompeten.evaluation.models import Phase, RaterRole
from kompeten.standards.skp import Predikat
from kompeten.stats import LogRankResult, kaplan_meier, logrank
from kompeten.stats.errors import StatsError

# Lazy: read (str) when a result is built, in the reader's language.
ROLE_LABELS = {
    RaterRole.ATASAN.value: gettext_lazy("Penilaian atasan"),
    RaterRole.SELF.value: gettext_lazy("Penilaian diri"),
}
SKP_SENTENCE = gettext_lazy(
    "Belum ada peserta dengan predikat SKP tahun sebelum dan sesudah pelatihan."
)

# Ordinal codes of the predikat, worst to best (PermenPANRB 6/2022 lists them best first:
# Sangat Baik, Baik, Butuh Perbaikan, Kurang/Misconduct, Sangat Kurang).
SKP_ORDER = (
    Predikat.SANGAT_KURANG,
    Predikat.KURANG,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.BAIK,
    Predikat.SANGAT_BAIK,
)
SKP_CODE = {p.value: i + 1 for i, p in enumerate(SKP_ORDER)}
LAST_AFTER_MONTH = 9
"""A batch that ends by the end of September leaves at least three months (the L3 follow-up
interval) of its own rating year after training, so that year's SKP counts as "after";
a later batch is compared with the next year's SKP."""


def skp_years(start: date, end: date) -> tuple[int, int]:
    """The SKP rating years compared for a batch: the year before it started, and the year
    it ended in (or the next one when it ended after September)."""
    after = end.year if end.month <= LAST_AFTER_MONTH else end.year + 1
    return start.year - 1, after


def _years(values: Sequence[int]) -> tuple[int, ...]:
    return tuple(sorted(set(values)))


def skp_change(
    *,
    key: str,
    label: str,
    people: Sequence[tuple[int, int, int]],
    ratings: Mapping[tuple[int, int], str],
    not_due: int = 0,
) -> SkpChange:
    """Predikat before vs after for ``people`` = (employee, before year, after year), with
    ``ratings`` = (employee, year) → predikat value. Only people rated in both years count
    (missing is missing); the Wilcoxon signed-rank test runs on the ordinal codes 1–5.
    ``not_due``: participants left out because their "after" year has not come yet."""
    before: list[str] = []
    after: list[str] = []
    used_b: list[int] = []
    used_a: list[int] = []
    for emp, yb, ya in people:
        pb, pa = ratings.get((emp, yb)), ratings.get((emp, ya))
        if pb in SKP_CODE and pa in SKP_CODE:
            before.append(pb)
            after.append(pa)
            used_b.append(yb)
            used_a.append(ya)
    cb = np.array([SKP_CODE[p] for p in before], dtype=float)
    ca = np.array([SKP_CODE[p] for p in after], dtype=float)
    n = int(cb.size)
    improved = int((ca > cb).sum())
    worse = int((ca < cb).sum())
    unchanged = n - improved - worse
    counts = tuple(
        SkpCount(
            predikat=p.value,
            label=str(p.label),
            before=sum(1 for x in before if x == p.value),
            after=sum(1 for x in after if x == p.value),
        )
        for p in reversed(SKP_ORDER)
    )
    test, test_missing = signed_rank(cb, ca)
    years_b, years_a = _years(used_b), _years(used_a)
    sentence = interpret.skp_sentence(
        what=label,
        n=n,
        n_people=len(people),
        years_before=years_b,
        years_after=years_a,
        improved=improved,
        unchanged=unchanged,
        worse=worse,
        p=test.pvalue if test is not None else None,
        exact=test.exact if test is not None else None,
        toward_better=test is not None and test.statistic > test.w_minus,
        not_due=not_due,
    )
    return SkpChange(
        key=key,
        label=label,
        n_people=len(people),
        n_pairs=n,
        before_years=years_b,
        after_years=years_a,
        counts=counts,
        improved=improved,
        unchanged=unchanged,
        worse=worse,
        wilcoxon=test,
        sentence=sentence,
        n_not_due=not_due,
        wilcoxon_missing=test_missing,
    )


def behaviour_changes(
    subjects: npt.NDArray[np.int64],
    phases: npt.NDArray[np.object_],
    roles: npt.NDArray[np.object_],
    means: npt.NDArray[np.float64],
) -> list[BehaviourChange]:
    """Paired before → after (+3 and +6 months) per rater role."""
    out = []
    for role in (RaterRole.ATASAN.value, RaterRole.SELF.value):
        before = {
            s: v
            for s, p, r, v in zip(
                subjects.tolist(), phases.tolist(), roles.tolist(), means.tolist(), strict=True
            )
            if p == Phase.BEFORE and r == role
        }
        for phase in (Phase.AFTER_3.value, Phase.AFTER_6.value):
            after = {
                s: v
                for s, p, r, v in zip(
                    subjects.tolist(), phases.tolist(), roles.tolist(), means.tolist(), strict=True
                )
                if p == phase and r == role
            }
            if not after and phase == Phase.AFTER_6:
                continue
            keys = sorted(set(before) & set(after))
            b = np.array([before[k] for k in keys], dtype=float)
            a = np.array([after[k] for k in keys], dtype=float)
            n = len(keys)
            tt, eff, missing = paired_change(b, a)
            label = f"{ROLE_LABELS[role]} ({Phase(phase).label})"
            if tt is not None:
                sentence = paired_sentence(
                    gettext("{label}: rata-rata skor perilaku").format(label=label),
                    tt,
                    eff,
                    n,
                    unit=gettext("poin skala 1–5"),
                    decimals=2,
                )
            else:
                sentence = f"{label}: {missing or interpret.too_small(n)}"
            out.append(
                BehaviourChange(
                    rater_role=role,
                    label=label,
                    phase_after=phase,
                    n_pairs=n,
                    mean_before=float(b.mean()) if n else None,
                    mean_after=float(a.mean()) if n else None,
                    ttest=tt,
                    effect=eff,
                    sentence=sentence,
                    missing=missing,
                )
            )
    return out


@dataclass(frozen=True)
class _Complaints:
    """The complaints of trained officers, one entry per complaint."""

    resolution_days: npt.NDArray[np.int64]
    resolution_event: npt.NDArray[np.bool_]
    met: npt.NDArray[np.bool_]
    breached: npt.NDArray[np.bool_]
    rating: npt.NDArray[np.float64]

    def median(self, mask: npt.NDArray[np.bool_]) -> float | None:
        """Kaplan-Meier median resolution time (open complaints censored)."""
        if mask.sum() < 2 or self.closed_before_received(mask):
            return None
        km = kaplan_meier(
            self.resolution_days[mask].astype(float), self.resolution_event[mask].astype(int)
        )
        return km.median

    def closed_before_received(self, mask: npt.NDArray[np.bool_]) -> bool:
        """A negative resolution time: a complaint closed before it was received (a date error
        in the source). It has no place on a time-to-resolution curve, so none is drawn."""
        return bool((self.resolution_days[mask] < 0).any())

    def compliance(self, mask: npt.NDArray[np.bool_]) -> float | None:
        """Share resolved in time among those decided either way."""
        decided = int(self.met[mask].sum() + self.breached[mask].sum())
        return float(self.met[mask].sum()) / decided if decided else None

    def mean_rating(self, mask: npt.NDArray[np.bool_]) -> float | None:
        r = self.rating[mask]
        r = r[~np.isnan(r)]
        return float(r.mean()) if r.size else None

    def logrank(
        self, before: npt.NDArray[np.bool_], after: npt.NDArray[np.bool_]
    ) -> tuple[LogRankResult | None, str]:
        """The log-rank test of resolution times before vs after, or None and why: fewer than
        two complaints a side (no reason, the sentence says n), a complaint closed before it was
        received, none resolved, or a zero variance (at every resolution time one side had no
        complaint left open, or every open complaint was resolved)."""
        if before.sum() < 2 or after.sum() < 2:
            return None, ""
        if self.closed_before_received(before | after):
            return None, gettext("ada pengaduan yang tercatat selesai sebelum diterima")
        if not self.resolution_event[before | after].any():
            return None, gettext("belum ada pengaduan yang selesai")
        try:
            result = logrank(
                self.resolution_days[before].astype(float),
                self.resolution_event[before].astype(int),
                self.resolution_days[after].astype(float),
                self.resolution_event[after].astype(int),
            )
        except StatsError:  # the events leave the log-rank variance at zero
            return None, gettext("varians log-rank nol")
        return result, ""


def _complaints_sentence(
    c: _Complaints,
    before: npt.NDArray[np.bool_],
    after: npt.NDArray[np.bool_],
    n_officers: int,
    lr: LogRankResult | None,
) -> str:
    if before.sum() < interpret.MIN_N or after.sum() < interpret.MIN_N:
        return gettext("Penanganan pengaduan petugas terlatih: {verdict}").format(
            verdict=interpret.too_small(int(min(before.sum(), after.sum())))
        )
    parts = []
    mb, ma = c.median(before), c.median(after)
    if mb is not None and ma is not None:
        parts.append(
            gettext("median waktu penyelesaian {before} → {after} hari kerja").format(
                before=formatting.number(mb, 1), after=formatting.number(ma, 1)
            )
        )
    cb, ca = c.compliance(before), c.compliance(after)
    if cb is not None and ca is not None:
        parts.append(
            gettext("tepat waktu {before} % → {after} %").format(
                before=formatting.number(cb * 100, 0), after=formatting.number(ca * 100, 0)
            )
        )
    rb, ra = c.mean_rating(before), c.mean_rating(after)
    if rb is not None and ra is not None:
        parts.append(
            gettext("rata-rata penilaian pelapor {before} → {after}").format(
                before=formatting.number(rb, 2), after=formatting.number(ra, 2)
            )
        )
    verdict = ""
    if lr is not None:
        verdict = (
            gettext("; perbedaan waktu penyelesaian bermakna (log-rank {p})")
            if lr.pvalue < interpret.ALPHA
            else gettext("; perbedaan waktu penyelesaian tidak bermakna (log-rank {p})")
        ).format(p=interpret.pvalue(lr.pvalue))
    return gettext(
        "Pengaduan yang ditangani {n} petugas terlatih, sebelum vs sesudah pelatihan: "
        "{figures}{verdict}."
    ).format(n=n_officers, figures=", ".join(parts), verdict=verdict)


def officer_complaints(
    *,
    officer_ids: npt.NDArray[np.int64],
    received: npt.NDArray[np.datetime64],
    resolution_days: npt.NDArray[np.int64],
    resolution_event: npt.NDArray[np.bool_],
    met: npt.NDArray[np.bool_],
    breached: npt.NDArray[np.bool_],
    rating: npt.NDArray[np.float64],
    training: Mapping[int, tuple[np.datetime64, np.datetime64]],
) -> OfficerComplaints | None:
    """Complaints an officer handled before their batch started vs after it ended."""
    if officer_ids.size == 0:
        return None
    starts = np.array(
        [training.get(o, (np.datetime64("NaT"),) * 2)[0] for o in officer_ids.tolist()],
        dtype="datetime64[D]",
    )
    ends = np.array(
        [training.get(o, (np.datetime64("NaT"),) * 2)[1] for o in officer_ids.tolist()],
        dtype="datetime64[D]",
    )
    before = received < starts
    after = received > ends
    if before.sum() == 0 and after.sum() == 0:
        return None
    c = _Complaints(resolution_days, resolution_event, met, breached, rating)
    lr, lr_missing = c.logrank(before, after)
    n_officers = int(np.unique(officer_ids[before | after]).size)
    return OfficerComplaints(
        n_officers=n_officers,
        n_before=int(before.sum()),
        n_after=int(after.sum()),
        median_resolution_before=c.median(before),
        median_resolution_after=c.median(after),
        compliance_before=c.compliance(before),
        compliance_after=c.compliance(after),
        rating_before=c.mean_rating(before),
        rating_after=c.mean_rating(after),
        logrank_pvalue=lr.pvalue if lr is not None else None,
        sentence=_complaints_sentence(c, before, after, n_officers, lr),
        logrank_missing=lr_missing,
    )


def compute_l3(
    changes: list[BehaviourChange],
    complaints: OfficerComplaints | None,
    skp: SkpChange | None = None,
    skp_comparison: SkpChange | None = None,
    skp_groups: Sequence[SkpChange] = (),
) -> L3Result:
    main = next(
        (c for c in changes if c.rater_role == RaterRole.ATASAN and c.phase_after == Phase.AFTER_3),
        None,
    )
    sentence = (
        main.sentence
        if main
        else gettext("Belum ada penilaian perilaku atasan sebelum dan sesudah.")
    )
    return L3Result(
        changes=tuple(changes),
        complaints=complaints,
        skp_sentence=skp.sentence if skp is not None else str(SKP_SENTENCE),
        sentence=sentence,
        skp=skp,
        skp_comparison=skp_comparison,
        skp_groups=tuple(skp_groups),
    )
