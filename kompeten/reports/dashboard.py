"""The leadership dashboard's figures, computed offline (worker, demo, command) into one
:class:`DashboardSnapshot` row, so the page reads one row however many rows lie behind it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Avg, Count, F, Q

from kompeten.core.models import Instansi
from kompeten.evaluation.models import Answer, ItemKind
from kompeten.participation.models import Enrolment
from kompeten.people.models import Employee
from kompeten.reports import charts
from kompeten.reports import collect as c
from kompeten.reports.ipasn import ip_for_employees, summarise
from kompeten.service import queries as service_q
from kompeten.service.models import Complaint, ServiceUnit
from kompeten.stats import kaplan_meier

MONTH_LABELS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def compute_dashboard(instansi: Instansi, year: int) -> dict[str, Any]:
    tree = c.unit_tree(instansi.pk)
    start, end = date(year, 1, 1), date(year, 12, 31)
    figures: list[dict[str, Any]] = []
    tables: dict[str, dict[str, Any]] = {}
    cards: list[dict[str, Any]] = []

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

    # JP compliance per OPD
    employees = Employee.objects.filter(instansi=instansi, is_active=True)
    per_opd: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, (k, m) in c.jp_compliance_by_unit(employees, year).items():
        opd = tree.opd_of(unit_id).pk
        per_opd[opd][0] += k
        per_opd[opd][1] += m
    n_t = sum(v[0] for v in per_opd.values())
    n_m = sum(v[1] for v in per_opd.values())
    jp_rows_out: list[list[Any]] = sorted(
        (
            [tree.units[k].display_name, v[0], v[1], v[1] / v[0] if v[0] else None]
            for k, v in per_opd.items()
        ),
        key=lambda r: r[0],
    )
    table(
        "jp",
        f"Pemenuhan 20 JP per OPD ({year})",
        ["OPD", "PNS", "Memenuhi", "Proporsi"],
        jp_rows_out,
        "participation:jp_dashboard",
    )
    cards.append(
        {
            "slug": "jp",
            "label": "Pemenuhan 20 JP",
            "value": n_m / n_t if n_t else None,
            "kind": "pct",
        }
    )
    figures.append(
        {
            "slug": "jp",
            "title": "Pemenuhan 20 JP per OPD (%)",
            "svg": charts.bars(
                [r[0] for r in jp_rows_out],
                [None if r[3] is None else r[3] * 100 for r in jp_rows_out],
                xlabel="%",
            ),
        }
    )

    # Funnel
    enrolments = Enrolment.objects.filter(instansi=instansi, batch__start_date__year=year)
    f = c.funnel(enrolments, tree)
    frows: list[list[Any]] = [
        ["Diundang", f.invited],
        ["Menerima", f.accepted],
        ["Hadir", f.attended],
        ["Selesai", f.completed],
        ["Menolak", f.declined],
    ]
    table(
        "corong",
        f"Corong partisipasi ({year})",
        ["Tahap", "Pegawai"],
        frows,
        "participation:enrolment_list",
    )
    cards.append(
        {
            "slug": "corong",
            "label": "Tingkat penyelesaian",
            "value": f.completed / f.invited if f.invited else None,
            "kind": "pct",
        }
    )
    figures.append(
        {
            "slug": "corong",
            "title": "Corong partisipasi",
            "svg": charts.bars([r[0] for r in frows], [r[1] for r in frows], decimals=0),
        }
    )

    # Reaction and learning per programme (best/weakest)
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
    prog = list(
        enrolments.values(
            "batch__programme_id", "batch__programme__code", "batch__programme__title"
        )
        .annotate(
            inv=Count("id"),
            comp=Count("id", filter=Q(completed_at__isnull=False)),
            gain=Avg("learning_gain"),
        )
        .order_by("batch__programme__code")
    )
    prows: list[list[Any]] = [
        [
            p["batch__programme__code"],
            p["batch__programme__title"],
            p["inv"],
            p["comp"],
            p["comp"] / p["inv"] if p["inv"] else None,
            None if p["gain"] is None else float(p["gain"]),
            reaction.get(p["batch__programme_id"]),
        ]
        for p in prog
    ]
    prows.sort(key=lambda r: -((r[5] or 0) + (r[4] or 0)))
    table(
        "program",
        "Program terbaik dan terlemah (gain + penyelesaian)",
        [
            "Kode",
            "Program",
            "Diundang",
            "Selesai",
            "Penyelesaian",
            "Gain rata-rata",
            "Indeks reaksi",
        ],
        prows,
        "cycle_program",
    )
    reac_all = [v for v in reaction.values() if v is not None]
    cards.append(
        {
            "slug": "program",
            "label": "Indeks reaksi rata-rata",
            "value": _mean(reac_all),
            "kind": "num",
        }
    )
    cards.append(
        {
            "slug": "program",
            "label": "Gain belajar rata-rata",
            "value": _mean(f.gains),
            "kind": "num",
        }
    )
    figures.append(
        {
            "slug": "program",
            "title": "Gain belajar per program",
            "svg": charts.bars([r[1] for r in prows], [r[5] for r in prows], decimals=2),
        }
    )

    # Behaviour change (atasan ratings before vs after)
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
    brows: list[list[Any]] = [
        ["Sebelum", beh.get("sebelum")],
        ["3 bulan setelah", beh.get("3bulan")],
        ["6 bulan setelah", beh.get("6bulan")],
    ]
    table("perilaku", "Perubahan perilaku (rata-rata penilaian)", ["Tahap", "Rata-rata"], brows)
    cards.append(
        {
            "slug": "perilaku",
            "label": "Perubahan perilaku (sesudah − sebelum)",
            "value": None
            if beh.get("sebelum") is None or (beh.get("3bulan") or beh.get("6bulan")) is None
            else (beh.get("6bulan") or beh.get("3bulan")) - beh["sebelum"],
            "kind": "num",
        }
    )

    # IKM and complaint speed: trained vs untrained OPDs, monthly
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
    ikm_rows: list[list[Any]] = [
        [MONTH_LABELS[m - 1], _mean(by_month[(m, True)]), _mean(by_month[(m, False)])]
        for m in range(1, 13)
    ]
    table(
        "ikm",
        f"IKM unit terlatih vs belum terlatih per bulan ({year})",
        ["Bulan", "Terlatih", "Belum terlatih"],
        ikm_rows,
        "service:home",
    )
    figures.append(
        {
            "slug": "ikm",
            "title": "IKM: unit terlatih vs belum terlatih",
            "svg": charts.lines(
                [r[0] for r in ikm_rows],
                {"Terlatih": [r[1] for r in ikm_rows], "Belum terlatih": [r[2] for r in ikm_rows]},
                ylabel="IKM",
            ),
        }
    )
    last_t = [r[1] for r in ikm_rows if r[1] is not None]
    cards.append(
        {
            "slug": "ikm",
            "label": "IKM unit terlatih (bulan terakhir)",
            "value": last_t[-1] if last_t else None,
            "kind": "num",
        }
    )

    qs = Complaint.objects.filter(
        instansi=instansi, received_at__gte=c.aware(start), received_at__lte=c.aware(end, True)
    )
    # grouped by the database (unit, category, received day, closed day); Kaplan–Meier on the
    # groups expanded to one duration per complaint gives the per-complaint curve
    g = service_q.complaint_resolution_groups(qs, min(end, date.today()), instansi.pk)

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
    crow: list[list[Any]] = []
    for m in range(1, 13):
        vals = []
        for grp in (True, False):
            mask = (month_of == m) & (is_trained == grp)
            vals.append(km_median(mask) if int(g.count[mask].sum()) >= 3 else None)
        crow.append([MONTH_LABELS[m - 1], *vals])
    table(
        "pengaduan",
        f"Median hari kerja penyelesaian pengaduan ({year})",
        ["Bulan", "Terlatih", "Belum terlatih"],
        crow,
        "service:complaints",
    )
    figures.append(
        {
            "slug": "pengaduan",
            "title": "Kecepatan penyelesaian pengaduan (median hari kerja)",
            "svg": charts.lines(
                [r[0] for r in crow],
                {"Terlatih": [r[1] for r in crow], "Belum terlatih": [r[2] for r in crow]},
                ylabel="hari kerja",
            ),
        }
    )
    cards.append(
        {
            "slug": "pengaduan",
            "label": "Median penyelesaian pengaduan (hari kerja)",
            "value": km_median(),
            "kind": "num",
        }
    )

    # IP ASN distribution
    ips = ip_for_employees(employees, year)
    summ = summarise(ips)
    order = ["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"]
    irows: list[list[Any]] = [[k, summ.categories.get(k, 0)] for k in order]
    table("ip_asn", f"Sebaran IP ASN ({year})", ["Kategori", "Pegawai"], irows, "reports:ip_city")
    figures.append(
        {
            "slug": "ip_asn",
            "title": "Sebaran IP ASN",
            "svg": charts.bars([r[0] for r in irows], [r[1] for r in irows], decimals=0),
        }
    )
    cards.append({"slug": "ip_asn", "label": "IP ASN rata-rata", "value": summ.mean, "kind": "num"})
    return {"year": year, "cards": cards, "figures": figures, "tables": tables}
