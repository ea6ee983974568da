"""L4 results: monthly outcomes of service units whose staff were trained, estimated by the
calibrated impact estimator (:func:`kompeten.stats.impact_panel`, the one behind
``kompeten impact``): difference-in-differences on unit changes against comparison units not
(yet) trained when they have data, else the trained units' interrupted time series. Each
outcome's sentence names the design and what it cannot show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
from django.utils.translation import gettext, gettext_lazy

from kompeten.core import formatting
from kompeten.evaluation import interpret
from kompeten.evaluation.levels.results import DidOutcome
from kompeten.stats import ImpactResult, impact_panel

# the Indonesian wording of design_text() for "its" (tests look for it)
NO_COMPARISON = "sebelum–sesudah tanpa pembanding: perubahan belum tentu karena pelatihan"
PROBLEMS = {
    "no trained unit": gettext_lazy("belum ada unit terlatih dengan data"),
    "no trained unit has months both before and from its training": gettext_lazy(
        "belum ada unit terlatih dengan data bulanan sebelum dan sesudah pelatihan"
    ),
    "too few months before or after training": gettext_lazy(
        "bulan sebelum atau sesudah pelatihan terlalu sedikit (perlu sedikitnya 3 dan 3)"
    ),
    "the units' changes do not vary, so no interval": gettext_lazy(
        "perubahan antarunit tidak bervariasi, selang kepercayaan tidak dapat dihitung"
    ),
    "the series fits perfectly, so no interval": gettext_lazy(
        "deret waktu cocok sempurna, selang kepercayaan tidak dapat dihitung"
    ),
}


def design_text(r: ImpactResult) -> str:
    """The design in words, with its limits, in the active language."""
    if r.design == "did":
        return gettext(
            "selisih-dalam-selisih, {n1} unit terlatih dibanding {n0} unit pembanding yang "
            "tidak dilatih: perubahan yang juga terjadi di unit pembanding dikurangkan, tetapi "
            "hal lain yang hanya terjadi di unit terlatih tetap dapat ikut terhitung"
        ).format(n1=r.n_treated, n0=r.n_comparison)
    if r.design == "its":
        return gettext("sebelum–sesudah tanpa pembanding: perubahan belum tentu karena pelatihan")
    problem = r.problem or ""
    why = str(PROBLEMS[problem]) if problem in PROBLEMS else problem or gettext("data kurang")
    return gettext("belum dapat diestimasi: {why}").format(why=why)


def method_label(
    design: str, n_treated: int, n_comparison: int, n_months: int, variance: str = ""
) -> str:
    """The estimator's method in the active language, from its design code and counts: the
    design, the units compared, the months and the test ("" for no design); ``variance`` is the
    estimator's (``"unit"``: each unit's own noise from its months). The estimator's own
    ``method`` is English and stays as ``kompeten impact`` prints it."""
    if design == "did" and n_treated == 1 and n_comparison == 1:
        return gettext(
            "selisih-dalam-selisih satu unit terlatih dan satu unit pembanding: selisih bulanan "
            "(terlatih − pembanding) selama {months} bulan, galat AR(1) (Prais–Winsten)"
        ).format(months=n_months)
    if design == "did" and variance == "unit":
        return gettext(
            "selisih-dalam-selisih atas perubahan tiap unit (rata-rata sesudah − sebelum): "
            "{n1} unit terlatih dibanding {n0} unit pembanding, uji t dengan ragam tiap unit "
            "dari deret bulanannya sendiri"
        ).format(n1=n_treated, n0=n_comparison)
    if design == "did":
        return gettext(
            "selisih-dalam-selisih atas perubahan tiap unit (rata-rata sesudah − sebelum): "
            "{n1} unit terlatih dibanding {n0} unit pembanding, uji t Student gabungan"
        ).format(n1=n_treated, n0=n_comparison)
    if design == "its":
        return gettext(
            "deret waktu terputus {n1} unit terlatih tanpa unit pembanding, perubahan tingkat "
            "saat pelatihan selama {months} bulan, galat AR(1) (Prais–Winsten)"
        ).format(n1=n_treated, months=n_months)
    return ""


def impact_sentence(label: str, r: ImpactResult | None, unit: str = "") -> str:
    """``label``'s estimated impact, its interval, p-value and verdict, and the design, in the
    active language (``unit`` defaults to "poin")."""
    unit = unit or gettext("poin")
    if r is None:
        return gettext("{label}: belum ada unit layanan dengan pegawai terlatih.").format(
            label=label
        )
    if r.estimate is None or r.ci_low is None or r.ci_high is None or r.pvalue is None:
        return gettext("{label}: dampak {design}.").format(label=label, design=design_text(r))
    significant = r.ci_low > 0 or r.ci_high < 0
    verdict = (
        (gettext("naik bermakna") if r.estimate > 0 else gettext("turun bermakna"))
        if significant
        else gettext("tidak bermakna")
    )
    sign = "+" if r.estimate > 0 else ""
    return gettext(
        "{label} unit yang pegawainya dilatih: estimasi dampak {estimate} {unit} (SK 95%: "
        "{low} s.d. {high}; {p}), {verdict}. Desain: {design}."
    ).format(
        label=label,
        estimate=sign + formatting.number(r.estimate, 2),
        unit=unit,
        low=formatting.number(r.ci_low, 2),
        high=formatting.number(r.ci_high, 2),
        p=interpret.pvalue(r.pvalue),
        verdict=verdict,
        design=design_text(r),
    )


def did_outcome(
    *,
    key: str,
    label: str,
    unit_label: str,
    observations: Sequence[tuple[int, date, float]],
    treated_from: Mapping[int, date],
    comparison: Sequence[int],
    months: Sequence[date],
) -> DidOutcome:
    """``observations``: (unit, month, value); ``treated_from``: unit → first post month."""
    comp = set(comparison)
    obs = [o for o in observations if o[0] in treated_from or o[0] in comp]
    intervention = sorted(treated_from.values())[len(treated_from) // 2] if treated_from else None
    month_index = {m: i for i, m in enumerate(months)}
    sums = np.zeros((2, len(months)))
    counts = np.zeros((2, len(months)))
    for u, m, v in obs:
        i = month_index.get(m)
        if i is not None:
            g = 0 if u in treated_from else 1
            sums[g, i] += v
            counts[g, i] += 1
    t_series, c_series = (
        tuple(float(s / n) if n else None for s, n in zip(sums[g], counts[g], strict=True))
        for g in (0, 1)
    )
    result = impact_of(observations=obs, treated_from=treated_from, comparison=comparison)
    if treated_from and result is None and months:  # trained units, but no months of them here
        sentence = gettext(
            "{label}: belum ada data bulanan unit yang pegawainya dilatih pada {first} – {last}."
        ).format(label=label, first=formatting.month(months[0]), last=formatting.month(months[-1]))
    else:
        sentence = impact_sentence(
            label,
            result if treated_from else None,
            gettext("poin") if key == "ikm" else unit_label,
        )
    return DidOutcome(
        key=key,
        label=label,
        n_treated_units=len({o[0] for o in obs if o[0] in treated_from}),
        n_comparison_units=len({o[0] for o in obs if o[0] in comp}),
        months=tuple(months),
        treated_series=t_series,
        comparison_series=c_series,
        intervention=intervention,
        impact=result,
        method=""
        if result is None or result.estimate is None
        else method_label(
            result.design,
            result.n_treated,
            result.n_comparison,
            result.n_months,
            result.variance,
        ),
        sentence=sentence,
    )


def _month_number(d: date) -> int:
    return d.year * 12 + d.month - 1


def impact_of(
    *,
    observations: Sequence[tuple[int, date, float]],
    treated_from: Mapping[int, date],
    comparison: Sequence[int],
) -> ImpactResult | None:
    """The calibrated impact estimator (:func:`kompeten.stats.impact_panel`, the one behind
    ``kompeten impact``) on (unit, month, value) observations: difference-in-differences on unit
    changes when comparison units have data, else the trained units' before/after time series.
    ``None`` when no observation belongs to a trained or comparison unit. docs/statistics.md
    shows why its intervals hold with few units and autocorrelated months."""
    comp = set(comparison)
    obs = [o for o in observations if o[0] in treated_from or o[0] in comp]
    if not obs:
        return None
    return impact_panel(
        [o[0] for o in obs],
        [_month_number(o[1]) for o in obs],
        [o[2] for o in obs],
        [_month_number(treated_from[o[0]]) if o[0] in treated_from else None for o in obs],
    )
