"""The evaluation page of a programme: the five levels as tabs, filters by batch, OPD and
trainer (the per-OPD and per-trainer views), charts, response rates, XLSX export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.exports import xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.params import id_param
from kompeten.evaluation import charts, interpret, power, queries
from kompeten.evaluation.levels.results import ProgrammeEvaluation, SkpChange
from kompeten.evaluation.models import Benefit, BenefitKind, Isolation
from kompeten.learning.models import Batch, Trainer
from kompeten.people.models import Unit
from kompeten.people.scoping import units_for

TABS = [
    ("l1", gettext_lazy("L1 Reaksi")),
    ("l2", gettext_lazy("L2 Pembelajaran")),
    ("l3", gettext_lazy("L3 Perilaku")),
    ("l4", gettext_lazy("L4 Hasil")),
    ("l5", gettext_lazy("L5 ROI")),
]


@login_required
def programme_evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    programme = queries.get_programme_for_user(user, pk)
    tab = request.GET.get("tab", "l1")
    if tab not in dict(TABS):
        tab = "l1"
    batch_id = id_param(request.GET.get("batch"))
    trainer_id = id_param(request.GET.get("trainer"))
    forced = queries.forced_unit(user)
    unit: Unit | None = forced
    unit_id = id_param(request.GET.get("unit"))
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
        context["alpha_notes"] = interpret.alpha_notes(ev.l1.overall, ev.l1.sections)
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
        (_("Tingkat respons"), [_("instrumen"), _("diundang"), _("menjawab"), _("rasio")], rates),
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
        overall_label = _("semua butir skala 1–{max}").format(max=ev.l1.scale_max)
        l1_items.append([None, overall_label, "", None, ev.l1.item_mean, None, ev.l1.share_agree])
    return [
        (
            _("L1 bagian"),
            [_("bagian"), "n", _("rata-rata"), _("indeks"), _("kategori"), "alpha"],
            l1,
        ),
        (
            _("L1 pengajar"),
            [_("pengajar"), _("aspek"), "n", _("rata-rata"), _("indeks"), _("kategori")],
            trainers,
        ),
        (
            _("L1 per butir"),
            [
                _("no"),
                _("butir"),
                _("skala"),
                "n",
                _("rata-rata"),
                _("indeks"),
                _("setuju (2 tingkat teratas)"),
            ],
            l1_items,
        ),
    ]


def _l2_sheets(ev: ProgrammeEvaluation) -> list[Sheet]:
    l2 = ev.l2
    summary: list[list[Any]] = [
        [_("n pre-test"), l2.n_pre],
        [_("rata-rata pre semua peserta (%)"), l2.mean_pre_all],
        [_("selisih rata-rata pasangan"), l2.mean_gain],
        [_("n pasangan"), l2.n_pairs],
        [_("rata-rata pre (%)"), l2.mean_pre],
        [_("rata-rata post (%)"), l2.mean_post],
        [_("gain kelas (Hake)"), l2.gain.class_gain if l2.gain else None],
        [_("rata-rata gain individual"), l2.gain.mean_individual_gain if l2.gain else None],
        [_("selisih rata-rata"), l2.ttest.mean_difference if l2.ttest else None],
        [_("SK 95% bawah"), l2.ttest.ci_low if l2.ttest else None],
        [_("SK 95% atas"), l2.ttest.ci_high if l2.ttest else None],
        [_("p (uji t berpasangan)"), l2.ttest.pvalue if l2.ttest else None],
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
        [
            s.title,
            s.n_subjects,
            s.n_observers,
            s.mean_score,
            s.mean_level,
            s.icc_value,
            s.icc_method,
        ]
        for s in l2.simulations
    ]
    return [
        (_("L2 ringkasan"), [_("ukuran"), _("nilai")], summary),
        (
            _("L2 per angkatan"),
            [_("angkatan"), "n", _("pre (%)"), _("post (%)"), _("gain kelas")],
            batches,
        ),
        (
            _("L2 analisis butir"),
            [
                _("tes"),
                _("no"),
                _("soal"),
                "n",
                _("kesukaran"),
                _("kategori"),
                _("daya beda"),
                _("kategori"),
            ],
            items,
        ),
        (
            _("L2 simulasi"),
            [
                _("modul"),
                _("peserta"),
                _("pengamat"),
                _("skor rata-rata (0–100)"),
                _("level rubrik rata-rata"),
                "ICC",
                _("metode"),
            ],
            sims,
        ),
    ]


def _l3_complaints_rows(ev: ProgrammeEvaluation) -> list[list[Any]]:
    oc = ev.l3.complaints
    if oc is None:
        return []
    return [
        [_("petugas"), oc.n_officers],
        [_("pengaduan sebelum"), oc.n_before],
        [_("pengaduan sesudah"), oc.n_after],
        [_("median penyelesaian sebelum (hari kerja)"), oc.median_resolution_before],
        [_("median penyelesaian sesudah (hari kerja)"), oc.median_resolution_after],
        [_("tepat waktu sebelum"), oc.compliance_before],
        [_("tepat waktu sesudah"), oc.compliance_after],
        [_("penilaian pelapor sebelum"), oc.rating_before],
        [_("penilaian pelapor sesudah"), oc.rating_after],
        ["p (log-rank)", oc.logrank_pvalue],
        [_("kalimat"), oc.sentence],
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
        _("kelompok"),
        _("orang"),
        _("n pasangan"),
        _("tahun sebelum"),
        _("tahun sesudah"),
        _("membaik"),
        _("tetap"),
        _("memburuk"),
        "W+",
        "p (Wilcoxon)",
        _("metode"),
        _("kalimat"),
    ]
    return [
        (
            _("L3 perilaku"),
            [_("penilaian"), _("n pasangan"), _("sebelum"), _("sesudah"), "p", "d_z"],
            l3,
        ),
        (_("L3 pengaduan"), [_("ukuran"), _("nilai")], _l3_complaints_rows(ev)),
        ("L3 SKP", skp_headers, l3_skp),
        (
            _("L3 SKP sebaran"),
            [_("kelompok"), _("predikat"), _("sebelum"), _("sesudah")],
            l3_skp_counts,
        ),
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
        _("hasil"),
        _("unit dilatih"),
        _("unit pembanding"),
        _("estimasi"),
        _("IK bawah"),
        _("IK atas"),
        "p",
        _("metode"),
    ]
    return [("L4 DiD", headers, l4)]


def _l5_sheets(ev: ProgrammeEvaluation) -> list[Sheet]:
    benefit = ev.l5.total_benefit if ev.l5.benefits else None
    l5 = [[c.label, c.amount] for c in ev.l5.costs] + [[_("TOTAL BIAYA"), ev.l5.total_cost]]
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
    ] + [[_("TOTAL MANFAAT"), None, "", "", None, None, benefit, ""]]
    roi: list[list[Any]] = [
        # nothing recorded is an empty cell (unknown), not Rp 0
        [_("total biaya (Rp)"), ev.l5.total_cost if ev.l5.costs else None],
        [_("total manfaat tahun pertama terisolasi (Rp)"), benefit],
        [_("BCR = manfaat / biaya"), ev.l5.bcr],
        [_("ROI % = (manfaat − biaya) / biaya × 100"), ev.l5.roi_pct],
        *[[_("manfaat tak berwujud (tidak dirupiahkan)"), i] for i in ev.l5.intangibles],
    ]
    benefit_headers = [
        _("manfaat"),
        _("nilai tahunan"),
        _("isolasi"),
        _("masukan isolasi"),
        _("n estimasi"),
        _("bagian"),
        _("nilai terisolasi"),
        _("catatan"),
    ]
    return [
        (_("L5 biaya"), [_("kategori"), _("jumlah (Rp)")], l5),
        (_("L5 manfaat"), benefit_headers, benefits),
        ("L5 ROI", [_("ukuran"), _("nilai")], roi),
    ]


def _skp_row(g: SkpChange) -> list[Any]:
    w = g.wilcoxon
    return [
        *g.table_cells(),
        w.statistic if w else None,
        w.pvalue if w else None,
        w.method if w else "",
        g.sentence,
    ]
