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

# (kind, pattern) in the order they are tried; the number's depth (1.2.3 → 3) is part of its
# kind, and so is a closing bracket: legal numbering nests "1." › "a." › "1)" › "a)" › "(1)"
_MARKERS = (
    ("num", re.compile(r"^(\()?(\d{1,3}(?:\.\d{1,3})*)(?:\s*([.)])\s*|\s+)(?=\S)")),
    ("ROMAN", re.compile(r"^(\()?([IVXL]{1,7})\s*([.)])\s*(?=\S)")),
    ("roman", re.compile(r"^(\()?([ivxl]{1,7})\s*([.)])\s*(?=\S)")),
    ("LETTER", re.compile(r"^(\()?([A-Z])\s*([.)])\s*(?=\S)")),
    ("letter", re.compile(r"^(\()?([a-z])\s*([.)])\s*(?=\S)")),
    ("bullet", re.compile(r"^()([-–•·*])()\s*(?=\S)")),
)
# a single I, V, X or L may be a Roman number or a letter (H., I., J.)
_AMBIGUOUS = {"ROMAN": "LETTER", "roman": "letter"}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def _roman_value(mark: str) -> int:
    values = [_ROMAN[c] for c in mark.casefold()]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def _value(kind: str, mark: str) -> int:
    """The place of a marker in its sequence (A → 1, IV → 4, 3 → 3, 1.2 → 2)."""
    base = kind.rstrip(")(")
    if base.startswith("num"):
        return int(mark.rsplit(".", 1)[-1])
    if base in ("ROMAN", "roman"):
        return _roman_value(mark)
    if base in ("LETTER", "letter"):
        return ord(mark.casefold()) - ord("a") + 1
    return 0


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
            opening, mark, closing = match.group(1), match.group(2), match.group(3) or ""
            if kind == "num":
                kind = f"num{mark.count('.') + 1}"
            # "1." and "1" (and "1.1" and "1.1.") are one kind; "1)" and "(1)" two others
            kind += ("(" if opening else "") + (")" if closing == ")" else "")
            return kind, mark, text[match.end() :].strip()
    return "", "", text


def read_outline(names: list[str]) -> list[OutlineRow] | None:
    """Each name's level and parent, or None when the names are no outline (fewer than half
    of them carry a marker). A numbered list without levels is all at the top."""
    marked = [_marker(name) for name in names]
    if sum(1 for kind, _mark, _name in marked if kind) * 2 < len(names):
        return None
    open_kinds: list[str] = []  # the kind of each open level, the top first
    last_at: list[int] = []  # the row index of the last row at each open level
    last_value: list[int] = []  # the place of the last marker at each open level
    rows: list[OutlineRow] = []
    for index, (marked_kind, mark, name) in enumerate(marked):
        kind = _disambiguated(marked_kind, mark, open_kinds, last_value)
        if kind in open_kinds:
            level = open_kinds.index(kind)
            del open_kinds[level + 1 :], last_at[level + 1 :], last_value[level + 1 :]
            last_at[level] = index
            last_value[level] = _value(kind, mark)
        else:
            level = len(open_kinds)
            open_kinds.append(kind)
            last_at.append(index)
            last_value.append(_value(kind, mark))
        rows.append(OutlineRow(name, level, last_at[level - 1] if level else None))
    return rows


def _disambiguated(kind: str, mark: str, open_kinds: list[str], last_value: list[int]) -> str:
    """The open kind a marker continues when it could be read two ways: a lone I, V, X or L
    as the Roman number or the letter it follows ("V." after "IV." is the fifth OPD even
    while "A."–"D." are open below it; "I." after "H." is a letter), and a number written
    with another bracket that goes on counting ("2)" after "1." in a flat list, where a "1)"
    under "a." opens the level below)."""
    base = kind.replace("(", "").replace(")", "")
    if kind not in open_kinds:
        for k, last in zip(open_kinds, last_value, strict=True):
            if k.replace("(", "").replace(")", "") == base and _value(k, mark) == last + 1:
                return k
    if base not in _AMBIGUOUS or len(mark) != 1:
        return kind
    as_letter = kind.replace(base, _AMBIGUOUS[base])
    if as_letter not in open_kinds:
        return kind

    def continues(k: str, value: int) -> bool:
        return k in open_kinds and last_value[open_kinds.index(k)] + 1 == value

    if continues(as_letter, _value(as_letter, mark)):
        return as_letter
    if continues(kind, _roman_value(mark)):
        return kind
    return kind if kind in open_kinds else as_letter
