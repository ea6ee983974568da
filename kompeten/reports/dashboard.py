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
from datetime import date, datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Avg, Count, F, Max, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kompeten.core import charts
from kompeten.core.models import Instansi
from kompeten.evaluation.models import Answer, FollowUp, ItemKind
from kompeten.learning.models import Batch, Programme
from kompeten.participation.models import Enrolment
from kompeten.people.models import Employee
from kompeten.reports import collect as c
from kompeten.reports.impact import Impact, default_windows, programme_impact
from kompeten.reports.ipasn import ip_for_employees, summarise
from kompeten.reports.models import Recommendation, RecommendationStatus
from kompeten.service import queries as service_q
from kompeten.service.models import Complaint, ServiceUnit
from kompeten.stats import kaplan_meier

# Indonesian short month names (the default language's labels; tests compare against them)
MONTH_LABELS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
IP_ORDER = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")
OPEN_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
URGENT_SHOWN = 3


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def month_labels() -> list[str]:
    """The short month names in the active language."""
    return [pgettext("bulan singkat", m) for m in MONTH_LABELS]


# --- collecting ------------------------------------------------------------------------------


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
    ikm: dict[str, dict[str, list[float]]] = {
        g: {"before": [], "after": []} for g in ("trained", "others")
    }
    trained_units: set[int] = set()
    with_ikm: dict[str, set[int]] = {"trained": set(), "others": set()}
    comp: dict[str, dict[str, list[float]]] = {
        g: {w: [0, 0, 0, 0.0] for w in ("before", "after")} for g in ("trained", "others")
    }  # received, resolved, within SLA, sum of working days to resolution
    n_programmes = 0
    for p in periods:
        programme = programmes.get(p["programme_id"])
        if programme is None or p["first"] > today:
            continue  # a programme not yet started has no "after"
        windows = default_windows(p["first"], p["last"], today)
        impact: Impact = programme_impact(programme, windows, tree, today)
        if not impact.units:
            continue
        n_programmes += 1
        for group, units in (("trained", impact.units), ("others", impact.comparison)):
            for u in units:
                if group == "trained":
                    trained_units.add(u.service_unit_id)
                if u.ikm_before.ikm is not None and u.ikm_after.ikm is not None:
                    ikm[group]["before"].append(u.ikm_before.ikm)
                    ikm[group]["after"].append(u.ikm_after.ikm)
                    with_ikm[group].add(u.service_unit_id)
        pairs = [("trained", impact.pooled_complaints_before, impact.pooled_complaints_after)]
        pairs += [("others", u.complaints_before, u.complaints_after) for u in impact.comparison]
        for group, before, after in pairs:
            for w, figures in (("before", before), ("after", after)):
                if figures is None:
                    continue
                acc = comp[group][w]
                acc[0] += figures.received
                acc[1] += figures.resolved
                acc[2] += figures.within_sla
                if figures.mean_working_days is not None:
                    acc[3] += figures.mean_working_days * figures.resolved
    out: dict[str, Any] = {"programmes": n_programmes, "trained_units": len(trained_units)}
    for group in ("trained", "others"):
        out[group] = {
            "pairs": len(ikm[group]["before"]),  # (programme, unit) pairs averaged
            "units": len(with_ikm[group]),  # distinct service units among them
            "ikm_before": _mean(ikm[group]["before"]),
            "ikm_after": _mean(ikm[group]["after"]),
        }
        for w in ("before", "after"):
            received, resolved, within, days = comp[group][w]
            out[group][f"complaints_{w}"] = int(received)
            out[group][f"sla_{w}"] = _share(int(within), int(received))
            out[group][f"days_{w}"] = days / resolved if resolved else None
    return out


def _followups(instansi: Instansi, year: int, now: datetime) -> dict[str, Any]:
    qs = c.l3_followups(
        FollowUp.objects.filter(batch__programme__instansi=instansi, due_at__year=year)
    )
    agg = qs.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(response__isnull=False)),
        escalated=Count(
            "id", filter=Q(response__isnull=True, due_at__lte=now, escalated_at__isnull=False)
        ),
        waiting=Count(
            "id", filter=Q(response__isnull=True, due_at__lte=now, escalated_at__isnull=True)
        ),
        upcoming=Count("id", filter=Q(response__isnull=True, due_at__gt=now)),
    )
    out: dict[str, Any] = {k: int(v) for k, v in agg.items()}
    out["due"] = out["answered"] + out["escalated"] + out["waiting"]
    out["share"] = _share(out["answered"], out["due"])
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


def collect_figures(instansi: Instansi, year: int, today: date | None = None) -> dict[str, Any]:
    """Every number the dashboard shows, unrounded and unlabelled (JSON-able)."""
    today = today or timezone.localdate()
    now = timezone.now() if today == timezone.localdate() else c.aware(today, True)
    tree = c.unit_tree(instansi.pk)
    start, end = date(year, 1, 1), date(year, 12, 31)
    n: dict[str, Any] = {}

    # JP compliance per OPD
    employees = Employee.objects.filter(instansi=instansi, is_active=True)
    per_opd: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, (k, m) in c.jp_compliance_by_unit(employees, year).items():
        opd = tree.opd_of(unit_id).pk
        per_opd[opd][0] += k
        per_opd[opd][1] += m
    n["jp_opd"] = sorted(
        ([tree.units[k].display_name, v[0], v[1]] for k, v in per_opd.items()),
        key=lambda r: r[0],
    )
    n["jp_total"] = sum(v[0] for v in per_opd.values())
    n["jp_met"] = sum(v[1] for v in per_opd.values())
    n["jp_share"] = _share(n["jp_met"], n["jp_total"])

    # participation funnel
    enrolments = Enrolment.objects.filter(instansi=instansi, batch__start_date__year=year)
    f = c.funnel(enrolments, tree)
    n["funnel"] = {
        "invited": f.invited,
        "accepted": f.accepted,
        "attended": f.attended,
        "completed": f.completed,
        "declined": f.declined,
    }
    n["gains"] = _mean(f.gains)
    n["participants"] = (
        enrolments.filter(completed_at__isnull=False).values("employee_id").distinct().count()
    )

    # reaction and learning per programme
    index_expr = (F("value") - 1) * 100.0 / (F("response__instrument__scale_max") - 1)
    reaction = {
        r["response__programme_id"]: r["v"]
        for r in Answer.objects.filter(
            response__programme__instansi=instansi,
            response__kind="reaksi",
            item__kind="likert",
            value__isnull=False,
            response__submitted_at__year=year,
        )
        .values("response__programme_id")
        .annotate(v=Avg(index_expr))
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
    n["programmes"] = prows
    n["reaction"] = _mean([v for v in reaction.values() if v is not None])

    # behaviour change (atasan ratings before vs after)
    beh = dict(
        Answer.objects.filter(
            response__programme__instansi=instansi,
            response__kind="perilaku",
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
    n["behaviour"] = {k: beh.get(k) for k in ("sebelum", "3bulan", "6bulan")}
    n["followups"] = _followups(instansi, year, now)

    # IKM and complaint speed per month: OPDs with a participant who completed vs the others
    trained = c.trained_units(
        Enrolment.objects.filter(instansi=instansi, batch__start_date__lte=end), tree
    )
    units = list(ServiceUnit.objects.filter(instansi=instansi, is_active=True))
    su_opd = {u.pk: tree.opd_of(u.unit_id).pk if u.unit_id in tree.units else None for u in units}
    series = (
        service_q.monthly_ikm_series([u.pk for u in units], start, date(year, 12, 1))
        if units
        else []
    )
    by_month: dict[tuple[int, bool], list[float]] = defaultdict(list)
    for s in series:
        if s["ikm_unit"] is not None:
            by_month[(s["month"].month, su_opd.get(s["service_unit_id"]) in trained)].append(
                float(s["ikm_unit"])
            )
    n["ikm_monthly"] = [
        [_mean(by_month[(m, True)]), _mean(by_month[(m, False)])] for m in range(1, 13)
    ]

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
    n["complaints_monthly"] = crow
    n["complaints_median"] = km_median()

    # public service before/after training (the report's impact section, pooled)
    n["service"] = _service_before_after(instansi, year, tree, today)

    # IP ASN distribution
    summ = summarise(ip_for_employees(employees, year))
    n["ip_asn"] = [[k, summ.categories.get(k, 0)] for k in IP_ORDER]
    n["ip_mean"] = summ.mean

    n["recommendations"] = _recommendations(instansi, today)
    return n


# --- presenting ------------------------------------------------------------------------------


def present(n: dict[str, Any], year: int) -> dict[str, Any]:
    """Cards, evidence tables and charts from :func:`collect_figures`' numbers, labelled in the
    active language."""
    figures: list[dict[str, Any]] = []
    tables: dict[str, dict[str, Any]] = {}
    cards: list[dict[str, Any]] = []
    months = month_labels()
    trained_label, others_label = _("Unit terlatih"), _("Unit lain")
    before_label, after_label = _("Sebelum pelatihan"), _("Sesudah pelatihan")
    # the monthly charts split by OPD: one with a participant who completed a programme
    opd_trained, opd_others = _("OPD terlatih"), _("OPD lain")

    def table(
        slug: str, title: str, headers: list[str], rows: list[list[Any]], source: str = ""
    ) -> None:
        tables[slug] = {
            "slug": slug,
            "title": title,
            "headers": headers,
            "rows": rows,
            "source": source,
        }

    # public service before/after training
    s = n["service"]
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
    table(
        "layanan",
        _("Layanan publik sebelum dan sesudah pelatihan ({year})").format(year=year),
        [
            _("Kelompok"),
            _("Unit (per program)"),
            _("IKM sebelum"),
            _("IKM sesudah"),
            _("Pengaduan sebelum"),
            _("Tepat waktu sebelum (%)"),
            _("Pengaduan sesudah"),
            _("Tepat waktu sesudah (%)"),
        ],
        srows,
        "service:home",
    )
    # a chart only where there is something to draw: an empty frame reads as "zero"
    if any(v is not None for r in srows for v in (r[2], r[3])):
        figures.append(
            {
                "slug": "layanan",
                "title": _("IKM sebelum dan sesudah pelatihan"),
                "svg": charts.grouped(
                    [trained_label, others_label],
                    {before_label: [r[2] for r in srows], after_label: [r[3] for r in srows]},
                    ylabel="IKM",
                    decimals=1,
                ),
            }
        )
    if any(v is not None for r in srows for v in (r[5], r[7])):
        figures.append(
            {
                "slug": "layanan",
                "title": _("Pengaduan selesai tepat waktu (%)"),
                "svg": charts.grouped(
                    [trained_label, others_label],
                    {before_label: [r[5] for r in srows], after_label: [r[7] for r in srows]},
                    ylabel="%",
                    decimals=1,
                ),
            }
        )

    # 20 JP per OPD
    jp_rows = [[name, k, m, _share(m, k)] for name, k, m in n["jp_opd"]]
    table(
        "jp",
        _("Pemenuhan 20 JP per OPD ({year})").format(year=year),
        [_("OPD"), _("PNS"), _("Memenuhi"), _("Proporsi")],
        jp_rows,
        "participation:jp_dashboard",
    )
    cards.append(
        {
            "slug": "jp",
            "label": _("Pemenuhan 20 JP"),
            "value": _share(n["jp_met"], n["jp_total"]),
            "kind": "pct",
        }
    )
    figures.append(
        {
            "slug": "jp",
            "title": _("Pemenuhan 20 JP per OPD (%)"),
            "svg": charts.bars(
                [r[0] for r in jp_rows],
                [None if r[3] is None else r[3] * 100 for r in jp_rows],
                xlabel="%",
            ),
        }
    )

    # participation funnel
    fn = n["funnel"]
    frows: list[list[Any]] = [
        [_("Diundang"), fn["invited"]],
        [_("Menerima"), fn["accepted"]],
        [_("Hadir"), fn["attended"]],
        [_("Selesai"), fn["completed"]],
        [_("Menolak"), fn["declined"]],
    ]
    table(
        "corong",
        _("Corong partisipasi ({year})").format(year=year),
        [_("Tahap"), _("Pegawai")],
        frows,
        "participation:enrolment_list",
    )
    cards.append(
        {
            "slug": "corong",
            "label": _("Tingkat penyelesaian"),
            "value": _share(fn["completed"], fn["invited"]),
            "kind": "pct",
        }
    )
    figures.append(
        {
            "slug": "corong",
            "title": _("Corong partisipasi"),
            "svg": charts.bars([r[0] for r in frows], [r[1] for r in frows], decimals=0),
        }
    )

    # programmes: completion, learning gain, reaction
    prows = [list(r) for r in n["programmes"]]
    table(
        "program",
        _("Program terbaik dan terlemah (peningkatan belajar + penyelesaian)"),
        [
            _("Program"),
            _("Diundang"),
            _("Selesai"),
            _("Penyelesaian"),
            _("Peningkatan belajar rata-rata"),
            _("Indeks reaksi"),
        ],
        prows,
        "cycle_program",
    )
    cards.append(
        {
            "slug": "program",
            "label": _("Indeks reaksi rata-rata"),
            "value": n["reaction"],
            "kind": "num",
        }
    )
    cards.append(
        {
            "slug": "program",
            "label": _("Peningkatan belajar rata-rata"),
            "value": n["gains"],
            "kind": "num",
        }
    )
    figures.append(
        {
            "slug": "program",
            "title": _("Peningkatan belajar per program"),
            "svg": charts.bars([r[0] for r in prows], [r[4] for r in prows], decimals=2),
        }
    )

    # behaviour (L3)
    beh = n["behaviour"]
    brows: list[list[Any]] = [
        [_("Sebelum"), beh["sebelum"]],
        [_("3 bulan setelah"), beh["3bulan"]],
        [_("6 bulan setelah"), beh["6bulan"]],
    ]
    table(
        "perilaku",
        _("Perubahan perilaku (rata-rata penilaian)"),
        [_("Tahap"), _("Rata-rata")],
        brows,
    )
    later = beh["6bulan"] if beh["6bulan"] is not None else beh["3bulan"]
    cards.append(
        {
            "slug": "perilaku",
            "label": _("Perubahan perilaku (sesudah − sebelum)"),
            "value": None if beh["sebelum"] is None or later is None else later - beh["sebelum"],
            "kind": "num",
        }
    )
    fu = n["followups"]
    table(
        "tindak_lanjut",
        _("Penilaian perilaku oleh atasan 3 dan 6 bulan setelah pelatihan ({year})").format(
            year=year
        ),
        [_("Keadaan"), _("Penilaian")],
        [
            [_("Sudah diisi"), fu["answered"]],
            [_("Jatuh tempo, belum diisi"), fu["waiting"]],
            [_("Diteruskan ke atasan penilai"), fu["escalated"]],
            [_("Belum jatuh tempo"), fu["upcoming"]],
        ],
    )
    figures.append(
        {
            "slug": "tindak_lanjut",
            "title": _("Penilaian perilaku oleh atasan"),
            "svg": charts.bars(
                [r[0] for r in tables["tindak_lanjut"]["rows"]],
                [r[1] for r in tables["tindak_lanjut"]["rows"]],
                decimals=0,
                highlight=[False, True, True, False],
            ),
        }
    )

    # IKM per month
    ikm_rows: list[list[Any]] = [[months[i], *v] for i, v in enumerate(n["ikm_monthly"])]
    table(
        "ikm",
        _(
            "IKM per bulan ({year}): OPD terlatih (sedikitnya satu pegawainya lulus pelatihan) "
            "dan OPD lain"
        ).format(year=year),
        [_("Bulan"), opd_trained, opd_others],
        ikm_rows,
        "service:home",
    )
    figures.append(
        {
            "slug": "ikm",
            "title": _("IKM per bulan: OPD terlatih dan OPD lain"),
            "svg": charts.lines(
                [r[0] for r in ikm_rows],
                {opd_trained: [r[1] for r in ikm_rows], opd_others: [r[2] for r in ikm_rows]},
                ylabel="IKM",
            ),
        }
    )
    last_t = [r[1] for r in ikm_rows if r[1] is not None]
    cards.append(
        {
            "slug": "ikm",
            "label": _("IKM OPD terlatih (bulan terakhir)"),
            "value": last_t[-1] if last_t else None,
            "kind": "num",
        }
    )

    # complaints per month
    crow: list[list[Any]] = [[months[i], *v] for i, v in enumerate(n["complaints_monthly"])]
    table(
        "pengaduan",
        _("Median hari kerja penyelesaian pengaduan ({year})").format(year=year),
        [_("Bulan"), opd_trained, opd_others],
        crow,
        "service:complaints",
    )
    figures.append(
        {
            "slug": "pengaduan",
            "title": _("Lama penyelesaian pengaduan (median hari kerja)"),
            "svg": charts.lines(
                [r[0] for r in crow],
                {opd_trained: [r[1] for r in crow], opd_others: [r[2] for r in crow]},
                ylabel=_("hari kerja"),
            ),
        }
    )
    cards.append(
        {
            "slug": "pengaduan",
            "label": _("Median penyelesaian pengaduan (hari kerja)"),
            "value": n["complaints_median"],
            "kind": "num",
        }
    )

    # IP ASN
    irows: list[list[Any]] = [list(r) for r in n["ip_asn"]]
    table(
        "ip_asn",
        _("Sebaran IP ASN ({year})").format(year=year),
        [_("Kategori"), _("Pegawai")],
        irows,
        "reports:ip_city",
    )
    figures.append(
        {
            "slug": "ip_asn",
            "title": _("Sebaran IP ASN"),
            "svg": charts.bars([r[0] for r in irows], [r[1] for r in irows], decimals=0),
        }
    )
    cards.append(
        {"slug": "ip_asn", "label": _("IP ASN rata-rata"), "value": n["ip_mean"], "kind": "num"}
    )
    return {"cards": cards, "figures": figures, "tables": tables}


# The shape of a stored snapshot; raised whenever the page reads something older snapshots lack,
# so that a snapshot stored by an earlier version is shown as "to be recomputed", not rendered.
SNAPSHOT_FORMAT = 3


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
