"""Assembling a report's data: typed sections filled from the other apps' queries.

The result is a plain, JSON-able dict (stored with a cycle, hashed for a generated file) that the
one template renders as HTML and PDF and the workbook writer turns into sheets. Sections follow
the structure of Indonesian evaluation reports: Pendahuluan, Tujuan Program, Metode Pelatihan,
Hasil dan Dampak, Tantangan dalam Implementasi, Rekomendasi untuk Perbaikan, Kesimpulan.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from scipy import stats as scipy_stats

from kompeten.evaluation.levels.results import ProgrammeEvaluation
from kompeten.evaluation.models import Answer, FollowUp, Response
from kompeten.evaluation.queries import evaluate_programme
from kompeten.learning import queries as learning_q
from kompeten.learning.models import (
    CostCategory,
    LearningType,
    ModuleKind,
    Programme,
    Session,
)
from kompeten.participation.models import (
    DeclineReason,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
)
from kompeten.people.models import Employee
from kompeten.reports import charts, model
from kompeten.reports import collect as c
from kompeten.reports.evidence import Evidence
from kompeten.reports.impact import Impact, Windows, default_windows, impact_dict, programme_impact
from kompeten.reports.impact_section import impact_section
from kompeten.reports.ipasn import ip_for_employees, summarise
from kompeten.reports.objectives import (
    ObjectiveVerdict,
    change_sentence,
    ikm_changes,
    indicator_figures,
    judge_objectives,
    objective_rows,
    plain,
    sla_changes,
    verdict_dict,
)
from kompeten.reports.rules import RULE_TITLES, Hit, num, pct, recommend
from kompeten.service.models import ServiceUnit
from kompeten.standards.score_bands import score_band

SECTIONS = (
    ("pendahuluan", "Pendahuluan"),
    ("tujuan", "Tujuan Program"),
    ("metode", "Metode Pelatihan"),
    ("hasil", "Hasil dan Dampak"),
    ("tantangan", "Tantangan dalam Implementasi"),
    ("rekomendasi", "Rekomendasi untuk Perbaikan"),
    ("kesimpulan", "Kesimpulan"),
)
OBJECTIVE_REACHED_PCT = 70.0  # Kompeten policy: post-test mean ≥ 70 % on the competency's items
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    def fact(self, label: str, value: Any, evidence: str = "") -> None:
        self.facts.append({"label": label, "value": value, "evidence": evidence})

    def table(self, slug: str, title: str, headers: list[str], rows: list[list[Any]]) -> None:
        clean = [[v.isoformat() if isinstance(v, date) else v for v in row] for row in rows]
        self.tables.append({"slug": slug, "title": title, "headers": headers, "rows": clean})

    def figure(self, slug: str, title: str, svg: str, table: str) -> None:
        self.figures.append({"slug": slug, "title": title, "svg": svg, "table": table})

    def freeze(self) -> model.Section:
        return model.Section(
            key=self.key,
            title=self.title,
            paragraphs=tuple(self.paragraphs),
            facts=tuple(self.facts),
            tables=tuple(
                model.Table(
                    t["slug"], t["title"], tuple(t["headers"]), tuple(tuple(r) for r in t["rows"])
                )
                for t in self.tables
            ),
            figures=tuple(
                model.Figure(f["slug"], f["title"], f["svg"], f["table"]) for f in self.figures
            ),
            gaps=tuple(self.gaps),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "paragraphs": self.paragraphs,
            "facts": self.facts,
            "tables": self.tables,
            "figures": self.figures,
            "gaps": self.gaps,
        }


def _f(x: Any) -> float | None:
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _sections() -> dict[str, Section]:
    return {k: Section(k, t) for k, t in SECTIONS}


def _hits_rows(hits: list[Hit]) -> list[dict[str, Any]]:
    return [
        {
            "rule_id": h.rule_id,
            "subject": h.subject,
            "text": h.text,
            "evidence": h.evidence,
            "owner_unit_id": h.owner_unit_id,
        }
        for h in hits
    ]


def _decline_table(s: Section, f: c.Funnel) -> None:
    labels = dict(DeclineReason.choices)
    rows: list[list[Any]] = [
        [str(labels.get(k, k)), n, (n / f.declined) if f.declined else None]
        for k, n in sorted(f.declines_by_reason.items(), key=lambda kv: -kv[1])
    ]
    s.table("alasan_menolak", "Alasan menolak undangan", ["Alasan", "Jumlah", "Proporsi"], rows)
    if rows:
        s.figure(
            "alasan_menolak",
            "Alasan menolak undangan",
            charts.bars([r[0] for r in rows], [r[1] for r in rows], decimals=0, xlabel="undangan"),
            "alasan_menolak",
        )


def _enrolled_sentence(f: c.Funnel) -> str:
    """Who took part: invited employees, or participants enrolled after a held training (never
    invited: the panitia's attendance list), or both."""
    invited = f.invited - f.held
    if not f.held:
        return f"Sebanyak {f.invited} pegawai diundang dan {f.completed} menyelesaikannya."
    if not invited:
        return f"Sebanyak {f.held} peserta terdaftar dan {f.completed} menyelesaikannya."
    return (
        f"Sebanyak {invited} pegawai diundang dan {f.held} peserta dicatat dari pelatihan yang "
        f"sudah terlaksana ({f.invited} peserta terdaftar); {f.completed} menyelesaikannya."
    )


def _funnel_table(s: Section, f: c.Funnel) -> None:
    if f.held and f.held == f.invited:  # a held training: nobody was invited or declined
        rows = [
            ["Terdaftar", f.invited],
            ["Hadir (minimal satu sesi)", f.attended],
            ["Menyelesaikan", f.completed],
        ]
    elif f.held:
        rows = [
            ["Terdaftar", f.invited],
            ["Diundang", f.invited - f.held],
            ["Dicatat dari pelatihan terlaksana", f.held],
            ["Menerima", f.accepted],
            ["Menolak", f.declined],
            ["Hadir (minimal satu sesi)", f.attended],
            ["Menyelesaikan", f.completed],
        ]
    else:
        rows = [
            ["Diundang", f.invited],
            ["Menerima", f.accepted],
            ["Menolak", f.declined],
            ["Hadir (minimal satu sesi)", f.attended],
            ["Menyelesaikan", f.completed],
        ]
    s.table("corong_partisipasi", "Corong partisipasi", ["Tahap", "Jumlah pegawai"], rows)
    s.figure(
        "corong_partisipasi",
        "Corong partisipasi",
        charts.bars([r[0] for r in rows], [r[1] for r in rows], decimals=0, xlabel="pegawai"),
        "corong_partisipasi",
    )


def _opd_table(s: Section, f: c.Funnel, thresholds_rate: float = 0.6) -> None:
    # the rate in percent, as the chart beside it shows it (a share 0,888 in the table and 88,9
    # in the chart read as two different figures)
    rows: list[list[Any]] = [
        [o.label, o.invited, o.completed, o.declined, _percent(o.completion_rate)] for o in f.opd
    ]
    headers = ["OPD", "Terdaftar" if f.held else "Diundang", "Selesai", "Menolak"]
    if f.held and f.held == f.invited:  # a held training: nobody invited, nobody declined
        s.table(
            "partisipasi_opd",
            "Partisipasi per OPD",
            [*headers[:3], "Tingkat penyelesaian (%)"],
            [[r[0], r[1], r[2], r[4]] for r in rows],
        )
    else:
        s.table(
            "partisipasi_opd", "Partisipasi per OPD", [*headers, "Tingkat penyelesaian (%)"], rows
        )
    if rows:
        s.figure(
            "partisipasi_opd",
            "Tingkat penyelesaian per OPD (%)",
            charts.bars(
                [r[0] for r in rows],
                [r[4] for r in rows],
                xlabel="%",
                highlight=[r[4] is not None and r[4] < thresholds_rate * 100 for r in rows],
            ),
            "partisipasi_opd",
        )


def _reaction(s: Section, r: c.Reaction) -> None:
    from kompeten.evaluation.models import Section as ItemSection

    names = dict(ItemSection.choices)
    rows: list[list[Any]] = [[str(names.get(k, k)), idx, n] for k, idx, n in r.sections]
    s.table("reaksi", "L1 Reaksi: indeks per aspek (0–100)", ["Aspek", "Indeks", "Tanggapan"], rows)
    if rows:
        s.figure(
            "reaksi",
            "L1 Reaksi per aspek",
            charts.bars(
                [x[0] for x in rows], [x[1] for x in rows], xlabel="indeks 0–100", decimals=2
            ),
            "reaksi",
        )
        overall = sum(x[1] for x in rows) / len(rows)
        s.paragraphs.append(
            f"L1 Reaksi: {r.n_responses} kuesioner reaksi terisi; rata-rata indeks aspek "
            f"{num(overall, 2)} dari 100."
        )
    else:
        s.gaps.append("Data L1 (kuesioner reaksi) belum tersedia untuk periode ini.")
    trows = [[t.name, t.index, t.band, t.n] for t in r.trainers]
    if trows:
        s.table(
            "pengajar", "Penilaian pengajar", ["Pengajar", "Indeks", "Kategori", "Tanggapan"], trows
        )
    elif r.n_responses:
        s.gaps.append(
            "Penilaian pengajar belum ada: jawaban kuesioner reaksi tidak memuat butir "
            "penilaian pengajar untuk pengajar modul."
        )


def _learning(s: Section, lr: c.Learning) -> None:
    if not lr.n_pairs:
        s.gaps.append("Data L2 (pasangan pre-test dan post-test) belum tersedia.")
        return
    s.table(
        "belajar",
        "L2 Pembelajaran: pre-test dan post-test (skor %)",
        ["Ukuran", "Nilai"],
        [
            ["Pasangan pre/post", lr.n_pairs],
            ["Rata-rata pre-test", lr.mean_pre],
            ["Rata-rata post-test", lr.mean_post],
            ["Gain ternormalisasi kelas (Hake)", lr.class_gain],
            ["Kategori gain", lr.category],
        ],
    )
    s.figure(
        "belajar",
        "L2 Rata-rata skor pre-test dan post-test",
        charts.grouped(
            ["Rata-rata"],
            {"Pre-test": [lr.mean_pre], "Post-test": [lr.mean_post]},
            ylabel="skor (%)",
        ),
        "belajar",
    )
    gain = (
        ""
        if lr.class_gain is None
        else f"; gain ternormalisasi {num(lr.class_gain, 2)} ({lr.category})"
    )
    s.paragraphs.append(
        f"L2 Pembelajaran: {lr.n_pairs} peserta mengerjakan pre-test dan post-test; rata-rata "
        f"naik dari {num(lr.mean_pre or 0, 1)} menjadi {num(lr.mean_post or 0, 1)}{gain}."
    )


def _engine_reaction_learning(s: Section, ev: Any) -> None:
    """L1 and L2 from the evaluation engine's typed result (its sentences verbatim)."""
    l1, l2 = ev.l1, ev.l2
    if l1.sentence:
        s.paragraphs.append(l1.sentence)
    overall = getattr(l1, "overall", None)
    overall_alpha = None if overall is None or overall.alpha is None else _f(overall.alpha.alpha)
    if alpha_caveat(overall_alpha):
        s.paragraphs.append(f"α Cronbach seluruh kuesioner: {alpha_caveat(overall_alpha)}")
    rows = []
    for x in l1.sections:
        alpha = None if x.alpha is None else _f(getattr(x.alpha, "alpha", None))
        rows.append([x.label, _f(x.index), x.band, x.n, alpha, alpha_caveat(alpha)])
        if alpha_caveat(alpha):
            s.paragraphs.append(f"α Cronbach aspek {x.label}: {alpha_caveat(alpha)}")
    s.table(
        "reaksi",
        "L1 Reaksi: indeks per aspek (0–100)",
        ["Aspek", "Indeks", "Kategori", "Tanggapan", "α Cronbach", "Catatan α"],
        rows,
    )
    if rows:
        s.figure(
            "reaksi",
            "L1 Reaksi per aspek",
            charts.bars(
                [r[0] for r in rows], [r[1] for r in rows], xlabel="indeks 0–100", decimals=2
            ),
            "reaksi",
        )
    _l1_items(s, l1)
    _trainer_rating(s, l1)
    for sentence in (l2.gain_sentence, l2.change_sentence):
        if sentence:
            s.paragraphs.append(sentence)
    t = l2.ttest
    s.table(
        "belajar",
        "L2 Pembelajaran: pre-test dan post-test",
        ["Ukuran", "Nilai"],
        [
            ["Pasangan pre/post", l2.n_pairs],
            ["Rata-rata pre-test", _f(l2.mean_pre)],
            ["Rata-rata post-test", _f(l2.mean_post)],
            ["Selisih rata-rata", None if t is None else _f(t.mean_difference)],
            ["SK 95% bawah", None if t is None else _f(t.ci_low)],
            ["SK 95% atas", None if t is None else _f(t.ci_high)],
            ["p (uji t berpasangan)", None if t is None else _f(t.pvalue)],
            [
                "Gain ternormalisasi kelas (Hake)",
                None if l2.gain is None else _f(l2.gain.class_gain),
            ],
        ],
    )
    if l2.n_pairs and l2.mean_pre is not None:
        s.figure(
            "belajar",
            "L2 Rata-rata skor pre-test dan post-test",
            charts.grouped(
                ["Rata-rata"], {"Pre-test": [_f(l2.mean_pre)], "Post-test": [_f(l2.mean_post)]}
            ),
            "belajar",
        )
    s.table(
        "belajar_angkatan",
        "L2 per angkatan",
        ["Angkatan", "n", "Pre", "Post", "Gain kelas"],
        [[b.label, b.n, _f(b.mean_pre), _f(b.mean_post), _f(b.class_gain)] for b in l2.by_batch],
    )
    _simulations(s, l2)


def _simulations(s: Section, l2: Any) -> None:
    """L2 simulation (rubric) results: per simulation module the mean rubric score, per
    criterion, and the observers' agreement (ICC) where two or more observers scored."""
    sims = [x for x in getattr(l2, "simulations", ()) if x.n_subjects]
    if not sims:
        return
    s.table(
        "simulasi",
        "L2 Simulasi: skor rubrik",
        ["Simulasi", "Peserta", "Pengamat", "Skor rata-rata", "ICC", "ICC SK 95%", "Metode ICC"],
        [
            [
                x.title,
                x.n_subjects,
                x.n_observers,
                _f(x.mean_score),
                _f(x.icc_value),
                ""
                if x.icc_ci is None
                else f"{num(float(x.icc_ci[0]), 2)} s.d. {num(float(x.icc_ci[1]), 2)}",
                x.icc_method,
            ]
            for x in sims
        ],
    )
    crit = [[x.title, name, _f(v)] for x in sims for name, v in x.criteria]
    if crit:
        s.table(
            "simulasi_kriteria",
            "L2 Simulasi: skor rata-rata per kriteria rubrik",
            ["Simulasi", "Kriteria", "Skor rata-rata"],
            crit,
        )
    for x in sims:
        if x.sentence and x.sentence not in s.paragraphs:
            s.paragraphs.append(x.sentence)


ALPHA_REDUNDANT = 0.995  # shown as 1,00: the items are answered (nearly) identically


def alpha_caveat(alpha: float | None) -> str:
    """What a reader must know before trusting a Cronbach's α: 1,00 (items answered the same
    way: redundant items or uniform answering, not "perfect reliability") or negative (the items
    do not measure one thing, or one item is reversed); empty otherwise."""
    if alpha is None:
        return ""
    if alpha >= ALPHA_REDUNDANT:
        return (
            f"α = {num(alpha, 2)} bukan tanda keandalan sempurna: butir-butirnya dijawab (hampir) "
            "sama persis, sehingga butir mungkin berulang atau responden menjawab seragam."
        )
    if alpha < 0:
        return (
            f"α negatif ({num(alpha, 2)}): butir-butir aspek ini tidak mengukur hal yang sama "
            "(mungkin ada butir terbalik atau responden terlalu sedikit); indeks aspek ini "
            "perlu ditinjau sebelum dipakai."
        )
    return ""


FACILITATOR_WORDS = re.compile(r"narasumber|fasilitator|pengajar|widyaiswara", re.IGNORECASE)


def _scale_text(item: Any) -> str:
    """ "1–5", or "1–5 (Sangat Kurang … Sangat Baik)" for a labelled scale."""
    scale = f"1–{item.scale_max}"
    if item.labels:
        scale += f" ({item.labels[0]} … {item.labels[-1]})"
    return scale


def _l1_items(s: Section, l1: Any) -> None:
    """The questionnaire's items with n and mean, each on its own scale (the engine's
    ``L1Result.items``; free-text items have no mean and are left out)."""
    items = [i for i in getattr(l1, "items", ()) if i.mean is not None]
    if not items:
        return
    if l1.item_mean is not None:
        agree = "" if l1.share_agree is None else f"; {pct(l1.share_agree)} jawaban setuju"
        top = l1.scale_max
        s.paragraphs.append(
            f"L1 Reaksi per butir: {l1.n_responses} responden; rata-rata butir pada skala "
            f"1–{top}: {num(l1.item_mean, 2)}{agree} ({top - 1}–{top}). Butir berskala "
            "berlabel dirata-rata pada skalanya sendiri."
        )
    s.table(
        "reaksi_butir",
        "L1 Reaksi per butir: rata-rata pada skala butir itu sendiri",
        ["No.", "Butir", "Skala", "Responden", "Rata-rata", "Proporsi 2 tingkat teratas"],
        [
            [n, i.text, _scale_text(i), i.n, _f(i.mean), _f(i.share_agree)]
            for n, i in enumerate(items, 1)
        ],
    )


def _trainer_rating(s: Section, l1: Any) -> None:
    """Trainer ratings: per trainer from the trainer section; otherwise from the items about
    the facilitator (an imported questionnaire rates "the facilitator", naming nobody);
    otherwise a sentence that names the missing data."""
    rows: list[list[Any]] = [
        [t.name, _f(t.overall.index), t.overall.band, t.overall.n] for t in l1.trainers
    ]
    about = [
        i
        for i in getattr(l1, "items", ())
        if i.index is not None and FACILITATOR_WORDS.search(i.text or "")
    ]
    if not rows and about:
        rows = [[i.text, _f(i.index), score_band(i.index).label, i.n] for i in about]
        weight = sum(i.n for i in about)
        overall = sum(float(i.index) * i.n for i in about) / weight if weight else None
        if overall is not None:
            band = score_band(overall).label
            rows.append(
                [
                    "Semua butir tentang narasumber/fasilitator",
                    overall,
                    band,
                    max(i.n for i in about),
                ]
            )
            s.paragraphs.append(
                f"Penilaian pengajar dari {len(about)} butir kuesioner tentang "
                f"narasumber/fasilitator (jawaban tidak menyebut nama pengajar): indeks "
                f"{num(overall, 2)} ({band}) dari {max(i.n for i in about)} responden."
            )
    if rows:
        s.table(
            "pengajar",
            "Penilaian pengajar",
            ["Pengajar", "Indeks", "Kategori", "Tanggapan"],
            rows,
        )
    elif not l1.n_responses:
        s.gaps.append("Penilaian pengajar belum ada: belum ada jawaban kuesioner reaksi.")
    else:
        s.gaps.append(
            f"Penilaian pengajar belum ada: {l1.n_responses} jawaban kuesioner reaksi tidak "
            "memuat butir penilaian pengajar untuk pengajar modul, dan tidak ada butir tentang "
            "narasumber, fasilitator, pengajar atau widyaiswara."
        )


def engine_evidence(ev: Any) -> tuple[float | None, int, tuple[Any, ...], float | None, int]:
    """(relevance index, n, trainer scores, class gain, pairs) for the rules, from the engine."""
    from kompeten.reports.evidence import TrainerScore

    rel = next(
        (x for x in ev.l1.sections if x.key in ("relevansi", "materi") and x.index is not None),
        None,
    )
    trainers = tuple(
        TrainerScore(t.trainer_id, t.name, float(t.overall.index), t.overall.n, t.overall.band)
        for t in ev.l1.trainers
        if t.overall.index is not None
    )
    gain = None if ev.l2.gain is None else _f(ev.l2.gain.class_gain)
    return (
        None if rel is None else float(rel.index),
        0 if rel is None else rel.n,
        trainers,
        gain,
        ev.l2.n_pairs,
    )


def _engine_levels(s: Section, ev: Any) -> None:
    """L3 and L5 from the evaluation engine's typed result (sentences included verbatim); L4 is
    the before/after section's impact estimate (:mod:`kompeten.reports.impact_section`)."""
    rows = []
    for ch in ev.l3.changes:
        rows.append(
            [
                ch.label,
                ch.n_pairs,
                _f(ch.mean_before),
                _f(ch.mean_after),
                None if ch.ttest is None else _f(ch.ttest.pvalue),
            ]
        )
        if ch.sentence:
            s.paragraphs.append(ch.sentence)
    s.table(
        "perilaku",
        "L3 Perilaku: penilaian sebelum dan sesudah",
        ["Penilai", "Pasangan", "Sebelum", "Sesudah", "p"],
        rows,
    )
    if ev.l3.complaints is not None and ev.l3.complaints.sentence:
        s.paragraphs.append(ev.l3.complaints.sentence)
    _skp_tables(s, ev.l3)
    # L4: the before/after section (impact_section) prints the impact estimator's figures
    l5 = ev.l5
    s.table(
        "roi",
        "L5 ROI (Phillips)",
        ["Ukuran", "Nilai"],
        [
            ["Total biaya (Rp)", _f(l5.total_cost)],
            ["Manfaat tahun pertama terisolasi (Rp)", _f(l5.total_benefit)],
            ["BCR", _f(l5.bcr)],
            ["ROI (%)", _f(l5.roi_pct)],
        ],
    )
    if l5.sentence:
        s.paragraphs.append(l5.sentence)
    _roi_detail(s, l5)


def _skp_tables(s: Section, l3: Any) -> None:
    """L3 SKP predikat before and after training: one summary row per group (trained,
    comparison, then per OPD) and the predikat distribution of the groups with pairs."""
    groups = [g for g in (l3.skp, l3.skp_comparison, *l3.skp_groups) if g is not None]
    if l3.skp_sentence:
        s.paragraphs.append(l3.skp_sentence)
    if not groups:
        return
    s.table(
        "skp",
        "L3 Predikat SKP: tahun sebelum dan sesudah pelatihan",
        [
            "Kelompok",
            "Orang",
            "Pasangan",
            "Tahun sebelum",
            "Tahun sesudah",
            "Membaik",
            "Tetap",
            "Memburuk",
            "Belum waktunya",
            "p (Wilcoxon)",
        ],
        [
            [
                g.label,
                g.n_people,
                g.n_pairs,
                ", ".join(str(y) for y in g.before_years),
                ", ".join(str(y) for y in g.after_years),
                g.improved,
                g.unchanged,
                g.worse,
                g.n_not_due,
                None if g.wilcoxon is None else _f(g.wilcoxon.pvalue),
            ]
            for g in groups
        ],
    )
    counts = [[g.label, c.label, c.before, c.after] for g in groups if g.n_pairs for c in g.counts]
    if counts:
        s.table(
            "skp_sebaran",
            "L3 Sebaran predikat SKP sebelum dan sesudah",
            ["Kelompok", "Predikat", "Sebelum", "Sesudah"],
            counts,
        )


def _cost_label(code: str) -> str:
    """A cost category's label for readers ("waktu_peserta" → "Waktu peserta (gaji selama
    pelatihan)"); an unknown code is shown as it is."""
    return str(dict(CostCategory.choices).get(code, code))


def _roi_detail(s: Section, l5: Any) -> None:
    """L5 behind the ROI: every cost line, every benefit with its isolation method and
    inputs, and the intangibles listed unconverted (Phillips)."""
    if l5.costs:
        s.table(
            "biaya",
            "L5 Biaya per kategori",
            ["Kategori", "Uraian", "Jumlah (Rp)"],
            [[_cost_label(c.category), c.label, _f(c.amount)] for c in l5.costs],
        )
    if l5.benefits:
        s.table(
            "manfaat",
            "L5 Manfaat tahun pertama dan isolasi dampak pelatihan",
            [
                "Manfaat",
                "Nilai setahun (Rp)",
                "Isolasi",
                "Masukan",
                "Estimasi peserta",
                "Porsi pelatihan",
                "Manfaat terisolasi (Rp)",
            ],
            [
                [
                    b.name,
                    _f(b.annual_value),
                    b.isolation,
                    b.inputs,
                    b.n_estimates,
                    _f(b.share),
                    _f(b.isolated_value),
                ]
                for b in l5.benefits
            ],
        )
    if l5.intangibles:
        s.paragraphs.append(
            "Manfaat tak berwujud (tidak dirupiahkan): " + "; ".join(l5.intangibles) + "."
        )


def _service_compare(
    s: Section,
    instansi_id: int,
    start: date,
    end: date,
    trained: set[int],
    tree: c.UnitTree,
    gap_without_comparison: bool = True,
) -> tuple[list[Any], dict[int, float], c.ComplaintFigures]:
    """Trained vs comparison units over ``start``–``end`` (whole months). Without any
    comparison unit and ``gap_without_comparison`` false, nothing is added to ``s`` (the
    programme report's before/after section then stands alone)."""
    units = list(
        ServiceUnit.objects.filter(instansi_id=instansi_id, is_active=True).order_by("name")
    )
    samples, ikm = c.skm_samples(units, start, end, tree)
    su_opd = {u.pk: (tree.opd_of(u.unit_id).pk if u.unit_id in tree.units else None) for u in units}
    t_ikm = [v for k, v in ikm.items() if su_opd.get(k) in trained]
    o_ikm = [v for k, v in ikm.items() if su_opd.get(k) not in trained]
    cmp_ikm = c.compare("IKM", t_ikm, o_ikm)
    cf = c.complaint_figures(instansi_id, start, end)
    t_med = [
        v for u, v in cf.by_unit_median.items() if u in tree.units and tree.opd_of(u).pk in trained
    ]
    o_med = [
        v
        for u, v in cf.by_unit_median.items()
        if u in tree.units and tree.opd_of(u).pk not in trained
    ]
    cmp_med = c.compare("Median hari kerja penyelesaian pengaduan", t_med, o_med)
    srows = [[x.label, x.n, x.required, x.adequate] for x in samples]
    if not (cmp_ikm.comparison or cmp_med.comparison) and not gap_without_comparison:
        # no unit to compare with: the before/after section says what the design allows
        return srows, ikm, cf
    rows = []
    for g in (cmp_ikm, cmp_med):
        rows.append(
            [
                g.label,
                len(g.treated),
                g.treated_mean,
                len(g.comparison),
                g.comparison_mean,
                g.difference,
                None if g.ci is None else g.ci[0],
                None if g.ci is None else g.ci[1],
                g.pvalue,
            ]
        )
    s.table(
        "layanan_terlatih",
        f"Layanan publik: unit terlatih vs unit pembanding, {tanggal(start)} – {tanggal(end)}",
        [
            "Ukuran",
            "n unit terlatih",
            "Rata-rata terlatih",
            "n unit pembanding",
            "Rata-rata pembanding",
            "Selisih",
            "SK 95% bawah",
            "SK 95% atas",
            "p (Welch)",
        ],
        rows,
    )
    if cmp_ikm.treated and cmp_ikm.comparison:
        s.figure(
            "layanan_terlatih",
            "IKM unit terlatih vs pembanding",
            charts.grouped(
                ["IKM"],
                {
                    "Unit terlatih": [cmp_ikm.treated_mean],
                    "Unit pembanding": [cmp_ikm.comparison_mean],
                },
                ylabel="IKM (25–100)",
            ),
            "layanan_terlatih",
        )
        sig = (
            "bermakna secara statistik"
            if cmp_ikm.pvalue is not None and cmp_ikm.pvalue < 0.05
            else "belum bermakna secara statistik"
        )
        s.paragraphs.append(
            f"IKM rata-rata unit layanan di OPD yang pegawainya dilatih {num(cmp_ikm.treated_mean or 0, 2)} "
            f"({len(t_ikm)} unit) dibanding {num(cmp_ikm.comparison_mean or 0, 2)} di unit pembanding "
            f"({len(o_ikm)} unit); perbedaan ini {sig}"
            + ("" if cmp_ikm.pvalue is None else f" (p = {num(cmp_ikm.pvalue, 3)})")
            + "."
        )
    else:
        s.gaps.append("Data IKM unit terlatih dan pembanding belum cukup untuk dibandingkan.")
    if cmp_med.treated and cmp_med.comparison:
        s.paragraphs.append(
            f"Median waktu penyelesaian pengaduan (hari kerja, Kaplan–Meier): "
            f"{num(cmp_med.treated_mean or 0, 1)} di unit terlatih dan "
            f"{num(cmp_med.comparison_mean or 0, 1)} di unit pembanding."
        )
    return srows, ikm, cf


def _sample_table(s: Section, srows: list[Any], start: date, end: date) -> None:
    s.table(
        "sampel_skm",
        f"Kecukupan sampel SKM (Krejcie–Morgan), responden {tanggal(start)} – {tanggal(end)}",
        ["Unit layanan", "Responden", "Sampel minimum", "Cukup"],
        srows,
    )


# --- programme report ------------------------------------------------------------------------


def programme_period(programme: Programme) -> tuple[date, date]:
    agg = programme.batches.aggregate(a=Min_("start_date"), b=Max_("end_date"))
    year = programme.year or timezone.localdate().year
    return agg["a"] or date(year, 1, 1), agg["b"] or date(year, 12, 31)


def Min_(f: str) -> Any:
    from django.db.models import Min

    return Min(f)


def Max_(f: str) -> Any:
    from django.db.models import Max

    return Max(f)


def assemble_programme(
    programme: Programme, windows: Windows | None = None, today: date | None = None
) -> dict[str, Any]:
    """The evaluation report of one programme as a JSON-able dict, collected afresh (pages and
    downloads read the cached model: :func:`kompeten.reports.model.programme_report`)."""
    return build_programme(programme, windows, today).as_dict()


def build_programme(
    programme: Programme,
    windows: Windows | None = None,
    today: date | None = None,
    data_version: str = "",
) -> model.Report:
    """The evaluation report of one programme, collected once into the typed report model.

    ``windows`` are the before/after windows of the public-service section (default:
    :func:`kompeten.reports.impact.default_windows`); ``today`` bounds them and censors open
    complaints (default: today in Asia/Jakarta)."""
    secs = _sections()
    tree = c.unit_tree(programme.instansi_id)
    start, end = programme_period(programme)
    today = today or timezone.localdate()
    windows = windows or default_windows(start, end, today)
    enrolments = Enrolment.objects.filter(batch__programme=programme)
    f = c.funnel(enrolments, tree)
    codesign = learning_q.codesign_record(programme)

    # Pendahuluan
    p = secs["pendahuluan"]
    lt = dict(LearningType.choices).get(programme.learning_type, programme.learning_type)
    p.paragraphs.append(
        f"Laporan ini mengevaluasi program {programme.title} ({programme.code}), sebuah "
        f"{str(lt).lower()} sebesar {num(float(programme.total_jp), 0)} JP, yang dilaksanakan "
        f"{tanggal(start)} sampai {tanggal(end)}. {_enrolled_sentence(f)}"
    )
    if programme.description:
        p.paragraphs.append(programme.description)
    if codesign.is_codesigned:
        p.paragraphs.append(
            f"Program dirancang bersama ASN: {codesign.n_proposals} usulan topik diadopsi, "
            f"{codesign.n_votes} suara, {codesign.n_comments} komentar, {len(codesign.rounds)} "
            f"putaran uji draf dengan {codesign.n_feedback} masukan, melibatkan "
            f"{codesign.n_participants} pegawai."
        )
    else:
        p.paragraphs.append(
            "Catatan perancangan bersama ASN: tidak ada usulan atau uji draf yang tercatat."
        )
    p.table(
        "usulan",
        "Usulan ASN yang diadopsi",
        ["Usulan", "OPD pengusul", "Masalah", "Suara", "Komentar"],
        [[x.title, x.opd, x.problem, x.n_votes, x.n_comments] for x in codesign.proposals],
    )
    p.table(
        "uji_draf",
        "Putaran uji draf",
        ["Putaran", "Dibuka", "Ditutup", "Masukan", "Pegawai", "Tindak lanjut"],
        [
            [r.number, r.opens_at.date(), r.closes_at.date(), r.n_feedback, r.n_people, r.summary]
            for r in codesign.rounds
        ],
    )
    batches = list(programme.batches.annotate(n=Count("enrolments")).order_by("start_date"))
    p.table(
        "angkatan",
        "Angkatan",
        ["Kode", "Nama", "Mulai", "Selesai", "Kapasitas", "Peserta"],
        [[b.code, b.name, b.start_date, b.end_date, b.capacity, b.n] for b in batches],
    )

    # Tujuan Program
    t = secs["tujuan"]
    post_by_comp = {
        row["item__competency_id"]: row
        for row in Answer.objects.filter(
            response__programme=programme,
            response__kind="posttest",
            item__competency__isnull=False,
            points__isnull=False,
        )
        .values("item__competency_id")
        .annotate(pts=Sum("points"), mx=Sum("item__points"))
    }
    crow = []
    for pc in programme.competencies.select_related("competency").order_by("competency__name"):
        r = post_by_comp.get(pc.competency_id)
        score = None if not r or not r["mx"] else float(r["pts"]) / float(r["mx"]) * 100
        status = (
            "belum dapat dinilai"
            if score is None
            else "tercapai"
            if score >= OBJECTIVE_REACHED_PCT
            else "belum tercapai"
        )
        crow.append([pc.competency.name, pc.target_level, score, status])
    t.table(
        "kompetensi_sasaran",
        "Kompetensi sasaran: skor post-test pada butir kompetensi itu (≥ 70% = tercapai)",
        ["Kompetensi", "Level sasaran", "Skor post-test (%)", "Status"],
        crow,
    )
    # the objectives are judged once the engine's result and the before/after exist (below)

    # Metode
    m = secs["metode"]
    kinds = dict(ModuleKind.choices)
    modules = list(programme.modules.select_related("trainer__employee").order_by("order"))
    m.table(
        "modul",
        "Modul",
        ["Urutan", "Judul", "Jenis", "Metode", "JP", "Pengajar"],
        [
            [
                mod.order,
                mod.title,
                str(kinds.get(mod.kind, mod.kind)),
                mod.method,
                float(mod.jp),
                str(mod.trainer) if mod.trainer_id else "",
            ]
            for mod in modules
        ],
    )
    by_kind: dict[str, float] = defaultdict(float)
    for mod in modules:
        by_kind[str(kinds.get(mod.kind, mod.kind))] += float(mod.jp)
    m.table("jp_jenis", "JP per jenis modul", ["Jenis", "JP"], [[k, v] for k, v in by_kind.items()])
    if by_kind:
        m.figure(
            "jp_jenis",
            "JP per jenis modul",
            charts.bars(list(by_kind), list(by_kind.values()), xlabel="JP"),
            "jp_jenis",
        )
        m.paragraphs.append(
            "Komposisi modul: " + "; ".join(f"{k} {num(v, 0)} JP" for k, v in by_kind.items()) + "."
        )
    planned = enrolments.filter(source=EnrolmentSource.PLAN).count()
    sessions = Session.objects.filter(batch__programme=programme).count()
    invited = f.invited - f.held
    if invited:
        m.paragraphs.append(
            f"{len(batches)} angkatan dengan {sessions} sesi; {planned} dari {invited} undangan "
            "disusun oleh perencana jadwal yang menghindari jadwal tugas dan batas staf minimum "
            "unit."
        )
    else:
        m.paragraphs.append(f"{len(batches)} angkatan dengan {sessions} sesi.")
    if f.held:
        m.paragraphs.append(
            f"{f.held} peserta dicatat setelah pelatihan terlaksana, tanpa undangan."
        )

    # Hasil dan Dampak
    h = secs["hasil"]
    # The evaluation engine is a direct dependency: a crash in it is a crash of the report (a
    # 500 and a logged traceback), never a sentence a reader would take for a finding.
    ev = evaluate_programme(programme)
    impact = programme_impact(programme, windows, tree, today)
    _engine_reaction_learning(h, ev)
    _engine_levels(h, ev)
    # Public service: the before/after of the units whose staff took part, beside the comparison
    # units over the same windows. (A cross-sectional table over the training days alone, with
    # "trained" meaning an OPD with a completion, contradicted it: "0 unit terlatih" beside two
    # units whose staff took part.)
    impact_section(h, impact)
    verdicts = _objectives(t, programme, ev, enrolments, impact)

    # Tantangan
    tg = secs["tantangan"]
    _funnel_table(tg, f)
    if f.invited > f.held:  # declines exist only where invitations did
        _decline_table(tg, f)
    _opd_table(tg, f)
    due, answered = c.followups(
        c.l3_followups(FollowUp.objects.filter(batch__programme=programme)), timezone.now()
    )
    tg.table(
        "tindak_lanjut",
        "Penilaian perilaku (L3) tindak lanjut 3 dan 6 bulan sesudah pelatihan",
        ["Ukuran", "Jumlah"],
        [["Jatuh tempo", due], ["Dijawab", answered]],
    )
    # SKM sample adequacy: per before/after window in the public-service section (dampak_ikm)
    if f.invited > f.held:
        invited = f.invited - f.held
        tg.paragraphs.append(
            f"Dari {invited} undangan, {f.declined} ditolak ({pct(f.declined / invited)}); "
            f"{sum(f.declines_by_reason.get(k, 0) for k in ('beban_kerja', 'bentrok_tugas'))} karena "
            "beban kerja atau bentrok tugas."
        )

    rel_index, rel_n, trainer_scores, class_gain, gain_n = engine_evidence(ev)
    evidence = Evidence(
        scope=f"programme:{programme.pk}",
        invited=f.invited,
        held=f.held,
        accepted=f.accepted,
        declined=f.declined,
        attended=f.attended,
        completed=f.completed,
        declines_by_reason=f.declines_by_reason,
        opd=tuple(f.opd),
        relevance_index=rel_index,
        relevance_n=rel_n,
        trainers=trainer_scores,
        followups_due=due,
        followups_answered=answered,
        class_gain=class_gain,
        gain_n=gain_n,
        ikm_changes=tuple(ikm_changes(impact)),
        sla_changes=tuple(sla_changes(impact)),
        has_comparison=impact.has_comparison,
        roi_pct=_f(ev.l5.roi_pct),
        total_cost=_f(ev.l5.total_cost),
        total_benefit=_f(ev.l5.total_benefit),
    )
    hits = recommend(evidence)
    _recommendation_section(secs["rekomendasi"], hits)
    k = secs["kesimpulan"]
    k.paragraphs.extend(_programme_conclusion(f, ev, verdicts, evidence, hits))
    return model.Report(
        kind="programme",
        scope=f"programme:{programme.pk}",
        title=f"Laporan Evaluasi {programme.title}",
        subtitle=f"{programme.code} · {tanggal(start)} – {tanggal(end)}",
        period_start=start.isoformat(),
        period_end=end.isoformat(),
        sections=tuple(secs[key].freeze() for key, _ in SECTIONS),
        recommendations=tuple(_hits_rows(hits)),
        evidence=_evidence_dict(evidence),
        figures=_programme_figures(programme, enrolments, ev, verdicts, impact),
        generated=timezone.now().isoformat(),
        rows=model.RowScope(
            programme_id=programme.pk,
            instansi_id=programme.instansi_id,
            period_start=start,
            period_end=end,
            before=(windows.before.start, windows.before.end),
            after=(windows.after.start, windows.after.end),
            today=today,
            trained_service_units=tuple(u.service_unit_id for u in impact.units if u.took_part),
            comparison_service_units=tuple(
                u.service_unit_id for u in impact.units if not u.took_part
            ),
        ),
        data_version=data_version,
    )


def _programme_figures(
    programme: Programme,
    enrolments: Any,
    ev: ProgrammeEvaluation,
    verdicts: list[ObjectiveVerdict],
    impact: Impact,
) -> dict[str, Any]:
    """The report's headline figures, unrounded, for the JSON export (docs/reports.md)."""
    agg = enrolments.filter(status=EnrolmentStatus.ACCEPTED).aggregate(
        n=Count("id"), done=Count("id", filter=Q(completed_at__isnull=False))
    )
    # the engine's per-item L1 (each item on its own scale)
    l1: dict[str, Any] = {
        "n": ev.l1.n_responses,
        "items": [
            {
                "text": i.text,
                "mean": _f(i.mean),
                "n": i.n,
                "scale_max": i.scale_max,
                "labels": list(i.labels),
                "share_agree": _f(i.share_agree),
            }
            for i in ev.l1.items
            if i.mean is not None  # scored items with answers; free text has no scale
        ],
        "item_mean": _f(ev.l1.item_mean),
        "share_agree": _f(ev.l1.share_agree),
    }
    n_pairs, pre, post = ev.l2.n_pairs, _f(ev.l2.mean_pre), _f(ev.l2.mean_post)
    return {
        "programme": {"code": programme.code, "title": programme.title},
        "participants": agg["n"],
        "completed": agg["done"],
        "l1": l1,
        "l2": {"n_pairs": n_pairs, "pre_mean": pre, "post_mean": post},
        # each objective judged by its own indicator (docs/reports.md)
        "objectives": [verdict_dict(v) for v in verdicts],
        # one entry per service unit whose staff took part (the schema); the windows,
        # the IKM method and the comparison units beside it
        **_impact_figures(impact_dict(impact)),
    }


def _impact_figures(impact: dict[str, Any]) -> dict[str, Any]:
    return {
        "impact": impact["units"],
        "impact_windows": impact["windows"],
        "impact_method": impact["ikm_method"],
        "impact_comparison": impact["comparison"],
        "impact_estimates": impact["estimates"],
        "impact_panel": impact["panel"],
    }


def _participants(enrolments: Any) -> tuple[int, int]:
    """(accepted participants, of whom completed): the completion indicator's n and k."""
    agg = enrolments.filter(status=EnrolmentStatus.ACCEPTED).aggregate(
        n=Count("id"), done=Count("id", filter=Q(completed_at__isnull=False))
    )
    return agg["n"], agg["done"]


def _objectives(
    t: Section, programme: Programme, ev: Any, enrolments: Any, impact: Impact
) -> list[ObjectiveVerdict]:
    """The objectives table and sentences: each judged by the indicator chosen for it."""
    rows = objective_rows(programme)
    if not rows:
        t.gaps.append("Tujuan terukur program belum diisi.")
        return []
    n, done = _participants(enrolments)
    verdicts = judge_objectives(rows, indicator_figures(ev, n, done, impact))
    t.table(
        "tujuan",
        "Tujuan program dan ketercapaiannya (menurut indikator masing-masing)",
        ["Tujuan", "Indikator", "Target", "Nilai", "SK 95% bawah", "SK 95% atas", "n", "Status"],
        [
            [
                v.text,
                v.indicator_label,
                v.target_text,
                v.figure.value,
                v.figure.ci_low,
                v.figure.ci_high,
                v.figure.n,
                v.status_label,
            ]
            for v in verdicts
        ],
    )
    t.paragraphs.extend(v.sentence() for v in verdicts)
    unjudged = sum(1 for v in verdicts if not v.indicator)
    if unjudged:
        t.gaps.append(
            f"{unjudged} dari {len(verdicts)} tujuan belum punya indikator: pilih indikator dan "
            "targetnya di halaman program (Indikator dan target tujuan) agar dapat dinilai."
        )
    return verdicts


def _evidence_dict(e: Evidence) -> dict[str, Any]:
    return {
        "invited": e.invited,
        "completed": e.completed,
        "declined": e.declined,
        "workload_declines": e.workload_declines,
        "relevance_index": e.relevance_index,
        "followups_due": e.followups_due,
        "followups_answered": e.followups_answered,
        "class_gain": e.class_gain,
        "jp_with_target": e.jp_with_target,
        "jp_met": e.jp_met,
        "complaints_decided": e.complaints_decided,
        "complaints_met": e.complaints_met,
    }


def _recommendation_section(s: Section, hits: list[Hit]) -> None:
    if not hits:
        s.paragraphs.append("Tidak ada aturan rekomendasi yang terpicu oleh data periode ini.")
    s.table(
        "rekomendasi",
        "Rekomendasi dan bukti pemicunya",
        ["Aturan", "Pokok", "Rekomendasi"],
        [[RULE_TITLES.get(h.rule_id, h.rule_id), h.subject, h.text] for h in hits],
    )


GAIN_CATEGORIES = {"low": "rendah", "medium": "sedang", "high": "tinggi"}


def _programme_conclusion(
    f: c.Funnel,
    ev: ProgrammeEvaluation,
    verdicts: list[ObjectiveVerdict],
    e: Evidence,
    hits: list[Hit],
) -> list[str]:
    """The programme's conclusion: participation, learning, the objectives' verdicts and the
    public-service impact and ROI, negative results said as plainly as positive ones."""
    out = []
    if f.invited:
        whom = "peserta terdaftar" if f.held else "undangan"
        out.append(
            f"Tingkat penyelesaian {pct(f.completed / f.invited)} ({f.completed} dari "
            f"{f.invited} {whom})."
        )
    t, g = ev.l2.ttest, ev.l2.gain
    if t is not None:
        out.append(
            f"Skor tes naik rata-rata {plain(float(t.mean_difference))} poin (SK 95% "
            f"{plain(float(t.ci_low))} s.d. {plain(float(t.ci_high))}, n = {t.n})"
            + (
                ""
                if g is None
                else f"; gain ternormalisasi {num(float(g.class_gain), 2)} "
                f"({GAIN_CATEGORIES.get(str(g.category), str(g.category))})"
            )
            + "."
        )
    overall = ev.l1.overall
    if overall is not None and overall.index is not None:
        out.append(f"Reaksi peserta: indeks {num(float(overall.index), 2)} dari 100.")
    if verdicts:
        count = {k: sum(1 for v in verdicts if v.status == k) for k in STATUS_ORDER}
        unset = sum(1 for v in verdicts if not v.indicator)
        out.append(
            f"Dari {len(verdicts)} tujuan program, {count['tercapai']} tercapai, "
            f"{count['belum_tercapai']} belum tercapai dan {count['belum_dapat_dinilai']} belum "
            "dapat dinilai"
            + (f" ({unset} belum punya indikator)" if unset else "")
            + ", masing-masing menurut indikatornya sendiri."
        )
    out.extend(change_sentence(ch, "ikm") for ch in e.ikm_changes)
    out.extend(change_sentence(ch, "pengaduan") for ch in e.sla_changes)
    if e.roi_pct is not None:
        out.append(
            f"ROI {num(e.roi_pct, 1)}%"
            + (": manfaat terisolasi lebih kecil dari biaya program." if e.roi_pct < 0 else ".")
        )
    negative = [h for h in hits if h.rule_id in ("ikm_drop", "sla_drop", "negative_roi")]
    if negative:
        out.append(
            "Hasil negatif yang perlu ditindaklanjuti: "
            + "; ".join(RULE_TITLES[h.rule_id].lower() + f" ({h.subject})" for h in negative)
            + "."
        )
    out.append(
        f"{len(hits)} rekomendasi perbaikan dihasilkan dari data dan dipantau pada siklus berikutnya."
    )
    return out


STATUS_ORDER = ("tercapai", "belum_tercapai", "belum_dapat_dinilai")


def _conclusion(
    f: c.Funnel, lr: c.Learning, reac: c.Reaction, hits: list[Hit], with_hits: bool = True
) -> list[str]:
    out = []
    if f.invited:
        whom = "peserta terdaftar" if f.held else "undangan"
        out.append(
            f"Tingkat penyelesaian {pct(f.completed / f.invited)} ({f.completed} dari {f.invited} {whom})."
        )
    if lr.class_gain is not None:
        out.append(
            f"Peserta belajar dengan gain ternormalisasi {num(lr.class_gain, 2)} "
            f"({GAIN_CATEGORIES.get(lr.category, lr.category)})."
        )
    if reac.sections:
        out.append(
            f"Reaksi peserta rata-rata {num(sum(x[1] for x in reac.sections) / len(reac.sections), 2)} dari 100."
        )
    if with_hits:
        out.append(
            f"{len(hits)} rekomendasi perbaikan dihasilkan dari data dan dipantau pada siklus "
            "berikutnya."
        )
    return out


# --- cycle report ----------------------------------------------------------------------------


def parse_period(code: str) -> tuple[str, date, date]:
    """ "2026" → yearly; "2026-S1" → semester; "2026-Q3" → quarterly."""
    text = code.strip().upper()
    try:
        if len(text) == 4:
            whole = int(text)
            return "yearly", date(whole, 1, 1), date(whole, 12, 31)
        y, part = text.split("-")
        year = int(y)
        if part in ("S1", "S2"):
            half = int(part[1])
            return (
                "semester",
                date(year, 1 if half == 1 else 7, 1),
                date(year, 6, 30) if half == 1 else date(year, 12, 31),
            )
        if part in ("Q1", "Q2", "Q3", "Q4"):
            q = int(part[1])
            start = date(year, 3 * q - 2, 1)
            end_month = 3 * q
            last = 31 if end_month in (3, 12) else 30
            return "quarterly", start, date(year, end_month, last)
    except ValueError:
        pass
    raise ValueError(f"Periode {code!r} tidak dikenal: tulis 2026, 2026-S1 atau 2026-Q3.")


def previous_code(code: str) -> str:
    kind, start, _end = parse_period(code)
    if kind == "yearly":
        return str(start.year - 1)
    if kind == "semester":
        return f"{start.year - 1}-S2" if start.month == 1 else f"{start.year}-S1"
    q = (start.month - 1) // 3 + 1
    return f"{start.year - 1}-Q4" if q == 1 else f"{start.year}-Q{q - 1}"


def cycle_metrics(data: dict[str, Any]) -> dict[str, Any]:
    return data.get("metrics", {})


def _two_prop_p(a: int, n: int, b: int, m: int) -> float | None:
    if not n or not m:
        return None
    table = [[a, n - a], [b, m - b]]
    if min(sum(r) for r in table) == 0 or (a + b) == 0 or (n - a + m - b) == 0:
        return None
    return float(scipy_stats.chi2_contingency(table, correction=False).pvalue)


def compare_cycles(cur: dict[str, Any], prev: dict[str, Any]) -> list[dict[str, Any]]:
    """Better / worse / unchanged per metric, with a test where one applies (α = 0,05)."""
    rows: list[dict[str, Any]] = []

    def direction(delta: float | None, higher_is_better: bool, p: float | None) -> str:
        if delta is None:
            return "tidak dapat dibandingkan"
        if p is not None and p >= 0.05:
            return "tidak berubah"
        if delta == 0:
            return "tidak berubah"
        return "lebih baik" if (delta > 0) == higher_is_better else "lebih buruk"

    for key, label, hib in (
        ("completion", "Tingkat penyelesaian", True),
        ("jp_compliance", "Pemenuhan 20 JP (PNS)", True),
        ("sla", "Pengaduan selesai dalam batas waktu", True),
    ):
        a, b = cur.get(key), prev.get(key)
        if not a or not b or not a.get("n") or not b.get("n"):
            rows.append(
                {
                    "metric": label,
                    "previous": None,
                    "current": None,
                    "delta": None,
                    "direction": "tidak dapat dibandingkan",
                    "p": None,
                    "method": "",
                }
            )
            continue
        pa, pb = a["k"] / a["n"], b["k"] / b["n"]
        p = _two_prop_p(a["k"], a["n"], b["k"], b["n"])
        rows.append(
            {
                "metric": label,
                "previous": pb,
                "current": pa,
                "delta": pa - pb,
                "direction": direction(pa - pb, hib, p),
                "p": p,
                "method": "uji χ² dua proporsi",
            }
        )
    for key, label, hib in (
        ("gain", "Gain belajar individual", True),
        ("ikm", "IKM rata-rata unit", True),
        ("complaint_median", "Median hari penyelesaian pengaduan", False),
    ):
        a, b = cur.get(key) or {}, prev.get(key) or {}
        if a.get("mean") is None or b.get("mean") is None:
            rows.append(
                {
                    "metric": label,
                    "previous": b.get("mean"),
                    "current": a.get("mean"),
                    "delta": None,
                    "direction": "tidak dapat dibandingkan",
                    "p": None,
                    "method": "",
                }
            )
            continue
        p = None
        method = ""
        if a.get("sd") and b.get("sd") and a.get("n", 0) >= 2 and b.get("n", 0) >= 2:
            p = float(
                scipy_stats.ttest_ind_from_stats(
                    a["mean"], a["sd"], a["n"], b["mean"], b["sd"], b["n"], equal_var=False
                ).pvalue
            )
            method = "uji t Welch"
        delta = a["mean"] - b["mean"]
        rows.append(
            {
                "metric": label,
                "previous": b["mean"],
                "current": a["mean"],
                "delta": delta,
                "direction": direction(delta, hib, p),
                "p": p,
                "method": method,
            }
        )
    return rows


def assemble_cycle(
    instansi_id: int,
    code: str,
    previous: dict[str, Any] | None = None,
    previous_recommendations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The city-wide report of one period across all programmes."""
    kind, start, end = parse_period(code)
    secs = _sections()
    tree = c.unit_tree(instansi_id)
    enrolments = Enrolment.objects.filter(
        instansi_id=instansi_id, batch__start_date__lte=end, batch__end_date__gte=start
    )
    f = c.funnel(enrolments, tree)
    programmes = list(c.programmes_in(instansi_id, start, end))
    responses = Response.objects.filter(
        programme__in=programmes,
        submitted_at__gte=c.aware(start),
        submitted_at__lte=c.aware(end, True),
    )

    p = secs["pendahuluan"]
    p.paragraphs.append(
        f"Laporan siklus evaluasi {code} ({tanggal(start)} – {tanggal(end)}) mencakup "
        f"{len(programmes)} program pengembangan kompetensi dengan "
        + (
            f"{f.invited} undangan"
            if not f.held
            else f"{f.invited} peserta terdaftar"
            + (f" ({f.invited - f.held} diundang)" if f.invited > f.held else "")
        )
        + f" dan {f.completed} penyelesaian di seluruh OPD."
    )
    # per programme figures (for best/weakest)
    prow: list[list[Any]] = []
    per_prog: dict[int, Any] = {
        r["batch__programme_id"]: r
        for r in enrolments.values("batch__programme_id").annotate(
            inv=Count("id"),
            comp=Count("id", filter=Q(completed_at__isnull=False)),
            gain=Avg("learning_gain"),
        )
    }
    index_expr = (F("value") - 1) * 100.0 / (F("response__instrument__scale_max") - 1)
    react = {
        r["response__programme_id"]: r["v"]
        for r in Answer.objects.filter(
            response__in=responses.filter(kind="reaksi"), item__kind="likert", value__isnull=False
        )
        .values("response__programme_id")
        .annotate(v=Avg(index_expr))
    }
    for prog in programmes:
        r = per_prog.get(prog.pk, {"inv": 0, "comp": 0, "gain": None})
        rate = r["comp"] / r["inv"] * 100 if r["inv"] else None
        reac_mean = react.get(prog.pk)
        prow.append(
            [prog.code, prog.title, r["inv"], r["comp"], rate, _f(r["gain"]), _f(reac_mean)]
        )
    p.table(
        "program",
        "Program dalam siklus ini",
        [
            "Kode",
            "Program",
            "Diundang",
            "Selesai",
            "Tingkat penyelesaian (%)",
            "Gain rata-rata",
            "Indeks reaksi",
        ],
        prow,
    )

    t = secs["tujuan"]
    t.paragraphs.append(
        "Tujuan siklus: setiap PNS memenuhi sedikitnya 20 JP pengembangan kompetensi setahun, "
        "pelatihan meningkatkan kompetensi yang dibutuhkan, dan kualitas layanan publik membaik "
        "(IKM, penanganan pengaduan)."
    )
    employees = Employee.objects.filter(instansi_id=instansi_id, is_active=True)
    n_target, met = c.jp_compliance(employees, end.year)
    with_target = range(n_target)
    t.table(
        "jp",
        "Pemenuhan JP per tahun (PNS)",
        ["Ukuran", "Nilai"],
        [
            ["PNS dengan target", len(with_target)],
            ["Memenuhi 20 JP", met],
            ["Proporsi (%)", met / len(with_target) * 100 if with_target else None],
        ],
    )
    if with_target:
        t.paragraphs.append(
            f"Pemenuhan 20 JP tahun {end.year}: {met} dari {len(with_target)} PNS ({pct(met / len(with_target))}) — "
            + ("tercapai." if met == len(with_target) else "belum tercapai untuk semua PNS.")
        )

    m = secs["metode"]
    lt = dict(LearningType.choices)
    forms: dict[str, int] = defaultdict(int)
    for prog in programmes:
        forms[str(lt.get(prog.learning_type, prog.learning_type))] += 1
    m.table(
        "bentuk",
        "Program per bentuk pengembangan",
        ["Bentuk", "Program"],
        [[k, v] for k, v in sorted(forms.items())],
    )
    planned = enrolments.filter(source=EnrolmentSource.PLAN).count()
    if f.invited > f.held:
        m.paragraphs.append(
            f"{planned} dari {f.invited - f.held} undangan disusun oleh perencana jadwal di "
            "sekitar tugas pegawai."
        )

    h = secs["hasil"]
    reac = c.reaction(responses.filter(kind="reaksi"))
    _reaction(h, reac)
    lr = c.learning(responses)
    _learning(h, lr)
    if prow:
        rated = sorted([r for r in prow if r[4] is not None], key=lambda r: -(r[4] or 0))
        h.figure(
            "program",
            "Tingkat penyelesaian per program (%)",
            charts.bars([r[1] for r in rated], [r[4] for r in rated], xlabel="%"),
            "program",
        )
        if rated:
            h.paragraphs.append(
                f"Program dengan penyelesaian tertinggi: {rated[0][1]} ({pct(rated[0][4] / 100)}); "
                f"terendah: {rated[-1][1]} ({pct(rated[-1][4] / 100)})."
            )
    trained = c.trained_units(enrolments, tree)
    srows, ikm, cf = _service_compare(h, instansi_id, start, end, trained, tree)
    ips = ip_for_employees(employees, end.year)
    ips_prev = ip_for_employees(employees, end.year - 1)
    s_now, s_prev = summarise(ips), summarise(ips_prev)
    h.table(
        "ip_asn",
        "IP ASN kota",
        ["Tahun", "Pegawai", "Rata-rata", "Kualifikasi", "Kompetensi", "Kinerja", "Disiplin"],
        [
            [str(y), s.n, s.mean, s.kualifikasi, s.kompetensi, s.kinerja, s.disiplin]
            for y, s in ((end.year - 1, s_prev), (end.year, s_now))
        ],
    )
    if s_now.mean is not None and s_prev.mean is not None:
        h.paragraphs.append(
            f"IP ASN rata-rata kota {num(s_prev.mean, 2)} ({end.year - 1}) menjadi {num(s_now.mean, 2)} ({end.year}); "
            f"dimensi kompetensi {num(s_prev.kompetensi or 0, 2)} → {num(s_now.kompetensi or 0, 2)}."
        )

    tg = secs["tantangan"]
    _funnel_table(tg, f)
    _decline_table(tg, f)
    _opd_table(tg, f)
    due, answered = c.followups(
        c.l3_followups(
            FollowUp.objects.filter(
                batch__programme__instansi_id=instansi_id, due_at__gte=c.aware(start)
            )
        ),
        min(c.aware(end, True), timezone.now()),
    )
    tg.table(
        "tindak_lanjut",
        "Penilaian perilaku (L3) tindak lanjut 3 dan 6 bulan sesudah pelatihan",
        ["Ukuran", "Jumlah"],
        [["Jatuh tempo", due], ["Dijawab", answered]],
    )
    _sample_table(tg, srows, start, end)

    metrics = {
        "completion": {"k": f.completed, "n": f.invited},
        "jp_compliance": {"k": met, "n": len(with_target)},
        "sla": {"k": cf.met, "n": cf.decided},
        "gain": c.gain_stats(f.gains),
        "ikm": c.gain_stats(ikm.values()),
        "complaint_median": c.gain_stats(cf.by_unit_median.values()),
        "ip_asn": s_now.mean,
    }
    comparison = compare_cycles(metrics, previous or {}) if previous else []
    if comparison:
        h.table(
            "perbandingan",
            f"Perbandingan dengan siklus sebelumnya ({previous_code(code)})",
            ["Ukuran", "Sebelumnya", "Sekarang", "Perubahan", "Arah", "p", "Uji"],
            [
                [
                    r["metric"],
                    r["previous"],
                    r["current"],
                    r["delta"],
                    r["direction"],
                    r["p"],
                    r["method"],
                ]
                for r in comparison
            ],
        )
    else:
        h.gaps.append("Belum ada siklus sebelumnya untuk dibandingkan.")

    relevance = [x for x in reac.sections if x[0] in ("relevansi", "materi")]
    evidence = Evidence(
        scope=f"cycle:{code}",
        invited=f.invited,
        accepted=f.accepted,
        declined=f.declined,
        attended=f.attended,
        completed=f.completed,
        declines_by_reason=f.declines_by_reason,
        opd=tuple(f.opd),
        relevance_index=relevance[0][1] if relevance else None,
        relevance_n=relevance[0][2] if relevance else 0,
        trainers=tuple(reac.trainers),
        followups_due=due,
        followups_answered=answered,
        skm_samples=tuple(c.SkmSample(0, None, r[0], r[1], r[2]) for r in srows),
        class_gain=lr.class_gain,
        gain_n=lr.n_pairs,
        jp_with_target=len(with_target),
        jp_met=met,
        complaints_decided=cf.decided,
        complaints_met=cf.met,
    )
    hits = recommend(evidence)
    rec_sec = secs["rekomendasi"]
    _recommendation_section(rec_sec, hits)
    if previous_recommendations:
        rec_sec.table(
            "tindak_lanjut_rekomendasi",
            "Status rekomendasi siklus sebelumnya",
            ["Aturan", "Rekomendasi", "Penanggung jawab", "Status", "Tenggat"],
            [
                [
                    RULE_TITLES.get(x["rule_id"], x["rule_id"]),
                    x["text"],
                    x.get("owner", ""),
                    x["status"],
                    x.get("due"),
                ]
                for x in previous_recommendations
            ],
        )
        done = sum(1 for x in previous_recommendations if x["status_code"] == "done")
        rec_sec.paragraphs.append(
            f"Dari {len(previous_recommendations)} rekomendasi siklus sebelumnya, {done} selesai."
        )
    k = secs["kesimpulan"]
    k.paragraphs.extend(_conclusion(f, lr, reac, hits))
    better = [x["metric"] for x in comparison if x["direction"] == "lebih baik"]
    worse = [x["metric"] for x in comparison if x["direction"] == "lebih buruk"]
    if better:
        k.paragraphs.append("Membaik dibanding siklus sebelumnya: " + ", ".join(better) + ".")
    if worse:
        k.paragraphs.append("Memburuk dibanding siklus sebelumnya: " + ", ".join(worse) + ".")
    return {
        "kind": "cycle",
        "scope": f"cycle:{code}",
        "code": code,
        "cycle_kind": kind,
        "title": f"Laporan Evaluasi Pengembangan Kompetensi {code}",
        "subtitle": f"{tanggal(start)} – {tanggal(end)}",
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "sections": [secs[key].as_dict() for key, _ in SECTIONS],
        "recommendations": _hits_rows(hits),
        "metrics": metrics,
        "comparison": comparison,
        "evidence": _evidence_dict(evidence),
        "generated": timezone.now().isoformat(),
    }
