"""One plain sentence per result, generated from its numbers, in the active language.

Numbers are rounded here, at the edge, by :mod:`kompeten.core.formatting` (half up, in the
active language's format: id 18,1; 1.250 — en 18.1; 1,250). A result with fewer than
:data:`MIN_N` observations gets "n terlalu kecil untuk menyimpulkan" instead of a verdict. Every sentence goes through gettext with named
placeholders, so the English interface reads English.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext, pgettext

from kompeten.core.formatting import number, rupiah
from kompeten.standards.score_bands import score_band

MIN_N = 5
ALPHA = 0.05


def score_band_name(score: float) -> str:
    """The LAN score band of a 0–100 score (``standards.score_bands``), named in the active
    language (the standards table holds the Indonesian name only: standards has no Django)."""
    band = score_band(score)
    names = {
        "tidak_memuaskan": pgettext("LAN score band", "Tidak Memuaskan"),
        "kurang_memuaskan": pgettext("LAN score band", "Kurang Memuaskan"),
        "cukup_memuaskan": pgettext("LAN score band", "Cukup Memuaskan"),
        "memuaskan": pgettext("LAN score band", "Memuaskan"),
        "sangat_memuaskan": pgettext("LAN score band", "Sangat Memuaskan"),
    }
    return names.get(band.code, band.label)


def pvalue(p: float) -> str:
    if p < 0.001:
        return "p < " + number(0.001, 3)
    return f"p = {number(p, 3)}"


def effect_label(d: float) -> str:
    """Cohen's (1988) conventions on |d|."""
    a = abs(d)
    if a < 0.2:
        return pgettext("effect size", "sangat kecil")
    if a < 0.5:
        return pgettext("effect size", "kecil")
    if a < 0.8:
        return pgettext("effect size", "sedang")
    return pgettext("effect size", "besar")


def too_small(n: int) -> str:
    return gettext("n = {n} terlalu kecil untuk menyimpulkan.").format(n=n)


def mean_change(
    *,
    what: str,
    diff: float,
    ci_low: float,
    ci_high: float,
    p: float,
    d: float | None,
    n: int,
    unit: str = "",
    decimals: int = 1,
) -> str:
    """ "Rata-rata nilai naik 18,1 poin (SK 95%: 13,9–22,2); efeknya besar (d terhadap
    rata-rata SD = 1,30; …)."

    ``d`` is the change standardised by the average of the before and after SDs (d_av, Lakens
    2013), the d that Cohen's benchmarks were set for; d_z (by the SD of the differences) grows
    with the before/after correlation and would call a modest change "besar"."""
    if n < MIN_N:
        return f"{what}: {too_small(n)}"
    unit = unit or gettext("poin")
    if diff > 0:
        head = gettext("{what} naik {amount} {unit} (SK 95%: {low}–{high})")
    elif diff < 0:
        head = gettext("{what} turun {amount} {unit} (SK 95%: {low}–{high})")
    else:
        head = gettext("{what} tidak berubah (SK 95%: {low}–{high})")
    head = head.format(
        what=what,
        amount=number(abs(diff), decimals),
        unit=unit,
        low=number(ci_low, decimals),
        high=number(ci_high, decimals),
    )
    if p >= ALPHA:
        return gettext(
            "{head}; perubahan ini tidak bermakna secara statistik ({p}), n = {n}."
        ).format(head=head, p=pvalue(p), n=n)
    if d is None:
        return gettext("{head} ({p}, n = {n}).").format(head=head, p=pvalue(p), n=n)
    return gettext(
        "{head}; efeknya {effect} (d terhadap rata-rata SD = {d}; {p}, n = {n})."
    ).format(head=head, effect=effect_label(d), d=number(d, 2), p=pvalue(p), n=n)


def reaction(label: str, index: float, band: str, n: int, alpha: float | None) -> str:
    if n < MIN_N:
        return f"{label}: {too_small(n)}"
    if alpha is None:
        return gettext("{label} mendapat indeks {index} ({band}) dari {n} responden.").format(
            label=label, index=number(index, 1), band=band, n=n
        )
    return gettext(
        "{label} mendapat indeks {index} ({band}) dari {n} responden; keandalan skala α = {alpha}."
    ).format(label=label, index=number(index, 1), band=band, n=n, alpha=number(alpha, 2))


def gain_category(category: str) -> str:
    """Hake's gain category as a word of the active language ("medium" → "sedang")."""
    words = {
        "low": pgettext("gain category", "rendah"),
        "medium": pgettext("gain category", "sedang"),
        "high": pgettext("gain category", "tinggi"),
    }
    return words.get(category, category)


def gain(class_gain: float, category: str, mean_individual: float | None, n: int) -> str:
    if n < MIN_N:
        return gettext("Gain belajar: {verdict}").format(verdict=too_small(n))
    if mean_individual is None:
        return gettext(
            "Gain ternormalisasi kelas (Hake) {gain}, kategori {category} "
            "(n = {n} pasangan pre/post)."
        ).format(gain=number(class_gain, 2), category=gain_category(category), n=n)
    return gettext(
        "Gain ternormalisasi kelas (Hake) {gain}, kategori {category}; rata-rata gain "
        "individual {mean} (n = {n} pasangan pre/post)."
    ).format(
        gain=number(class_gain, 2),
        category=gain_category(category),
        mean=number(mean_individual, 2),
        n=n,
    )


def icc_sentence(value: float, ci_low: float, ci_high: float, n: int, k: int) -> str:
    if n < MIN_N:
        return gettext("Kesepakatan antarpengamat: {verdict}").format(verdict=too_small(n))
    if value >= 0.9:
        level = pgettext("agreement", "sangat baik")
    elif value >= 0.75:
        level = pgettext("agreement", "baik")
    elif value >= 0.5:
        level = pgettext("agreement", "sedang")
    else:
        level = pgettext("agreement", "lemah")
    return gettext(
        "Kesepakatan antarpengamat {level}: ICC {icc} (SK 95%: {low}–{high}; {n} peserta, "
        "{k} pengamat)."
    ).format(
        level=level, icc=number(value, 2), low=number(ci_low, 2), high=number(ci_high, 2), n=n, k=k
    )


def roi_sentence(benefit: float, cost: float, bcr: float | None, roi: float | None) -> str:
    if cost <= 0:
        return gettext("ROI belum dapat dihitung: biaya program belum dicatat.")
    if bcr is None or roi is None:
        return gettext(
            "ROI belum dapat dihitung: belum ada manfaat yang dirupiahkan; biaya {cost}."
        ).format(cost=rupiah(cost))
    if benefit <= 0:
        return gettext("Belum ada manfaat yang dirupiahkan; biaya {cost}.").format(
            cost=rupiah(cost)
        )
    return gettext(
        "Manfaat tahun pertama {benefit} dibanding biaya {cost}: BCR {bcr}, ROI {roi} % — "
        "setiap Rp1 biaya kembali Rp{bcr}."
    ).format(benefit=rupiah(benefit), cost=rupiah(cost), bcr=number(bcr, 2), roi=number(roi, 0))


def _years(years: tuple[int, ...]) -> str:
    if not years:
        return "—"
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def skp_sentence(
    *,
    what: str,
    n: int,
    n_people: int,
    years_before: tuple[int, ...],
    years_after: tuple[int, ...],
    improved: int,
    unchanged: int,
    worse: int,
    p: float | None,
    exact: bool | None,
    toward_better: bool = False,
    not_due: int = 0,
) -> str:
    """ "Predikat SKP peserta (SKP 2025 → 2026, 40 pasangan): 30 % membaik, 60 % tetap,
    10 % memburuk; …" with the Wilcoxon signed-rank verdict on the ordinal codes.

    A significant change's direction is the test's (``toward_better``: W⁺ > W⁻ on after −
    before), not the counts': 40 people up one level and 30 down three is a change for the
    worse."""
    if n == 0:
        if not_due:
            return gettext(
                "{what}: belum ada yang memiliki predikat SKP tahun sebelum dan sesudah "
                "pelatihan ({not_due} peserta belum sampai tahun penilaian sesudah pelatihan)."
            ).format(what=what, not_due=not_due)
        return gettext(
            "{what}: belum ada yang memiliki predikat SKP tahun sebelum dan sesudah pelatihan."
        ).format(what=what)
    missing = n_people - n
    head = gettext(
        "{what} (SKP {before} → {after}, {n} dari {people} orang dengan kedua predikat): "
        "{improved} % membaik, {unchanged} % tetap, {worse} % memburuk"
    ).format(
        what=what,
        before=_years(years_before),
        after=_years(years_after),
        n=n,
        people=n_people,
        improved=number(improved / n * 100, 0),
        unchanged=number(unchanged / n * 100, 0),
        worse=number(worse / n * 100, 0),
    )
    if missing:
        head += gettext("; {n} orang tanpa predikat salah satu tahun tidak dihitung").format(
            n=missing
        )
    if not_due:
        head += gettext("; {n} peserta lain belum sampai tahun penilaian sesudah pelatihan").format(
            n=not_due
        )
    if n < MIN_N:
        return f"{head}. {too_small(n)}"
    if p is None:
        return gettext(
            "{head}; tidak ada yang berubah predikat, jadi uji peringkat bertanda tidak berlaku."
        ).format(head=head)
    method = gettext("eksak") if exact else gettext("pendekatan normal")
    if p >= ALPHA:
        text = gettext(
            "{head}; perubahan tidak bermakna secara statistik (uji peringkat bertanda "
            "Wilcoxon pada kode ordinal 1–5, {method}, {p}, n = {n})."
        )
    elif toward_better:
        text = gettext(
            "{head}; perubahan bermakna secara statistik ke arah membaik (uji peringkat "
            "bertanda Wilcoxon pada kode ordinal 1–5, {method}, {p}, n = {n})."
        )
    else:
        text = gettext(
            "{head}; perubahan bermakna secara statistik ke arah memburuk (uji peringkat "
            "bertanda Wilcoxon pada kode ordinal 1–5, {method}, {p}, n = {n})."
        )
    return text.format(head=head, method=method, p=pvalue(p), n=n)


def isolation_sentence(method: str, share: float | None, inputs: str) -> str:
    """How much of a benefit is attributed to the training, and from what."""
    if share is None:
        text = gettext("{method}: bagian karena pelatihan belum dapat dihitung.").format(
            method=method
        )
    else:
        text = gettext("{method}: {share} diakui karena pelatihan.").format(
            method=method, share=number(share * 100, 0) + " %"
        )
    return f"{text} {inputs}".strip()


# --- reliability --------------------------------------------------------------------------------

ALPHA_REDUNDANT = 0.995  # shown as 1,00: the items are answered (nearly) identically
# Below this a scale's items do not yet hang together well enough to be read as one index:
# 0.70, the "modest reliability" Nunnally & Bernstein (Psychometric Theory, 3rd ed., 1994) ask
# of a scale early in its use; the common bands (George & Mallery) call less "questionable".
ALPHA_LOW = 0.70


def alpha_caveat(alpha: float | None) -> str:
    """What a reader must know before trusting a Cronbach's α: 1,00 (items answered the same
    way: redundant items or uniform answering, not "perfect reliability"), negative (the items
    do not measure one thing, or one item is reversed) or low (below ALPHA_LOW); empty
    otherwise."""
    if alpha is None:
        return ""
    if alpha >= ALPHA_REDUNDANT:
        return gettext(
            "α = {alpha} bukan tanda keandalan sempurna: butir-butirnya dijawab (hampir) "
            "sama persis, sehingga butir mungkin berulang atau responden menjawab seragam."
        ).format(alpha=number(alpha, 2))
    if alpha < 0:
        return gettext(
            "α negatif ({alpha}): butir-butir aspek ini tidak mengukur hal yang sama "
            "(mungkin ada butir terbalik atau responden terlalu sedikit); indeks aspek ini "
            "perlu ditinjau sebelum dipakai."
        ).format(alpha=number(alpha, 2))
    if alpha < ALPHA_LOW:
        return gettext(
            "α rendah ({alpha}, di bawah {low} yang lazim dianggap memadai): butir-butirnya "
            "belum seragam mengukur hal yang sama; baca indeksnya bersama rata-rata tiap butir."
        ).format(alpha=number(alpha, 2), low=number(ALPHA_LOW, 2))
    return ""


def alpha_notes(overall: Any, sections: Iterable[Any]) -> list[str]:
    """The caveat sentences of a reaction result's α (``overall`` and ``sections`` are its
    :class:`ScaleResult` rows): the headline scale named with its number of items, then each
    aspect. The report and the evaluation page print the same notes."""
    notes = []
    if overall is not None and overall.alpha is not None:
        caveat = alpha_caveat(float(overall.alpha.alpha))
        if caveat:
            # the headline scale's α: the organiser sections' items, not the whole questionnaire
            notes.append(
                gettext("α Cronbach skala {scale} ({k} butir): {caveat}").format(
                    scale=overall.label, k=overall.alpha.k, caveat=caveat
                )
            )
    for x in sections:
        alpha = getattr(x.alpha, "alpha", None)  # no α: a section of one item
        caveat = alpha_caveat(None if alpha is None else float(alpha))
        if caveat:
            notes.append(
                gettext("α Cronbach aspek {aspect}: {caveat}").format(aspect=x.label, caveat=caveat)
            )
    return notes
