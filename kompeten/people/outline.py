"""A list of units written as an outline in one column: the levels its numbering gives.

An OPD list copied from a Perwako on the SOTK (or typed by hand) often has no parent column
and no codes, only the numbering of the document::

    1. Sekretariat Daerah            I. DINAS KESEHATAN
    1.1 Bagian Umum                     A. Sekretariat
    2. Dinas Kesehatan                     1. Subbagian Umum dan Kepegawaian
    2.1 Sekretariat                     B. Bidang Pelayanan Kesehatan
    2.1.1 Subbagian Umum             II. DINAS SOSIAL

The levels are read the way a word processor reads a multilevel list: each kind of marker
(``1.``, ``1.1``, ``I.``, ``A.``, ``a)``, a bullet …) is the level at which it first appears,
one deeper than the marker before it, and a marker seen before closes the deeper levels. A
row's parent is the nearest row above it one level up. Pure: no database, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (kind, pattern) in the order they are tried; the number's depth (1.2.3 → 3) is part of its kind
_MARKERS = (
    ("num", re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(?:\s*[.)]\s*|\s+)(?=\S)")),
    ("ROMAN", re.compile(r"^([IVXL]{1,7})\s*[.)]\s*(?=\S)")),
    ("roman", re.compile(r"^([ivxl]{1,7})\s*[.)]\s*(?=\S)")),
    ("LETTER", re.compile(r"^([A-Z])\s*[.)]\s*(?=\S)")),
    ("letter", re.compile(r"^([a-z])\s*[.)]\s*(?=\S)")),
    ("bullet", re.compile(r"^([-–•·*])\s*(?=\S)")),
)
# a single I, V, X or L is a letter where letters are the open level (H., I., J.)
_AMBIGUOUS = {"ROMAN": "LETTER", "roman": "letter"}


@dataclass(frozen=True)
class OutlineRow:
    name: str  # without its marker
    level: int  # 0 at the top
    parent: int | None  # the index of its parent row


def _marker(text: str) -> tuple[str, str, str]:
    """The kind of the text's outline marker ("" when it has none), the marker, and the text
    without it."""
    text = text.strip()
    for kind, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            if kind == "num":
                kind = f"num{match.group(1).count('.') + 1}"
            return kind, match.group(1), text[match.end() :].strip()
    return "", "", text


def read_outline(names: list[str]) -> list[OutlineRow] | None:
    """Each name's level and parent, or None when the names are no outline (fewer than half
    of them carry a marker). A numbered list without levels is all at the top."""
    marked = [_marker(name) for name in names]
    if sum(1 for kind, _mark, _name in marked if kind) * 2 < len(names):
        return None
    open_kinds: list[str] = []  # the kind of each open level, the top first
    last_at: list[int] = []  # the row index of the last row at each open level
    rows: list[OutlineRow] = []
    for index, (marked_kind, mark, name) in enumerate(marked):
        kind = marked_kind
        if kind in _AMBIGUOUS and len(mark) == 1 and _AMBIGUOUS[kind] in open_kinds:
            kind = _AMBIGUOUS[kind]
        if kind in open_kinds:
            level = open_kinds.index(kind)
            del open_kinds[level + 1 :], last_at[level + 1 :]
            last_at[level] = index
        else:
            level = len(open_kinds)
            open_kinds.append(kind)
            last_at.append(index)
        rows.append(OutlineRow(name, level, last_at[level - 1] if level else None))
    return rows
