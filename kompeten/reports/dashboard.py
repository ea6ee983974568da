"""The leadership dashboard's figures, computed offline (worker, demo, command) into one
:class:`DashboardSnapshot` row, so the page reads one row however many rows lie behind it.

Two steps: :func:`collect_figures` asks the database once and returns plain numbers;
:func:`present` turns them into the labelled cards, tables and charts a reader sees, in the active
language. :func:`compute_dashboard` runs ``present`` once per language of the site, so a reader in
English mode gets English labels and charts from the same numbers.

The headline ("angka utama") is what a Wali Kota asks first, in this order:

* **public service of the trained units before and after**: for every programme with a batch in
  the year, the report's own impact section (:func:`kompeten.reports.impact.programme_impact` with
  the report's default windows) gives each service unit whose staff took part its IKM before and
  after, and the other active units as comparison; the dashboard averages the units' IKM (each
  unit with both figures counts once per programme) and pools the complaints (received, resolved
  within their SLA limit, working days to resolution) of both groups;
* **participation and the 20-JP right**: PNS who reached their yearly minimum, and the invited,
  completed and declined of the year's batches;
* **L3 follow-up**: the behaviour ratings due 3 and 6 months after training (answered, waiting,
  escalated to the rater's own atasan, not yet due);
* **open recommendations**: open or in progress, overdue, and the three most urgent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompeten.core import charts, formatting
from kompeten.core import importing as imp
from kompeten.core.models import Instansi
from kompeten.evaluation.models import (
    Answer,
    FollowUp,
    InstrumentKind,
    ItemKind,
    RaterRole,
    Response,
)
from kompeten.evaluation.queries import programme_reactions, reaction_index
from kompeten.learning.models import Batch, Programme
from kompeten.participation.models import Enrolment
from kompeten.people.models import Employee
from kompeten.reports import collect as c
from kompeten.reports.impact import (
    ComplaintWindow,
    Impact,
    UnitImpact,
    default_windows,
    programme_impact,
)
from kompeten.reports.ipasn import ip_for_employees, summarise, table_for
from kompeten.reports.models import Recommendation, RecommendationStatus
from kompeten.service import queries as service_q
from kompeten.service.imports_complaints import ComplaintsImport
from kompeten.service.models import Complaint, ServiceUnit
from kompeten.stats import kaplan_meier

IP_ORDER = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")
OPEN_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
URGENT_SHOWN = 3


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def month_labels() -> list[str]:
    """The short month names in the active language."""
    return [formatting.short_month(m) for m in range(1, 13)]


# --- collecting ------------------------------------------------------------------------------


GROUPS = ("trained", "others")
WINDOWS = ("before", "after")


@dataclass
class _ServicePool:
    """The year's programmes' before/after figures pooled per group (``GROUPS``): every
    (programme, unit) pair with IKM on both sides, and the complaint counts of both windows."""

    ikm: dict[str, dict[str, list[float]]] = field(
        default_factory=lambda: {g: {w: [] for w in WINDOWS} for g in GROUPS}
    )
    with_ikm: dict[str, set[int]] = field(default_factory=lambda: {g: set() for g in GROUPS})
    trained_units: set[int] = field(default_factory=set)
    # received, resolved, within SLA, sum of working days to resolution
    complaints: dict[str, dict[str, list[float]]] = field(
        default_factory=lambda: {g: {w: [0, 0, 0, 0.0] for w in WINDOWS} for g in GROUPS}
    )
    programmes: int = 0

    def add(self, impact: Impact) -> None:
        """Pool one programme's impact section (one with trained units)."""
        self.programmes += 1
        self.trained_units.update(u.service_unit_id for u in impact.units)
        for group, units in (("trained", impact.units), ("others", impact.comparison)):
            for u in units:
                self._add_ikm(group, u)
        # each group's complaints pooled over its units' subtrees, as the report pools them: a
        # complaint counts once per programme and group, also under two overlapping units
        for group, before, after in (
            ("trained", impact.pooled_complaints_before, impact.pooled_complaints_after),
            ("others", impact.pooled_comparison_before, impact.pooled_comparison_after),
        ):
            self._add_complaints(group, "before", before)
            self._add_complaints(group, "after", after)

    def _add_ikm(self, group: str, u: UnitImpact) -> None:
        if u.ikm_before.ikm is not None and u.ikm_after.ikm is not None:
            self.ikm[group]["before"].append(u.ikm_before.ikm)
            self.ikm[group]["after"].append(u.ikm_after.ikm)
            self.with_ikm[group].add(u.service_unit_id)

    def _add_complaints(self, group: str, window: str, figures: ComplaintWindow | None) -> None:
        if figures is None:
            return
        acc = self.complaints[group][window]
        acc[0] += figures.received
        acc[1] += figures.resolved
        acc[2] += figures.within_sla
        if figures.mean_working_days is not None:
            acc[3] += figures.mean_working_days * figures.resolved

    def summary(self) -> dict[str, Any]:
        """The pooled figures as the snapshot stores them."""
        out: dict[str, Any] = {
            "programmes": self.programmes,
            "trained_units": len(self.trained_units),
        }
        for group in GROUPS:
            out[group] = {
                "pairs": len(self.ikm[group]["before"]),  # (programme, unit) pairs averaged
                "units": len(self.with_ikm[group]),  # distinct service units among them
                "ikm_before": _mean(self.ikm[group]["before"]),
                "ikm_after": _mean(self.ikm[group]["after"]),
            }
            for w in WINDOWS:
                received, resolved, within, days = self.complaints[group][w]
                out[group][f"complaints_{w}"] = int(received)
                out[group][f"sla_{w}"] = _share(int(within), int(received))
                out[group][f"days_{w}"] = days / resolved if resolved else None
        return out


def _service_before_after(instansi: Instansi, year: int, tree: c.UnitTree, today: date) -> dict:
    """IKM and complaint handling before/after, trained units vs the others (see the module
    docstring), pooled over the year's programmes."""
    periods = list(
        Batch.objects.filter(
            programme__instansi=instansi,
            start_date__lte=date(year, 12, 31),
            end_date__gte=date(year, 1, 1),
        )
        .values("programme_id")
        .annotate(first=Min("start_date"), last=Max("end_date"))
        .order_by("programme_id")
    )
    programmes = Programme.objects.in_bulk([p["programme_id"] for p in periods])
    pool = _ServicePool()
    for p in periods:
        programme = programmes.get(p["programme_id"])
        if programme is None or p["first"] > today:
            continue  # a programme not yet started has no "after"
        windows = default_windows(p["first"], p["last"], today)
        impact: Impact = programme_impact(programme, windows, tree, today)
        if impact.units:
            pool.add(impact)
    return pool.summary()


def _followups(instansi: Instansi, year: int, now: datetime) -> dict[str, Any]:
    """The atasan's L3 ratings due in the year (the card says "oleh atasan": the participants'
    own follow-up ratings are not counted) by state; ``answered_due`` are those answered among
    the ones due by now (one answered early is not yet due)."""
    qs = c.l3_followups(
        FollowUp.objects.filter(
            batch__programme__instansi=instansi, due_at__year=year, rater_role=RaterRole.ATASAN
        )
    )
    agg = qs.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(response__isnull=False)),
        answered_due=Count("id", filter=Q(response__isnull=False, due_at__lte=now)),
        escalated=Count(
            "id", filter=Q(response__isnull=True, due_at__lte=now, escalated_at__isnull=False)
        ),
        waiting=Count(
            "id", filter=Q(response__isnull=True, due_at__lte=now, escalated_at__isnull=True)
        ),
        upcoming=Count("id", filter=Q(response__isnull=True, due_at__gt=now)),
    )
    out: dict[str, Any] = {k: int(v) for k, v in agg.items()}
    out["due"] = out["answered_due"] + out["escalated"] + out["waiting"]
    out["share"] = _share(out["answered_due"], out["due"])
    return out


def _recommendations(instansi: Instansi, today: date) -> dict[str, Any]:
    qs = Recommendation.objects.filter(instansi=instansi)
    agg = qs.aggregate(
        open=Count("id", filter=Q(status=RecommendationStatus.OPEN)),
        in_progress=Count("id", filter=Q(status=RecommendationStatus.IN_PROGRESS)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        done=Count("id", filter=Q(status=RecommendationStatus.DONE)),
    )
    urgent = (
        qs.filter(status__in=OPEN_STATUSES)
        .select_related("owner_user", "owner_unit")
        .order_by(F("due_date").asc(nulls_last=True), "-created")[:URGENT_SHOWN]
    )
    agg["urgent"] = [
        {
            "pk": r.pk,
            "text": r.text,  # the site's language; the page writes it in the reader's
            "rule_id": r.rule_id,
            "evidence": r.evidence,
            "owner": r.owner_label,
            "due": r.due_date.isoformat() if r.due_date else None,
            "overdue": bool(r.due_date and r.due_date < today),
        }
        for r in urgent
    ]
    return agg


def _jp_compliance(employees: QuerySet[Employee], year: int, tree: c.UnitTree) -> dict[str, Any]:
    """PNS who reached the yearly JP minimum, per OPD and in all."""
    per_opd: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, (k, m) in c.jp_compliance_by_unit(employees, year).items():
        opd = tree.opd_of(unit_id).pk
        per_opd[opd][0] += k
        per_opd[opd][1] += m
    n: dict[str, Any] = {}
    n["jp_opd"] = sorted(
        ([tree.units[k].display_name, v[0], v[1]] for k, v in per_opd.items()),
        key=lambda r: r[0],
    )
    n["jp_total"] = sum(v[0] for v in per_opd.values())
    n["jp_met"] = sum(v[1] for v in per_opd.values())
    n["jp_share"] = _share(n["jp_met"], n["jp_total"])
    return n


def _participation(enrolments: QuerySet[Enrolment], tree: c.UnitTree) -> dict[str, Any]:
    """The participation funnel of the year's batches, the mean learning gain and the number of
    employees who completed."""
    f = c.funnel(enrolments, tree)
    return {
        "funnel": {
            "invited": f.invited,
            "accepted": f.accepted,
            "attended": f.attended,
            "completed": f.completed,
            "declined": f.declined,
            "held": f.held,
            "held_completed": f.held_completed,
            # invitations apart from the participants recorded from a held training's list
            "invitations": f.invited - f.held,
            "invitations_completed": f.completed - f.held_completed,
        },
        "gains": _mean(f.gains),
        "participants": (
            enrolments.filter(completed_at__isnull=False).values("employee_id").distinct().count()
        ),
    }


def _programme_figures(
    instansi: Instansi, year: int, enrolments: QuerySet[Enrolment]
) -> dict[str, Any]:
    """Reaction and learning per programme, best first, and the mean reaction index."""
    answered = Programme.objects.filter(
        pk__in=Response.objects.filter(
            programme__instansi=instansi,
            kind=InstrumentKind.REACTION,
            submitted_at__year=year,
        ).values("programme_id")
    ).order_by("pk")
    reaction = {
        pk: index
        for pk, result in programme_reactions(
            answered, Q(response__submitted_at__year=year)
        ).items()
        if (index := reaction_index(result)) is not None
    }
    prog = enrolments.values("batch__programme_id", "batch__programme__title").annotate(
        inv=Count("id"),
        comp=Count("id", filter=Q(completed_at__isnull=False)),
        gain=Avg("learning_gain"),
    )
    prows = [
        [
            p["batch__programme__title"],
            p["inv"],
            p["comp"],
            _share(p["comp"], p["inv"]),
            None if p["gain"] is None else float(p["gain"]),
            reaction.get(p["batch__programme_id"]),
        ]
        for p in prog.order_by("batch__programme__title")
    ]
    prows.sort(key=lambda r: -((r[4] or 0) + (r[3] or 0)))
    return {
        "programmes": prows,
        "reaction": _mean([v for v in reaction.values() if v is not None]),
        "reaction_programmes": sum(v is not None for v in reaction.values()),
    }


def _behaviour(instansi: Instansi, year: int) -> dict[str, Any]:
    """Behaviour change: the atasan's mean rating before and 3 and 6 months after (the
    participants' own ratings are left out: mixed in, a phase rated mostly by oneself would
    move the mean for that alone)."""
    beh = dict(
        Answer.objects.filter(
            response__programme__instansi=instansi,
            response__kind="perilaku",
            response__rater_role=RaterRole.ATASAN,
            # the 1–5 behaviour items only: a perilaku form also asks 0–100 % attribution and
            # confidence (L5), which averaged in would read as a behaviour score of ~25
            item__kind=ItemKind.LIKERT,
            value__isnull=False,
            response__submitted_at__year__in=(year, year - 1),
        )
        .values_list("response__phase")
        .annotate(v=Avg("value"))
        .values_list("response__phase", "v")
        .order_by()
    )
    return {k: beh.get(k) for k in ("sebelum", "3bulan", "6bulan")}


def _ikm_monthly(
    instansi: Instansi, year: int, tree: c.UnitTree, trained: set[int]
) -> list[list[float | None]]:
    """The mean IKM of the service units per month, [trained OPDs, the others]."""
    units = list(ServiceUnit.objects.filter(instansi=instansi, is_active=True))
    su_opd = {u.pk: tree.opd_of(u.unit_id).pk if u.unit_id in tree.units else None for u in units}
    series = (
        service_q.monthly_ikm_series([u.pk for u in units], date(year, 1, 1), date(year, 12, 1))
        if units
        else []
    )
    by_month: dict[tuple[int, bool], list[float]] = defaultdict(list)
    for s in series:
        if s["ikm_unit"] is not None:
            by_month[(s["month"].month, su_opd.get(s["service_unit_id"]) in trained)].append(
                float(s["ikm_unit"])
            )
    return [[_mean(by_month[(m, True)]), _mean(by_month[(m, False)])] for m in range(1, 13)]


def _complaints_monthly(
    instansi: Instansi, year: int, tree: c.UnitTree, trained: set[int], today: date
) -> dict[str, Any]:
    """The median working days to resolve a complaint per month, [trained OPDs, the others]
    (a month with fewer than 3 complaints in a group has none), and over the year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    qs = Complaint.objects.filter(
        instansi=instansi, received_at__gte=c.aware(start), received_at__lte=c.aware(end, True)
    )
    # grouped by the database (unit, category, received day, closed day); Kaplan–Meier on the
    # groups expanded to one duration per complaint gives the per-complaint curve
    g = service_q.complaint_resolution_groups(qs, min(end, today), instansi.pk)

    def km_median(mask: Any = None) -> float | None:
        days, events = g.expand(mask)
        if not days.size:
            return None
        return kaplan_meier(days.astype(float), events.astype(int)).median

    month_of = g.received.astype("datetime64[M]").astype(int) % 12 + 1
    trained_by_unit = {
        u: (tree.opd_of(u).pk in trained if u in tree.units else False)
        for u in set(g.unit_ids.tolist())
    }
    is_trained = np.array([trained_by_unit[u] for u in g.unit_ids.tolist()], dtype=bool)
    crow: list[list[float | None]] = []
    for m in range(1, 13):
        vals = []
        for grp in (True, False):
            mask = (month_of == m) & (is_trained == grp)
            vals.append(km_median(mask) if int(g.count[mask].sum()) >= 3 else None)
        crow.append(vals)
    return {"complaints_monthly": crow, "complaints_median": km_median()}


def collect_figures(instansi: Instansi, year: int, today: date | None = None) -> dict[str, Any]:
    """Every number the dashboard shows, unrounded and unlabelled (JSON-able)."""
    today = today or timezone.localdate()
    now = timezone.now() if today == timezone.localdate() else c.aware(today, True)
    tree = c.unit_tree(instansi.pk)
    employees = Employee.objects.filter(instansi=instansi, is_active=True)
    enrolments = Enrolment.objects.filter(instansi=instansi, batch__start_date__year=year)
    n: dict[str, Any] = {}
    n.update(_jp_compliance(employees, year, tree))
    n.update(_participation(enrolments, tree))
    # a programme is ranked once one of its batches is over: one not yet held is not "terlemah"
    n.update(_programme_figures(instansi, year, enrolments.filter(batch__end_date__lt=today)))
    n["behaviour"] = _behaviour(instansi, year)
    n["followups"] = _followups(instansi, year, now)

    # IKM and complaint speed per month: OPDs with a participant who completed vs the others
    trained = c.trained_units(
        Enrolment.objects.filter(instansi=instansi, batch__start_date__lte=date(year, 12, 31)),
        tree,
    )
    n["ikm_monthly"] = _ikm_monthly(instansi, year, tree, trained)
    n.update(_complaints_monthly(instansi, year, tree, trained, today))

    # public service before/after training (the report's impact section, pooled)
    n["service"] = _service_before_after(instansi, year, tree, today)

    # IP ASN distribution
    table = table_for(instansi.pk, date(year, 12, 31))
    summ = summarise(ip_for_employees(employees, year, table))
    n["ip_asn"] = [[k, summ.categories.get(k, 0)] for k in IP_ORDER]
    n["ip_mean"] = summ.mean
    n["ip_employees"], n["ip_without_skp"] = summ.n, summ.without_skp
    n["ip_without_education"] = summ.without_education
    n["ip_kinerja_no_skp"] = table.kinerja_no_skp

    n["recommendations"] = _recommendations(instansi, today)
    # rows of imported complaint files no figure here counts: their unit is not in the tree
    n["complaints_waiting"] = imp.waiting_rows(
        instansi.pk,
        ComplaintsImport.key,
        field="received_at",
        period=(date(year, 1, 1), date(year, 12, 31)),
    )
    return n


# --- presenting ------------------------------------------------------------------------------


@dataclass
class _Board:
    """The cards, charts and evidence tables laid out so far, in the order a reader meets them."""

    cards: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def table(
        self, slug: str, title: str, headers: list[str], rows: list[list[Any]], source: str = ""
    ) -> None:
        self.tables[slug] = {
            "slug": slug,
            "title": title,
            "headers": headers,
            "rows": rows,
            "source": source,
        }

    def figure(self, slug: str, title: str, svg: str) -> None:
        self.figures.append({"slug": slug, "title": title, "svg": svg})

    def card(self, slug: str, label: str, value: Any, kind: str, note: str = "") -> None:
        """A figure; ``note`` says what it is taken over (its counts), under the value."""
        self.cards.append(
            {"slug": slug, "label": label, "value": value, "kind": kind, "note": note}
        )


def _present_service(board: _Board, s: dict[str, Any], year: int) -> None:
    """Public service before/after training: the table, and the IKM and on-time charts."""
    trained_label, others_label = _("Unit terlatih"), _("Unit lain")
    srows: list[list[Any]] = []
    for key, label in (("trained", trained_label), ("others", others_label)):
        g = s[key]
        srows.append(
            [
                label,
                g["pairs"],
                g["ikm_before"],
                g["ikm_after"],
                g["complaints_before"],
                None if g["sla_before"] is None else g["sla_before"] * 100,
                g["complaints_after"],
                None if g["sla_after"] is None else g["sla_after"] * 100,
            ]
        )
    board.table(
        "layanan",
        _("Layanan publik sebelum dan sesudah pelatihan ({year})").format(year=year),
        [
            _("Kelompok"),
            _("Unit (per program)"),
            _("IKM sebelum"),
            _("IKM sesudah"),
            _("Pengaduan sebelum (per program)"),
            _("Tepat waktu sebelum (%)"),
            _("Pengaduan sesudah (per program)"),
            _("Tepat waktu sesudah (%)"),
        ],
        srows,
        "service:home",
    )
    groups = [trained_label, others_label]
    _before_after_chart(board, _("IKM sebelum dan sesudah pelatihan"), groups, srows, (2, 3), "IKM")
    _before_after_chart(board, _("Pengaduan selesai tepat waktu (%)"), groups, srows, (5, 7), "%")


def _before_after_chart(
    board: _Board,
    title: str,
    groups: list[str],
    rows: list[list[Any]],
    columns: tuple[int, int],
    ylabel: str,
) -> None:
    """The service table's before and after ``columns`` as grouped bars per group."""
    before, after = columns
    # a chart only where there is something to draw: an empty frame reads as "zero"
    if not any(v is not None for r in rows for v in (r[before], r[after])):
        return
    board.figure(
        "layanan",
        title,
        charts.grouped(
            groups,
            {
                _("Sebelum pelatihan"): [r[before] for r in rows],
                _("Sesudah pelatihan"): [r[after] for r in rows],
            },
            ylabel=ylabel,
            decimals=1,
        ),
    )


def _present_jp(board: _Board, n: dict[str, Any], year: int) -> None:
    """The 20-JP right per OPD (the share in percent, as the chart beside it)."""
    jp_rows = [[name, k, m, None if k == 0 else m / k * 100] for name, k, m in n["jp_opd"]]
    board.table(
        "jp",
        _("Pemenuhan {jp} JP per OPD ({year})").format(jp=formatting.jp_minimum(), year=year),
        [_("OPD"), _("PNS"), _("Memenuhi"), _("Proporsi (%)")],
        jp_rows,
        "participation:jp_dashboard",
    )
    board.card(
        "jp",
        _("Pemenuhan {jp} JP").format(jp=formatting.jp_minimum()),
        _share(n["jp_met"], n["jp_total"]),
        "pct",
    )
    board.figure(
        "jp",
        _("Pemenuhan {jp} JP per OPD (%)").format(jp=formatting.jp_minimum()),
        charts.bars(
            [r[0] for r in jp_rows],
            [r[3] for r in jp_rows],
            xlabel="%",
        ),
    )


def _count_table_and_bars(
    board: _Board,
    slug: str,
    titles: tuple[str, str],
    headers: list[str],
    rows: list[list[Any]],
    source: str = "",
    highlight: list[bool] | None = None,
) -> None:
    """A two-column table of (label, count) and its bar chart; ``titles`` are the table's and
    the chart's."""
    table_title, figure_title = titles
    board.table(slug, table_title, headers, rows, source)
    board.figure(
        slug,
        figure_title,
        charts.bars([r[0] for r in rows], [r[1] for r in rows], decimals=0, highlight=highlight),
    )


def _present_funnel(board: _Board, fn: dict[str, Any], year: int) -> None:
    """The participation funnel and the completion rate."""
    stages = ("invited", "accepted", "declined", "attended", "completed", "held")
    frows = c.funnel_stages(c.Funnel(**{k: fn.get(k, 0) for k in stages}))
    _count_table_and_bars(
        board,
        "corong",
        (_("Corong partisipasi ({year})").format(year=year), _("Corong partisipasi")),
        [_("Tahap"), str(c.FUNNEL_COUNT)],
        frows,
        "participation:enrolment_list",
    )
    board.card(
        "corong",
        _("Tingkat penyelesaian"),
        _share(fn["completed"], fn["invited"]),
        "pct",
        _("{completed} dari {n} keikutsertaan (termasuk yang menolak)").format(
            completed=fn["completed"], n=fn["invited"]
        ),
    )


def _present_programmes(board: _Board, n: dict[str, Any]) -> None:
    """Programmes: completion, learning gain, reaction. Everyone registered counts, invited or
    recorded from a held training's attendance list; completion in percent, as the card."""
    prows = [list(r) for r in n["programmes"]]
    shown = [[*r[:3], None if r[3] is None else r[3] * 100, *r[4:]] for r in prows]
    board.table(
        "program",
        _("Program terbaik dan terlemah (peningkatan belajar + penyelesaian)"),
        [
            _("Program"),
            _("Terdaftar"),
            _("Selesai"),
            _("Penyelesaian (%)"),
            _("Peningkatan belajar rata-rata"),
            _("Indeks reaksi (penyelenggaraan)"),
        ],
        shown,
        "cycle_program",
    )
    board.card(
        "program",
        _("Indeks reaksi rata-rata"),
        n["reaction"],
        "num",
        ngettext(
            "indeks penyelenggaraan (L1), rata-rata dari {k} program (0–100)",
            "indeks penyelenggaraan (L1), rata-rata dari {k} program (0–100)",
            n["reaction_programmes"],
        ).format(k=n["reaction_programmes"]),
    )
    board.card("program", _("Peningkatan belajar rata-rata"), n["gains"], "num")
    board.figure(
        "program",
        _("Peningkatan belajar per program"),
        charts.bars([r[0] for r in prows], [r[4] for r in prows], decimals=2),
    )


def _present_behaviour(board: _Board, beh: dict[str, Any], fu: dict[str, Any], year: int) -> None:
    """Behaviour (L3): the mean ratings, and the atasan's follow-up ratings by state."""
    brows: list[list[Any]] = [
        [_("Sebelum"), beh["sebelum"]],
        [_("3 bulan setelah"), beh["3bulan"]],
        [_("6 bulan setelah"), beh["6bulan"]],
    ]
    board.table(
        "perilaku",
        _("Perubahan perilaku (rata-rata penilaian atasan)"),
        [_("Tahap"), _("Rata-rata")],
        brows,
    )
    later = beh["6bulan"] if beh["6bulan"] is not None else beh["3bulan"]
    board.card(
        "perilaku",
        _("Perubahan perilaku menurut atasan (sesudah − sebelum)"),
        None if beh["sebelum"] is None or later is None else later - beh["sebelum"],
        "num",
    )
    _count_table_and_bars(
        board,
        "tindak_lanjut",
        (
            _("Penilaian perilaku oleh atasan 3 dan 6 bulan setelah pelatihan ({year})").format(
                year=year
            ),
            _("Penilaian perilaku oleh atasan"),
        ),
        [_("Keadaan"), _("Penilaian")],
        [
            [_("Sudah diisi"), fu["answered"]],
            [_("Jatuh tempo, belum diisi"), fu["waiting"]],
            [_("Diteruskan ke atasan penilai"), fu["escalated"]],
            [_("Belum jatuh tempo"), fu["upcoming"]],
        ],
        highlight=[False, True, True, False],
    )


def _monthly_table_and_lines(
    board: _Board,
    slug: str,
    titles: tuple[str, str],
    monthly: list[list[Any]],
    source: str,
    ylabel: str,
) -> list[list[Any]]:
    """A month-by-month table and line chart of [trained OPDs, the others] (an OPD with a
    participant who completed a programme is trained); ``titles`` are the table's and the
    chart's. Returns the table's rows."""
    table_title, figure_title = titles
    opd_trained, opd_others = _("OPD terlatih"), _("OPD lain")
    months = month_labels()
    rows: list[list[Any]] = [[months[i], *v] for i, v in enumerate(monthly)]
    board.table(slug, table_title, [_("Bulan"), opd_trained, opd_others], rows, source)
    board.figure(
        slug,
        figure_title,
        charts.lines(
            [r[0] for r in rows],
            {opd_trained: [r[1] for r in rows], opd_others: [r[2] for r in rows]},
            ylabel=ylabel,
        ),
    )
    return rows


def _present_monthly(board: _Board, n: dict[str, Any], year: int) -> None:
    """IKM and the median working days to resolve a complaint, per month."""
    ikm_rows = _monthly_table_and_lines(
        board,
        "ikm",
        (
            _(
                "IKM per bulan ({year}): OPD terlatih (sedikitnya satu pegawainya lulus pelatihan) "
                "dan OPD lain"
            ).format(year=year),
            _("IKM per bulan: OPD terlatih dan OPD lain"),
        ),
        n["ikm_monthly"],
        "service:home",
        "IKM",
    )
    last = [i for i, r in enumerate(ikm_rows) if r[1] is not None]
    board.card(
        "ikm",
        _("IKM OPD terlatih (bulan terakhir yang berisi)"),
        ikm_rows[last[-1]][1] if last else None,
        "num",
        formatting.month(date(year, last[-1] + 1, 1)) if last else "",
    )
    _monthly_table_and_lines(
        board,
        "pengaduan",
        (
            _("Median hari kerja penyelesaian pengaduan ({year})").format(year=year),
            _("Lama penyelesaian pengaduan (median hari kerja)"),
        ),
        n["complaints_monthly"],
        "service:complaints",
        _("hari kerja"),
    )
    board.card(
        "pengaduan",
        _("Median penyelesaian pengaduan (hari kerja)"),
        n["complaints_median"],
        "num",
    )


def present(n: dict[str, Any], year: int) -> dict[str, Any]:
    """Cards, evidence tables and charts from :func:`collect_figures`' numbers, labelled in the
    active language."""
    board = _Board()
    _present_service(board, n["service"], year)
    _present_jp(board, n, year)
    _present_funnel(board, n["funnel"], year)
    _present_programmes(board, n)
    _present_behaviour(board, n["behaviour"], n["followups"], year)
    _present_monthly(board, n, year)
    _count_table_and_bars(
        board,
        "ip_asn",
        (_("Sebaran IP ASN ({year})").format(year=year), _("Sebaran IP ASN")),
        [_("Kategori"), _("Pegawai")],
        [list(r) for r in n["ip_asn"]],
        "reports:ip_city",
    )
    board.card(
        "ip_asn",
        _("IP ASN rata-rata"),
        n["ip_mean"],
        "num",
        _("{n} pegawai; {without} tanpa SKP, kinerjanya dihitung {points}").format(
            n=n["ip_employees"],
            without=n["ip_without_skp"],
            points=formatting.number(n["ip_kinerja_no_skp"], 2),
        )
        + (
            _("; {unknown} tanpa data pendidikan tidak dihitung").format(
                unknown=n["ip_without_education"]
            )
            if n["ip_without_education"]
            else ""
        ),
    )
    return {"cards": board.cards, "figures": board.figures, "tables": board.tables}


# The shape of a stored snapshot; raised whenever the page reads something older snapshots lack,
# so that a snapshot stored by an earlier version is shown as "to be recomputed", not rendered.
SNAPSHOT_FORMAT = 7


def compute_dashboard(instansi: Instansi, year: int, today: date | None = None) -> dict[str, Any]:
    """The snapshot's data: the numbers, their cards, tables and charts in the default language
    at the top level, and in each other language of the site under ``languages``."""
    numbers = collect_figures(instansi, year, today)
    with translation.override(settings.LANGUAGE_CODE):
        default = present(numbers, year)
    others = {}
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            with translation.override(code):
                others[code] = present(numbers, year)
    return {
        "format": SNAPSHOT_FORMAT,
        "year": year,
        "numbers": numbers,
        **default,
        "languages": others,
    }
