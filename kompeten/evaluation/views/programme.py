"""The evaluation page of a programme: the five levels as tabs, filters by batch, OPD and
trainer (the per-OPD and per-trainer views), charts, response rates, XLSX export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kompeten.core.exports import xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.evaluation import charts, power, queries
from kompeten.evaluation.levels.results import ProgrammeEvaluation, SkpChange
from kompeten.evaluation.models import Benefit, BenefitKind, Isolation
from kompeten.learning.models import Batch, Trainer
from kompeten.people.models import Unit
from kompeten.people.scoping import units_for

TABS = [
    ("l1", "L1 Reaksi"),
    ("l2", "L2 Pembelajaran"),
    ("l3", "L3 Perilaku"),
    ("l4", "L4 Hasil"),
    ("l5", "L5 ROI"),
]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def programme_evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    programme = queries.get_programme_for_user(user, pk)
    tab = request.GET.get("tab", "l1")
    if tab not in dict(TABS):
        tab = "l1"
    batch_id = _int(request.GET.get("batch"))
    trainer_id = _int(request.GET.get("trainer"))
    forced = queries.forced_unit(user)
    unit: Unit | None = forced
    unit_id = _int(request.GET.get("unit"))
    if unit_id is not None:
        try:
            unit = units_for(user).get(pk=unit_id)
        except Unit.DoesNotExist:
            raise Http404("Unit tidak ditemukan") from None
        if forced is not None and not unit.path.startswith(forced.path):
            raise Http404("Unit tidak ditemukan")
    ev = queries.evaluate_programme(programme, batch_id=batch_id, unit=unit, trainer_id=trainer_id)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"evaluasi-{programme.code}.xlsx", export_sheets(ev))
    batches = list(
        Batch.objects.filter(programme=programme).order_by("start_date").values_list("id", "name")
    )
    trainers = [
        (t.pk, t.name)
        for t in Trainer.objects.filter(batches__programme=programme)
        .select_related("employee")
        .distinct()
    ]
    units = list(
        units_for(user).filter(depth__lte=1).order_by("path").values_list("id", "name")[:300]
    )
    context: dict[str, Any] = {
        "programme": programme,
        "ev": ev,
        "tab": tab,
        "tabs": TABS,
        "batches": batches,
        "trainers": trainers,
        "units": units,
        "batch_id": batch_id,
        "trainer_id": trainer_id,
        "unit_id": unit.pk if unit else None,
        "query": request.GET.urlencode(),
    }
    if tab == "l1":
        context["chart"] = charts.reaction_per_trainer(ev.l1.trainers)
    elif tab == "l2":
        context["chart"] = charts.prepost_distribution(ev.l2.pre_scores, ev.l2.post_scores)
        context["chart2"] = charts.gain_per_batch(ev.l2.by_batch)
    elif tab == "l3":
        context["chart"] = charts.behaviour_before_after(ev.l3.changes)
    elif tab == "l4":
        context["did_charts"] = [(o, charts.did_trends(o)) for o in ev.l4.outcomes]
        try:
            months = (
                power.parse_months(request.GET.get("bulan_sebelum"), _("sebelum")),
                power.parse_months(request.GET.get("bulan_sesudah"), _("sesudah")),
            )
        except ValueError as exc:
            context["power_error"] = str(exc)
            months = (power.DEFAULT_MONTHS, power.DEFAULT_MONTHS)
        context["power"] = power.programme_power(programme, *months)
    else:
        context["chart"] = charts.roi_waterfall(ev.l5)
        if user.is_admin:
            context["estimate_benefits"] = list(
                Benefit.objects.filter(
                    programme=programme, kind=BenefitKind.MONETISED, isolation=Isolation.ESTIMATE
                ).order_by("id")
            )
    template = "evaluation/_tab.html" if request.htmx else "evaluation/programme.html"
    return render(request, template, context)


Sheet = tuple[str, list[str], list[list[Any]]]


def export_sheets(ev: ProgrammeEvaluation) -> list[Sheet]:
    """Every table of the page, one sheet each, unrounded, in the order of the tabs."""
    rates = [[r.label, r.invited, r.answered, r.rate] for r in ev.response_rates]
    return [
        *_l1_sheets(ev),
        *_l2_sheets(ev),
        *_l3_sheets(ev),
        *_l4_sheets(ev),
        *_l5_sheets(ev),
        ("Tingkat respons", ["instrumen", "diundang", "menjawab", "rasio"], rates),
    ]


def _l1_sheets(ev: ProgrammeEvaluation) -> list[Sheet]:
    l1 = [
        [s.label, s.n, s.mean, s.index, s.band, s.alpha.alpha if s.alpha else None]
        for s in ev.l1.sections
    ]
    trainers = [
        [t.name, a.label, a.n, a.mean, a.index, a.band]
        for t in ev.l1.trainers
        for a in (t.overall, *t.aspects)
    ]
    l1_items = [
        [
            i.order,
            i.text,
            " / ".join(reversed(i.labels)) if i.labels else f"1–{i.scale_max}",
            i.n,
            i.mean,
            i.index,
            i.share_agree,
        ]
        for i in ev.l1.items
    ]
    if ev.l1.item_mean is not None:
        overall_label = f"semua butir skala 1–{ev.l1.scale_max}"
        l1_items.append([None, overall_label, "", None, ev.l1.item_mean, None, ev.l1.share_agree])
    return [
        ("L1 bagian", ["bagian", "n", "rata-rata", "indeks", "kategori", "alpha"], l1),
        ("L1 pengajar", ["pengajar", "aspek", "n", "rata-rata", "indeks", "kategori"], trainers),
        (
            "L1 per butir",
            ["no", "butir", "skala", "n", "rata-rata", "indeks", "setuju (2 tingkat teratas)"],
            l1_items,
        ),
    ]


def _l2_sheets(ev: ProgrammeEvaluation) -> list[Sheet]:
    l2 = ev.l2
    summary: list[list[Any]] = [
        ["n pre-test", l2.n_pre],
        ["rata-rata pre semua peserta (%)", l2.mean_pre_all],
        ["selisih rata-rata pasangan", l2.mean_gain],
        ["n pasangan", l2.n_pairs],
        ["rata-rata pre (%)", l2.mean_pre],
        ["rata-rata post (%)", l2.mean_post],
        ["gain kelas (Hake)", l2.gain.class_gain if l2.gain else None],
        ["rata-rata gain individual", l2.gain.mean_individual_gain if l2.gain else None],
        ["selisih rata-rata", l2.ttest.mean_difference if l2.ttest else None],
        ["IK 95 % bawah", l2.ttest.ci_low if l2.ttest else None],
        ["IK 95 % atas", l2.ttest.ci_high if l2.ttest else None],
        ["p (uji t berpasangan)", l2.ttest.pvalue if l2.ttest else None],
        ["p (Wilcoxon)", l2.wilcoxon.pvalue if l2.wilcoxon else None],
        ["d_z", l2.effect.d_z if l2.effect else None],
    ]
    batches = [[b.label, b.n, b.mean_pre, b.mean_post, b.class_gain] for b in l2.by_batch]
    items = [
        [
            i.instrument,
            i.order,
            i.text,
            i.n,
            i.difficulty,
            i.difficulty_label,
            i.discrimination,
            i.discrimination_label,
        ]
        for i in l2.items
    ]
    sims = [
        [s.title, s.n_subjects, s.n_observers, s.mean_score, s.icc_value, s.icc_method]
        for s in l2.simulations
    ]
    return [
        ("L2 ringkasan", ["ukuran", "nilai"], summary),
        ("L2 per angkatan", ["angkatan", "n", "pre (%)", "post (%)", "gain kelas"], batches),
        (
            "L2 analisis butir",
            ["tes", "no", "soal", "n", "kesukaran", "kategori", "daya beda", "kategori"],
            items,
        ),
        ("L2 simulasi", ["modul", "peserta", "pengamat", "skor rata-rata", "ICC", "metode"], sims),
    ]


def _l3_complaints_rows(ev: ProgrammeEvaluation) -> list[list[Any]]:
    oc = ev.l3.complaints
    if oc is None:
        return []
    return [
        ["petugas", oc.n_officers],
        ["pengaduan sebelum", oc.n_before],
        ["pengaduan sesudah", oc.n_after],
        ["median penyelesaian sebelum (hari kerja)", oc.median_resolution_before],
        ["median penyelesaian sesudah (hari kerja)", oc.median_resolution_after],
        ["tepat waktu sebelum", oc.compliance_before],
        ["tepat waktu sesudah", oc.compliance_after],
        ["penilaian pelapor sebelum", oc.rating_before],
        ["penilaian pelapor sesudah", oc.rating_after],
        ["p (log-rank)", oc.logrank_pvalue],
        ["kalimat", oc.sentence],
    ]


def _l3_sheets(ev: ProgrammeEvaluation) -> list[Sheet]:
    l3 = [
        [
            c.label,
            c.n_pairs,
            c.mean_before,
            c.mean_after,
            c.ttest.pvalue if c.ttest else None,
            c.effect.d_z if c.effect else None,
        ]
        for c in ev.l3.changes
    ]
    skp_groups = [g for g in (ev.l3.skp, ev.l3.skp_comparison, *ev.l3.skp_groups) if g]
    l3_skp = [_skp_row(g) for g in skp_groups]
    l3_skp_counts = [
        [g.label, c.label, c.before, c.after] for g in skp_groups for c in g.counts if g.n_pairs
    ]
    skp_headers = [
        "kelompok",
        "orang",
        "n pasangan",
        "tahun sebelum",
        "tahun sesudah",
        "membaik",
        "tetap",
        "memburuk",
        "W+",
        "p (Wilcoxon)",
        "metode",
        "kalimat",
    ]
    return [
        ("L3 perilaku", ["penilaian", "n pasangan", "sebelum", "sesudah", "p", "d_z"], l3),
        ("L3 pengaduan", ["ukuran", "nilai"], _l3_complaints_rows(ev)),
        ("L3 SKP", skp_headers, l3_skp),
        ("L3 SKP sebaran", ["kelompok", "predikat", "sebelum", "sesudah"], l3_skp_counts),
    ]


def _l4_sheets(ev: ProgrammeEvaluation) -> list[Sheet]:
    l4 = [
        [
            o.label,
            o.n_treated_units,
            o.n_comparison_units,
            o.impact.estimate if o.impact else None,
            o.impact.ci_low if o.impact else None,
            o.impact.ci_high if o.impact else None,
            o.impact.pvalue if o.impact else None,
            o.method,
        ]
        for o in ev.l4.outcomes
    ]
    headers = [
        "hasil",
        "unit dilatih",
        "unit pembanding",
        "estimasi",
        "IK bawah",
        "IK atas",
        "p",
        "metode",
    ]
    return [("L4 DiD", headers, l4)]


def _l5_sheets(ev: ProgrammeEvaluation) -> list[Sheet]:
    l5 = [[c.label, c.amount] for c in ev.l5.costs] + [["TOTAL BIAYA", ev.l5.total_cost]]
    benefits = [
        [
            b.name,
            b.annual_value,
            b.isolation,
            b.inputs,
            b.n_estimates,
            b.share,
            b.isolated_value,
            b.note,
        ]
        for b in ev.l5.benefits
    ] + [["TOTAL MANFAAT", None, "", "", None, None, ev.l5.total_benefit, ""]]
    roi: list[list[Any]] = [
        ["total biaya (Rp)", ev.l5.total_cost],
        ["total manfaat tahun pertama terisolasi (Rp)", ev.l5.total_benefit],
        ["BCR = manfaat / biaya", ev.l5.bcr],
        ["ROI % = (manfaat − biaya) / biaya × 100", ev.l5.roi_pct],
        *[["manfaat tak berwujud (tidak dirupiahkan)", i] for i in ev.l5.intangibles],
    ]
    benefit_headers = [
        "manfaat",
        "nilai tahunan",
        "isolasi",
        "masukan isolasi",
        "n estimasi",
        "bagian",
        "nilai terisolasi",
        "catatan",
    ]
    return [
        ("L5 biaya", ["kategori", "jumlah (Rp)"], l5),
        ("L5 manfaat", benefit_headers, benefits),
        ("L5 ROI", ["ukuran", "nilai"], roi),
    ]


def _skp_row(g: SkpChange) -> list[Any]:
    w = g.wilcoxon
    return [
        g.label,
        g.n_people,
        g.n_pairs,
        ", ".join(str(y) for y in g.before_years),
        ", ".join(str(y) for y in g.after_years),
        g.improved,
        g.unchanged,
        g.worse,
        w.statistic if w else None,
        w.pvalue if w else None,
        w.method if w else "",
        g.sentence,
    ]
