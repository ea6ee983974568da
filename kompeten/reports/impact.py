"""Public-service before/after for the service units whose staff took part in a programme.

For each service unit whose staff took part (its OPD unit contains a participant's unit in its
subtree, or it lies within a participant's OPD) and, where they exist, for the other active
service units of the instansi (comparison units), over two windows of days (inclusive):

* **IKM** (PermenPANRB 14/2017, weights exactly 1/9: the standards module's ``"exact"`` mode,
  the regulation's method; the printed 0,111 variant is not used) from the SKM answers dated in
  the window: whole months from the rollups, the days of a month cut by the window's edge from the
  answers themselves (counted by the database, one query per window). Per unsur NRR, mutu and
  kinerja, and the Krejcie–Morgan sample adequacy against the unit's yearly population.
* **Complaint handling** of the complaints received in the window (Asia/Jakarta day of
  receipt) by the service unit's OPD unit and its subtree: received, resolved (status
  Selesai), median and mean working days to resolution over the resolved ones (working days
  after the day of receipt up to the finish day: weekends, national holidays, cuti bersama and
  the instansi's own days off), the share of received complaints resolved within their SLA
  category's limit, and the Kaplan–Meier median in which a complaint still open is censored at
  the window's end (or today, when the window has not ended) and an archived one (Diarsipkan,
  closed without resolution) at its archive day.

A before/after difference without comparison units says nothing about cause: the report says so.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.moments import FIRST_YEAR, LAST_YEAR, in_supported_years
from kompeten.evaluation import impact_cli
from kompeten.evaluation.levels import l4 as l4_engine
from kompeten.evaluation.queries import monthly_ikm_unit
from kompeten.learning.models import Programme
from kompeten.participation.models import Attendance, Enrolment, EnrolmentStatus
from kompeten.reports import collect as c
from kompeten.service import queries as service_q
from kompeten.service.models import (
    CLOSED_STATUSES,
    Complaint,
    ComplaintStatus,
    ServiceUnit,
    SkmResponse,
)
from kompeten.service.versions import engine_version
from kompeten.standards.sampling import SampleAdequacy, sample_adequacy
from kompeten.stats import kaplan_meier

WEIGHT_MODE = "exact"  # 1/9 per unsur: PermenPANRB 14/2017 as kompeten.standards.ikm computes it
PACK_BITS = 3  # kompeten.service.actions.rollups.pack_scores: unsur i is (packed >> 3i) & 7
PACKED_UNSUR = 21
MIN_WINDOW_DAYS = 90  # a default window shorter than this borrows the 180 days around it
FALLBACK_DAYS = 180
ONE_DAY = timedelta(days=1)


# --- windows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Days ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                _("Akhir jendela {end} sebelum awalnya {start}.").format(
                    end=self.end.isoformat(), start=self.start.isoformat()
                )
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_text(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


@dataclass(frozen=True)
class Windows:
    before: Window
    after: Window
    is_default: bool


def parse_day(text: str, what: str) -> date:
    """A window's day, written YYYY-MM-DD in the supported years (``ValueError`` in Indonesian)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            _("Tanggal {what} {text!r} tidak sah: tulis TTTT-BB-HH, mis. 2025-06-27.").format(
                what=what, text=text
            )
        ) from None
    if not in_supported_years(day):
        raise ValueError(
            _(
                "Tanggal {what} {text!r} tidak sah: tahunnya harus antara {first} dan {last}."
            ).format(what=what, text=text, first=FIRST_YEAR, last=LAST_YEAR)
        )
    return day


def parse_window(text: str, what: str) -> Window:
    """``"2025-01-01:2025-06-26"`` → a :class:`Window` (``ValueError`` in Indonesian)."""
    start, sep, end = text.partition(":")
    if not sep:
        raise ValueError(
            _(
                "Jendela {what} {text!r} tidak sah: tulis DARI:SAMPAI, mis. 2025-01-01:2025-06-26."
            ).format(what=what, text=text)
        )
    return Window(parse_day(start, what), parse_day(end, what))


def default_windows(first_day: date, last_day: date, today: date) -> Windows:
    """The windows a report uses unless told otherwise.

    * before: from 1 January of the training's year to the last training day; when that gives
      fewer than 90 days before the training starts (a training early in the year), from 180
      days before the first training day instead;
    * after: from the day after the last training day to 31 December of that year, or to today
      when earlier; when that would end fewer than 90 days after the training (a training late in
      the year), to 180 days after the last training day (or today).

    A training on 24–26 June 2025 gets before = 2025-01-01…2025-06-26 and
    after = 2025-06-27…2025-12-31.
    """
    start = date(first_day.year, 1, 1)
    if (first_day - start).days < MIN_WINDOW_DAYS:
        start = first_day - timedelta(days=FALLBACK_DAYS)
    after_start = last_day + ONE_DAY
    end = date(last_day.year, 12, 31)
    if (end - last_day).days < MIN_WINDOW_DAYS:
        end = last_day + timedelta(days=FALLBACK_DAYS)
    end = max(after_start, min(end, today))
    return Windows(Window(start, last_day), Window(after_start, end), is_default=True)


def windows_from_text(
    first_day: date, last_day: date, before: str | None, after: str | None, today: date
) -> Windows:
    """The windows given as ``FROM:TO`` texts; one left out (None or blank) takes its default
    (:func:`default_windows`). ``ValueError`` (Indonesian) on a malformed window."""
    default = default_windows(first_day, last_day, today)
    b = parse_window(before, _("sebelum")) if before and before.strip() else default.before
    a = parse_window(after, _("sesudah")) if after and after.strip() else default.after
    return Windows(b, a, is_default=(b, a) == (default.before, default.after))


# --- who took part ---------------------------------------------------------------------------


def participating_service_units(
    programme: Programme, units: list[ServiceUnit], tree: c.UnitTree
) -> tuple[list[ServiceUnit], list[ServiceUnit]]:
    """(service units whose staff took part, the others): a service unit took part when its OPD
    unit contains a participant's unit in its subtree, or lies within a participant's OPD.

    A participant is an accepted enrolment that completed the programme or was present at a
    session. Where a batch recorded no attendance at all, its accepted enrolments count (there
    is nothing to tell who came); someone who accepted but was absent from every session of a
    batch that took attendance did not take part, and does not make their unit trained.
    """
    recorded = Attendance.objects.filter(enrolment__batch__programme=programme).values(
        "enrolment__batch_id"
    )
    unit_ids = set(
        Enrolment.objects.filter(batch__programme=programme, status=EnrolmentStatus.ACCEPTED)
        .filter(
            Q(completed_at__isnull=False) | Q(attendance__present=True) | ~Q(batch_id__in=recorded)
        )
        .values_list("employee__unit_id", flat=True)
        .distinct()
        .order_by()
    )
    paths = [tree.units[u].path for u in unit_ids if u in tree.units]
    opd_paths = {tree.opd_of(u).path for u in unit_ids if u in tree.units}
    took_part, others = [], []
    for su in units:
        unit = tree.units.get(su.unit_id)
        if unit is not None and (
            any(p.startswith(unit.path) for p in paths)
            or any(unit.path.startswith(o) for o in opd_paths)
        ):
            took_part.append(su)
        else:
            others.append(su)
    return took_part, others


# --- IKM -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnsurNrr:
    slug: str
    name: str
    n: int
    nrr: float | None


@dataclass(frozen=True)
class IkmFigures:
    """IKM of one service unit over one window (``ikm`` on the 25–100 scale, unrounded;
    ``None`` with a ``problem`` when an unsur has no answer)."""

    n: int
    ikm: float | None
    mutu: str
    kinerja: str
    version: str
    nrr: tuple[UnsurNrr, ...]
    sample: SampleAdequacy | None
    problem: str
    # half-width of the 95 % interval of ``ikm``: the standards module's conservative bound from
    # the per-unsur counts (kompeten.standards.ikm.margin_of_error); None below 2 answers
    margin: float | None = None


def _month_end(day: date) -> date:
    nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return nxt - ONE_DAY


def _split(window: Window) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """(first and last month of the whole months in the window, the remaining day ranges)."""
    first = window.start if window.start.day == 1 else _month_end(window.start) + ONE_DAY
    last_end = window.end if window.end == _month_end(window.end) else window.end.replace(day=1)
    last_end = last_end if last_end == _month_end(last_end) else last_end - ONE_DAY
    if first > last_end:
        return None, [(window.start, window.end)]
    edges = []
    if window.start < first:
        edges.append((window.start, first - ONE_DAY))
    if last_end < window.end:
        edges.append((last_end + ONE_DAY, window.end))
    return (first, last_end.replace(day=1)), edges


def _edge_counts(
    su_ids: list[int], ranges: list[tuple[date, date]]
) -> dict[tuple[int, str], tuple[int, dict[str, list[int]]]]:
    """Per (service unit, version): respondents and answer counts per unsur and score of the
    SKM answers dated in ``ranges`` (Asia/Jakarta days), counted by the database."""
    if not ranges or not su_ids:
        return {}
    when = Q()
    for a, b in ranges:
        when |= Q(submitted__gte=c.aware(a), submitted__lt=c.aware(b + ONE_DAY))
    qs = SkmResponse.objects.filter(when, service_unit_id__in=su_ids)
    versions = sorted(set(qs.values_list("version", flat=True).distinct().order_by()))
    if not versions:
        return {}
    engines = {v: engine_version(v) for v in versions}
    width = max(len(e.unsur) for e in engines.values())
    packed = min(width, PACKED_UNSUR)
    aliases = {f"_s{i}": F("packed").bitrightshift(PACK_BITS * i).bitand(7) for i in range(packed)}
    counts: dict[str, Any] = {
        f"c{i}_{k}": Count("id", filter=Q(**{f"_s{i}": k}))
        for i in range(packed)
        for k in (1, 2, 3, 4)
    }
    extra_slugs = sorted({u.slug for e in engines.values() for u in e.unsur[PACKED_UNSUR:]})
    for j, slug in enumerate(extra_slugs):  # beyond the packed positions: the JSON scores
        for k in (1, 2, 3, 4):
            counts[f"x{j}_{k}"] = Count("id", filter=Q(**{f"scores__{slug}": k}))
    out: dict[tuple[int, str], tuple[int, dict[str, list[int]]]] = {}
    grouped: list[dict[str, Any]] = list(
        qs.alias(**aliases)  # type: ignore[arg-type]
        .values("service_unit_id", "version")
        .annotate(_n=Count("id"), **counts)
        .order_by()
    )
    for row in grouped:
        version = engines[row["version"]]
        by_slug: dict[str, list[int]] = {}
        for i, u in enumerate(version.unsur):
            key = f"c{i}_" if i < PACKED_UNSUR else f"x{extra_slugs.index(u.slug)}_"
            by_slug[u.slug] = [int(row[f"{key}{k}"]) for k in (1, 2, 3, 4)]
        out[(row["service_unit_id"], row["version"])] = (int(row["_n"]), by_slug)
    return out


def window_ikm(units: list[ServiceUnit], window: Window) -> dict[int, IkmFigures]:
    """IKM per service unit over ``window`` (see the module docstring)."""
    su_ids = [u.pk for u in units]
    months, edges = _split(window)
    rows: dict[tuple[int, str], service_q.IkmRow] = {}
    if months is not None and su_ids:
        for r in service_q.ikm_rows(su_ids, months[0], months[1], with_margin=False):
            rows[(r.key[0], r.version)] = r
    for (su_id, version), (n, counts) in _edge_counts(su_ids, edges).items():
        row = rows.setdefault(
            (su_id, version), service_q.IkmRow(key=(su_id,), version=version, counts={})
        )
        row.n_responses += n
        for slug, cc in counts.items():
            old = row.counts.get(slug, [0, 0, 0, 0])
            row.counts[slug] = [a + b for a, b in zip(old, cc, strict=True)]
    by_unit: dict[int, list[service_q.IkmRow]] = defaultdict(list)
    for (su_id, _version), r in rows.items():
        r.result, r.problem = None, ""
        service_q.compute_row(r, WEIGHT_MODE, with_margin=True)
        by_unit[su_id].append(r)
    out: dict[int, IkmFigures] = {}
    for su in units:
        candidates = by_unit.get(su.pk, [])
        # one questionnaire version per figure: the unit's own, else the most answered one
        chosen = next((r for r in candidates if r.version == su.version_id), None) or max(
            candidates, key=lambda r: r.n_responses, default=None
        )
        if chosen is None:
            out[su.pk] = IkmFigures(
                0, None, "", "", su.version_id, (), _adequacy(0, su.population), ""
            )
            continue
        res = chosen.result
        out[su.pk] = IkmFigures(
            n=chosen.n_responses,
            ikm=None if res is None else res.ikm_unit,
            mutu="" if res is None else res.mutu,
            kinerja="" if res is None else res.kinerja,
            version=chosen.version,
            nrr=tuple(
                UnsurNrr(u["slug"], u["name"], u["n"], u["nrr"]) for u in chosen.unsur_rows()
            ),
            sample=_adequacy(chosen.n_responses, su.population),
            problem=chosen.problem,
            margin=None if chosen.margin is None else float(chosen.margin.margin),
        )
    return out


def _adequacy(n: int, population: int | None) -> SampleAdequacy | None:
    return sample_adequacy(n, population) if population else None


# --- complaints ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintWindow:
    """Complaint handling of one unit over one window (working days unrounded)."""

    received: int
    resolved: int
    median_working_days: float | None
    mean_working_days: float | None
    km_median_working_days: float | None
    within_sla: int
    censored_on: date

    @property
    def share_resolved(self) -> float | None:
        return self.resolved / self.received if self.received else None

    @property
    def share_within_sla(self) -> float | None:
        return self.within_sla / self.received if self.received else None


@dataclass
class _ComplaintGroups:
    unit_ids: np.ndarray
    resolved: np.ndarray  # status Selesai
    archived: np.ndarray  # closed without resolution (Diarsipkan)
    received: np.ndarray  # datetime64[D]
    closed: np.ndarray  # datetime64[D], NaT while open
    limit: np.ndarray  # the SLA limit of the category, working days
    count: np.ndarray


def _complaint_groups(instansi_id: int, first: date, last: date) -> _ComplaintGroups:
    """Complaints received from ``first`` to ``last`` grouped by the database by (unit,
    status, category, Jakarta day of receipt, Jakarta day of closing)."""
    closed = service_q.jakarta_day(F("closed_at"))
    rows = list(
        Complaint.objects.filter(
            instansi_id=instansi_id,
            received_at__gte=c.aware(first),
            received_at__lt=c.aware(last + ONE_DAY),
        )
        .annotate(_r=service_q.jakarta_day("received_at"), _c=closed)
        .values("unit_id", "status", "category", "_r", "_c")
        .annotate(_n=Count("id"))
        .values_list("unit_id", "status", "category", "_r", "_c", "_n")
        .order_by()
    )
    table = service_q.sla_table_for(instansi_id)
    limits = {cat: table.get(cat).working_days for cat in {r[2] for r in rows}}
    closed_statuses = {str(s) for s in CLOSED_STATUSES}
    nat = np.datetime64("NaT", "D")

    received = np.array([r[3] for r in rows], dtype=np.int64).astype("datetime64[D]")
    closed_days = np.array(
        [
            np.datetime64(int(r[4]), "D") if r[4] is not None and r[1] in closed_statuses else nat
            for r in rows
        ],
        dtype="datetime64[D]",
    )
    return _ComplaintGroups(
        unit_ids=np.array([r[0] for r in rows], dtype=np.int64),
        resolved=np.array([r[1] == ComplaintStatus.SELESAI for r in rows], dtype=bool),
        archived=np.array([r[1] == ComplaintStatus.DIARSIPKAN for r in rows], dtype=bool),
        received=received,
        closed=closed_days,
        limit=np.array([limits[r[2]] for r in rows], dtype=np.int64),
        count=np.array([r[5] for r in rows], dtype=np.int64),
    )


def _window_complaints(
    g: _ComplaintGroups,
    unit_ids: set[int],
    window: Window,
    today: date,
    calendar: Any,
) -> ComplaintWindow:
    censored_on = min(window.end, today)
    mask = (
        np.isin(g.unit_ids, list(unit_ids))
        & (g.received >= np.datetime64(window.start, "D"))
        & (g.received <= np.datetime64(window.end, "D"))
    )
    count = g.count[mask]
    received = g.received[mask]
    resolved, archived = g.resolved[mask], g.archived[mask]
    closed = g.closed[mask]
    open_ = np.isnat(closed)
    end = np.where(open_, np.datetime64(censored_on, "D"), closed)
    elapsed = calendar.working_days_between_many(received, end) if received.size else received
    elapsed = np.maximum(np.asarray(elapsed, dtype=np.int64), 0)
    days_resolved = np.repeat(elapsed[resolved], count[resolved]).astype(float)
    n_resolved = int(count[resolved].sum())
    km = None
    if count.sum():
        observed = resolved | archived | open_
        durations = np.repeat(elapsed[observed], count[observed]).astype(float)
        events = np.repeat(resolved[observed], count[observed]).astype(int)
        med = kaplan_meier(durations, events).median
        km = None if med is None or not math.isfinite(med) else float(med)
    within = int(count[resolved & (elapsed <= g.limit[mask])].sum())
    return ComplaintWindow(
        received=int(count.sum()),
        resolved=n_resolved,
        median_working_days=float(np.median(days_resolved)) if n_resolved else None,
        mean_working_days=float(days_resolved.mean()) if n_resolved else None,
        km_median_working_days=km,
        within_sla=within,
        censored_on=censored_on,
    )


# --- the whole -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitImpact:
    service_unit_id: int
    unit: str
    opd: str
    took_part: bool
    population: int | None
    ikm_before: IkmFigures
    ikm_after: IkmFigures
    complaints_before: ComplaintWindow
    complaints_after: ComplaintWindow


@dataclass(frozen=True)
class PanelRow:
    """One unit-month of an outcome, as a row of ``kompeten impact``'s CSV."""

    dataset: str
    unit: str
    month: date  # the first day of the month
    value: float
    treated_from: date | None  # the first month after training; None for a comparison unit


@dataclass(frozen=True)
class Estimate:
    """The impact estimator's answer for one outcome (``row`` is exactly the object
    ``kompeten impact --format json`` prints for the same panel) and the outcome's pooled
    before/after figures beside it."""

    key: str  # "ikm" | "pengaduan" (the dataset name of the panel)
    label: str
    unit_label: str
    row: dict[str, Any]
    before: float | None
    after: float | None
    n_before: int
    n_after: int

    @property
    def design(self) -> str:
        return str(self.row["design"])

    @property
    def estimate(self) -> float | None:
        return self.row["estimate"]

    @property
    def ci_low(self) -> float | None:
        return self.row["ci_low"]

    @property
    def ci_high(self) -> float | None:
        return self.row["ci_high"]

    @property
    def pvalue(self) -> float | None:
        return self.row["pvalue"]

    @property
    def significant(self) -> bool:
        """The 95 % interval excludes zero (the estimator's p-value follows its interval)."""
        lo, hi = self.ci_low, self.ci_high
        return lo is not None and hi is not None and (lo > 0 or hi < 0)

    def design_text(self) -> str:
        """The design in words, with what it can and cannot show."""
        r = self.row
        if self.design == "did":
            return _(
                "selisih-dalam-selisih: {n1} unit terlatih dibanding {n0} unit pembanding yang "
                "tidak dilatih; perubahan yang juga terjadi di unit pembanding dikurangkan, tetapi "
                "hal lain yang hanya terjadi di unit terlatih tetap dapat ikut terhitung"
            ).format(n1=r["n_treated"], n0=r["n_comparison"])
        if self.design == "its":
            return _("sebelum–sesudah tanpa pembanding: perubahan belum tentu karena pelatihan")
        return _("belum dapat diestimasi: {why}").format(why=r.get("note") or _("data kurang"))

    def design_short(self) -> str:
        """The design in a few words, for a conclusion, a verdict or a recommendation."""
        return design_short(self.design, self.row["n_comparison"]) or self.design_text()

    def method_text(self) -> str:
        """The estimator's method in the reader's language, built from its design and counts
        (the row's own ``method`` is the command's English text, kept as the command prints
        it)."""
        return method_text(self.row)


def design_short(design: str, n_comparison: int) -> str:
    """A design code (``"did"``, ``"its"``) in a few words of the active language; "" for no
    design."""
    if design == "did":
        return _("selisih-dalam-selisih terhadap {n0} unit pembanding").format(n0=n_comparison)
    if design == "its":
        return _("sebelum–sesudah tanpa pembanding, jadi belum tentu karena pelatihan")
    return ""


def design_name(design: str) -> str:
    """A design code's name for a table column."""
    if design == "did":
        return _("selisih-dalam-selisih")
    if design == "its":
        return _("sebelum–sesudah (deret waktu)")
    return "–"


def method_text(row: dict[str, Any]) -> str:
    """The method of one estimator row (the object ``kompeten impact`` prints) in the active
    language: the design, the units compared, the months and the test, from the row's codes
    and counts; a row without an estimate gives its note."""
    if row.get("estimate") is None:
        return str(row.get("note") or _("tidak ada estimasi"))
    label = l4_engine.method_label(
        str(row.get("design", "")),
        int(row.get("n_treated") or 0),
        int(row.get("n_comparison") or 0),
        int(row.get("n_months") or 0),
        str(row.get("variance") or ""),
    )
    return label or str(row.get("method", ""))


@dataclass(frozen=True)
class Impact:
    windows: Windows
    units: tuple[UnitImpact, ...]  # service units whose staff took part
    comparison: tuple[UnitImpact, ...]  # the other active service units
    weight_mode: str
    today: date
    # complaint handling of all the trained units' subtrees together (the pooled figure an
    # objective over several units is judged by)
    pooled_complaints_before: ComplaintWindow | None = None
    pooled_complaints_after: ComplaintWindow | None = None
    # the same of all the comparison units' subtrees together: a complaint of a sub-unit lying
    # under two comparison units (a dinas and its loket) counts once
    pooled_comparison_before: ComplaintWindow | None = None
    pooled_comparison_after: ComplaintWindow | None = None
    # the monthly panels the impact estimator reads, and its answer per outcome
    panel: tuple[PanelRow, ...] = ()
    estimates: tuple[Estimate, ...] = ()

    @property
    def has_comparison(self) -> bool:
        return bool(self.comparison)

    def estimate(self, key: str) -> Estimate | None:
        return next((e for e in self.estimates if e.key == key), None)

    def panel_csv(self) -> str:
        """The panels in ``kompeten impact``'s input format (one CSV, both outcomes)."""
        return panel_csv(self.panel)


def panel_csv(panel: tuple[PanelRow, ...]) -> str:
    """Rows in ``kompeten impact``'s CSV format (values written so they read back exactly)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["dataset", "unit", "month", "value", "treated_from"])
    for r in panel:
        tf = "" if r.treated_from is None else r.treated_from.strftime("%Y-%m")
        w.writerow([r.dataset, r.unit, r.month.strftime("%Y-%m"), repr(r.value), tf])
    return buf.getvalue()


def programme_impact(
    programme: Programme, windows: Windows, tree: c.UnitTree, today: date
) -> Impact:
    """Before/after IKM and complaint handling of the service units whose staff took part, and
    of the comparison units (a bounded number of queries, whatever the data size)."""
    instansi_id = programme.instansi_id
    units = list(
        ServiceUnit.objects.filter(instansi_id=instansi_id, is_active=True)
        .select_related("questionnaire")
        .order_by("name")
    )
    took_part, others = participating_service_units(programme, units, tree)
    ikm = {w: window_ikm(units, getattr(windows, w)) for w in ("before", "after")}
    first = min(windows.before.start, windows.after.start)
    last = max(windows.before.end, windows.after.end)
    groups = _complaint_groups(instansi_id, first, last)
    calendar = service_q.calendar_for(instansi_id)

    def subtree(su: ServiceUnit) -> set[int]:
        root = tree.units.get(su.unit_id)
        if root is None:
            return {su.unit_id}
        return {pk for pk, u in tree.units.items() if u.path.startswith(root.path)}

    def one(su: ServiceUnit, part: bool) -> UnitImpact:
        ids = subtree(su)
        unit = tree.units.get(su.unit_id)
        return UnitImpact(
            service_unit_id=su.pk,
            unit=su.name,
            opd="" if unit is None else tree.opd_of(unit.pk).display_name,
            took_part=part,
            population=su.population,
            ikm_before=ikm["before"][su.pk],
            ikm_after=ikm["after"][su.pk],
            complaints_before=_window_complaints(groups, ids, windows.before, today, calendar),
            complaints_after=_window_complaints(groups, ids, windows.after, today, calendar),
        )

    pooled: set[int] = set().union(*(subtree(su) for su in took_part))
    compared: set[int] = set().union(*(subtree(su) for su in others))
    trained = tuple(one(su, True) for su in took_part)
    pooled_before = _window_complaints(groups, pooled, windows.before, today, calendar)
    pooled_after = _window_complaints(groups, pooled, windows.after, today, calendar)
    panel = _panel(
        took_part, others, windows, today, groups, calendar, {su.pk: subtree(su) for su in units}
    )
    return Impact(
        windows=windows,
        units=trained,
        comparison=tuple(one(su, False) for su in others),
        weight_mode=WEIGHT_MODE,
        today=today,
        pooled_complaints_before=pooled_before,
        pooled_complaints_after=pooled_after,
        pooled_comparison_before=(
            _window_complaints(groups, compared, windows.before, today, calendar)
            if others
            else None
        ),
        pooled_comparison_after=(
            _window_complaints(groups, compared, windows.after, today, calendar) if others else None
        ),
        panel=panel,
        estimates=_estimates(panel, trained, pooled_before, pooled_after),
    )


# --- the impact estimator over monthly panels ------------------------------------------------

OUTCOMES = (
    ("ikm", gettext_lazy("IKM"), gettext_lazy("poin")),
    ("pengaduan", gettext_lazy("Pengaduan selesai dalam batas SLA"), gettext_lazy("poin persen")),
)


def panel_months(windows: Windows, today: date) -> tuple[list[date], list[date]]:
    """(before months, after months) of the estimator's panel: the whole calendar months lying
    within each window (a month cut by a window's edge, such as the training month or the
    month not yet over, is left out), before months ending before the first after month."""

    def whole(w: Window) -> list[date]:
        out = []
        m = w.start.replace(day=1)
        last = min(w.end, today)
        while m <= last:
            if m >= w.start and _month_end(m) <= last:
                out.append(m)
            m = _month_end(m) + ONE_DAY
        return out

    after = whole(windows.after)
    before = [m for m in whole(windows.before) if not after or m < after[0]]
    return before, after


def _panel(
    took_part: list[ServiceUnit],
    others: list[ServiceUnit],
    windows: Windows,
    today: date,
    groups: _ComplaintGroups,
    calendar: Any,
    subtrees: dict[int, set[int]],
) -> tuple[PanelRow, ...]:
    """Monthly IKM (the SKM rollups, weights 1/9) and monthly share of received complaints
    resolved within the SLA (percent) of every active service unit, over :func:`panel_months`;
    trained units carry the first after month as their ``treated_from``."""
    before, after = panel_months(windows, today)
    months = set(before) | set(after)
    if not months or not after:
        return ()
    start = after[0]
    units = [(su, True) for su in took_part] + [(su, False) for su in others]
    counts: dict[str, int] = defaultdict(int)
    for su, _t in units:
        counts[su.name] += 1
    label = {su.pk: su.name if counts[su.name] == 1 else f"{su.name} ({su.pk})" for su, _t in units}
    treated = {su.pk: start for su in took_part}
    rows: list[PanelRow] = []
    for su_id, month, value in sorted(
        monthly_ikm_unit([su.pk for su, _t in units], min(months), max(months)),
        key=lambda r: (label[r[0]], r[1]),
    ):
        if month in months:
            rows.append(PanelRow("ikm", label[su_id], month, float(value), treated.get(su_id)))
    # complaints: within the SLA = resolved (Selesai) within the category's limit in working
    # days, as in the windows' table; the month is the month of receipt
    resolved = groups.resolved
    if resolved.any():
        elapsed = np.zeros(resolved.size, dtype=np.int64)
        elapsed[resolved] = np.maximum(
            np.asarray(
                calendar.working_days_between_many(
                    groups.received[resolved], groups.closed[resolved]
                ),
                dtype=np.int64,
            ),
            0,
        )
        within = resolved & (elapsed <= groups.limit)
    else:
        within = resolved
    month_of = groups.received.astype("datetime64[M]")
    for su, _t in units:
        mask = np.isin(groups.unit_ids, list(subtrees[su.pk]))
        if not mask.any():
            continue
        keys, inv = np.unique(month_of[mask], return_inverse=True)
        inv = inv.ravel()
        received = np.bincount(inv, weights=groups.count[mask], minlength=keys.size)
        ok = np.bincount(
            inv, weights=np.where(within[mask], groups.count[mask], 0), minlength=keys.size
        )
        for k, m64 in enumerate(keys.tolist()):
            month = m64 if isinstance(m64, date) else date.fromisoformat(str(m64) + "-01")
            if month in months and received[k] > 0:
                rows.append(
                    PanelRow(
                        "pengaduan",
                        label[su.pk],
                        month,
                        float(ok[k] / received[k] * 100.0),
                        treated.get(su.pk),
                    )
                )
    return tuple(rows)


def _estimates(
    panel: tuple[PanelRow, ...],
    trained: tuple[UnitImpact, ...],
    before: ComplaintWindow,
    after: ComplaintWindow,
) -> tuple[Estimate, ...]:
    """The estimator of ``kompeten impact`` on the panel, run through the command's own CSV
    reader so that the report prints exactly what the command prints for the same rows."""
    rows: dict[str, dict[str, Any]] = {}
    if panel:
        lines = panel_csv(panel).splitlines()
        rows = {r["dataset"]: r for r in impact_cli.estimate(impact_cli.read_panels(lines))}
    ikm = [u for u in trained if u.ikm_before.ikm is not None and u.ikm_after.ikm is not None]
    nb = sum(u.ikm_before.n for u in ikm)
    na = sum(u.ikm_after.n for u in ikm)
    pooled = {
        "ikm": (
            sum(u.ikm_before.n * (u.ikm_before.ikm or 0.0) for u in ikm) / nb if nb else None,
            sum(u.ikm_after.n * (u.ikm_after.ikm or 0.0) for u in ikm) / na if na else None,
            nb,
            na,
        ),
        "pengaduan": (
            None if before.share_within_sla is None else before.share_within_sla * 100,
            None if after.share_within_sla is None else after.share_within_sla * 100,
            before.received,
            after.received,
        ),
    }
    out = []
    for key, label, unit_label in OUTCOMES:
        row = rows.get(key) or {
            "dataset": key, "estimate": None, "ci_low": None, "ci_high": None, "pvalue": None,
            "method": "no estimate", "design": "none", "n_treated": 0, "n_comparison": 0,
            "n_months": 0, "note": _("tidak ada data bulanan"),
        }  # fmt: skip
        b, a, n_b, n_a = pooled[key]
        out.append(Estimate(key, str(label), str(unit_label), row, b, a, n_b, n_a))
    return tuple(out)


# --- JSON ------------------------------------------------------------------------------------


def _ikm_dict(f: IkmFigures) -> dict[str, Any]:
    return {
        "n": f.n,
        "ikm": f.ikm,
        "mutu": f.mutu or None,
        "mutu_label": f.kinerja or None,
        "version": f.version,
        "nrr": {u.slug: u.nrr for u in f.nrr},
        "sample_required": None if f.sample is None else f.sample.required,
        "sample_adequate": None if f.sample is None else f.sample.adequate,
        "problem": f.problem or None,
        "margin": f.margin,
    }


def _complaints_dict(w: ComplaintWindow) -> dict[str, Any]:
    return {
        "received": w.received,
        "resolved": w.resolved,
        "median_working_days": w.median_working_days,
        "mean_working_days": w.mean_working_days,
        "km_median_working_days": w.km_median_working_days,
        "within_sla": w.within_sla,
        "share_within_sla": w.share_within_sla,
        "censored_on": w.censored_on.isoformat(),
    }


def unit_dict(u: UnitImpact) -> dict[str, Any]:
    return {
        "unit": u.unit,
        "service_unit_id": u.service_unit_id,
        "opd": u.opd,
        "population": u.population,
        "ikm": {"before": _ikm_dict(u.ikm_before), "after": _ikm_dict(u.ikm_after)},
        "complaints": {
            "before": _complaints_dict(u.complaints_before),
            "after": _complaints_dict(u.complaints_after),
        },
    }


def impact_dict(impact: Impact) -> dict[str, Any]:
    """The JSON-able form stored in the report data (schema: docs/reports.md)."""
    return {
        "windows": {
            "before": {
                "from": impact.windows.before.start.isoformat(),
                "to": impact.windows.before.end.isoformat(),
            },
            "after": {
                "from": impact.windows.after.start.isoformat(),
                "to": impact.windows.after.end.isoformat(),
            },
            "default": impact.windows.is_default,
        },
        "ikm_method": "PermenPANRB 14/2017, bobot 1/9 per unsur (weight_mode exact)",
        "units": [unit_dict(u) for u in impact.units],
        "comparison": [unit_dict(u) for u in impact.comparison],
        # the impact estimator's answer per outcome (the object `kompeten impact` prints) and the
        # monthly panel it read, in the command's CSV columns, so anyone can run it again
        "estimates": [
            {
                "outcome": e.key,
                "label": e.label,
                "before": e.before,
                "after": e.after,
                "n_before": e.n_before,
                "n_after": e.n_after,
                "design_text": e.design_text(),
                **e.row,
            }
            for e in impact.estimates
        ],
        "panel": [
            [
                r.dataset,
                r.unit,
                r.month.strftime("%Y-%m"),
                r.value,
                "" if r.treated_from is None else r.treated_from.strftime("%Y-%m"),
            ]
            for r in impact.panel
        ],
    }
