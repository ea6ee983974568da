"""``kompeten impact FILE``: the report's impact estimator (:mod:`kompeten.stats.impact`) over
many monthly unit panels in one CSV.

Columns (any order, header names case-insensitive, ``,`` or ``;`` separated):
``dataset, unit, month (YYYY-MM), value, treated_from (YYYY-MM, empty for comparison units)``.
Each dataset is estimated on its own; rows are parsed once and the statistics are vectorised
over datasets, so thousands of datasets go in one call.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.stats import ImpactResult, impact_panels

COLUMNS = ("dataset", "unit", "month", "value", "treated_from")


class ImpactInputError(ValueError):
    """Bad input file; the message is in Indonesian and names the row and the field."""


@dataclass(frozen=True)
class Panels:
    names: tuple[str, ...]
    dataset: npt.NDArray[np.int64]
    unit: npt.NDArray[np.int64]
    month: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    treated_from: npt.NDArray[np.float64]
    line: npt.NDArray[np.int64]  # the file line of each row (header = 1)


def _month(text: str, line: int, field: str, cache: dict[str, int]) -> int:
    got = cache.get(text)
    if got is not None:
        return got
    parts = text.strip().split("-")
    ok = len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) in (1, 2)
    ok = ok and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1] or 0) <= 12
    if not ok:
        raise ImpactInputError(
            _("Baris %(line)d, kolom %(field)s: %(value)r bukan bulan berbentuk YYYY-MM.")
            % {"line": line, "field": field, "value": text}
        )
    value = int(parts[0]) * 12 + int(parts[1]) - 1
    cache[text] = value
    return value


def _number(text: str, line: int) -> float:
    raw = text.strip()
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ImpactInputError(
            _("Baris %(line)d, kolom value: %(value)r bukan angka.") % {"line": line, "value": text}
        )
    return value


def read_panels(lines: Iterable[str]) -> Panels:
    """Parse the CSV text; raise :class:`ImpactInputError` naming the first bad row and field."""
    it = iter(lines)
    header_line = next(it, "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = [
        h.strip().lstrip("\ufeff").lower()
        for h in next(csv.reader([header_line], delimiter=delimiter), [])
    ]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImpactInputError(
            _("Baris 1: kolom %(missing)s tidak ada (yang diperlukan: %(needed)s).")
            % {"missing": ", ".join(missing), "needed": ", ".join(COLUMNS)}
        )
    idx = [header.index(c) for c in COLUMNS]
    width = max(idx) + 1
    names: dict[str, int] = {}
    units: dict[str, int] = {}
    months: dict[str, int] = {}
    ds_l: list[int] = []
    unit_l: list[int] = []
    month_l: list[int] = []
    value_l: list[float] = []
    tf_l: list[float] = []
    line_l: list[int] = []
    i_ds, i_unit, i_month, i_value, i_tf = idx
    for line, row in enumerate(csv.reader(it, delimiter=delimiter), start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) < width:
            raise ImpactInputError(
                _("Baris %(line)d: hanya %(got)d kolom, diperlukan %(needed)d.")
                % {"line": line, "got": len(row), "needed": width}
            )
        name = row[i_ds].strip()
        if not name:
            raise ImpactInputError(_("Baris %(line)d, kolom dataset: kosong.") % {"line": line})
        u = row[i_unit].strip()
        if not u:
            raise ImpactInputError(_("Baris %(line)d, kolom unit: kosong.") % {"line": line})
        ds_l.append(names.setdefault(name, len(names)))
        unit_l.append(units.setdefault(u, len(units)))
        month_l.append(_month(row[i_month], line, "month", months))
        value_l.append(_number(row[i_value], line))
        tf_text = row[i_tf].strip()
        tf_l.append(
            math.nan if not tf_text else float(_month(tf_text, line, "treated_from", months))
        )
        line_l.append(line)
    if not ds_l:
        raise ImpactInputError(_("Berkas tidak berisi baris data."))
    panels = Panels(
        names=tuple(names),
        dataset=np.array(ds_l, dtype=np.int64),
        unit=np.array(unit_l, dtype=np.int64),
        month=np.array(month_l, dtype=np.int64),
        value=np.array(value_l, dtype=np.float64),
        treated_from=np.array(tf_l, dtype=np.float64),
        line=np.array(line_l, dtype=np.int64),
    )
    _check_consistency(panels)
    return panels


def _check_consistency(p: Panels) -> None:
    """Duplicate unit-months and a treated_from that changes within a unit, with row numbers."""
    order = np.lexsort((p.line, p.month, p.unit, p.dataset))
    ds, un, mo = p.dataset[order], p.unit[order], p.month[order]
    same_unit = (np.diff(ds) == 0) & (np.diff(un) == 0)
    dup = np.flatnonzero(same_unit & (np.diff(mo) == 0))
    if dup.size:
        a, b = p.line[order][dup[0]], p.line[order][dup[0] + 1]
        raise ImpactInputError(
            _("Baris %(line)d, kolom month: unit dan bulan ini sudah ada di baris %(first)d.")
            % {"line": int(b), "first": int(a)}
        )
    tf = p.treated_from[order]
    differs = same_unit & ~((tf[1:] == tf[:-1]) | (np.isnan(tf[1:]) & np.isnan(tf[:-1])))
    bad = np.flatnonzero(differs)
    if bad.size:
        a, b = p.line[order][bad[0]], p.line[order][bad[0] + 1]
        raise ImpactInputError(
            _(
                "Baris %(line)d, kolom treated_from: berbeda dari baris %(first)d untuk unit "
                "yang sama (satu unit, satu bulan mulai)."
            )
            % {"line": int(b), "first": int(a)}
        )


PROBLEMS = {
    "no trained unit": gettext_lazy("tidak ada unit yang dilatih (treated_from kosong semua)"),
    "no trained unit has months both before and from its training": gettext_lazy(
        "tidak ada unit terlatih yang punya data sebelum dan sesudah pelatihan"
    ),
    "too few months before or after training": gettext_lazy(
        "bulan sebelum atau sesudah pelatihan terlalu sedikit"
    ),
    "the units' changes do not vary, so no interval": gettext_lazy(
        "perubahan antarunit tidak bervariasi, interval tidak dapat dihitung"
    ),
    "the series fits perfectly, so no interval": gettext_lazy(
        "deret waktu cocok sempurna, interval tidak dapat dihitung"
    ),
}


def _problem(text: str) -> str:
    return str(PROBLEMS[text]) if text in PROBLEMS else text


def estimate(panels: Panels, confidence: float = 0.95) -> list[dict[str, Any]]:
    """One JSON-ready object per dataset, in the order the datasets first appear."""
    results = impact_panels(
        panels.dataset, panels.unit, panels.month, panels.value, panels.treated_from, confidence
    )
    return [_row(name, r) for name, r in zip(panels.names, results, strict=True)]


def _row(name: str, r: ImpactResult) -> dict[str, Any]:
    row: dict[str, Any] = {
        "dataset": name,
        "estimate": r.estimate,
        "ci_low": r.ci_low,
        "ci_high": r.ci_high,
        "pvalue": r.pvalue,
        "method": r.method,
        "design": r.design,
        "n_treated": r.n_treated,
        "n_comparison": r.n_comparison,
        "n_months": r.n_months,
        "variance": r.variance,
    }
    if r.problem is not None:
        row["note"] = _problem(r.problem)
    return row


def run(path: str, output_format: str = "json") -> str:
    """Read FILE, estimate every dataset, render as JSON (a list) or CSV."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            panels = read_panels(fh)
    except OSError as exc:
        raise ImpactInputError(
            _("Berkas %(path)s tidak dapat dibaca: %(error)s")
            % {"path": path, "error": exc.strerror}
        ) from None
    except UnicodeDecodeError:
        raise ImpactInputError(_("Berkas %(path)s bukan teks UTF-8.") % {"path": path}) from None
    # The output is for programs: its notes are the site language's whatever language the
    # command line speaks (docs/statistics.md), so the same file gives the same bytes.
    with translation.override(settings.LANGUAGE_CODE):
        rows = estimate(panels)
    if output_format == "json":
        return json.dumps(rows, ensure_ascii=False) + "\n"
    fields = ["dataset", "design", "estimate", "ci_low", "ci_high", "pvalue", "n_treated",
              "n_comparison", "n_months", "method", "note"]  # fmt: skip
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in fields})
    return buf.getvalue()
