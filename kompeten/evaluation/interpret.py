"""One plain Indonesian sentence per result, generated from its numbers.

Numbers are rounded here, at the edge, in Indonesian format (18,1; 1.250). A result with fewer
than :data:`MIN_N` observations gets "n terlalu kecil untuk menyimpulkan" instead of a verdict.
"""

from __future__ import annotations

MIN_N = 5
ALPHA = 0.05


def num(value: float, decimals: int = 1) -> str:
    """Indonesian number format: 1.234,5."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def rupiah(value: float) -> str:
    return "Rp" + num(value, 0)


def pvalue(p: float) -> str:
    return "p < 0,001" if p < 0.001 else f"p = {num(p, 3)}"


def effect_label(d: float) -> str:
    """Cohen's (1988) conventions on |d|."""
    a = abs(d)
    if a < 0.2:
        return "sangat kecil"
    if a < 0.5:
        return "kecil"
    if a < 0.8:
        return "sedang"
    return "besar"


def too_small(n: int) -> str:
    return f"n = {n} terlalu kecil untuk menyimpulkan."


def mean_change(
    *,
    what: str,
    diff: float,
    ci_low: float,
    ci_high: float,
    p: float,
    d: float | None,
    n: int,
    unit: str = "poin",
    decimals: int = 1,
) -> str:
    """ "Rata-rata nilai naik 18,1 poin (IK 95 %: 13,9–22,2); efeknya besar." """
    if n < MIN_N:
        return f"{what}: {too_small(n)}"
    direction = "naik" if diff > 0 else "turun" if diff < 0 else "tidak berubah"
    amount = f" {num(abs(diff), decimals)} {unit}" if diff != 0 else ""
    ci = f" (IK 95 %: {num(ci_low, decimals)}–{num(ci_high, decimals)})"
    head = f"{what} {direction}{amount}{ci}"
    if p >= ALPHA:
        return f"{head}; perubahan ini tidak bermakna secara statistik ({pvalue(p)}), n = {n}."
    tail = f"; efeknya {effect_label(d)}" if d is not None else ""
    return f"{head}{tail} ({pvalue(p)}, n = {n})."


def reaction(label: str, index: float, band: str, n: int, alpha: float | None) -> str:
    if n < MIN_N:
        return f"{label}: {too_small(n)}"
    rel = f"; keandalan skala α = {num(alpha, 2)}" if alpha is not None else ""
    return f"{label} mendapat indeks {num(index, 1)} ({band}) dari {n} responden{rel}."


def gain(class_gain: float, category: str, mean_individual: float | None, n: int) -> str:
    if n < MIN_N:
        return f"Gain belajar: {too_small(n)}"
    cat = {"low": "rendah", "medium": "sedang", "high": "tinggi"}.get(category, category)
    extra = (
        f"; rata-rata gain individual {num(mean_individual, 2)}"
        if mean_individual is not None
        else ""
    )
    return (
        f"Gain ternormalisasi kelas (Hake) {num(class_gain, 2)}, kategori {cat}{extra} "
        f"(n = {n} pasangan pre/post)."
    )


def icc_sentence(value: float, ci_low: float, ci_high: float, n: int, k: int) -> str:
    if n < MIN_N:
        return f"Kesepakatan antarpengamat: {too_small(n)}"
    if value >= 0.9:
        level = "sangat baik"
    elif value >= 0.75:
        level = "baik"
    elif value >= 0.5:
        level = "sedang"
    else:
        level = "lemah"
    return (
        f"Kesepakatan antarpengamat {level}: ICC {num(value, 2)} "
        f"(IK 95 %: {num(ci_low, 2)}–{num(ci_high, 2)}; {n} peserta, {k} pengamat)."
    )


def roi_sentence(benefit: float, cost: float, bcr: float | None, roi: float | None) -> str:
    if cost <= 0 or bcr is None or roi is None:
        return "ROI belum dapat dihitung: biaya program belum dicatat."
    if benefit <= 0:
        return f"Belum ada manfaat yang dirupiahkan; biaya {rupiah(cost)}."
    return (
        f"Manfaat tahun pertama {rupiah(benefit)} dibanding biaya {rupiah(cost)}: BCR "
        f"{num(bcr, 2)}, ROI {num(roi, 0)} % — setiap Rp1 biaya kembali Rp{num(bcr, 2)}."
    )


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
    not_due: int = 0,
) -> str:
    """ "Predikat SKP peserta (SKP 2025 → 2026, 40 pasangan): 30 % membaik, 60 % tetap,
    10 % memburuk; …" with the Wilcoxon signed-rank verdict on the ordinal codes."""
    later = (
        f" ({not_due} peserta belum sampai tahun penilaian sesudah pelatihan)" if not_due else ""
    )
    if n == 0:
        return (
            f"{what}: belum ada yang memiliki predikat SKP tahun sebelum dan sesudah "
            f"pelatihan{later}."
        )
    years = f"SKP {_years(years_before)} → {_years(years_after)}"
    missing = n_people - n
    head = (
        f"{what} ({years}, {n} dari {n_people} orang dengan kedua predikat): "
        f"{num(improved / n * 100, 0)} % membaik, {num(unchanged / n * 100, 0)} % tetap, "
        f"{num(worse / n * 100, 0)} % memburuk"
    )
    if missing:
        head += f"; {missing} orang tanpa predikat salah satu tahun tidak dihitung"
    if not_due:
        head += f"; {not_due} peserta lain belum sampai tahun penilaian sesudah pelatihan"
    if n < MIN_N:
        return f"{head}. {too_small(n)}"
    if p is None:
        return (
            f"{head}; tidak ada yang berubah predikat, jadi uji peringkat bertanda tidak berlaku."
        )
    method = "eksak" if exact else "pendekatan normal"
    verdict = "bermakna" if p < ALPHA else "tidak bermakna"
    direction = (
        "" if p >= ALPHA else (" ke arah membaik" if improved > worse else " ke arah memburuk")
    )
    return (
        f"{head}; perubahan {verdict} secara statistik{direction} (uji peringkat bertanda "
        f"Wilcoxon pada kode ordinal 1–5, {method}, {pvalue(p)}, n = {n})."
    )


def isolation_sentence(method: str, share: float | None, inputs: str) -> str:
    """How much of a benefit is attributed to the training, and from what."""
    if share is None:
        return f"{method}: bagian karena pelatihan belum dapat dihitung. {inputs}".strip()
    return f"{method}: {num(share * 100, 0)} % diakui karena pelatihan. {inputs}".strip()
