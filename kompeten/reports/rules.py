"""Recommendation rules: explicit, individually tested predicates over :class:`Evidence`.

Each rule has an id, a predicate and a sentence that cites the numbers that triggered it.
The hit keeps those numbers (and the names the sentence cites) in its ``evidence``, and the
sentence is written from them in the active language when it is read (gettext, Indonesian
msgids), so a stored recommendation reads in its reader's language. The thresholds are Kompeten's policy (not regulation) and live in
:class:`Thresholds`; the score bands they refer to come from ``standards.score_bands``.

=====================  ================================================================
rule                   fires when
=====================  ================================================================
low_relevance          the relevance section's index (else the Materi section's) ≤ 80, n ≥ 5
workload_declines      ≥ 3 declines for workload or duty clashes and ≥ 10 % of invitations
low_opd_participation  an OPD with ≥ 5 invitations completes < 60 % of them
missing_followups      ≥ 5 follow-ups due and < 70 % answered
small_skm_sample       a service unit's SKM respondents are below the Krejcie–Morgan sample
low_trainer            a trainer's index ≤ 70 (Kurang Memuaskan or worse), n ≥ 5
low_gain               the class's normalised gain < 0,3 (low), n ≥ 5 pairs
jp_compliance          < 80 % of PNS with a JP target reach it, n ≥ 10
complaint_sla          < 80 % of decided complaints resolved within the SLA, n ≥ 10
ikm_drop               the impact estimator's 95 % interval of the trained units' IKM change
                       lies below zero (the estimator of ``kompeten impact``)
sla_drop               the estimated change in the trained units' share of complaints within
                       the SLA is ≤ −10 percentage points, its 95 % interval below zero, ≥ 10
                       complaints in each window
negative_roi           the programme's ROI is below 0 % (benefits smaller than costs)
=====================  ================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from kompeten.core import formatting
from kompeten.evaluation import interpret
from kompeten.evaluation.interpret import score_band_name
from kompeten.reports.evidence import Evidence, ServiceChange
from kompeten.reports.impact import design_short


@dataclass(frozen=True)
class Thresholds:
    min_n: int = 5
    relevance_max_index: float = 80.0
    workload_min_declines: int = 3
    workload_min_share: float = 0.10
    opd_min_invited: int = 5
    opd_min_completion: float = 0.60
    followup_min_due: int = 5
    followup_min_rate: float = 0.70
    trainer_max_index: float = 70.0
    gain_min: float = 0.30
    jp_min_n: int = 10
    jp_min_compliance: float = 0.80
    complaint_min_n: int = 10
    complaint_min_compliance: float = 0.80
    sla_drop_min_points: float = 10.0


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Hit:
    """One recommendation a rule produced. ``evidence`` holds every number and name its
    sentence cites, so :attr:`text` (and a stored recommendation, through :func:`sentence`)
    reads in the reader's language."""

    rule_id: str
    subject: str
    evidence: dict[str, Any]
    owner_unit_id: int | None = None

    @property
    def text(self) -> str:
        return sentence(self.rule_id, self.evidence)


@dataclass(frozen=True)
class Rule:
    id: str
    title: Any  # a lazy translation
    apply: Callable[[Evidence, Thresholds], list[Hit]] = field(repr=False)
    text: Callable[[dict[str, Any]], str] = field(repr=False)


# the subjects that are words of the interface (the others are names: an OPD, a unit, a trainer)
_SUBJECTS = {
    "low_relevance": gettext_lazy("Relevansi materi"),
    "workload_declines": gettext_lazy("Penolakan karena beban kerja"),
    "missing_followups": gettext_lazy("Tindak lanjut evaluasi"),
    "low_gain": gettext_lazy("Gain belajar"),
    "jp_compliance": lazy(
        lambda: gettext("Pemenuhan {jp} JP").format(jp=formatting.jp_minimum()), str
    )(),
    "complaint_sla": gettext_lazy("Penanganan pengaduan"),
    "negative_roi": gettext_lazy("ROI"),
}


def _own_hit(rule_id: str, evidence: dict[str, Any]) -> list[Hit]:
    """The one hit of a rule whose subject is its own word (in ``_SUBJECTS``), in the active
    language."""
    return [Hit(rule_id, str(_SUBJECTS[rule_id]), evidence)]


def _low_relevance(e: Evidence, t: Thresholds) -> list[Hit]:
    if e.relevance_index is None or e.relevance_n < t.min_n:
        return []
    if e.relevance_index > t.relevance_max_index:
        return []
    return _own_hit(
        "low_relevance",
        {
            "relevance_index": e.relevance_index,
            "n": e.relevance_n,
            "max_index": t.relevance_max_index,
            "aspect": e.relevance_aspect,
        },
    )


def _low_relevance_text(v: dict[str, Any]) -> str:
    """The recommendation, naming the reaction section its index is of: the questionnaire's
    relevance section, or its Materi section when it has none (evidence kept before the
    section was recorded says "relevansi materi", as it did then)."""
    if v.get("aspect") == "relevansi":
        text = gettext(
            "Libatkan ASN dalam merancang materi (usulan topik, voting, uji draf): indeks "
            "relevansi dengan pekerjaan {index} ({band}) dari {n} tanggapan, di bawah {limit}."
        )
    elif v.get("aspect") == "materi":
        text = gettext(
            "Libatkan ASN dalam merancang materi (usulan topik, voting, uji draf): indeks aspek "
            "Materi {index} ({band}) dari {n} tanggapan (kuesioner tanpa bagian relevansi "
            "dengan pekerjaan), di bawah {limit}."
        )
    else:
        text = gettext(
            "Libatkan ASN dalam merancang materi (usulan topik, voting, uji draf): indeks "
            "relevansi materi {index} ({band}) dari {n} tanggapan, di bawah {limit}."
        )
    return text.format(
        index=formatting.number(v["relevance_index"], 2),
        band=score_band_name(round(v["relevance_index"], 2)),
        n=v["n"],
        limit=formatting.number(v["max_index"], 2),
    )


def _workload_declines(e: Evidence, t: Thresholds) -> list[Hit]:
    n = e.workload_declines
    if not e.invited or n < t.workload_min_declines or n / e.invited < t.workload_min_share:
        return []
    return _own_hit(
        "workload_declines",
        {"workload_declines": n, "invited": e.invited, "share": n / e.invited},
    )


def _workload_declines_text(v: dict[str, Any]) -> str:
    return gettext(
        "Jadwalkan lebih lentur (perencana jadwal di sekitar tugas, sesi pendek) atau pakai "
        "format nonklasikal (e-learning, coaching): {n} dari {invited} undangan ({share}) "
        "ditolak karena beban kerja atau bentrok tugas."
    ).format(n=v["workload_declines"], invited=v["invited"], share=formatting.percent(v["share"]))


def _low_opd_participation(e: Evidence, t: Thresholds) -> list[Hit]:
    hits = []
    enrolled = bool(e.held and e.held == e.invited)
    for o in e.opd:
        rate = o.completion_rate
        if o.invited < t.opd_min_invited or rate is None or rate >= t.opd_min_completion:
            continue
        hits.append(
            Hit(
                "low_opd_participation",
                o.label,
                {
                    "unit_id": o.unit_id,
                    "invited": o.invited,
                    "completed": o.completed,
                    "rate": rate,
                    "label": o.label,
                    "min_rate": t.opd_min_completion,
                    "enrolled": enrolled,
                },
                owner_unit_id=o.unit_id,
            )
        )
    return hits


def _low_opd_participation_text(v: dict[str, Any]) -> str:
    if v["enrolled"]:
        text = gettext(
            "Beri insentif dan dukungan pimpinan OPD untuk {opd}: hanya {completed} dari "
            "{invited} peserta terdaftar menyelesaikan pelatihan ({rate}, di bawah {limit})."
        )
    else:
        text = gettext(
            "Beri insentif dan dukungan pimpinan OPD untuk {opd}: hanya {completed} dari "
            "{invited} pegawai yang diundang menyelesaikan pelatihan ({rate}, di bawah {limit})."
        )
    return text.format(
        opd=v["label"],
        completed=v["completed"],
        invited=v["invited"],
        rate=formatting.percent(v["rate"]),
        limit=formatting.percent(v["min_rate"]),
    )


def _rate_short(part: int, whole: int, min_whole: int, min_rate: float) -> float | None:
    """``part / whole`` when it falls short of ``min_rate``, read only with ``min_whole`` or more
    cases; ``None`` when the rate is not read or reaches the minimum."""
    if whole < min_whole:
        return None
    rate = part / whole
    return None if rate >= min_rate else rate


def _short_rate_hit(rule_id: str, rate: float | None, evidence: dict[str, Any]) -> list[Hit]:
    """A rate rule's hit when its rate fell short (see ``_rate_short``), the rate added to the
    figures it was read from."""
    return [] if rate is None else _own_hit(rule_id, {**evidence, "rate": rate})


def _missing_followups(e: Evidence, t: Thresholds) -> list[Hit]:
    rate = _rate_short(
        e.followups_answered, e.followups_due, t.followup_min_due, t.followup_min_rate
    )
    evidence = {"due": e.followups_due, "answered": e.followups_answered}
    return _short_rate_hit("missing_followups", rate, evidence)


def _missing_followups_text(v: dict[str, Any]) -> str:
    return gettext(
        "Lakukan evaluasi berkala dengan pengingat dan eskalasi ke atasan: baru {answered} dari "
        "{due} penilaian perilaku (L3) tindak lanjut 3 dan 6 bulan yang jatuh tempo dijawab "
        "({rate})."
    ).format(answered=v["answered"], due=v["due"], rate=formatting.percent(v["rate"]))


def _small_skm_sample(e: Evidence, t: Thresholds) -> list[Hit]:
    hits = []
    for s in e.skm_samples:
        if s.required is None or s.n >= s.required:
            continue
        hits.append(
            Hit(
                "small_skm_sample",
                s.label,
                {
                    "service_unit_id": s.service_unit_id,
                    "n": s.n,
                    "required": s.required,
                    "label": s.label,
                },
                owner_unit_id=s.unit_id,
            )
        )
    return hits


def _small_skm_sample_text(v: dict[str, Any]) -> str:
    return gettext(
        "Perpanjang atau perluas survei SKM di {unit}: {n} responden, kurang dari sampel "
        "minimum {required} (Krejcie–Morgan)."
    ).format(unit=v["label"], n=v["n"], required=v["required"])


def _low_trainer(e: Evidence, t: Thresholds) -> list[Hit]:
    hits = []
    for tr in e.trainers:
        if tr.n < t.min_n or tr.index > t.trainer_max_index:
            continue
        hits.append(
            Hit(
                "low_trainer",
                tr.name,
                {
                    "trainer_id": tr.trainer_id,
                    "index": tr.index,
                    "n": tr.n,
                    "name": tr.name,
                    "band": tr.band,
                },
            )
        )
    return hits


def _low_trainer_text(v: dict[str, Any]) -> str:
    return gettext(
        "Berikan coaching dan umpan balik kepada pengajar {name}: indeks penilaian peserta "
        "{index} ({band}) dari {n} tanggapan."
    ).format(name=v["name"], index=formatting.number(v["index"], 2), band=v["band"], n=v["n"])


def _low_gain(e: Evidence, t: Thresholds) -> list[Hit]:
    if e.class_gain is None or e.gain_n < t.min_n or e.class_gain >= t.gain_min:
        return []
    return _own_hit("low_gain", {"class_gain": e.class_gain, "n": e.gain_n, "gain_min": t.gain_min})


def _low_gain_text(v: dict[str, Any]) -> str:
    return gettext(
        "Tambah porsi praktik dan simulasi serta tinjau metode pengajaran: gain ternormalisasi "
        "kelas {gain} (rendah, < {limit}) dari {n} pasangan pre/post-test."
    ).format(
        gain=formatting.number(v["class_gain"], 2),
        limit=formatting.number(v["gain_min"], 2),
        n=v["n"],
    )


def _jp_compliance(e: Evidence, t: Thresholds) -> list[Hit]:
    rate = _rate_short(e.jp_met, e.jp_with_target, t.jp_min_n, t.jp_min_compliance)
    return _short_rate_hit(
        "jp_compliance", rate, {"met": e.jp_met, "with_target": e.jp_with_target}
    )


def _jp_compliance_text(v: dict[str, Any]) -> str:
    return gettext(
        "Perbanyak pembelajaran nonklasikal yang diakui JP dan ingatkan pegawai yang kurang: "
        "{met} dari {n} PNS ({rate}) memenuhi {jp} JP."
    ).format(
        met=v["met"],
        n=v["with_target"],
        rate=formatting.percent(v["rate"]),
        jp=formatting.jp_minimum(),
    )


def _complaint_sla(e: Evidence, t: Thresholds) -> list[Hit]:
    rate = _rate_short(
        e.complaints_met, e.complaints_decided, t.complaint_min_n, t.complaint_min_compliance
    )
    evidence = {"met": e.complaints_met, "decided": e.complaints_decided}
    return _short_rate_hit("complaint_sla", rate, evidence)


def _complaint_sla_text(v: dict[str, Any]) -> str:
    return gettext(
        "Latih petugas penanganan pengaduan dan pantau tenggat: {met} dari {n} pengaduan "
        "({rate}) selesai dalam batas waktu."
    ).format(met=v["met"], n=v["decided"], rate=formatting.percent(v["rate"]))


def _change_evidence(c: ServiceChange) -> dict[str, Any]:
    return {
        "before": c.before,
        "after": c.after,
        "change": c.change,
        "ci_low": c.ci_low,
        "ci_high": c.ci_high,
        "pvalue": c.pvalue,
        "label": c.label,
        "design": c.design_code,
        "n_comparison": c.n_comparison,
    }


def _design(v: dict[str, Any]) -> str:
    """ "; p = …; desain: …" for a change's sentence ("" for what the evidence lacks)."""
    out = "" if v.get("pvalue") is None else "; " + interpret.pvalue(v["pvalue"])
    words = design_short(v.get("design") or "", v.get("n_comparison") or 0)
    if words:
        out += "; " + gettext("desain: {design}").format(design=words)
    return out


def _ikm_drop(e: Evidence, t: Thresholds) -> list[Hit]:
    return [
        Hit("ikm_drop", c.label, _change_evidence(c)) for c in e.ikm_changes if c.significant_fall
    ]


def _ikm_drop_text(v: dict[str, Any]) -> str:
    return _change_text(
        gettext(
            "Telusuri penyebab turunnya IKM {unit} bersama unit itu dan tinjau apakah materi "
            "pelatihan diterapkan di loket: estimasi dampak {change} poin (SK 95% {low} s.d. "
            "{high}{design}; IKM {before} sebelum, {after} sesudah)."
        ),
        v,
        2,
    )


def _change_text(message: str, v: dict[str, Any], places: int) -> str:
    """A change recommendation's sentence from its evidence; a bound the estimator could not
    give reads "—", not 0."""

    def bound(value: float | None) -> str:
        return "—" if value is None else formatting.number(value, places)

    return message.format(
        unit=v["label"],
        change=formatting.number(v["change"], places),
        low=bound(v["ci_low"]),
        high=bound(v["ci_high"]),
        design=_design(v),
        before=formatting.number(v["before"], places),
        after=formatting.number(v["after"], places),
    )


def _sla_drop(e: Evidence, t: Thresholds) -> list[Hit]:
    hits = []
    for c in e.sla_changes:
        if (
            min(c.n_before, c.n_after) < t.complaint_min_n
            or c.change > -t.sla_drop_min_points
            or not c.significant_fall
        ):
            continue
        evidence = _change_evidence(c) | {"n_before": c.n_before, "n_after": c.n_after}
        hits.append(Hit("sla_drop", c.label, evidence))
    return hits


def _sla_drop_text(v: dict[str, Any]) -> str:
    return _change_text(
        gettext(
            "Periksa alur penanganan pengaduan di {unit} dan pantau tenggatnya: estimasi dampak "
            "pada pengaduan selesai dalam batas waktu {change} poin persen (SK 95% {low} s.d. "
            "{high}{design}; {before}% sebelum, {after}% sesudah)."
        ),
        v,
        1,
    )


def _negative_roi(e: Evidence, t: Thresholds) -> list[Hit]:
    if e.roi_pct is None or e.roi_pct >= 0:
        return []
    return _own_hit(
        "negative_roi", {"roi_pct": e.roi_pct, "cost": e.total_cost, "benefit": e.total_benefit}
    )


def _negative_roi_text(v: dict[str, Any]) -> str:
    return gettext(
        "Tinjau biaya dan rancangan program sebelum diulang (format lebih hemat, sasaran "
        "peserta yang lebih tepat) dan lengkapi data manfaat: ROI {roi}% (biaya Rp {cost}, "
        "manfaat terisolasi Rp {benefit})."
    ).format(
        roi=formatting.number(v["roi_pct"], 1),
        cost=formatting.number(v["cost"] or 0, 0),
        benefit=formatting.number(v["benefit"] or 0, 0),
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "low_relevance",
        gettext_lazy("Relevansi materi rendah"),
        _low_relevance,
        _low_relevance_text,
    ),
    Rule(
        "workload_declines",
        gettext_lazy("Penolakan karena beban kerja"),
        _workload_declines,
        _workload_declines_text,
    ),
    Rule(
        "low_opd_participation",
        gettext_lazy("Partisipasi OPD rendah"),
        _low_opd_participation,
        _low_opd_participation_text,
    ),
    Rule(
        "missing_followups",
        gettext_lazy("Tindak lanjut evaluasi tidak dijawab"),
        _missing_followups,
        _missing_followups_text,
    ),
    Rule(
        "small_skm_sample",
        gettext_lazy("Sampel SKM terlalu kecil"),
        _small_skm_sample,
        _small_skm_sample_text,
    ),
    Rule("low_trainer", gettext_lazy("Pengajar bernilai rendah"), _low_trainer, _low_trainer_text),
    Rule("low_gain", gettext_lazy("Gain belajar rendah"), _low_gain, _low_gain_text),
    Rule("jp_compliance", gettext_lazy("Pemenuhan JP rendah"), _jp_compliance, _jp_compliance_text),
    Rule(
        "complaint_sla",
        gettext_lazy("Pengaduan melewati batas waktu"),
        _complaint_sla,
        _complaint_sla_text,
    ),
    Rule("ikm_drop", gettext_lazy("IKM unit terlatih turun bermakna"), _ikm_drop, _ikm_drop_text),
    Rule("sla_drop", gettext_lazy("Ketepatan waktu pengaduan turun"), _sla_drop, _sla_drop_text),
    Rule("negative_roi", gettext_lazy("ROI negatif"), _negative_roi, _negative_roi_text),
)
RULE_TITLES = {r.id: r.title for r in RULES}
_TEXTS = {r.id: r.text for r in RULES}


def sentence(rule_id: str, evidence: dict[str, Any]) -> str:
    """The recommendation of rule ``rule_id`` in the active language, from the evidence its
    hit stored; "" when the rule is unknown or the evidence lacks a figure the sentence cites
    (a recommendation stored before its evidence held them)."""
    text = _TEXTS.get(rule_id)
    if text is None:
        return ""
    try:
        return text(evidence)
    except (KeyError, TypeError):
        return ""


def subject_text(rule_id: str, subject: str) -> str:
    """A stored subject in the active language: a rule's own word is translated, a name
    (an OPD, a unit, a trainer) is shown as it is."""
    with translation.override(settings.LANGUAGE_CODE):
        own = str(_SUBJECTS[rule_id]) if rule_id in _SUBJECTS else None
    return str(_SUBJECTS[rule_id]) if own == subject else subject


def recommend(evidence: Evidence, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Hit]:
    """Every rule's hits, in rule order."""
    out: list[Hit] = []
    for rule in RULES:
        out.extend(rule.apply(evidence, thresholds))
    return out
