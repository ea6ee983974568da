"""``kompeten ikm FILE``: the IKM of a responses file, with the same engine as the pages.

One row per response, one column per unsur named as in the regulation (case, spacing and
position codes do not matter, order does not matter); ``--by`` columns group the rows.

The table and the errors are for a person, in the active language (the command line's); the
CSV and JSON are for programs and read the same in every language. The unsur names, the mutu
grades and the kinerja words are the regulation's own and stay as it writes them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext, pgettext

from kompeten.core import formatting
from kompeten.service.tabular import Table, is_blank, parse_int
from kompeten.standards.ikm import VERSIONS, SkmVersion, UnsurStats, compute_ikm, normalise_header

# Columns a responses file may carry besides the unsur (respondent profile, bookkeeping).
KNOWN_OTHER = {
    "no",
    "nomor",
    "id",
    "tanggal",
    "tanggal pengisian",
    "waktu pengisian",
    "timestamp",
    "jenis kelamin",
    "jk",
    "usia",
    "umur",
    "pendidikan",
    "pendidikan terakhir",
    "pekerjaan",
    "jenis layanan",
    "layanan",
    "saran",
    "saran masukan",
    "unit",
    "unit layanan",
    "tiket",
}


class CliError(ValueError):
    pass


Counts = dict[tuple[Any, ...], dict[str, list[int]]]


def _by_columns(table: Table, by: Sequence[str]) -> list[int]:
    """The positions of the ``--by`` columns; a column not in the file is an error."""
    headers = {normalise_header(h): i for i, h in enumerate(table.header)}
    by_idx = []
    for col in by:
        idx = headers.get(normalise_header(col))
        if idx is None:
            raise CliError(
                gettext("Kolom pengelompokan {column} tidak ada di berkas").format(column=repr(col))
            )
        by_idx.append(idx)
    return by_idx


def _unsur_columns(table: Table, by_idx: list[int], version: SkmVersion) -> dict[str, int]:
    """The position of each unsur's column; every problem with the columns (unknown, twice,
    missing) is reported at once."""
    unsur_idx: dict[str, int] = {}
    problems = []
    for i, h in enumerate(table.header):
        if i in by_idx or not h:
            continue
        u = version.match(h)
        if u is None:
            if normalise_header(h) not in KNOWN_OTHER:
                problems.append(
                    gettext("Kolom {column} bukan unsur {version} yang dikenal").format(
                        column=repr(h), version=version.id
                    )
                )
            continue
        if u.slug in unsur_idx:
            problems.append(gettext("Unsur {name} muncul di dua kolom").format(name=u.name))
        unsur_idx[u.slug] = i
    missing = [u.name for u in version.unsur if u.slug not in unsur_idx]
    if missing:
        problems.append(gettext("Kolom unsur tidak ada: {names}").format(names=", ".join(missing)))
    if problems:
        raise CliError("; ".join(problems))
    return unsur_idx


def _score(table: Table, rownum: int, i: int, value: Any) -> int:
    """The 1–4 answer in a cell; anything else is an error naming the row and column."""
    try:
        score = parse_int(value)
    except ValueError:
        score = 0
    if not 1 <= score <= 4:
        raise CliError(
            gettext("Baris {row}, kolom {column}: nilai {value} di luar 1–4").format(
                row=rownum, column=repr(table.header[i]), value=repr(value)
            )
        )
    return score


def _count(
    table: Table, by_idx: list[int], unsur_idx: dict[str, int]
) -> tuple[Counts, dict[tuple[Any, ...], int]]:
    """Per group (the ``--by`` values): the count of each score of each unsur, and the rows."""
    counts: Counts = {}
    sizes: dict[tuple[Any, ...], int] = {}
    for rownum, cells in table.rows:
        key = tuple("" if i >= len(cells) or cells[i] is None else str(cells[i]) for i in by_idx)
        group = counts.setdefault(key, {slug: [0, 0, 0, 0] for slug in unsur_idx})
        sizes[key] = sizes.get(key, 0) + 1
        for slug, i in unsur_idx.items():
            value = cells[i] if i < len(cells) else None
            if is_blank(value):
                continue
            group[slug][_score(table, rownum, i, value) - 1] += 1
    return counts, sizes


def _group_ikm(
    key: tuple[Any, ...],
    counts: dict[str, list[int]],
    n_responses: int,
    by: Sequence[str],
    version: SkmVersion,
    weight: str,
) -> dict[str, Any]:
    """One group's row: its ``--by`` values and its IKM; an unsur without answers is an error."""
    stats = {
        slug: UnsurStats.from_counts({1: c[0], 2: c[1], 3: c[2], 4: c[3]})
        for slug, c in counts.items()
    }
    empty = [version.get(s).name for s, st in stats.items() if st.n == 0]
    if empty:
        raise CliError(
            gettext("Kelompok {group}: unsur tanpa jawaban: {names}").format(
                group=key, names=", ".join(empty)
            )
        )
    r = compute_ikm(stats, version, weight, n_responses=n_responses)  # type: ignore[arg-type]
    item: dict[str, Any] = dict(zip(by, key, strict=True))
    item.update(
        {
            "n": r.n,
            "nrr": {version.get(slug).name: r.nrr[slug] for slug in r.nrr},
            "ikm": r.ikm,
            "ikm_unit": r.ikm_unit,
            "mutu": r.mutu,
            "kinerja": r.kinerja,
        }
    )
    return item


def compute_groups(
    table: Table, by: Sequence[str], weight: str, regulation: str
) -> list[dict[str, Any]]:
    """The IKM of each group of rows (by the ``--by`` columns), in the order of their values."""
    version: SkmVersion = VERSIONS["SKM_2004" if regulation == "2004" else "SKM_2017"]
    if weight == "0.111" and version.id != "SKM_2017":
        weight = "printed"
    by_idx = _by_columns(table, by)
    unsur_idx = _unsur_columns(table, by_idx, version)
    counts, sizes = _count(table, by_idx, unsur_idx)
    return [_group_ikm(key, counts[key], sizes[key], by, version, weight) for key in sorted(counts)]


def _table_header() -> list[str]:
    """The table's own columns after the ``--by`` ones: the respondents, the IKM on 1–4, the IKM
    on 25–100 (named as the regulation names it), its mutu and its kinerja."""
    return [
        "n",
        gettext("IKM (1–4)"),
        "IKM",
        pgettext("IKM table column", "mutu"),
        pgettext("IKM table column", "kinerja"),
    ]


def render(groups: list[dict[str, Any]], by: Sequence[str], fmt: str) -> str:
    """The groups as JSON or CSV (for programs: the same in every language) or as a table for a
    person (its header and figures in the active language)."""
    if fmt == "json":
        return json.dumps(groups, ensure_ascii=False, indent=2)
    unsur_names = list(groups[0]["nrr"]) if groups else []
    header = [*by, "n", *(f"NRR {u}" for u in unsur_names), "ikm", "ikm_unit", "mutu", "kinerja"]
    rows = [
        [
            *(g[c] for c in by),
            g["n"],
            *(g["nrr"][u] for u in unsur_names),
            g["ikm"],
            g["ikm_unit"],
            g["mutu"],
            g["kinerja"],
        ]
        for g in groups
    ]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows(rows)
        return buf.getvalue()
    lines = ["\t".join([*by, *_table_header()])]
    for g in groups:
        lines.append(
            "\t".join(
                [
                    *(str(g[c]) for c in by),
                    formatting.number(g["n"], 0),
                    formatting.number(g["ikm"], 4),
                    formatting.number(g["ikm_unit"], 2),
                    g["mutu"],
                    g["kinerja"],
                ]
            )
        )
    return "\n".join(lines) + "\n"
