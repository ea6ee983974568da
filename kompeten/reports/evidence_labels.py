"""A recommendation's evidence (the figures its rule saw) as labelled values for a reader.

Rules store their inputs under short keys (``met``, ``with_target``, ``rate``); a page shows them
as words and numbers of the reader's language, shares as percentages, and never a database id.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kompeten.core import formatting

LABELS: dict[str, Any] = {
    "relevance_index": _("indeks relevansi"),
    "n": _("n"),
    "workload_declines": _("menolak karena beban kerja"),
    "invited": _("diundang"),
    "completed": _("menyelesaikan"),
    "share": _("proporsi"),
    "rate": _("proporsi"),
    "due": _("sudah jatuh tempo"),
    "answered": _("dijawab"),
    "required": _("sampel minimal"),
    "index": _("indeks"),
    "class_gain": _("gain kelas"),
    "met": _("memenuhi"),
    "with_target": _("dengan target"),
    "decided": _("sudah diputuskan"),
    "before": _("sebelum"),
    "after": _("sesudah"),
    "change": _("perubahan"),
    "ci_low": _("SK 95% bawah"),
    "ci_high": _("SK 95% atas"),
    "pvalue": _("p"),
    "n_before": _("n sebelum"),
    "n_after": _("n sesudah"),
    "roi_pct": _("ROI (%)"),
    "cost": _("biaya (Rp)"),
    "benefit": _("manfaat (Rp)"),
    # what a rule's sentence cites besides its figures
    "max_index": _("batas indeks"),
    "min_rate": _("batas proporsi"),
    "gain_min": _("batas gain"),
    "label": _("unit"),
    "name": _("pengajar"),
    "band": _("kategori"),
    "enrolled": _("semua undangan terdaftar"),
    "n_comparison": _("unit pembanding"),
}
SHARES = frozenset({"share", "rate", "min_rate"})
# ids, and the estimator's design code (the sentence gives it in words)
HIDDEN = frozenset(
    {"unit_id", "service_unit_id", "trainer_id", "employee_id", "programme_id", "design"}
)


def value_text(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(_("ya") if value else _("tidak"))
    if isinstance(value, int):
        return formatting.number(value, 0)
    if isinstance(value, float):
        if key in SHARES:
            return formatting.percent(value, 1, sign=" %")
        if key == "pvalue":
            return formatting.number(value, 3)
        return formatting.number(value, 2)
    return str(value).replace("_", " ")


def evidence_lines(evidence: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(label, value) pairs in the rule's order, without database ids."""
    return [
        (str(LABELS.get(key, key.replace("_", " "))), value_text(key, value))
        for key, value in (evidence or {}).items()
        if key not in HIDDEN
    ]
