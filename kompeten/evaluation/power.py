"""Power before a training: the smallest IKM change the programme's units and months can detect.

The trained units are the active service units whose OPD unit contains the unit of an invited or
accepted participant (as in the L4 engine); the comparison units are the instansi's other active
service units. The historical spread of their monthly IKM over the 24 whole months before the
first batch (or before this month, when earlier) gives, through
:func:`kompeten.stats.impact.minimum_detectable_change`, the smallest true change the impact
estimator's unit-change design detects with 80 % power at a two-sided 5 % level, for the months
before and after the training the user chooses (docs/statistics.md, "Power before a training").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.evaluation.actions.followups import add_months
from kompeten.evaluation.queries import monthly_ikm_unit
from kompeten.learning.models import Batch, Programme
from kompeten.participation.models import ACTIVE_STATUSES, Enrolment
from kompeten.service.models import ServiceUnit
from kompeten.stats.impact import MonthlySpread, minimum_detectable_change, monthly_spread

HISTORY_MONTHS = 24
MAX_MONTHS = 36
DEFAULT_MONTHS = 6
ALPHA = 0.05
POWER = 0.8


@dataclass(frozen=True)
class Power:
    months_before: int
    months_after: int
    history_start: date
    history_end: date  # the first day of the last month of history
    treated: tuple[str, ...]
    comparison: tuple[str, ...]
    n_treated: int  # with at least two months of IKM history
    n_comparison: int
    spread: MonthlySpread | None
    change: float | None  # the minimum detectable IKM change, points
    sd_change: float | None  # the standard deviation of one unit's after − before change
    df: int | None
    problem: str

    @property
    def design(self) -> str:
        return "did" if self.n_comparison else "its"


def parse_months(text: str | None, what: str) -> int:
    """A number of months 1–36 from a form field (blank: 6); ``ValueError`` in Indonesian."""
    if text is None or not text.strip():
        return DEFAULT_MONTHS
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_MONTHS:
        raise ValueError(
            _("Jumlah bulan {what} harus bilangan bulat 1–{max}, bukan {text!r}.").format(
                what=what, max=MAX_MONTHS, text=text
            )
        )
    return value


def _month_number(d: date) -> int:
    return d.year * 12 + d.month - 1


def programme_power(
    programme: Programme,
    months_before: int = DEFAULT_MONTHS,
    months_after: int = DEFAULT_MONTHS,
    today: date | None = None,
) -> Power:
    """The minimum detectable IKM change of ``programme`` (see the module docstring); four
    queries whatever the number of units and months."""
    today = today or timezone.localdate()
    first_batch = (
        Batch.objects.filter(programme=programme)
        .order_by("start_date")
        .values_list("start_date", flat=True)
    ).first()
    until = min(first_batch or today, today).replace(day=1)
    end = add_months(until, -1)
    start = add_months(until, -HISTORY_MONTHS)
    paths = set(
        Enrolment.objects.filter(batch__programme=programme, status__in=ACTIVE_STATUSES)
        .values_list("employee__unit__path", flat=True)
        .distinct()
        .order_by()
    )
    units = list(
        ServiceUnit.objects.filter(instansi_id=programme.instansi_id, is_active=True)
        .values_list("id", "name", "unit__path")
        .order_by("name")
    )
    trained = {i for i, _n, p in units if any(q.startswith(p) for q in paths)}
    names = {i: n for i, n, _p in units}
    obs = monthly_ikm_unit([i for i, _n, _p in units], start, end)
    months_of: dict[int, int] = {}
    for su, _m, _v in obs:
        months_of[su] = months_of.get(su, 0) + 1
    usable = {su for su, k in months_of.items() if k >= 2}
    n1 = len(usable & trained)
    n0 = len(usable - trained)
    spread = (
        monthly_spread([o[0] for o in obs], [_month_number(o[1]) for o in obs], [o[2] for o in obs])
        if obs
        else None
    )
    base = {
        "months_before": months_before,
        "months_after": months_after,
        "history_start": start,
        "history_end": end,
        "treated": tuple(names[i] for i in sorted(trained, key=names.__getitem__)),
        "comparison": tuple(names[i] for i in sorted(set(names) - trained, key=names.__getitem__)),
        "n_treated": n1,
        "n_comparison": n0,
        "spread": spread,
    }
    problem = ""
    if not trained:
        problem = _("Belum ada unit layanan dengan pegawai yang diundang atau terdaftar.")
    elif spread is None or not n1:
        problem = _(
            "Unit terlatih belum punya IKM bulanan sedikitnya dua bulan dalam {n} bulan sebelum "
            "pelatihan."
        ).format(n=HISTORY_MONTHS)
    result = None
    if not problem and spread is not None:
        result = minimum_detectable_change(
            spread, n1, n0, months_before, months_after, alpha=ALPHA, power=POWER
        )
        if result is None:
            problem = _(
                "Unit terlalu sedikit untuk uji: perlu sedikitnya 3 unit dengan unit pembanding, "
                "atau 2 unit terlatih tanpa pembanding."
            )
    return Power(
        **base,  # type: ignore[arg-type]
        change=None if result is None else result[0],
        sd_change=None if result is None else result[1],
        df=None if result is None else result[2],
        problem=problem,
    )
