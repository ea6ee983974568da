"""Recommendation rules: explicit, individually tested predicates over :class:`Evidence`.

Each rule has an id, a predicate and an Indonesian sentence that cites the numbers that
triggered it. The thresholds are Kompeten's policy (not regulation) and live in
:class:`Thresholds`; the score bands they refer to come from ``standards.score_bands``.

=====================  ================================================================
rule                   fires when
=====================  ================================================================
low_relevance          the material's relevance index ≤ 80 (below "Memuaskan"), n ≥ 5
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

from kompeten.reports.evidence import Evidence, ServiceChange
from kompeten.standards.score_bands import score_band


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
    """One recommendation a rule produced."""

    rule_id: str
    subject: str
    text: str
    evidence: dict[str, Any]
    owner_unit_id: int | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    apply: Callable[[Evidence, Thresholds], list[Hit]] = field(repr=False)


def num(value: float, decimals: int = 1) -> str:
    """Indonesian decimal: 12.5 → "12,5"; 1234.5 → "1.234,5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def pct(share: float) -> str:
    return num(share * 100, 1) + "%"


def _low_relevance(e: Evidence, t: Thresholds) -> list[Hit]:
    if e.relevance_index is None or e.relevance_n < t.min_n:
        return []
    if e.relevance_index > t.relevance_max_index:
        return []
    band = score_band(round(e.relevance_index, 2)).label
    return [
        Hit(
            "low_relevance",
            "Relevansi materi",
            f"Libatkan ASN dalam merancang materi (usulan topik, voting, uji draf): indeks "
            f"relevansi materi {num(e.relevance_index, 2)} ({band}) dari {e.relevance_n} "
            f"tanggapan, di bawah {num(t.relevance_max_index, 2)}.",
            {"relevance_index": e.relevance_index, "n": e.relevance_n},
        )
    ]


def _workload_declines(e: Evidence, t: Thresholds) -> list[Hit]:
    n = e.workload_declines
    if not e.invited or n < t.workload_min_declines or n / e.invited < t.workload_min_share:
        return []
    return [
        Hit(
            "workload_declines",
            "Penolakan karena beban kerja",
            f"Jadwalkan lebih lentur (perencana jadwal di sekitar tugas, sesi pendek) atau pakai "
            f"format nonklasikal (e-learning, coaching): {n} dari {e.invited} undangan "
            f"({pct(n / e.invited)}) ditolak karena beban kerja atau bentrok tugas.",
            {"workload_declines": n, "invited": e.invited, "share": n / e.invited},
        )
    ]


def _low_opd_participation(e: Evidence, t: Thresholds) -> list[Hit]:
    hits = []
    whom = "peserta terdaftar" if e.held and e.held == e.invited else "pegawai yang diundang"
    for o in e.opd:
        rate = o.completion_rate
        if o.invited < t.opd_min_invited or rate is None or rate >= t.opd_min_completion:
            continue
        hits.append(
            Hit(
                "low_opd_participation",
                o.label,
                f"Beri insentif dan dukungan pimpinan OPD untuk {o.label}: hanya {o.completed} "
                f"dari {o.invited} {whom} menyelesaikan pelatihan ({pct(rate)}, "
                f"di bawah {pct(t.opd_min_completion)}).",
                {
                    "unit_id": o.unit_id,
                    "invited": o.invited,
                    "completed": o.completed,
                    "rate": rate,
                },
                owner_unit_id=o.unit_id,
            )
        )
    return hits


def _missing_followups(e: Evidence, t: Thresholds) -> list[Hit]:
    if e.followups_due < t.followup_min_due:
        return []
    rate = e.followups_answered / e.followups_due
    if rate >= t.followup_min_rate:
        return []
    return [
        Hit(
            "missing_followups",
            "Tindak lanjut evaluasi",
            f"Lakukan evaluasi berkala dengan pengingat dan eskalasi ke atasan: baru "
            f"{e.followups_answered} dari {e.followups_due} penilaian perilaku (L3) tindak "
            f"lanjut 3 dan 6 bulan yang jatuh tempo dijawab ({pct(rate)}).",
            {"due": e.followups_due, "answered": e.followups_answered, "rate": rate},
        )
    ]


def _small_skm_sample(e: Evidence, t: Thresholds) -> list[Hit]:
    hits = []
    for s in e.skm_samples:
        if s.required is None or s.n >= s.required:
            continue
        hits.append(
            Hit(
                "small_skm_sample",
                s.label,
                f"Perpanjang atau perluas survei SKM di {s.label}: {s.n} responden, kurang dari "
                f"sampel minimum {s.required} (Krejcie–Morgan).",
                {"service_unit_id": s.service_unit_id, "n": s.n, "required": s.required},
                owner_unit_id=s.unit_id,
            )
        )
    return hits


def _low_trainer(e: Evidence, t: Thresholds) -> list[Hit]:
    hits = []
    for tr in e.trainers:
        if tr.n < t.min_n or tr.index > t.trainer_max_index:
            continue
        hits.append(
            Hit(
                "low_trainer",
                tr.name,
                f"Berikan coaching dan umpan balik kepada pengajar {tr.name}: indeks penilaian "
                f"peserta {num(tr.index, 2)} ({tr.band}) dari {tr.n} tanggapan.",
                {"trainer_id": tr.trainer_id, "index": tr.index, "n": tr.n},
            )
        )
    return hits


def _low_gain(e: Evidence, t: Thresholds) -> list[Hit]:
    if e.class_gain is None or e.gain_n < t.min_n or e.class_gain >= t.gain_min:
        return []
    return [
        Hit(
            "low_gain",
            "Gain belajar",
            f"Tambah porsi praktik dan simulasi serta tinjau metode pengajaran: gain "
            f"ternormalisasi kelas {num(e.class_gain, 2)} (rendah, < {num(t.gain_min, 2)}) dari "
            f"{e.gain_n} pasangan pre/post-test.",
            {"class_gain": e.class_gain, "n": e.gain_n},
        )
    ]


def _jp_compliance(e: Evidence, t: Thresholds) -> list[Hit]:
    if e.jp_with_target < t.jp_min_n:
        return []
    rate = e.jp_met / e.jp_with_target
    if rate >= t.jp_min_compliance:
        return []
    return [
        Hit(
            "jp_compliance",
            "Pemenuhan 20 JP",
            f"Perbanyak pembelajaran nonklasikal yang diakui JP dan ingatkan pegawai yang "
            f"kurang: {e.jp_met} dari {e.jp_with_target} PNS ({pct(rate)}) memenuhi 20 JP.",
            {"met": e.jp_met, "with_target": e.jp_with_target, "rate": rate},
        )
    ]


def _complaint_sla(e: Evidence, t: Thresholds) -> list[Hit]:
    if e.complaints_decided < t.complaint_min_n:
        return []
    rate = e.complaints_met / e.complaints_decided
    if rate >= t.complaint_min_compliance:
        return []
    return [
        Hit(
            "complaint_sla",
            "Penanganan pengaduan",
            f"Latih petugas penanganan pengaduan dan pantau tenggat: {e.complaints_met} dari "
            f"{e.complaints_decided} pengaduan ({pct(rate)}) selesai dalam batas waktu.",
            {"met": e.complaints_met, "decided": e.complaints_decided, "rate": rate},
        )
    ]


def _design(c: ServiceChange) -> str:
    p = "" if c.pvalue is None else f"; {_p(c.pvalue)}"
    return f"{p}; desain: {c.design}" if c.design else p


def _p(p: float) -> str:
    return "p < 0,001" if p < 0.001 else f"p = {num(p, 3)}"


def _ikm_drop(e: Evidence, t: Thresholds) -> list[Hit]:
    hits = []
    for c in e.ikm_changes:
        if not c.significant_fall:
            continue
        hits.append(
            Hit(
                "ikm_drop",
                c.label,
                f"Telusuri penyebab turunnya IKM {c.label} bersama unit itu dan tinjau apakah "
                f"materi pelatihan diterapkan di loket: estimasi dampak {num(c.change, 2)} poin "
                f"(SK 95% {num(c.ci_low or 0, 2)} s.d. {num(c.ci_high or 0, 2)}{_design(c)}; "
                f"IKM {num(c.before, 2)} sebelum, {num(c.after, 2)} sesudah).",
                {
                    "before": c.before,
                    "after": c.after,
                    "change": c.change,
                    "ci_low": c.ci_low,
                    "ci_high": c.ci_high,
                    "pvalue": c.pvalue,
                },
            )
        )
    return hits


def _sla_drop(e: Evidence, t: Thresholds) -> list[Hit]:
    hits = []
    for c in e.sla_changes:
        if (
            min(c.n_before, c.n_after) < t.complaint_min_n
            or c.change > -t.sla_drop_min_points
            or not c.significant_fall
        ):
            continue
        hits.append(
            Hit(
                "sla_drop",
                c.label,
                f"Periksa alur penanganan pengaduan di {c.label} dan pantau tenggatnya: "
                f"estimasi dampak pada pengaduan selesai dalam batas waktu {num(c.change, 1)} poin "
                f"persen (SK 95% {num(c.ci_low or 0, 1)} s.d. {num(c.ci_high or 0, 1)}"
                f"{_design(c)}; {num(c.before, 1)}% sebelum, {num(c.after, 1)}% sesudah).",
                {
                    "before": c.before,
                    "after": c.after,
                    "change": c.change,
                    "ci_low": c.ci_low,
                    "ci_high": c.ci_high,
                    "pvalue": c.pvalue,
                    "n_before": c.n_before,
                    "n_after": c.n_after,
                },
            )
        )
    return hits


def _negative_roi(e: Evidence, t: Thresholds) -> list[Hit]:
    if e.roi_pct is None or e.roi_pct >= 0:
        return []
    return [
        Hit(
            "negative_roi",
            "ROI",
            f"Tinjau biaya dan rancangan program sebelum diulang (format lebih hemat, sasaran "
            f"peserta yang lebih tepat) dan lengkapi data manfaat: ROI {num(e.roi_pct, 1)}% "
            f"(biaya Rp {num(e.total_cost or 0, 0)}, manfaat terisolasi Rp "
            f"{num(e.total_benefit or 0, 0)}).",
            {"roi_pct": e.roi_pct, "cost": e.total_cost, "benefit": e.total_benefit},
        )
    ]


RULES: tuple[Rule, ...] = (
    Rule("low_relevance", "Relevansi materi rendah", _low_relevance),
    Rule("workload_declines", "Penolakan karena beban kerja", _workload_declines),
    Rule("low_opd_participation", "Partisipasi OPD rendah", _low_opd_participation),
    Rule("missing_followups", "Tindak lanjut evaluasi tidak dijawab", _missing_followups),
    Rule("small_skm_sample", "Sampel SKM terlalu kecil", _small_skm_sample),
    Rule("low_trainer", "Pengajar bernilai rendah", _low_trainer),
    Rule("low_gain", "Gain belajar rendah", _low_gain),
    Rule("jp_compliance", "Pemenuhan JP rendah", _jp_compliance),
    Rule("complaint_sla", "Pengaduan melewati batas waktu", _complaint_sla),
    Rule("ikm_drop", "IKM unit terlatih turun bermakna", _ikm_drop),
    Rule("sla_drop", "Ketepatan waktu pengaduan turun", _sla_drop),
    Rule("negative_roi", "ROI negatif", _negative_roi),
)
RULE_TITLES = {r.id: r.title for r in RULES}


def recommend(evidence: Evidence, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Hit]:
    """Every rule's hits, in rule order."""
    out: list[Hit] = []
    for rule in RULES:
        out.extend(rule.apply(evidence, thresholds))
    return out
