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

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext, pgettext
from scipy import stats as scipy_stats

from kompeten.core import charts, formatting
from kompeten.core import importing as imp
from kompeten.evaluation import interpret
from kompeten.evaluation.interpret import alpha_caveat, score_band_name
from kompeten.evaluation.levels.results import ProgrammeEvaluation
from kompeten.evaluation.models import Answer, FollowUp, Response
from kompeten.evaluation.queries import evaluate_programme, programme_reactions, reaction_index
from kompeten.learning import queries as learning_q
from kompeten.learning.models import (
    CostCategory,
    LearningType,
    ModuleKind,
    Programme,
    Session,
)
from kompeten.participation.actions.attendance import rule_for
from kompeten.participation.models import (
    DeclineReason,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
)
from kompeten.people.models import Employee
from kompeten.reports import collect as c
from kompeten.reports import model
from kompeten.reports.evidence import Evidence, relevance_measure
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
    sla_changes,
    verdict_dict,
)
from kompeten.reports.rules import RULE_TITLES, Hit, recommend
from kompeten.service.imports_complaints import ComplaintsImport
from kompeten.service.models import ServiceUnit

# titles translated where shown: gettext(title) in the report, {% translate %} in templates
SECTIONS = (
    ("pendahuluan", gettext_noop("Pendahuluan")),
    ("tujuan", gettext_noop("Tujuan Program")),
    ("metode", gettext_noop("Metode Pelatihan")),
    ("hasil", gettext_noop("Hasil dan Dampak")),
    ("tantangan", gettext_noop("Tantangan dalam Implementasi")),
    ("rekomendasi", gettext_noop("Rekomendasi untuk Perbaikan")),
    ("kesimpulan", gettext_noop("Kesimpulan")),
)
OBJECTIVE_REACHED_PCT = 70.0  # Kompeten policy: post-test mean ≥ 70 % on the competency's items


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
    return {k: Section(k, gettext(t)) for k, t in SECTIONS}


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


def _bars(
    s: Section, slug: str, title: str, labels: list[Any], values: list[Any], **options: Any
) -> None:
    """A bar chart beside the table of the same slug (``options`` go to :func:`charts.bars`)."""
    s.figure(slug, title, charts.bars(labels, values, **options), slug)


def _row_bars(
    s: Section, slug: str, title: str, rows: list[list[Any]], column: int = 1, **options: Any
) -> None:
    """The bar chart of a table's rows: each row's first cell its label, cell ``column`` its
    value (see :func:`_bars`)."""
    _bars(s, slug, title, [r[0] for r in rows], [r[column] for r in rows], **options)


def _decline_table(s: Section, f: c.Funnel) -> None:
    labels = dict(DeclineReason.choices)
    rows: list[list[Any]] = [
        [str(labels.get(k, k)), n, (n / f.declined) if f.declined else None]
        for k, n in sorted(f.declines_by_reason.items(), key=lambda kv: -kv[1])
    ]
    title = gettext("Alasan menolak undangan")
    s.table(
        "alasan_menolak", title, [gettext("Alasan"), gettext("Jumlah"), gettext("Proporsi")], rows
    )
    if rows:
        _row_bars(s, "alasan_menolak", title, rows, decimals=0, xlabel=gettext("undangan"))


def _enrolled_sentence(f: c.Funnel) -> str:
    """Who took part: invited employees, or participants enrolled after a held training (never
    invited: the panitia's attendance list), or both."""
    invited = f.invited - f.held
    if not f.held:
        return gettext(
            "Sebanyak {invited} pegawai diundang dan {completed} menyelesaikannya."
        ).format(invited=f.invited, completed=f.completed)
    if not invited:
        return gettext(
            "Sebanyak {held} peserta terdaftar dan {completed} menyelesaikannya."
        ).format(held=f.held, completed=f.completed)
    return gettext(
        "Sebanyak {invited} pegawai diundang dan {held} peserta dicatat dari pelatihan yang "
        "sudah terlaksana ({enrolled} peserta terdaftar); {completed} menyelesaikannya."
    ).format(invited=invited, held=f.held, enrolled=f.invited, completed=f.completed)


def _completion_rule_sentence(programme: Programme, f: c.Funnel) -> str:
    """What "menyelesaikan" takes when some participants are not counted for want of a
    post-test (a held training imported before its score recap): " " and the sentence, or ""."""
    rule = rule_for(programme.pk)
    if not rule.requires_posttest or not f.without_posttest:
        return ""
    return " " + ngettext(
        "Menyelesaikan berarti hadir sedikitnya {pct} dan mengerjakan post-test (aturan "
        "penyelesaian program); {n} peserta yang hadir belum punya post-test dan belum "
        "dihitung selesai.",
        "Menyelesaikan berarti hadir sedikitnya {pct} dan mengerjakan post-test (aturan "
        "penyelesaian program); {n} peserta yang hadir belum punya post-test dan belum "
        "dihitung selesai.",
        f.without_posttest,
    ).format(pct=formatting.number(rule.min_attendance_pct, 0) + "%", n=f.without_posttest)


def _funnel_table(s: Section, f: c.Funnel) -> None:
    rows = c.funnel_stages(f)
    title = gettext("Corong partisipasi")
    s.table("corong_partisipasi", title, [gettext("Tahap"), str(c.FUNNEL_COUNT)], rows)
    _row_bars(s, "corong_partisipasi", title, rows, decimals=0, xlabel=str(c.FUNNEL_COUNT))


def _opd_table(s: Section, f: c.Funnel, thresholds_rate: float = 0.6) -> None:
    # the rate in percent, as the chart beside it shows it (a share 0,888 in the table and 88,9
    # in the chart read as two different figures)
    rows: list[list[Any]] = [
        [o.label, o.invited, o.completed, o.declined, _percent(o.completion_rate)] for o in f.opd
    ]
    headers = [
        gettext("OPD"),
        gettext("Terdaftar") if f.held else gettext("Diundang"),
        pgettext("completed", "Selesai"),
        gettext("Menolak"),
    ]
    rate = gettext("Tingkat penyelesaian (%)")
    title = gettext("Partisipasi per OPD")
    if f.held and f.held == f.invited:  # a held training: nobody invited, nobody declined
        s.table(
            "partisipasi_opd",
            title,
            [*headers[:3], rate],
            [[r[0], r[1], r[2], r[4]] for r in rows],
        )
    else:
        s.table("partisipasi_opd", title, [*headers, rate], rows)
    if rows:
        _row_bars(
            s,
            "partisipasi_opd",
            gettext("Tingkat penyelesaian per OPD (%)"),
            rows,
            column=4,
            xlabel="%",
            highlight=[r[4] is not None and r[4] < thresholds_rate * 100 for r in rows],
        )


def _reaction_figure(s: Section, rows: list[list[Any]]) -> None:
    """The L1 chart: one bar per aspect (label, index) of ``rows``."""
    _row_bars(
        s,
        "reaksi",
        gettext("L1 Reaksi per aspek"),
        rows,
        xlabel=gettext("indeks 0–100"),
        decimals=2,
    )


def _trainer_table(s: Section, rows: list[list[Any]], by_item: bool = False) -> None:
    """The trainers' ratings: name, index, band and number of responses per row; ``by_item``,
    the questionnaire's items about a facilitator it does not name, one a row."""
    first = gettext("Butir tentang pengajar") if by_item else gettext("Pengajar")
    s.table(
        "pengajar",
        gettext("Penilaian pengajar"),
        [first, gettext("Indeks"), gettext("Kategori"), gettext("Tanggapan")],
        rows,
    )


def _reaction(s: Section, r: c.Reaction) -> None:
    from kompeten.evaluation.models import Section as ItemSection

    names = dict(ItemSection.choices)
    rows: list[list[Any]] = [[str(names.get(k, k)), idx, n] for k, idx, n in r.sections]
    s.table(
        "reaksi",
        gettext("L1 Reaksi: indeks per aspek (0–100)"),
        [gettext("Aspek"), gettext("Indeks"), gettext("Tanggapan")],
        rows,
    )
    if rows:
        _reaction_figure(s, rows)
    if r.index is not None:
        s.paragraphs.append(
            ngettext(
                "L1 Reaksi: {n} kuesioner reaksi terisi; indeks reaksi atas penyelenggaraan "
                "{index} dari 100 ({k} program).",
                "L1 Reaksi: {n} kuesioner reaksi terisi; indeks reaksi atas penyelenggaraan "
                "rata-rata {index} dari 100 ({k} program).",
                r.n_programmes,
            ).format(n=r.n_responses, index=formatting.number(r.index, 2), k=r.n_programmes)
        )
    if not rows:
        s.gaps.append(gettext("Data L1 (kuesioner reaksi) belum tersedia untuk periode ini."))
    trows = [[t.name, t.index, t.band, t.n] for t in r.trainers]
    if trows:
        _trainer_table(s, trows)
    elif r.n_responses:
        s.gaps.append(
            gettext(
                "Penilaian pengajar per nama belum ada: tidak ada jawaban kuesioner reaksi yang "
                "menyebut nama pengajar modul. Butir tentang narasumber tanpa nama dinilai di "
                "laporan tiap program."
            )
        )


def _learning_figure(s: Section, pre: Any, post: Any, ylabel: str = "") -> None:
    """The L2 chart: the mean pre-test beside the mean post-test."""
    s.figure(
        "belajar",
        gettext("L2 Rata-rata skor pre-test dan post-test"),
        charts.grouped(
            [gettext("Rata-rata")], {"Pre-test": [pre], "Post-test": [post]}, ylabel=ylabel
        ),
        "belajar",
    )


def _learning(s: Section, lr: c.Learning) -> None:
    if not lr.n_pairs:
        s.gaps.append(gettext("Data L2 (pasangan pre-test dan post-test) belum tersedia."))
        return
    s.table(
        "belajar",
        gettext("L2 Pembelajaran: pre-test dan post-test (skor %)"),
        [gettext("Ukuran"), gettext("Nilai")],
        [
            [gettext("Pasangan pre/post"), lr.n_pairs],
            [gettext("Rata-rata pre-test"), lr.mean_pre],
            [gettext("Rata-rata post-test"), lr.mean_post],
            [gettext("Gain ternormalisasi kelas (Hake)"), lr.class_gain],
            [gettext("Kategori gain"), gain_category(lr.category)],
        ],
    )
    _learning_figure(s, lr.mean_pre, lr.mean_post, ylabel=gettext("skor (%)"))
    pre, post = formatting.number(lr.mean_pre or 0, 1), formatting.number(lr.mean_post or 0, 1)
    if lr.class_gain is None:
        s.paragraphs.append(
            gettext(
                "L2 Pembelajaran: {n} peserta mengerjakan pre-test dan post-test; rata-rata naik "
                "dari {pre} menjadi {post}."
            ).format(n=lr.n_pairs, pre=pre, post=post)
        )
    else:
        s.paragraphs.append(
            gettext(
                "L2 Pembelajaran: {n} peserta mengerjakan pre-test dan post-test; rata-rata naik "
                "dari {pre} menjadi {post}; gain ternormalisasi {gain} ({category})."
            ).format(
                n=lr.n_pairs,
                pre=pre,
                post=post,
                gain=formatting.number(lr.class_gain, 2),
                category=gain_category(lr.category),
            )
        )


def _engine_reaction_learning(s: Section, ev: Any) -> None:
    """L1 and L2 from the evaluation engine's typed result (its sentences verbatim)."""
    _engine_reaction(s, ev.l1)
    _engine_learning(s, ev.l2)


def _engine_reaction(s: Section, l1: Any) -> None:
    """L1: the engine's sentence, the α caveats, the per-aspect table and chart, the items and
    the trainers."""
    if l1.sentence:
        s.paragraphs.append(l1.sentence)
    s.paragraphs.extend(interpret.alpha_notes(getattr(l1, "overall", None), l1.sections))

    def row(x: Any, label: str) -> list[Any]:
        alpha = None if x.alpha is None else _f(getattr(x.alpha, "alpha", None))
        return [label, _f(x.index), x.band, x.n, alpha, alpha_caveat(alpha)]

    rows = [row(x, x.label) for x in l1.sections]
    # the headline index of the sentence above: every organiser aspect as one scale
    headline = (
        [row(l1.overall, gettext("Penyelenggaraan (seluruh aspek, indeks utama)"))]
        if getattr(l1, "overall", None) is not None
        else []
    )
    s.table(
        "reaksi",
        gettext("L1 Reaksi: indeks per aspek (0–100)"),
        [
            gettext("Aspek"),
            gettext("Indeks"),
            gettext("Kategori"),
            gettext("Tanggapan"),
            gettext("α Cronbach"),
            gettext("Catatan α"),
        ],
        headline + rows,
    )
    if rows:
        _reaction_figure(s, rows)
    _l1_items(s, l1)
    _trainer_rating(s, l1)


def _engine_learning(s: Section, l2: Any) -> None:
    """L2: the engine's sentences, the paired test's table and chart, the per-batch table and
    the simulations."""
    for sentence in (l2.gain_sentence, l2.change_sentence):
        if sentence:
            s.paragraphs.append(sentence)
    t = l2.ttest
    s.table(
        "belajar",
        gettext("L2 Pembelajaran: pre-test dan post-test"),
        [gettext("Ukuran"), gettext("Nilai")],
        [
            [gettext("Pasangan pre/post"), l2.n_pairs],
            [gettext("Rata-rata pre-test"), _f(l2.mean_pre)],
            [gettext("Rata-rata post-test"), _f(l2.mean_post)],
            [gettext("Selisih rata-rata"), None if t is None else _f(t.mean_difference)],
            [gettext("SK 95% bawah"), None if t is None else _f(t.ci_low)],
            [gettext("SK 95% atas"), None if t is None else _f(t.ci_high)],
            [gettext("p (uji t berpasangan)"), None if t is None else _f(t.pvalue)],
            [
                gettext("Gain ternormalisasi kelas (Hake)"),
                None if l2.gain is None else _f(l2.gain.class_gain),
            ],
        ],
    )
    if l2.n_pairs and l2.mean_pre is not None:
        _learning_figure(s, _f(l2.mean_pre), _f(l2.mean_post))
    s.table(
        "belajar_angkatan",
        gettext("L2 per angkatan"),
        [gettext("Angkatan"), "n", "Pre", "Post", gettext("Gain kelas")],
        [[b.label, b.n, _f(b.mean_pre), _f(b.mean_post), _f(b.class_gain)] for b in l2.by_batch],
    )
    _simulations(s, l2)


def _level_text(sim: Any) -> str:
    """The mean rubric level on the rubric's own scale ("2,90 dari 4"), or "–" when the
    rubric's criteria have different highest levels."""
    mean, top = getattr(sim, "mean_level", None), getattr(sim, "level_top", None)
    if mean is None or top is None:
        return "–"
    return gettext("{mean} dari {top}").format(
        mean=formatting.number(float(mean), 2), top=formatting.number(float(top), 0)
    )


def _simulations(s: Section, l2: Any) -> None:
    """L2 simulation (rubric) results: per simulation module the mean rubric score, per
    criterion, and the observers' agreement (ICC) where two or more observers scored."""
    sims = [x for x in getattr(l2, "simulations", ()) if x.n_subjects]
    if not sims:
        return
    s.table(
        "simulasi",
        gettext("L2 Simulasi: skor rubrik"),
        [
            gettext("Simulasi"),
            gettext("Peserta"),
            gettext("Pengamat"),
            gettext("Skor rata-rata (0–100)"),
            gettext("Level rubrik rata-rata"),
            "ICC",
            gettext("ICC SK 95%"),
            gettext("Metode ICC"),
        ],
        [
            [
                x.title,
                x.n_subjects,
                x.n_observers,
                _f(x.mean_score),
                _level_text(x),
                _f(x.icc_value),
                ""
                if x.icc_ci is None
                else gettext("{low} s.d. {high}").format(
                    low=formatting.number(float(x.icc_ci[0]), 2),
                    high=formatting.number(float(x.icc_ci[1]), 2),
                ),
                x.icc_method,
            ]
            for x in sims
        ],
    )
    crit = [[x.title, name, _f(v)] for x in sims for name, v in x.criteria]
    if crit:
        s.table(
            "simulasi_kriteria",
            gettext("L2 Simulasi: skor rata-rata per kriteria rubrik"),
            [gettext("Simulasi"), gettext("Kriteria"), gettext("Skor rata-rata (0–100)")],
            crit,
        )
    for x in sims:
        if x.sentence and x.sentence not in s.paragraphs:
            s.paragraphs.append(x.sentence)


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
        top = l1.scale_max
        if l1.share_agree is None:
            text = gettext(
                "L1 Reaksi per butir: {n} responden; rata-rata butir pada skala 1–{top}: "
                "{mean}. Butir berskala berlabel dirata-rata pada skalanya sendiri."
            )
        else:
            text = gettext(
                "L1 Reaksi per butir: {n} responden; rata-rata butir pada skala 1–{top}: "
                "{mean}; {agree} jawaban setuju ({second}–{top}). Butir berskala berlabel "
                "dirata-rata pada skalanya sendiri."
            )
        s.paragraphs.append(
            text.format(
                n=l1.n_responses,
                top=top,
                mean=formatting.number(l1.item_mean, 2),
                agree="" if l1.share_agree is None else formatting.percent(l1.share_agree),
                second=top - 1,
            )
        )
    s.table(
        "reaksi_butir",
        gettext("L1 Reaksi per butir: rata-rata pada skala butir itu sendiri"),
        [
            gettext("No."),
            gettext("Butir"),
            gettext("Skala"),
            gettext("Responden"),
            gettext("Rata-rata"),
            gettext("Setuju, 2 tingkat teratas (%)"),
        ],
        [
            [
                n,
                i.text,
                _scale_text(i),
                i.n,
                _f(i.mean),
                None if i.share_agree is None else _f(i.share_agree * 100),
            ]
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
        rows = [[i.text, _f(i.index), score_band_name(i.index), i.n] for i in about]
        weight = sum(i.n for i in about)
        overall = sum(float(i.index) * i.n for i in about) / weight if weight else None
        if overall is not None:
            band = score_band_name(overall)
            rows.append(
                [
                    gettext("Semua butir tentang narasumber/fasilitator"),
                    overall,
                    band,
                    max(i.n for i in about),
                ]
            )
            s.paragraphs.append(
                gettext(
                    "Penilaian pengajar dari {items} butir kuesioner tentang "
                    "narasumber/fasilitator (jawaban tidak menyebut nama pengajar): indeks "
                    "{index} ({band}) dari {n} responden."
                ).format(
                    items=len(about),
                    index=formatting.number(overall, 2),
                    band=band,
                    n=max(i.n for i in about),
                )
            )
    if rows:
        _trainer_table(s, rows, by_item=not l1.trainers)
    elif not l1.n_responses:
        s.gaps.append(gettext("Penilaian pengajar belum ada: belum ada jawaban kuesioner reaksi."))
    else:
        s.gaps.append(
            gettext(
                "Penilaian pengajar belum ada: {n} jawaban kuesioner reaksi tidak memuat butir "
                "penilaian pengajar untuk pengajar modul, dan tidak ada butir tentang "
                "narasumber, fasilitator, pengajar atau widyaiswara."
            ).format(n=l1.n_responses)
        )


def engine_evidence(
    ev: Any,
) -> tuple[tuple[str, float, int] | None, tuple[Any, ...], float | None, int]:
    """(relevance measure, trainer scores, class gain, pairs) for the rules, from the engine."""
    from kompeten.reports.evidence import TrainerScore

    rel = relevance_measure((x.key, x.index, x.n) for x in ev.l1.sections)
    trainers = tuple(
        TrainerScore(t.trainer_id, t.name, float(t.overall.index), t.overall.n, t.overall.band)
        for t in ev.l1.trainers
        if t.overall.index is not None
    )
    gain = None if ev.l2.gain is None else _f(ev.l2.gain.class_gain)
    return rel, trainers, gain, ev.l2.n_pairs


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
        gettext("L3 Perilaku: penilaian sebelum dan sesudah"),
        [gettext("Penilai"), gettext("Pasangan"), gettext("Sebelum"), gettext("Sesudah"), "p"],
        rows,
    )
    if ev.l3.complaints is not None and ev.l3.complaints.sentence:
        s.paragraphs.append(ev.l3.complaints.sentence)
    _skp_tables(s, ev.l3)
    # L4: the before/after section (impact_section) prints the impact estimator's figures
    _roi_table(s, ev.l5)


def _roi_table(s: Section, l5: Any) -> None:
    """L5: the ROI figures (nothing recorded is unknown, "–", not Rp 0), the sentence and the
    cost and benefit lines."""
    s.table(
        "roi",
        gettext("L5 ROI (Phillips)"),
        [gettext("Ukuran"), gettext("Nilai")],
        [
            [gettext("Total biaya (Rp)"), _f(l5.total_cost) if l5.costs else None],
            [
                gettext("Manfaat tahun pertama terisolasi (Rp)"),
                _f(l5.total_benefit) if l5.benefits else None,
            ],
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
        gettext("L3 Predikat SKP: tahun sebelum dan sesudah pelatihan"),
        [
            gettext("Kelompok"),
            gettext("Orang"),
            gettext("Pasangan"),
            gettext("Tahun sebelum"),
            gettext("Tahun sesudah"),
            gettext("Membaik"),
            gettext("Tetap"),
            gettext("Memburuk"),
            gettext("Belum waktunya"),
            "p (Wilcoxon)",
        ],
        [
            [
                *g.table_cells(),
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
            gettext("L3 Sebaran predikat SKP sebelum dan sesudah"),
            [gettext("Kelompok"), gettext("Predikat"), gettext("Sebelum"), gettext("Sesudah")],
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
            gettext("L5 Biaya per kategori"),
            [gettext("Kategori"), gettext("Uraian"), gettext("Jumlah (Rp)")],
            [[_cost_label(c.category), c.label, _f(c.amount)] for c in l5.costs],
        )
    if l5.benefits:
        s.table(
            "manfaat",
            gettext("L5 Manfaat tahun pertama dan isolasi dampak pelatihan"),
            [
                gettext("Manfaat"),
                gettext("Nilai setahun (Rp)"),
                gettext("Isolasi"),
                gettext("Masukan"),
                gettext("Estimasi peserta"),
                gettext("Porsi pelatihan"),
                gettext("Manfaat terisolasi (Rp)"),
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
            gettext("Manfaat tak berwujud (tidak dirupiahkan): {items}.").format(
                items="; ".join(l5.intangibles)
            )
        )


@dataclass(frozen=True)
class ServiceComparison:
    """Trained vs comparison units over one period: the IKM and the complaints' median
    resolution compared, with what the sample table and the cycle's metrics need."""

    sample_rows: list[Any]
    ikm: dict[int, float]
    complaints: c.ComplaintFigures
    ikm_compare: c.GroupCompare
    median_compare: c.GroupCompare


def _compare_service(
    instansi_id: int,
    start: date,
    end: date,
    trained: set[int],
    tree: c.UnitTree,
    part_way: frozenset[int] | set[int] = frozenset(),
) -> ServiceComparison:
    """The IKM per service unit and the complaints' median per unit, each split into the units
    of trained OPDs and the others; the units of ``part_way`` OPDs are in neither group."""
    units = list(
        ServiceUnit.objects.filter(instansi_id=instansi_id, is_active=True).order_by("name")
    )
    samples, ikm = c.skm_samples(units, start, end, tree)
    su_opd = {u.pk: (tree.opd_of(u.unit_id).pk if u.unit_id in tree.units else None) for u in units}
    kept = {k: v for k, v in ikm.items() if su_opd.get(k) not in part_way}
    t_ikm = [v for k, v in kept.items() if su_opd.get(k) in trained]
    o_ikm = [v for k, v in kept.items() if su_opd.get(k) not in trained]
    cmp_ikm = c.compare(gettext("IKM"), t_ikm, o_ikm)
    cf = c.complaint_figures(instansi_id, start, end)
    opd_of = {u: tree.opd_of(u).pk for u in cf.by_unit_median if u in tree.units}
    t_med = [v for u, v in cf.by_unit_median.items() if opd_of.get(u, -1) in trained]
    o_med = [
        v
        for u, v in cf.by_unit_median.items()
        if u in opd_of and opd_of[u] not in trained and opd_of[u] not in part_way
    ]
    cmp_med = c.compare(gettext("Median hari kerja penyelesaian pengaduan"), t_med, o_med)
    srows = [[x.label, x.n, x.required, x.adequate] for x in samples]
    return ServiceComparison(srows, ikm, cf, cmp_ikm, cmp_med)


def _waiting_imports(s: Section, instansi_id: int, start: date, end: date) -> None:
    """Rows of imported LAPOR! files received in the period that no figure counts yet (their
    unit is not in the OPD tree): said as a gap, so that a city-wide total is not read as the
    whole file."""
    waiting = imp.waiting_rows(
        instansi_id, ComplaintsImport.key, field="received_at", period=(start, end)
    )
    if waiting:
        s.gaps.append(
            gettext(
                "{n} baris pengaduan dari berkas yang diimpor belum dihitung dalam laporan ini: "
                "unit kerjanya belum ada di pohon OPD (lihat Impor › Baris tertunda)."
            ).format(n=formatting.number(waiting, 0))
        )


def _service_compare(
    s: Section,
    instansi_id: int,
    start: date,
    end: date,
    trained: set[int],
    tree: c.UnitTree,
    part_way: set[int] | frozenset[int] = frozenset(),
) -> tuple[list[Any], dict[int, float], c.ComplaintFigures]:
    """The units of OPDs trained before the period vs those of OPDs never trained, over
    ``start``–``end`` (whole months): a comparison between units over the same months, said
    to be no estimate of the training's effect; OPDs trained part-way (``part_way``) are left
    out of both groups, and the sentence says how many."""
    sc = _compare_service(instansi_id, start, end, trained, tree, part_way)
    cmp_ikm, cmp_med = sc.ikm_compare, sc.median_compare
    _service_compare_table(s, (cmp_ikm, cmp_med), start, end)
    s.paragraphs.append(_groups_sentence(len(part_way)))
    if cmp_ikm.treated and cmp_ikm.comparison:
        _ikm_compare_figure(s, cmp_ikm)
    else:
        s.gaps.append(
            gettext("Data IKM unit terlatih dan pembanding belum cukup untuk dibandingkan.")
        )
    if cmp_med.treated and cmp_med.comparison:
        s.paragraphs.append(
            gettext(
                "Median waktu penyelesaian pengaduan (hari kerja, Kaplan–Meier): {treated} di "
                "unit terlatih dan {comparison} di unit pembanding."
            ).format(
                treated=formatting.number(cmp_med.treated_mean or 0, 1),
                comparison=formatting.number(cmp_med.comparison_mean or 0, 1),
            )
        )
    return sc.sample_rows, sc.ikm, sc.complaints


def _groups_sentence(part_way: int) -> str:
    """What the cycle's trained and comparison units are, and what their difference is not."""
    sentence = gettext(
        "Layanan publik: unit terlatih adalah unit OPD yang pegawainya sudah menyelesaikan "
        "pelatihan sebelum periode ini dimulai, unit pembanding unit OPD yang pegawainya belum "
        "menyelesaikan pelatihan apa pun; selisihnya membandingkan unit pada bulan yang sama dan "
        "bukan estimasi dampak pelatihan."
    )
    if part_way:
        sentence += " " + ngettext(
            "{n} OPD yang pegawainya dilatih di tengah periode ini tidak dimasukkan ke kedua "
            "kelompok, karena sebagian periodenya sebelum pelatihan; dampaknya ada di laporan "
            "program (sebelum–sesudah).",
            "{n} OPD yang pegawainya dilatih di tengah periode ini tidak dimasukkan ke kedua "
            "kelompok, karena sebagian periodenya sebelum pelatihan; dampaknya ada di laporan "
            "program (sebelum–sesudah).",
            part_way,
        ).format(n=part_way)
    return sentence


def _service_compare_table(
    s: Section, compared: tuple[c.GroupCompare, ...], start: date, end: date
) -> None:
    """One row per compared measure: n and mean of each group, the difference, its 95% CI and
    Welch's p."""
    rows = [
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
        for g in compared
    ]
    s.table(
        "layanan_terlatih",
        gettext("Layanan publik: unit terlatih vs unit pembanding, {start} – {end}").format(
            start=formatting.day(start), end=formatting.day(end)
        ),
        [
            gettext("Ukuran"),
            gettext("n unit terlatih"),
            gettext("Rata-rata terlatih"),
            gettext("n unit pembanding"),
            gettext("Rata-rata pembanding"),
            gettext("Selisih"),
            gettext("SK 95% bawah"),
            gettext("SK 95% atas"),
            "p (Welch)",
        ],
        rows,
    )


def _ikm_compare_figure(s: Section, cmp_ikm: c.GroupCompare) -> None:
    """The IKM of trained vs comparison units: the chart and the sentence with its test."""
    s.figure(
        "layanan_terlatih",
        gettext("IKM unit terlatih vs pembanding"),
        charts.grouped(
            [gettext("IKM")],
            {
                gettext("Unit terlatih"): [cmp_ikm.treated_mean],
                gettext("Unit pembanding"): [cmp_ikm.comparison_mean],
            },
            ylabel=gettext("IKM (25–100)"),
        ),
        "layanan_terlatih",
    )
    sig = (
        gettext("bermakna secara statistik")
        if cmp_ikm.pvalue is not None and cmp_ikm.pvalue < 0.05
        else gettext("belum bermakna secara statistik")
    )
    text = gettext(
        "IKM rata-rata unit layanan di OPD yang pegawainya dilatih {treated} ({n_treated} "
        "unit) dibanding {comparison} di unit pembanding ({n_comparison} unit); perbedaan "
        "ini {significance}."
    )
    if cmp_ikm.pvalue is not None:
        text = gettext(
            "IKM rata-rata unit layanan di OPD yang pegawainya dilatih {treated} ({n_treated} "
            "unit) dibanding {comparison} di unit pembanding ({n_comparison} unit); perbedaan "
            "ini {significance} ({p})."
        )
    s.paragraphs.append(
        text.format(
            treated=formatting.number(cmp_ikm.treated_mean or 0, 2),
            n_treated=len(cmp_ikm.treated),
            comparison=formatting.number(cmp_ikm.comparison_mean or 0, 2),
            n_comparison=len(cmp_ikm.comparison),
            significance=sig,
            p="" if cmp_ikm.pvalue is None else interpret.pvalue(cmp_ikm.pvalue),
        )
    )


def _sample_table(s: Section, srows: list[Any], start: date, end: date) -> None:
    s.table(
        "sampel_skm",
        gettext("Kecukupan sampel SKM (Krejcie–Morgan), responden {start} – {end}").format(
            start=formatting.day(start), end=formatting.day(end)
        ),
        [
            gettext("Unit layanan"),
            gettext("Responden"),
            gettext("Sampel minimum"),
            gettext("Cukup"),
        ],
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
    n_batches = _programme_introduction(secs["pendahuluan"], programme, start, end, f)
    _competency_table(secs["tujuan"], programme)
    # the objectives are judged once the engine's result and the before/after exist (below)
    _programme_methods(secs["metode"], programme, enrolments, f, n_batches)

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
    verdicts = _objectives(secs["tujuan"], programme, ev, enrolments, impact)

    due, answered = _programme_challenges(secs["tantangan"], programme, f)
    evidence = _programme_evidence(programme, f, ev, impact, due, answered)
    hits = recommend(evidence)
    _recommendation_section(secs["rekomendasi"], hits)
    k = secs["kesimpulan"]
    k.paragraphs.extend(_programme_conclusion(f, ev, verdicts, evidence, hits))
    return model.Report(
        kind="programme",
        scope=f"programme:{programme.pk}",
        title=gettext("Laporan Evaluasi {title}").format(title=programme.title),
        subtitle=f"{programme.code} · {formatting.day(start)} – {formatting.day(end)}",
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


def _programme_introduction(
    p: Section, programme: Programme, start: date, end: date, f: c.Funnel
) -> int:
    """Pendahuluan: what the programme is and who took part, how it was co-designed, and its
    batches; returns the number of batches (the method section counts them)."""
    codesign = learning_q.codesign_record(programme)
    lt = dict(LearningType.choices).get(programme.learning_type, programme.learning_type)
    p.paragraphs.append(
        gettext(
            "Laporan ini mengevaluasi program {title} ({code}), sebuah {kind} sebesar {jp} JP, "
            "yang dilaksanakan {start} sampai {end}."
        ).format(
            title=programme.title,
            code=programme.code,
            kind=str(lt).lower(),
            jp=formatting.number(float(programme.total_jp), 0),
            start=formatting.day(start),
            end=formatting.day(end),
        )
        + " "
        + _enrolled_sentence(f)
        + _completion_rule_sentence(programme, f)
    )
    if programme.description:
        p.paragraphs.append(programme.description)
    _codesign(p, codesign)
    batches = list(programme.batches.annotate(n=Count("enrolments")).order_by("start_date"))
    p.table(
        "angkatan",
        gettext("Angkatan"),
        [
            gettext("Kode"),
            gettext("Nama"),
            gettext("Mulai"),
            gettext("Selesai"),
            gettext("Kapasitas"),
            gettext("Peserta"),
        ],
        [[b.code, b.name, b.start_date, b.end_date, b.capacity, b.n] for b in batches],
    )
    return len(batches)


def _codesign(p: Section, codesign: Any) -> None:
    """The co-design record: a sentence, the adopted proposals and the draft-review rounds."""
    if codesign.is_codesigned:
        p.paragraphs.append(
            gettext(
                "Program dirancang bersama ASN: {proposals} usulan topik diadopsi, {votes} "
                "suara, {comments} komentar, {rounds} putaran uji draf dengan {feedback} "
                "masukan, melibatkan {people} pegawai."
            ).format(
                proposals=codesign.n_proposals,
                votes=codesign.n_votes,
                comments=codesign.n_comments,
                rounds=len(codesign.rounds),
                feedback=codesign.n_feedback,
                people=codesign.n_participants,
            )
        )
    else:
        p.paragraphs.append(
            gettext(
                "Catatan perancangan bersama ASN: tidak ada usulan atau uji draf yang tercatat."
            )
        )
    p.table(
        "usulan",
        gettext("Usulan ASN yang diadopsi"),
        [
            gettext("Usulan"),
            gettext("OPD pengusul"),
            gettext("Masalah"),
            gettext("Suara"),
            gettext("Komentar"),
        ],
        [[x.title, x.opd, x.problem, x.n_votes, x.n_comments] for x in codesign.proposals],
    )
    p.table(
        "uji_draf",
        gettext("Putaran uji draf"),
        [
            gettext("Putaran"),
            gettext("Dibuka"),
            gettext("Ditutup"),
            gettext("Masukan"),
            gettext("Pegawai"),
            gettext("Tindak lanjut"),
        ],
        [
            [r.number, r.opens_at.date(), r.closes_at.date(), r.n_feedback, r.n_people, r.summary]
            for r in codesign.rounds
        ],
    )


def _competency_table(t: Section, programme: Programme) -> None:
    """Tujuan Program: each target competency's post-test score on its own items, reached at
    :data:`OBJECTIVE_REACHED_PCT`."""
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
            gettext("belum dapat dinilai")
            if score is None
            else gettext("tercapai")
            if score >= OBJECTIVE_REACHED_PCT
            else gettext("belum tercapai")
        )
        crow.append([pc.competency.name, pc.target_level, score, status])
    t.table(
        "kompetensi_sasaran",
        gettext("Kompetensi sasaran: skor post-test pada butir kompetensi itu (≥ 70% = tercapai)"),
        [
            gettext("Kompetensi"),
            gettext("Level sasaran"),
            gettext("Skor post-test (%)"),
            gettext("Status"),
        ],
        crow,
    )


def _programme_methods(
    m: Section, programme: Programme, enrolments: Any, f: c.Funnel, n_batches: int
) -> None:
    """Metode: the modules, the JP per kind of module, the batches and sessions and how the
    participants came in (the planner's invitations or recorded after the training)."""
    _module_tables(m, programme)
    planned = enrolments.filter(source=EnrolmentSource.PLAN).count()
    sessions = Session.objects.filter(batch__programme=programme).count()
    invited = f.invited - f.held
    if invited:
        m.paragraphs.append(
            ngettext(
                "{batches} angkatan dengan {sessions} sesi; {planned} dari {invited} undangan "
                "disusun oleh perencana jadwal yang menghindari jadwal tugas dan batas staf "
                "minimum unit.",
                "{batches} angkatan dengan {sessions} sesi; {planned} dari {invited} undangan "
                "disusun oleh perencana jadwal yang menghindari jadwal tugas dan batas staf "
                "minimum unit.",
                n_batches,
            ).format(batches=n_batches, sessions=sessions, planned=planned, invited=invited)
        )
    else:
        m.paragraphs.append(
            ngettext(
                "{batches} angkatan dengan {sessions} sesi.",
                "{batches} angkatan dengan {sessions} sesi.",
                n_batches,
            ).format(batches=n_batches, sessions=sessions)
        )
    if f.held:
        m.paragraphs.append(
            gettext("{n} peserta dicatat setelah pelatihan terlaksana, tanpa undangan.").format(
                n=f.held
            )
        )


def _module_tables(m: Section, programme: Programme) -> None:
    """The modules in order, and their JP per kind of module (table, chart and sentence)."""
    kinds = dict(ModuleKind.choices)
    modules = list(programme.modules.select_related("trainer__employee").order_by("order"))
    m.table(
        "modul",
        gettext("Modul"),
        [
            pgettext("place in a list", "Urutan"),
            gettext("Judul"),
            gettext("Jenis"),
            gettext("Metode"),
            "JP",
            gettext("Pengajar"),
        ],
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
    jp_title = gettext("JP per jenis modul")
    m.table("jp_jenis", jp_title, [gettext("Jenis"), "JP"], [[k, v] for k, v in by_kind.items()])
    if by_kind:
        _bars(m, "jp_jenis", jp_title, list(by_kind), list(by_kind.values()), xlabel="JP")
        m.paragraphs.append(
            gettext("Komposisi modul: {parts}.").format(
                parts="; ".join(f"{k} {formatting.number(v, 0)} JP" for k, v in by_kind.items())
            )
        )


def _programme_challenges(tg: Section, programme: Programme, f: c.Funnel) -> tuple[int, int]:
    """Tantangan: the participation funnel, the declines, the OPDs and the L3 follow-ups;
    returns the follow-ups (due, answered)."""
    _funnel_table(tg, f)
    if f.invited > f.held:  # declines exist only where invitations did
        _decline_table(tg, f)
    _opd_table(tg, f)
    due, answered = c.followups(
        c.l3_followups(FollowUp.objects.filter(batch__programme=programme)), timezone.now()
    )
    _followup_table(tg, due, answered)
    # SKM sample adequacy: per before/after window in the public-service section (dampak_ikm)
    if f.invited > f.held:
        invited = f.invited - f.held
        tg.paragraphs.append(
            gettext(
                "Dari {invited} undangan, {declined} ditolak ({share}); {workload} karena beban "
                "kerja atau bentrok tugas."
            ).format(
                invited=invited,
                declined=f.declined,
                share=formatting.percent(f.declined / invited),
                workload=sum(
                    f.declines_by_reason.get(k, 0) for k in ("beban_kerja", "bentrok_tugas")
                ),
            )
        )
    return due, answered


def _funnel_evidence(f: c.Funnel) -> dict[str, Any]:
    """The participation funnel's figures as the recommendation rules read them (a programme
    adds the enrolments recorded after a held training)."""
    return {
        "invited": f.invited,
        "accepted": f.accepted,
        "declined": f.declined,
        "attended": f.attended,
        "completed": f.completed,
        "declines_by_reason": f.declines_by_reason,
        "opd": tuple(f.opd),
    }


def _relevance_evidence(measure: tuple[str, float, int] | None) -> dict[str, Any]:
    """The relevance fields of the evidence from a relevance measure (none: no figure)."""
    if measure is None:
        return {}
    aspect, index, n = measure
    return {"relevance_aspect": aspect, "relevance_index": index, "relevance_n": n}


def _programme_evidence(
    programme: Programme,
    f: c.Funnel,
    ev: ProgrammeEvaluation,
    impact: Impact,
    due: int,
    answered: int,
) -> Evidence:
    """What the recommendation rules read about one programme."""
    relevance, trainer_scores, class_gain, gain_n = engine_evidence(ev)
    return Evidence(
        scope=f"programme:{programme.pk}",
        held=f.held,
        **_funnel_evidence(f),
        **_relevance_evidence(relevance),
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
        # the reaction index: the organiser sections as one scale (cycle and dashboard alike)
        "index": _f(reaction_index(ev.l1)),
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
        t.gaps.append(gettext("Tujuan terukur program belum diisi."))
        return []
    n, done = _participants(enrolments)
    verdicts = judge_objectives(rows, indicator_figures(ev, n, done, impact))
    t.table(
        "tujuan",
        gettext("Tujuan program dan ketercapaiannya (menurut indikator masing-masing)"),
        [
            gettext("Tujuan"),
            gettext("Indikator"),
            gettext("Target"),
            gettext("Nilai"),
            gettext("SK 95% bawah"),
            gettext("SK 95% atas"),
            "n",
            gettext("Status"),
        ],
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
            gettext(
                "{n} dari {total} tujuan belum punya indikator: pilih indikator dan targetnya di "
                "halaman program (Indikator dan target tujuan) agar dapat dinilai."
            ).format(n=unjudged, total=len(verdicts))
        )
    return verdicts


# The figures of the evidence a report keeps (under "evidence"), by their Evidence field.
_EVIDENCE_FIGURES = (
    "invited",
    "completed",
    "declined",
    "workload_declines",
    "relevance_index",
    "followups_due",
    "followups_answered",
    "class_gain",
    "jp_with_target",
    "jp_met",
    "complaints_decided",
    "complaints_met",
)


def _evidence_dict(e: Evidence) -> dict[str, Any]:
    return {name: getattr(e, name) for name in _EVIDENCE_FIGURES}


def _recommendation_section(s: Section, hits: list[Hit]) -> None:
    if not hits:
        s.paragraphs.append(
            gettext("Tidak ada aturan rekomendasi yang terpicu oleh data periode ini.")
        )
    s.table(
        "rekomendasi",
        gettext("Rekomendasi dan bukti pemicunya"),
        [gettext("Aturan"), gettext("Pokok"), gettext("Rekomendasi")],
        [[str(RULE_TITLES.get(h.rule_id, h.rule_id)), h.subject, h.text] for h in hits],
    )


def gain_category(code: Any) -> str:
    """Hake's gain category as a word of the active language ("medium" → "sedang")."""
    if code is None or code == "":
        return ""
    return interpret.gain_category(str(code))


def _followup_table(s: Section, due: int, answered: int) -> None:
    s.table(
        "tindak_lanjut",
        gettext("Penilaian perilaku (L3) tindak lanjut 3 dan 6 bulan sesudah pelatihan"),
        [gettext("Ukuran"), gettext("Jumlah")],
        [[gettext("Jatuh tempo"), due], [gettext("Dijawab"), answered]],
    )


def _completion_sentence(f: c.Funnel) -> str:
    if f.held:
        text = gettext("Tingkat penyelesaian {rate} ({completed} dari {n} peserta terdaftar).")
    else:
        text = gettext("Tingkat penyelesaian {rate} ({completed} dari {n} undangan).")
    return text.format(
        rate=formatting.percent(f.completed / f.invited), completed=f.completed, n=f.invited
    )


def _hits_sentence(hits: list[Hit]) -> str:
    return ngettext(
        "{n} rekomendasi perbaikan dihasilkan dari data dan dipantau pada siklus berikutnya.",
        "{n} rekomendasi perbaikan dihasilkan dari data dan dipantau pada siklus berikutnya.",
        len(hits),
    ).format(n=len(hits))


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
        out.append(_completion_sentence(f))
    if ev.l2.ttest is not None:
        out.append(_test_scores_sentence(ev.l2.ttest, ev.l2.gain))
    overall = ev.l1.overall
    if overall is not None and overall.index is not None:
        out.append(
            gettext("Reaksi peserta atas penyelenggaraan: indeks {index} dari 100.").format(
                index=formatting.number(float(overall.index), 2)
            )
        )
    if verdicts:
        out.append(_verdicts_sentence(verdicts))
    out.extend(change_sentence(ch, "ikm") for ch in e.ikm_changes)
    out.extend(change_sentence(ch, "pengaduan") for ch in e.sla_changes)
    if e.roi_pct is not None:
        if e.roi_pct < 0:
            text = gettext("ROI {roi}%: manfaat terisolasi lebih kecil dari biaya program.")
        else:
            text = gettext("ROI {roi}%.")
        out.append(text.format(roi=formatting.number(e.roi_pct, 1)))
    negative = [h for h in hits if h.rule_id in ("ikm_drop", "sla_drop", "negative_roi")]
    if negative:
        out.append(
            gettext("Hasil negatif yang perlu ditindaklanjuti: {items}.").format(
                items="; ".join(
                    f"{str(RULE_TITLES[h.rule_id]).lower()} ({h.subject})" for h in negative
                )
            )
        )
    out.append(_hits_sentence(hits))
    return out


def _test_scores_sentence(t: Any, g: Any) -> str:
    """The paired test's mean change in its direction with its 95% CI (saying when the interval
    holds zero), and the normalised gain where there is one; with fewer than
    :data:`interpret.MIN_N` pairs, that n is too small."""
    if t.n < interpret.MIN_N:
        return gettext("Skor tes pre/post: {verdict}").format(verdict=interpret.too_small(t.n))
    diff = float(t.mean_difference)
    figures = {
        "diff": formatting.plain(abs(diff)),
        "low": formatting.plain(float(t.ci_low)),
        "high": formatting.plain(float(t.ci_high)),
        "n": t.n,
    }
    if diff > 0:
        text = gettext("Skor tes naik rata-rata {diff} poin (SK 95% {low} s.d. {high}, n = {n})")
    elif diff < 0:
        text = gettext("Skor tes turun rata-rata {diff} poin (SK 95% {low} s.d. {high}, n = {n})")
    else:
        text = gettext("Skor tes tidak berubah (SK 95% {low} s.d. {high}, n = {n})")
    text = text.format(**figures)
    if float(t.ci_low) <= 0 <= float(t.ci_high):
        text += gettext("; perubahan ini tidak bermakna secara statistik")
    if g is not None:
        text += gettext("; gain ternormalisasi {gain} ({category})").format(
            gain=formatting.number(float(g.class_gain), 2), category=gain_category(g.category)
        )
    return text + "."


def _verdicts_sentence(verdicts: list[ObjectiveVerdict]) -> str:
    """How many objectives were reached, not reached and not yet judgeable."""
    count = {k: sum(1 for v in verdicts if v.status == k) for k in STATUS_ORDER}
    unset = sum(1 for v in verdicts if not v.indicator)
    if unset:
        text = gettext(
            "Dari {total} tujuan program, {reached} tercapai, {not_reached} belum tercapai "
            "dan {unjudged} belum dapat dinilai ({unset} belum punya indikator), "
            "masing-masing menurut indikatornya sendiri."
        )
    else:
        text = gettext(
            "Dari {total} tujuan program, {reached} tercapai, {not_reached} belum tercapai "
            "dan {unjudged} belum dapat dinilai, masing-masing menurut indikatornya sendiri."
        )
    return text.format(
        total=len(verdicts),
        reached=count["tercapai"],
        not_reached=count["belum_tercapai"],
        unjudged=count["belum_dapat_dinilai"],
        unset=unset,
    )


STATUS_ORDER = ("tercapai", "belum_tercapai", "belum_dapat_dinilai")


def _conclusion(
    f: c.Funnel, lr: c.Learning, reac: c.Reaction, hits: list[Hit], with_hits: bool = True
) -> list[str]:
    out = []
    if f.invited:
        out.append(_completion_sentence(f))
    if lr.class_gain is not None:
        out.append(
            gettext("Peserta belajar dengan gain ternormalisasi {gain} ({category}).").format(
                gain=formatting.number(lr.class_gain, 2), category=gain_category(lr.category)
            )
        )
    if reac.index is not None:
        out.append(
            gettext(
                "Reaksi peserta atas penyelenggaraan: indeks rata-rata {index} dari 100."
            ).format(index=formatting.number(reac.index, 2))
        )
    if with_hits:
        out.append(_hits_sentence(hits))
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
    raise ValueError(
        gettext("Periode {code} tidak dikenal: tulis 2026, 2026-S1 atau 2026-Q3.").format(
            code=repr(code)
        )
    )


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


DIRECTIONS = {
    "na": gettext_lazy("tidak dapat dibandingkan"),
    "same": gettext_lazy("tidak berubah"),
    "not_significant": gettext_lazy("berubah, tidak bermakna"),
    "better": gettext_lazy("lebih baik"),
    "worse": gettext_lazy("lebih buruk"),
    "better_untested": gettext_lazy("lebih baik (tanpa uji)"),
    "worse_untested": gettext_lazy("lebih buruk (tanpa uji)"),
}


def _trend(delta: float | None, higher_is_better: bool, p: float | None) -> str:
    """ "na" without a change to judge, "same" for no change, "not_significant" for one a test
    does not bear out (p ≥ 0,05: it is there, it may be chance), else "better" or "worse" by
    the metric's direction; a change no test could weigh (no spread kept, too few units) is
    "better_untested" / "worse_untested", never said to be better or worse outright."""
    if delta is None:
        return "na"
    if delta == 0:
        return "same"
    if p is not None and p >= 0.05:
        return "not_significant"
    trend = "better" if (delta > 0) == higher_is_better else "worse"
    return trend if p is not None else trend + "_untested"


def _comparison_row(
    label: str,
    previous: Any,
    current: Any,
    delta: float | None,
    higher_is_better: bool = True,
    p: float | None = None,
    method: str = "",
) -> dict[str, Any]:
    """One metric of two cycles; without ``delta`` it cannot be compared ("na")."""
    trend = _trend(delta, higher_is_better, p)
    return {
        "metric": label,
        "previous": previous,
        "current": current,
        "delta": delta,
        "direction": str(DIRECTIONS[trend]),
        "trend": trend,
        "p": p,
        "method": method,
    }


def _proportion_row(
    label: str, a: dict[str, Any] | None, b: dict[str, Any] | None, higher_is_better: bool
) -> dict[str, Any]:
    """A share (k of n) now and before, compared with a χ² test of two proportions."""
    if not a or not b or not a.get("n") or not b.get("n"):
        return _comparison_row(label, None, None, None)
    pa, pb = a["k"] / a["n"], b["k"] / b["n"]
    p = _two_prop_p(a["k"], a["n"], b["k"], b["n"])
    row = _comparison_row(
        label, pb, pa, pa - pb, higher_is_better, p, gettext("uji χ² dua proporsi")
    )
    row["percent"] = True  # shown in percent and percentage points, as the report's other shares
    return row


def _mean_row(
    label: str, a: dict[str, Any], b: dict[str, Any], higher_is_better: bool
) -> dict[str, Any]:
    """A mean now and before, compared with Welch's t test where both have a spread."""
    if a.get("mean") is None or b.get("mean") is None:
        return _comparison_row(label, b.get("mean"), a.get("mean"), None)
    p = None
    method = ""
    if a.get("sd") and b.get("sd") and a.get("n", 0) >= 2 and b.get("n", 0) >= 2:
        p = float(
            scipy_stats.ttest_ind_from_stats(
                a["mean"], a["sd"], a["n"], b["mean"], b["sd"], b["n"], equal_var=False
            ).pvalue
        )
        method = gettext("uji t Welch")
    delta = a["mean"] - b["mean"]
    return _comparison_row(label, b["mean"], a["mean"], delta, higher_is_better, p, method)


def compare_cycles(cur: dict[str, Any], prev: dict[str, Any]) -> list[dict[str, Any]]:
    """Better / worse / unchanged per metric, with a test where one applies (α = 0,05)."""
    rows: list[dict[str, Any]] = []
    for key, label, hib in (
        ("completion", gettext("Tingkat penyelesaian"), True),
        (
            "jp_compliance",
            gettext("Pemenuhan {jp} JP (PNS)").format(jp=formatting.jp_minimum()),
            True,
        ),
        ("sla", gettext("Pengaduan selesai dalam batas waktu"), True),
    ):
        rows.append(_proportion_row(label, cur.get(key), prev.get(key), hib))
    for key, label, hib in (
        ("gain", gettext("Gain belajar individual"), True),
        ("ikm", gettext("IKM rata-rata unit"), True),
        ("complaint_median", gettext("Median hari penyelesaian pengaduan"), False),
    ):
        rows.append(_mean_row(label, cur.get(key) or {}, prev.get(key) or {}, hib))
    return rows


@dataclass
class CycleScope:
    """One period's data shared by the cycle report's sections."""

    instansi_id: int
    code: str
    start: date
    end: date
    tree: c.UnitTree
    enrolments: Any
    funnel: c.Funnel
    programmes: list[Programme]
    responses: Any


@dataclass
class CycleFindings:
    """What the cycle's sections found that its metrics and recommendations read."""

    reaction: c.Reaction
    learning: c.Learning
    sample_rows: list[Any]
    ikm: dict[int, float]
    complaints: c.ComplaintFigures
    jp_with_target: int
    jp_met: int
    ip_asn: float | None
    followups_due: int
    followups_answered: int


def assemble_cycle(
    instansi_id: int,
    code: str,
    previous: dict[str, Any] | None = None,
    previous_recommendations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The city-wide report of one period across all programmes."""
    kind, start, end = parse_period(code)
    secs = _sections()
    cy = _cycle_scope(instansi_id, code, start, end)
    found = _cycle_findings(secs, cy)
    f, cf = cy.funnel, found.complaints
    metrics = {
        "completion": {"k": f.completed, "n": f.invited},
        "jp_compliance": {"k": found.jp_met, "n": found.jp_with_target},
        "sla": {"k": cf.met, "n": cf.decided},
        "gain": c.gain_stats(f.gains),
        "ikm": c.gain_stats(found.ikm.values()),
        "complaint_median": c.gain_stats(cf.by_unit_median.values()),
        "ip_asn": found.ip_asn,
    }
    comparison = compare_cycles(metrics, previous or {}) if previous else []
    _comparison_table(secs["hasil"], comparison, code)
    evidence = _cycle_evidence(cy, found)
    hits = recommend(evidence)
    _recommendation_section(secs["rekomendasi"], hits)
    _previous_recommendations(secs["rekomendasi"], previous_recommendations or [])
    k = secs["kesimpulan"]
    k.paragraphs.extend(_conclusion(f, found.learning, found.reaction, hits))
    k.paragraphs.extend(_comparison_sentences(comparison))
    return {
        "kind": "cycle",
        "scope": f"cycle:{code}",
        "code": code,
        "cycle_kind": kind,
        "title": gettext("Laporan Evaluasi Pengembangan Kompetensi {code}").format(code=code),
        "language": translation.get_language() or "id",
        "subtitle": f"{formatting.day(start)} – {formatting.day(end)}",
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "sections": [secs[key].as_dict() for key, _ in SECTIONS],
        "recommendations": _hits_rows(hits),
        "metrics": metrics,
        "comparison": comparison,
        "evidence": _evidence_dict(evidence),
        "generated": timezone.now().isoformat(),
    }


def _cycle_scope(instansi_id: int, code: str, start: date, end: date) -> CycleScope:
    """The enrolments of the batches that overlap the period, their funnel, the programmes
    and the questionnaire responses submitted in it."""
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
    return CycleScope(instansi_id, code, start, end, tree, enrolments, f, programmes, responses)


def _cycle_findings(secs: dict[str, Section], cy: CycleScope) -> CycleFindings:
    """Fills the sections from Pendahuluan to Tantangan, in the order the figures are read."""
    p = secs["pendahuluan"]
    p.paragraphs.append(_cycle_intro(cy))
    reactions = programme_reactions(
        cy.programmes,
        Q(
            response__submitted_at__gte=c.aware(cy.start),
            response__submitted_at__lte=c.aware(cy.end, True),
        ),
    )
    prow = _cycle_programme_rows(cy, reactions)
    _cycle_programme_table(p, prow)
    employees = Employee.objects.filter(instansi_id=cy.instansi_id, is_active=True)
    n_target, met = _jp_compliance(secs["tujuan"], employees, cy.end.year)
    _cycle_methods(secs["metode"], cy)
    h = secs["hasil"]
    reac = c.reaction_of(reactions.values(), cy.responses.filter(kind="reaksi"))
    _reaction(h, reac)
    lr = c.learning(cy.responses)
    _learning(h, lr)
    _programme_rates(h, prow)
    trained, part_way = c.trained_over(cy.instansi_id, cy.start, cy.end, cy.tree)
    srows, ikm, cf = _service_compare(
        h, cy.instansi_id, cy.start, cy.end, trained, cy.tree, part_way=part_way
    )
    _waiting_imports(h, cy.instansi_id, cy.start, cy.end)
    ip_asn = _ip_asn(h, employees, cy.end.year)
    due, answered = _cycle_challenges(secs["tantangan"], cy, srows)
    return CycleFindings(reac, lr, srows, ikm, cf, n_target, met, ip_asn, due, answered)


def _cycle_evidence(cy: CycleScope, found: CycleFindings) -> Evidence:
    """What the recommendation rules read about the period."""
    f, reac = cy.funnel, found.reaction
    return Evidence(
        scope=f"cycle:{cy.code}",
        **_funnel_evidence(f),
        **_relevance_evidence(relevance_measure(reac.sections)),
        trainers=tuple(reac.trainers),
        followups_due=found.followups_due,
        followups_answered=found.followups_answered,
        skm_samples=tuple(c.SkmSample(0, None, r[0], r[1], r[2]) for r in found.sample_rows),
        class_gain=found.learning.class_gain,
        gain_n=found.learning.n_pairs,
        jp_with_target=found.jp_with_target,
        jp_met=found.jp_met,
        complaints_decided=found.complaints.decided,
        complaints_met=found.complaints.met,
    )


def _cycle_intro(cy: CycleScope) -> str:
    """The cycle's opening sentence: its programmes, invitations or enrolments, completions."""
    f = cy.funnel
    if not f.held:
        intro = gettext(
            "Laporan siklus evaluasi {code} ({start} – {end}) mencakup {programmes} program "
            "pengembangan kompetensi dengan {enrolled} undangan dan {completed} penyelesaian di "
            "seluruh OPD."
        )
    elif f.invited > f.held:
        intro = gettext(
            "Laporan siklus evaluasi {code} ({start} – {end}) mencakup {programmes} program "
            "pengembangan kompetensi dengan {enrolled} peserta terdaftar ({invited} diundang) dan "
            "{completed} penyelesaian di seluruh OPD."
        )
    else:
        intro = gettext(
            "Laporan siklus evaluasi {code} ({start} – {end}) mencakup {programmes} program "
            "pengembangan kompetensi dengan {enrolled} peserta terdaftar dan {completed} "
            "penyelesaian di seluruh OPD."
        )
    return intro.format(
        code=cy.code,
        start=formatting.day(cy.start),
        end=formatting.day(cy.end),
        programmes=len(cy.programmes),
        enrolled=f.invited,
        invited=f.invited - f.held,
        completed=f.completed,
    )


def _cycle_programme_rows(cy: CycleScope, reactions: dict[int, Any]) -> list[list[Any]]:
    """Per programme: code, title, invited, completed, completion rate (%), mean gain and
    reaction index (for the table and the best/weakest sentence)."""
    per_prog: dict[int, Any] = {
        r["batch__programme_id"]: r
        for r in cy.enrolments.values("batch__programme_id").annotate(
            inv=Count("id"),
            comp=Count("id", filter=Q(completed_at__isnull=False)),
            gain=Avg("learning_gain"),
        )
    }
    prow: list[list[Any]] = []
    for prog in cy.programmes:
        r = per_prog.get(prog.pk, {"inv": 0, "comp": 0, "gain": None})
        rate = r["comp"] / r["inv"] * 100 if r["inv"] else None
        reac_mean = reaction_index(reactions.get(prog.pk))
        prow.append(
            [prog.code, prog.title, r["inv"], r["comp"], rate, _f(r["gain"]), _f(reac_mean)]
        )
    return prow


def _cycle_programme_table(p: Section, prow: list[list[Any]]) -> None:
    p.table(
        "program",
        gettext("Program dalam siklus ini"),
        [
            gettext("Kode"),
            gettext("Program"),
            gettext("Terdaftar"),
            pgettext("completed", "Selesai"),
            gettext("Tingkat penyelesaian (%)"),
            gettext("Gain individual rata-rata"),
            gettext("Indeks reaksi (penyelenggaraan)"),
        ],
        prow,
    )


def _jp_compliance(t: Section, employees: Any, year: int) -> tuple[int, int]:
    """Tujuan: the cycle's aims and the year's JP compliance of PNS; returns (PNS with a
    target, of whom met it)."""
    t.paragraphs.append(
        gettext(
            "Tujuan siklus: setiap PNS memenuhi sedikitnya {jp} JP pengembangan kompetensi "
            "setahun, pelatihan meningkatkan kompetensi yang dibutuhkan, dan kualitas layanan "
            "publik membaik (IKM, penanganan pengaduan)."
        ).format(jp=formatting.jp_minimum())
    )
    n_target, met = c.jp_compliance(employees, year)
    t.table(
        "jp",
        gettext("Pemenuhan JP per tahun (PNS)"),
        [gettext("Ukuran"), gettext("Nilai")],
        [
            [gettext("PNS dengan target"), n_target],
            [gettext("Memenuhi {jp} JP").format(jp=formatting.jp_minimum()), met],
            [gettext("Proporsi (%)"), met / n_target * 100 if n_target else None],
        ],
    )
    if n_target:
        if met == n_target:
            text = gettext(
                "Pemenuhan {jp} JP tahun {year}: {met} dari {n} PNS ({share}) — tercapai."
            )
        else:
            text = gettext(
                "Pemenuhan {jp} JP tahun {year}: {met} dari {n} PNS ({share}) — belum tercapai "
                "untuk semua PNS."
            )
        t.paragraphs.append(
            text.format(
                jp=formatting.jp_minimum(),
                year=year,
                met=met,
                n=n_target,
                share=formatting.percent(met / n_target),
            )
        )
    return n_target, met


def _cycle_methods(m: Section, cy: CycleScope) -> None:
    """Metode: programmes per form of development, and the planner's share of invitations."""
    lt = dict(LearningType.choices)
    forms: dict[str, int] = defaultdict(int)
    for prog in cy.programmes:
        forms[str(lt.get(prog.learning_type, prog.learning_type))] += 1
    m.table(
        "bentuk",
        gettext("Program per bentuk pengembangan"),
        [gettext("Bentuk"), gettext("Program")],
        [[k, v] for k, v in sorted(forms.items())],
    )
    planned = cy.enrolments.filter(source=EnrolmentSource.PLAN).count()
    if cy.funnel.invited > cy.funnel.held:
        m.paragraphs.append(
            gettext(
                "{planned} dari {invited} undangan disusun oleh perencana jadwal di sekitar "
                "tugas pegawai."
            ).format(planned=planned, invited=cy.funnel.invited - cy.funnel.held)
        )


def _programme_rates(h: Section, prow: list[list[Any]]) -> None:
    """The completion rate per programme (chart) and the best and weakest programme."""
    if not prow:
        return
    rated = sorted([r for r in prow if r[4] is not None], key=lambda r: -(r[4] or 0))
    _bars(
        h,
        "program",
        gettext("Tingkat penyelesaian per program (%)"),
        [r[1] for r in rated],
        [r[4] for r in rated],
        xlabel="%",
    )
    if len(rated) == 1:  # one programme is not its own highest and lowest
        h.paragraphs.append(
            gettext("Tingkat penyelesaian program {title}: {rate}.").format(
                title=rated[0][1], rate=formatting.percent(rated[0][4] / 100)
            )
        )
    elif rated:
        h.paragraphs.append(
            gettext(
                "Program dengan penyelesaian tertinggi: {best} ({best_rate}); terendah: "
                "{worst} ({worst_rate})."
            ).format(
                best=rated[0][1],
                best_rate=formatting.percent(rated[0][4] / 100),
                worst=rated[-1][1],
                worst_rate=formatting.percent(rated[-1][4] / 100),
            )
        )


def _ip_asn(h: Section, employees: Any, year: int) -> float | None:
    """The city's IP ASN this year beside last year (table and sentence); returns this year's
    mean."""
    s_now = summarise(ip_for_employees(employees, year))
    s_prev = summarise(ip_for_employees(employees, year - 1))
    h.table(
        "ip_asn",
        gettext("IP ASN kota"),
        [
            gettext("Tahun"),
            gettext("Pegawai"),
            gettext("Rata-rata"),
            gettext("Kualifikasi"),
            gettext("Kompetensi"),
            gettext("Kinerja"),
            gettext("Disiplin"),
        ],
        [
            [str(y), s.n, s.mean, s.kualifikasi, s.kompetensi, s.kinerja, s.disiplin]
            for y, s in ((year - 1, s_prev), (year, s_now))
        ],
    )
    if s_now.mean is not None and s_prev.mean is not None:
        h.paragraphs.append(
            gettext(
                "IP ASN rata-rata kota {before} ({year_before}) menjadi {after} ({year}); dimensi "
                "kompetensi {comp_before} → {comp_after}."
            ).format(
                before=formatting.number(s_prev.mean, 2),
                year_before=year - 1,
                after=formatting.number(s_now.mean, 2),
                year=year,
                comp_before=formatting.number(s_prev.kompetensi or 0, 2),
                comp_after=formatting.number(s_now.kompetensi or 0, 2),
            )
        )
    if s_now.without_education:  # the table's Pegawai column counts only those scored
        h.paragraphs.append(
            ngettext(
                "{n} pegawai belum tercatat pendidikannya dan tidak dihitung dalam IP ASN: "
                "dimensi kualifikasi bergantung padanya.",
                "{n} pegawai belum tercatat pendidikannya dan tidak dihitung dalam IP ASN: "
                "dimensi kualifikasi bergantung padanya.",
                s_now.without_education,
            ).format(n=s_now.without_education)
        )
    if s_now.without_skp:  # a low kinerja from SKP not imported reads as poor performance
        h.paragraphs.append(
            ngettext(
                "{without} dari {n} pegawai tidak punya SKP tahun {year}; dimensi kinerjanya "
                "dihitung sebagai nilai tanpa SKP pada tabel IP ASN, bukan kinerja yang dinilai.",
                "{without} dari {n} pegawai tidak punya SKP tahun {year}; dimensi kinerjanya "
                "dihitung sebagai nilai tanpa SKP pada tabel IP ASN, bukan kinerja yang dinilai.",
                s_now.without_skp,
            ).format(without=s_now.without_skp, n=s_now.n, year=year)
        )
    return s_now.mean


def _cycle_challenges(tg: Section, cy: CycleScope, srows: list[Any]) -> tuple[int, int]:
    """Tantangan: the funnel, declines, OPDs, the L3 follow-ups due in the period and the SKM
    samples; returns the follow-ups (due, answered)."""
    _funnel_table(tg, cy.funnel)
    _decline_table(tg, cy.funnel)
    _opd_table(tg, cy.funnel)
    due, answered = c.followups(
        c.l3_followups(
            FollowUp.objects.filter(
                batch__programme__instansi_id=cy.instansi_id, due_at__gte=c.aware(cy.start)
            )
        ),
        min(c.aware(cy.end, True), timezone.now()),
    )
    _followup_table(tg, due, answered)
    _sample_table(tg, srows, cy.start, cy.end)
    return due, answered


def _comparison_table(h: Section, comparison: list[dict[str, Any]], code: str) -> None:
    """The metrics beside the previous cycle's, or the gap where there is none."""
    if not comparison:
        h.gaps.append(gettext("Belum ada siklus sebelumnya untuk dibandingkan."))
        return
    h.table(
        "perbandingan",
        gettext("Perbandingan dengan siklus sebelumnya ({code})").format(code=previous_code(code)),
        [
            gettext("Ukuran"),
            gettext("Sebelumnya"),
            gettext("Sekarang"),
            gettext("Perubahan"),
            gettext("Arah"),
            "p",
            gettext("Uji"),
        ],
        [
            [
                gettext("{metric} (%)").format(metric=r["metric"])
                if r.get("percent")
                else r["metric"],
                *(
                    None if v is None else (v * 100 if r.get("percent") else v)
                    for v in (r["previous"], r["current"], r["delta"])
                ),
                r["direction"],
                r["p"],
                r["method"],
            ]
            for r in comparison
        ],
    )


def _previous_recommendations(s: Section, previous: list[dict[str, Any]]) -> None:
    """The previous cycle's recommendations with their follow-up status, and how many are done."""
    if not previous:
        return
    rows = [
        [
            str(RULE_TITLES.get(x["rule_id"], x["rule_id"])),
            x["text"],
            x.get("owner", ""),
            x["status"],
            x.get("due"),
        ]
        for x in previous
    ]
    s.table(
        "tindak_lanjut_rekomendasi",
        gettext("Status rekomendasi siklus sebelumnya"),
        [
            gettext("Aturan"),
            gettext("Rekomendasi"),
            gettext("Penanggung jawab"),
            gettext("Status"),
            gettext("Tenggat"),
        ],
        rows,
    )
    done = sum(1 for x in previous if x["status_code"] == "done")
    s.paragraphs.append(
        gettext("Dari {total} rekomendasi siklus sebelumnya, {done} selesai.").format(
            total=len(previous), done=done
        )
    )


def _comparison_sentences(comparison: list[dict[str, Any]]) -> list[str]:
    """The metrics that got better and worse than in the previous cycle."""
    out = []
    better = [x["metric"] for x in comparison if x["trend"] == "better"]
    worse = [x["metric"] for x in comparison if x["trend"] == "worse"]
    if better:
        out.append(
            gettext("Membaik dibanding siklus sebelumnya: {metrics}.").format(
                metrics=", ".join(better)
            )
        )
    if worse:
        out.append(
            gettext("Memburuk dibanding siklus sebelumnya: {metrics}.").format(
                metrics=", ".join(worse)
            )
        )
    return out
