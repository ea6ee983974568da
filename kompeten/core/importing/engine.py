"""The one import engine: file → header row → source → mapping → rows checked → plan → commit.

:func:`plan` writes nothing; :func:`commit` writes all rows or none, or with ``partial`` the
clean rows and keeps the rest as :class:`~kompeten.core.models.PendingRow` (never lost), in one
transaction with the audit row and the remembered mapping.
"""

from __future__ import annotations

import io
import json
import re
import statistics
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import chain
from typing import Any, NamedTuple, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Field as ModelField
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.core import audit
from kompeten.core.importing.declare import (
    Cells,
    Context,
    Declaration,
    Field,
    FieldError,
    Problem,
    Row,
    Source,
    declarations,
    get,
)
from kompeten.core.importing.reader import Limits, RawTable, ReadError, gc_paused, read_file
from kompeten.core.importing.values import (
    NipValue,
    is_blank,
    normalise_text,
    parse_moment,
    reading_month_first,
    slashed_order,
)
from kompeten.core.models import ImportMapping, ImportRun, Instansi, PendingRow, User

HEADER_SEARCH_ROWS = 30
IGNORE = ""
# The first words of a row under a table that sums it up rather than holds data: totals and
# means; an e-SKM export's NRR, weighted NRR, IKM and mutu rows; a score list's highest and
# lowest marks.
SUMMARY_WORDS = (
    "jumlah",
    "total",
    "rata rata",
    "rata2",  # "Rata2", as a recap abbreviates it
    "rerata",
    "grand total",
    "sub total",
    "nrr",
    "ikm",
    "nilai ikm",
    "mutu pelayanan",
    "kinerja unit pelayanan",
    "nilai tertinggi",
    "nilai terendah",
    "tertinggi",
    "terendah",
    # a recap's statistics under its table: "Modus", "Skor Tertimbang", "Standar Deviasi"
    "nilai rata rata",
    "nilai rata2",
    "nilai rerata",
    "skor tertimbang",
    "nilai tertimbang",
    "modus",
    "median",
    "standar deviasi",
    "simpangan baku",
    "std dev",
    "minimum",
    "maksimum",
    "nilai minimum",
    "nilai maksimum",
)


class PlanNotClean(Exception):
    """:func:`commit` without ``partial`` on a plan with problems or pending rows."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(_("Berkas masih bermasalah: tidak ada yang disimpan."))
        self.plan = plan


@dataclass
class Plan:
    """What an import would do, nothing written. ``problems`` has every problem of the file
    (file-level ones with ``row=None``); ``rows`` every data row evaluated."""

    declaration: Declaration
    filename: str
    instansi: Instansi
    user: User | None
    options: dict[str, Any]
    sheet: str
    sheet_names: list[str]
    header_row: int
    headers: list[str]
    mapping: dict[str, str]
    source: Source | None
    ignored_columns: list[str]
    rows: list[Row] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    ctx: Context | None = None
    # the workbook's other sheets with this table, not read: (name, data rows)
    alike: list[tuple[str, int]] = field(default_factory=list)
    # the hidden ones among them (an older draft, most often): named, never offered
    hidden_alike: list[tuple[str, int]] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        out = list(self.file_problems)
        for row in self.rows:
            out.extend(row.problems)
        return out

    @property
    def notes(self) -> list[str]:
        """What the reading decided for the whole file (a column's date order), and the other
        sheets with this table that were not read."""
        if self.ctx is None:
            return []
        return [
            *self.ctx.notes,
            *_alike_notes(self.alike, self.ctx.command_line),
            *_hidden_alike_notes(self.hidden_alike, self.ctx.command_line),
        ]

    @property
    def warnings(self) -> list[tuple[int, str]]:
        """(row number, message) of every clean row the user should check."""
        return [(r.number, w) for r in self.rows if r.is_clean for w in r.warnings]

    @property
    def clean_rows(self) -> list[Row]:
        return [r for r in self.rows if r.is_clean]

    @property
    def pending_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.is_clean]

    @property
    def is_clean(self) -> bool:
        return not self.file_problems and all(r.is_clean for r in self.rows) and bool(self.rows)

    @property
    def can_commit_partial(self) -> bool:
        return not self.file_problems and bool(self.rows)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "clean": sum(1 for r in self.rows if r.is_clean and not r.skipped),
            "skipped": sum(1 for r in self.rows if r.is_clean and r.skipped and not r.copy_of),
            "copies": sum(1 for r in self.rows if r.is_clean and r.copy_of),
            "with_problems": sum(1 for r in self.rows if r.problems),
            "pending": sum(1 for r in self.rows if r.pending_reason and not r.problems),
            "problems": len(self.problems),
        }

    def field_columns(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for header, name in self.mapping.items():
            if name:
                out.setdefault(name, []).append(header)
        return out


@dataclass
class Outcome:
    """What :func:`commit` did."""

    run: ImportRun
    written: dict[str, int]
    imported: int
    pending: int  # this run's rows still pending when commit returned
    resolved: int = 0  # earlier runs' pending rows this import completed
    settled: int = 0  # this run's own rows kept pending, then completed before commit returned
    # the file's rows already pending from an earlier import of the same cells (not kept twice)
    already_pending: frozenset[int] = frozenset()
    # open pending rows of earlier imports this file's rows replaced (the same record's key)
    replaced_pending: int = 0
    # the file's row numbers still pending when commit returned (its own and already_pending)
    waiting: frozenset[int] = frozenset()

    @property
    def status(self) -> str:
        return self.run.status


# --- headers ------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A header cell as a column name; a date cell (Excel turns a typed 24-06-2025 into one) as
    the date written the Indonesian way, with its time only when it has one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y" if value.time() == time(0) else "%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return " ".join(str(value).split())


def _header_text(value: Any) -> str:
    """A header cell as a column name (:func:`_cell_text`), a name spaced out read whole."""
    return _unspaced(_cell_text(value))


# "N I P", "J K", "T.T.L": a header written letter by letter, as official tables space it
_LETTER_SPACED = re.compile(r"(?:[A-Za-z][ .]+)+[A-Za-z]\.?")


def _unspaced(text: str) -> str:
    """A header written letter by letter as its word ("N I P" → "NIP"); any other unchanged."""
    if _LETTER_SPACED.fullmatch(text):
        return "".join(ch for ch in text if ch.isalpha())
    return text


def _known_keys(declaration: Declaration) -> set[str]:
    keys: set[str] = set()
    for f in declaration.fields:
        keys |= f.alias_keys()
        keys.add(normalise_text(f.name))
    for source in declaration.sources:
        keys |= {normalise_text(s) for s in source.signature}
        for aliases in source.aliases.values():
            keys |= {normalise_text(a) for a in aliases}
    return keys


def _row_score(cells: list[Any], declaration: Declaration, known: set[str]) -> int:
    score = 0
    for cell in cells:
        if not isinstance(cell, str) or not cell.strip():
            continue
        norm = normalise_text(_unspaced(cell.strip()))
        if norm in known or any(
            f.pattern and re.search(f.pattern, norm) for f in declaration.fields
        ):
            score += 1
    return score


def _is_subheader(header: list[Any], below: list[Any], after: list[Any] | None) -> bool:
    """A second header row: text or date cells only (a day's column may be headed by its date),
    under gaps of a merged cell above (``TANDA TANGAN`` over ``HARI I … HARI III``)."""
    texts = [c for c in below if c is not None]
    if not texts or not all(isinstance(c, str | date) for c in texts):
        return False
    under_gap = any(
        below[i] is not None and (i >= len(header) or header[i] is None) for i in range(len(below))
    )
    if not under_gap:
        return False
    if after is None:
        return True
    # the data row that follows holds at least one non-text value or more cells
    return sum(c is not None for c in after) >= len(texts)


def find_header(rows: list[list[Any]], declaration: Declaration) -> tuple[int, list[str], int]:
    """(index of the header row, its column names, index of the first data row)."""
    best = _header_index(rows, declaration)
    if best > 0 and _is_subheader(rows[best - 1], rows[best], _row_after(rows, best)):
        known = _known_keys(declaration)
        if _row_score(rows[best - 1], declaration, known):
            # the lower row of a two-row header named more columns (U1 … U9 under "NILAI
            # UNSUR"), but the row above heads the columns merged down over both rows
            best -= 1
    header = rows[best]
    first_data = best + 1
    names = [_header_text(c) for c in header]
    if first_data < len(rows):
        below = rows[first_data]
        after = rows[first_data + 1] if first_data + 1 < len(rows) else None
        if _is_subheader(header, below, after):
            names = _merged_names(header, below)
            first_data += 1
    return best, _unique_names(names), first_data


def _row_after(rows: list[list[Any]], index: int) -> list[Any] | None:
    return rows[index + 1] if index + 1 < len(rows) else None


def _header_index(rows: list[list[Any]], declaration: Declaration) -> int:
    """The row among the first HEADER_SEARCH_ROWS naming the most known columns."""
    known = _known_keys(declaration)
    best, best_score = -1, 0
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _row_score(cells, declaration, known)
        if score > best_score:
            best, best_score = i, score
    if best < 0:
        # nothing recognised: the first row with at least two text cells
        for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if sum(isinstance(c, str) and bool(c.strip()) for c in cells) >= 2:
                best = i
                break
    if best < 0:
        best = 0
    return best


def _merged_names(header: list[Any], below: list[Any]) -> list[str]:
    """The column names of a header over a subheader: "TOP / SUB", a subheader cell under a
    merged cell's gap taking the merged cell's text as its parent."""
    parent = ""
    merged: list[str] = []
    for i in range(max(len(header), len(below))):
        top = _header_text(header[i]) if i < len(header) else ""
        sub = _header_text(below[i]) if i < len(below) else ""
        if top:
            parent = top
        elif not sub:
            parent = ""
        if top and sub:
            merged.append(f"{top} / {sub}")
        elif sub:
            merged.append(f"{parent} / {sub}" if parent else sub)
        else:
            merged.append(top)
    return merged


def _unique_names(names: list[str]) -> list[str]:
    """Unique names: a repeated header gets " (2)", an empty one "Kolom N"."""
    seen: dict[str, int] = {}
    unique: list[str] = []
    for i, name in enumerate(names):
        name = name or f"Kolom {_column_letter(i)}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        unique.append(name)
    return unique


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def recognise_source(declaration: Declaration, headers: Iterable[str]) -> Source | None:
    headers = list(headers)
    scored = [(s.score(headers), s) for s in declaration.sources]
    scored = [(score, s) for score, s in scored if score >= 0.6]
    if not scored:
        return None
    return max(scored, key=lambda t: t[0])[1]


def _another_import(declaration: Declaration, headers: list[str]) -> list[str]:
    """A note when the file is plainly another import's export (the LAPOR! export uploaded as
    pre/post-test scores): its headers carry most of that source's signature."""
    best: tuple[float, Declaration, Source] | None = None
    for other in declarations():
        if other.key == declaration.key:
            continue
        for source in other.sources:
            score = source.score(headers)
            if score >= ANOTHER_IMPORT_SCORE and (best is None or score > best[0]):
                best = (score, other, source)
    if best is None:
        return []
    _score, other, source = best
    return [
        _(
            "Berkas ini tampaknya {source}, yaitu berkas untuk impor {other}, bukan {this}. Bila "
            "benar, batalkan lalu pilih impor {other}."
        ).format(source=source.label, other=other.label, this=declaration.label)
    ]


def _fits(declaration: Declaration, mapping: Mapping[str, str]) -> bool:
    """Whether the file's columns are plainly this import's own, whatever other export they
    resemble (a score recap headed "No., NIP, Nama, Unit Kerja, Pretest, Posttest, Ket." is
    much like the panitia's attendance list): every required field and at least half of the
    fields have a column."""
    mapped = set(mapping.values()) - {IGNORE}
    fields = [f for f in declaration.fields if not f.many]
    if any(f.required and f.name not in mapped for f in fields):
        return False
    return 2 * sum(f.name in mapped for f in fields) >= len(fields)


# how much of another import's source signature a file must carry to be named as that export
ANOTHER_IMPORT_SCORE = 0.8


def auto_mapping(
    declaration: Declaration,
    headers: list[str],
    source: Source | None,
    remembered: dict[str, str] | None = None,
) -> dict[str, str]:
    """header → field name ("" = ignored), from the remembered mapping, the source's aliases,
    then the fields' aliases and patterns. A single-valued field takes one column."""
    mapping = dict.fromkeys(headers, IGNORE)
    taken: set[str] = set()
    fields = {f.name: f for f in declaration.fields}
    kept = [
        (header, name)
        for header, name in (remembered or {}).items()
        if header in mapping and name in fields
    ]
    # the first candidate for a header wins, and for a single-valued field the first header
    for header, name in chain(
        kept,
        _source_alias_matches(source, headers),
        _field_alias_matches(declaration, headers),
        _field_pattern_matches(declaration, headers),
        _subheader_matches(declaration, headers),
    ):
        f = fields.get(name)
        if f is None or mapping.get(header):
            continue
        if not f.many and name in taken:
            continue
        mapping[header] = name
        taken.add(name)
    return mapping


def _source_alias_matches(source: Source | None, headers: list[str]) -> Iterator[tuple[str, str]]:
    """(header, field name) for the headers the recognised source names by an alias."""
    if source is None:
        return
    for name, aliases in source.aliases.items():
        keys = {normalise_text(a) for a in aliases}
        for header in headers:
            if normalise_text(header) in keys:
                yield header, name


def _field_alias_matches(declaration: Declaration, headers: list[str]) -> Iterator[tuple[str, str]]:
    """(header, field name) for the headers that are a field's name or one of its aliases; of
    several for a single-valued field, in the order of the field's aliases (its most specific
    first: a recap's "Unit Kerja" before its "Instansi", which names the Pemda), then of the
    file."""
    keys = [normalise_text(h) for h in headers]
    for f in declaration.fields:
        rank = {normalise_text(f.name): 0, normalise_text(f.label): 1}
        for n, alias in enumerate(f.aliases, start=2):
            rank.setdefault(normalise_text(alias), n)
        found = [
            (0 if f.many else rank[key], position)  # a many-valued field keeps the file's order
            for position, key in enumerate(keys)
            if key in rank
        ]
        for _rank, position in sorted(found):
            yield headers[position], f.name


def _field_pattern_matches(
    declaration: Declaration, headers: list[str]
) -> Iterator[tuple[str, str]]:
    """(header, field name) for the headers a field's pattern finds."""
    for f in declaration.fields:
        if f.pattern:
            for header in headers:
                if re.search(f.pattern, normalise_text(header)):
                    yield header, f.name


def _subheader_matches(declaration: Declaration, headers: list[str]) -> Iterator[tuple[str, str]]:
    """(header, field name) for the columns of a two-row header ("NILAI UNSUR PELAYANAN / U1")
    whose full name no field knows, by the name under the merged cell alone ("U1")."""
    subs: dict[str, list[str]] = {}
    for header in headers:
        if " / " in header:
            subs.setdefault(header.rsplit(" / ", 1)[1], []).append(header)
    names = list(subs)
    for sub, name in chain(
        _field_alias_matches(declaration, names), _field_pattern_matches(declaration, names)
    ):
        for header in subs[sub]:
            yield header, name


# --- rows ---------------------------------------------------------------------------------


def _data_rows(
    rows: list[list[Any]], first: int, width: int, lone: int | None = None
) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, str]]]:
    """(Excel row number, cells) of the data rows; and the skipped ones with why. A row of one
    cell is a note, unless that cell is in column ``lone`` (the declaration's
    ``lone_cell_field``) above any gap."""
    counts = [len(r) - r.count(None) for r in rows[first:]]
    typical = statistics.median([c for c in counts if c > 1] or [1])
    out: list[tuple[int, list[Any]]] = []
    skipped: list[tuple[int, str]] = []
    seen_gap = False
    for index in range(first, len(rows)):
        cells = rows[index]
        filled = counts[index - first]
        number = index + 1
        if not filled:
            if out:
                seen_gap = True
            continue
        if _is_summary(cells):
            skipped.append((number, _("baris jumlah/rata-rata")))
            continue
        if filled == 1 and width > 2 and not _lone_data(cells, lone, seen_gap):
            skipped.append((number, _("baris catatan (satu sel)")))
            continue
        if seen_gap and filled < typical / 2:
            skipped.append((number, _("catatan atau tanda tangan di bawah tabel")))
            continue
        if len(cells) == width:
            out.append((number, cells))  # read only (zipped with the headers)
        elif len(cells) > width:
            out.append((number, list(cells[:width])))
        else:
            out.append((number, [*cells, *[None] * (width - len(cells))]))
    return out, skipped


def _lone_data(cells: list[Any], lone: int | None, seen_gap: bool) -> bool:
    return lone is not None and not seen_gap and lone < len(cells) and cells[lone] is not None


_SUMMARY_PREFIXES = tuple(w + " " for w in SUMMARY_WORDS)
_SUMMARY_LONGEST = max(len(p) for p in _SUMMARY_PREFIXES)


def _is_summary(cells: list[Any]) -> bool:
    """Does the row's text (its text cells normalised and joined) read "Jumlah …", "Total …"?

    Only the text's first few characters can decide, so the cells are normalised until the
    text is longer than the longest summary word and its space (one cell in a typical row)."""
    parts: list[str] = []
    length = -1
    for cell in cells:
        if isinstance(cell, str):
            part = normalise_text(cell)
            parts.append(part)
            length += len(part) + 1
            if length > _SUMMARY_LONGEST:
                # longer than any summary word: only "<word> …" can match
                return " ".join(parts).startswith(_SUMMARY_PREFIXES)
    text = " ".join(parts)
    return text in SUMMARY_WORDS or text.startswith(_SUMMARY_PREFIXES)


class _Refused(NamedTuple):
    """A cell value a field refused: the message and the accepted values."""

    message: str
    accepted: tuple[str, ...]


class _Blank:
    """A blank cell (None, spaces only, or a lone dash: :func:`values.is_blank`)."""


_BLANK = _Blank()
# What a field's parse may return and a column's cache may share between rows (immutable).
_SHAREABLE = frozenset(
    {str, int, float, bool, type(None), Decimal, date, datetime, time, NipValue, _Refused, _Blank}
)
# Distinct values remembered per column: SIASN repeats unit names, golongan, birth dates; a
# column of NIPs or names repeats nothing and stops growing its cache here.
_CACHE_LIMIT = 20_000
_MISSING = object()


@dataclass(eq=False)
class _FieldReader:
    """One field of the declaration as the file is read: its column(s) and vocabulary,
    resolved once per file."""

    field: Field
    name: str
    headers: list[str]
    header: str  # single-valued fields: the mapped column, "" when none
    vocabulary: Any

    def column(self, header: str, raws: Iterable[Any], rows: list[Row], ctx: Context) -> list[Any]:
        """The values of one column's cells (``raws``, in the order of ``rows``); a refused
        value or a blank required one is None with the problem added to its row. A text cell
        seen before in the column takes the value (or the refusal) it gave then."""
        cells = raws if isinstance(raws, list) else list(raws)
        order = ctx.slashed_orders.get(header)
        if order is None:
            order = slashed_order(cells)
        month_first = order == "month" or (order == "either" and bool(ctx.month_first_file))
        if order == "month":
            ctx.month_first.add(header)
            ctx.notes.append(
                _(
                    "Kolom {header} ditulis bulan/tanggal/tahun (pengaturan wilayah AS, mis. "
                    "4/15/2025): tanggalnya dibaca demikian."
                ).format(header=header)
            )
        elif month_first:
            ctx.month_first.add(header)
            ctx.notes.append(
                _(
                    "Tanggal kolom {header} dapat dibaca dua arah; dibaca bulan/tanggal/tahun "
                    "seperti kolom {other} di berkas yang sama."
                ).format(header=header, other=ctx.month_first_file)
            )
        with reading_month_first(month_first):
            return self._values(header, cells, rows, ctx)

    def _values(self, header: str, raws: list[Any], rows: list[Row], ctx: Context) -> list[Any]:
        f = self.field
        must = f.required and not f.many
        required = _("Wajib diisi.")
        cache: dict[str, Any] = {}
        out: list[Any] = []
        append = out.append
        for row, raw in zip(rows, raws, strict=True):
            if raw.__class__ is str:
                value = cache.get(raw, _MISSING)
                if value is _MISSING:
                    value = _BLANK if is_blank(raw) else self.convert(raw, ctx)
                    if len(cache) < _CACHE_LIMIT and value.__class__ in _SHAREABLE:
                        cache[raw] = value
            elif is_blank(raw):
                value = _BLANK
            else:
                value = self.convert(raw, ctx)
            if value is _BLANK:
                if must:
                    row.problems.append(Problem(row.number, header, self.name, raw, required))
                value = None
            elif value.__class__ is _Refused:
                row.problems.append(
                    Problem(row.number, header, self.name, raw, value.message, value.accepted)
                )
                value = None
            append(value)
        return out

    def convert(self, raw: Any, ctx: Context) -> Any:
        """A non-blank cell through the vocabulary and the parser; a refusal as _Refused."""
        f = self.field
        value = raw.strip() if isinstance(raw, str) else raw
        try:
            if self.vocabulary is not None:
                value = self.vocabulary.translate(value)
            if f.parse is not None:
                value = f.parse(value, ctx)
        except FieldError as exc:
            return _Refused(exc.message, exc.accepted)
        except (ValueError, TypeError, ArithmeticError):
            return _Refused(
                _("Nilai {value} tidak dapat dibaca sebagai {label}.").format(
                    value=repr(_cell_text(raw)), label=str(f.label).lower()
                ),
                (),
            )
        return value


def _field_readers(
    columns: dict[str, list[str]], declaration: Declaration, ctx: Context
) -> list[_FieldReader]:
    source_vocab = ctx.source.vocabularies if ctx.source is not None else {}
    readers = []
    for f in declaration.fields:
        headers = list(columns.get(f.name, []))
        readers.append(
            _FieldReader(
                field=f,
                name=f.name,
                headers=headers,
                header=headers[0] if headers else "",
                vocabulary=source_vocab.get(f.name) or f.vocabulary,
            )
        )
    return readers


def _evaluate_rows(
    rows: list[Row],
    readers: list[_FieldReader],
    ctx: Context,
    grid: Mapping[str, Sequence[Any]] | None = None,
) -> None:
    """Every field of every row parsed: ``row.columns``, ``row.values`` and the problems (a
    required field left blank, a value refused), each row's in the declaration's field order.

    Column by column: ``grid`` (header → the column's cells, in the order of ``rows``) when the
    caller has it, else each row's cells; the rows' dicts are filled in one pass at the end."""

    def cells_of(header: str) -> Sequence[Any]:
        if grid is not None:
            found = grid.get(header)
            return found if found is not None else [None] * len(rows)
        return [row.cells.get(header) for row in rows]

    orders = {
        header: slashed_order(cells_of(header))
        for reader in readers
        for header in _headers_of(reader)
    }
    ctx.slashed_orders, ctx.month_first_file = orders, _month_first_file(orders)
    names: list[str] = []
    parsed: list[Sequence[Any]] = []
    for reader in readers:
        names.append(reader.name)
        if reader.field.many:
            per_header = [
                reader.column(header, cells_of(header), rows, ctx) for header in reader.headers
            ]
            parsed.append(
                [list(values) for values in zip(*per_header, strict=True)]
                if per_header
                else [[] for _row in rows]
            )
        elif reader.header:
            parsed.append(reader.column(reader.header, cells_of(reader.header), rows, ctx))
        else:
            parsed.append([None] * len(rows))
    single = {r.name: r.header for r in readers if not r.field.many}
    many = [(r.name, r.headers) for r in readers if r.field.many]
    for row, values in zip(rows, zip(*parsed, strict=True), strict=True):
        row.columns.update(single)
        for name, headers in many:
            row.columns[name] = list(headers)
        row.values.update(zip(names, values, strict=True))


def _headers_of(reader: _FieldReader) -> list[str]:
    if reader.field.many:
        return reader.headers
    return [reader.header] if reader.header else []


def _month_first_file(orders: Mapping[str, str]) -> str:
    """The first column whose slashed dates are plainly month first, when none is plainly day
    first ("" otherwise), from each column's :func:`slashed_order`: a file's dates are written
    by one locale, so its columns whose dates read both ways (a LAPOR! recap's closing dates,
    all on days up to 12) are read as it is. Where columns disagree, each is read in its own
    order."""
    if "day" in orders.values():
        return ""
    return next((header for header, order in orders.items() if order == "month"), "")


def _limits() -> Limits:
    return Limits(
        max_file_bytes=int(getattr(settings, "KOMPETEN_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)),
        max_cells=int(getattr(settings, "KOMPETEN_IMPORT_MAX_CELLS", 6_000_000)),
        child_memory_bytes=int(
            getattr(settings, "KOMPETEN_IMPORT_MEMORY_BYTES", 1024 * 1024 * 1024)
        ),
        child_seconds=float(getattr(settings, "KOMPETEN_IMPORT_SECONDS", 60)),
    )


def read(data: bytes, filename: str, sheet: str | None = None) -> RawTable:
    """read_file with the limits from the settings."""
    return read_file(data, filename, sheet=sheet, limits=_limits())


def read_for(
    declaration: Declaration,
    data: bytes,
    filename: str,
    sheet: str | None = None,
    instansi: Instansi | None = None,
) -> RawTable:
    """The sheet named, else the sheet that holds this import's table: the sheet whose header
    names the most required columns (then the most known columns; the earlier sheet on a tie),
    with the instansi's remembered mappings. A hidden sheet is read unnamed only when no
    visible sheet holds the table (see :func:`_sheet_rank`). Exports often put a summary sheet
    (a rekap, a petunjuk, a chart) before the data; only workbooks of several sheets are read
    more than once. The other sheets with the same header are named in ``alike``: a year
    exported as one sheet a semester is never read as half a year without saying so; the
    hidden ones apart, in ``hidden_alike``, never offered for import."""
    table = read(data, filename, sheet)
    if sheet or len(table.sheet_names) < 2:
        return table
    tables = [table]
    for name in table.sheet_names:
        if name == table.sheet:
            continue
        try:
            tables.append(read(data, filename, name))
        except ReadError:
            continue  # an empty or unreadable sheet holds no table
    ranks = [_sheet_rank(declaration, t, instansi) for t in tables]
    # the best rank; the earlier sheet on a tie (the first read is the first visible sheet)
    best = tables[max(range(len(tables)), key=lambda i: (ranks[i], -i))]
    alike = _alike(declaration, best, [t for t in tables if t is not best])
    best.alike = [a for a in alike if a[0] not in best.hidden_sheets]
    best.hidden_alike = [a for a in alike if a[0] in best.hidden_sheets]
    return best


def _sheet_rank(
    declaration: Declaration, table: RawTable, instansi: Instansi | None
) -> tuple[bool, int, int]:
    """(holds the table, required fields, all fields) of a sheet, the best one read. A person
    opening the workbook sees its visible sheets only: a hidden one is an older draft more
    often than not, and may well name more columns than the corrected copy. So a visible sheet
    that names a required column (for an import with none, any known column) comes before
    every hidden sheet; a hidden sheet is read only when no visible one does (its notes say)."""
    required, mapped = _sheet_score(declaration, table, instansi)
    has_required = any(f.required for f in declaration.fields)
    holds = table.sheet not in table.hidden_sheets and bool(required if has_required else mapped)
    return holds, required, mapped


def _alike(
    declaration: Declaration, table: RawTable, others: list[RawTable]
) -> list[tuple[str, int]]:
    """The sheets among ``others`` whose header row is ``table``'s, with their data rows."""
    _index, headers, _first = find_header(table.rows, declaration)
    wanted = [normalise_text(h) for h in headers if h]
    found = []
    for other in sorted(others, key=lambda t: table.sheet_names.index(t.sheet)):
        _index, names, first = find_header(other.rows, declaration)
        if [normalise_text(h) for h in names if h] == wanted:
            data_rows, _skipped = _data_rows(other.rows, first, len(names))
            if data_rows:
                found.append((other.sheet, len(data_rows)))
    return found


def _sheet_score(
    declaration: Declaration, table: RawTable, instansi: Instansi | None
) -> tuple[int, int]:
    """(required fields, all fields) the sheet's header row gives a column to."""
    _index, headers, _first = find_header(table.rows, declaration)
    source = recognise_source(declaration, headers)
    remembered = remembered_mapping(instansi, declaration.key, source) if instansi else {}
    mapped = set(auto_mapping(declaration, headers, source, remembered).values())
    mapped.discard(IGNORE)
    return sum(f.required and f.name in mapped for f in declaration.fields), len(mapped)


def remembered_mapping(instansi: Instansi, key: str, source: Source | None) -> dict[str, str]:
    found = ImportMapping.objects.filter(
        instansi=instansi, declaration=key, source=source.key if source else ""
    ).first()
    return dict(found.mapping) if found is not None else {}


@gc_paused()
def _filled_down(the_plan: Plan, ctx: Context, table: RawTable, first_data: int) -> list[list[Any]]:
    """The table's rows with each cell merged down over data rows given to every row it spans,
    as a reader of the sheet sees it (an OPD's name merged down its employees, a unit's N down
    its nine unsur); the note names the columns. The rows read are not changed."""
    rows = table.rows
    filled: dict[int, int] = {}
    for first, column, last in table.merged_down:
        if first < first_data or column >= len(the_plan.headers) or first >= len(rows):
            continue  # in the header, or beyond the table's columns
        value = rows[first][column] if column < len(rows[first]) else None
        if value is None:
            continue
        if not filled:
            rows = list(rows)
        for index in range(first + 1, min(last, len(rows) - 1) + 1):
            row = rows[index] = list(rows[index])
            row.extend([None] * (column + 1 - len(row)))
            if row[column] is None:
                row[column] = value
                filled[column] = filled.get(column, 0) + 1
    if filled:
        ctx.notes.append(
            _(
                "Sel yang digabung ke bawah dibaca sebagai nilai setiap baris yang digabungnya: "
                "kolom {columns}."
            ).format(columns=", ".join(the_plan.headers[c] for c in sorted(filled)))
        )
    return rows


# how many row numbers a note names before it says how many more
NAMED_ROWS_MOST = 10


def _warn_hidden_rows(rows: list[Row], ctx: Context, hidden: Sequence[int]) -> None:
    """Rows hidden in the sheet (by hand, a filter or a collapsed outline) are in the file and
    are read; each says so on the preview, and a note names them, so that a list filtered down
    to one OPD is not imported whole unseen."""
    if not hidden:
        return
    numbers = {index + 1 for index in hidden}
    found = [row for row in rows if row.number in numbers]
    for row in found:
        row.warn(_("Baris ini tersembunyi di lembar kerja (disembunyikan atau tersaring)."))
    if not found:
        return
    named = ", ".join(str(row.number) for row in found[:NAMED_ROWS_MOST])
    if len(found) > NAMED_ROWS_MOST:
        named = _("{rows} dan {n} lainnya").format(rows=named, n=len(found) - NAMED_ROWS_MOST)
    ctx.notes.append(
        _(
            "{n} baris data tersembunyi di lembar kerja (disembunyikan atau tersaring filter) "
            "ikut dibaca: baris {rows}. Bila baris itu tidak untuk diimpor, {how}."
        ).format(
            n=len(found),
            rows=named,
            how=_("hapus dari berkas lalu jalankan lagi")
            if ctx.command_line
            else _("hapus dari berkas lalu unggah lagi"),
        )
    )


def _read_rows(
    the_plan: Plan,
    ctx: Context,
    table: RawTable,
    first_data: int,
    columns: dict[str, list[str]],
) -> dict[str, Sequence[Any]]:
    """The plan's data rows and skipped rows, from the rows read from the file, with the cells
    merged down filled in and moved about by the declaration's ``reshape_rows``; returns the
    cells column by column as well, for parsing (header → the column's cells; data rows are
    padded to the headers)."""
    headers, declaration = the_plan.headers, the_plan.declaration
    cells = _filled_down(the_plan, ctx, table, first_data)
    index = {header: position for position, header in enumerate(headers)}
    positions = {name: [index[h] for h in found] for name, found in columns.items()}
    lone = positions.get(declaration.lone_cell_field)
    data_rows, the_plan.skipped_rows = _data_rows(
        cells, first_data, len(headers), lone[0] if lone else None
    )
    declaration.reshape_rows(data_rows, positions)
    the_plan.rows = [Row(number=n, cells=Cells(index, row)) for n, row in data_rows]
    _warn_hidden_rows(the_plan.rows, ctx, table.hidden_rows)
    return dict(zip(headers, zip(*(row for _n, row in data_rows), strict=True), strict=False))


def plan(
    declaration: Declaration | str,
    data: bytes,
    filename: str,
    *,
    instansi: Instansi,
    user: User | None,
    options: dict[str, Any] | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    table: RawTable | None = None,
    command_line: bool = False,
    alike: Sequence[Sequence[Any]] = (),
    hidden_alike: Sequence[Sequence[Any]] = (),
) -> Plan:
    """Read and check the whole file; write nothing. Raises ReadError for an unreadable file.

    ``mapping`` (header → field name, "" to ignore a column) overrides the pre-filled mapping
    column by column. ``command_line`` words the messages for `kompeten import` (--map, not
    the mapping step). ``alike``, ``hidden_alike``: the other sheets with this table, as
    :func:`read_for` found them when the sheet was chosen (the wizard reads the chosen sheet
    again at each step).
    """
    if isinstance(declaration, str):
        declaration = get(declaration)
    if table is None:
        table = read_for(declaration, data, filename, sheet, instansi)
    header_index, headers, first_data = find_header(table.rows, declaration)
    source = recognise_source(declaration, headers)
    remembered = remembered_mapping(instansi, declaration.key, source)
    resolved = _as_asked(
        declaration, auto_mapping(declaration, headers, source, remembered), mapping
    )
    ctx = Context(
        instansi=instansi,
        user=user,
        options=dict(options or {}),
        source=source,
        declaration=declaration,
        command_line=command_line,
        filename=filename,
        sheet=table.sheet,
    )
    if source is None and not _fits(declaration, resolved):
        ctx.notes.extend(_another_import(declaration, headers))
    if table.sheet in table.hidden_sheets:
        ctx.notes.append(_hidden_sheet_note(table.sheet, command_line))
    the_plan = Plan(
        declaration=declaration,
        filename=filename,
        instansi=instansi,
        user=user,
        options=ctx.options,
        sheet=table.sheet,
        sheet_names=table.sheet_names,
        header_row=header_index + 1,
        headers=headers,
        mapping=resolved,
        source=source,
        ignored_columns=[h for h in headers if not resolved.get(h)],
        ctx=ctx,
        alike=table.alike or _sheet_counts(alike),
        hidden_alike=table.hidden_alike or _sheet_counts(hidden_alike),
    )
    columns = the_plan.field_columns()
    the_plan.file_problems.extend(
        _mapping_problems(declaration, mapping or {}, resolved, columns, ctx)
    )
    grid = _read_rows(the_plan, ctx, table, first_data, columns)
    rows = the_plan.rows
    if not rows:
        the_plan.file_problems.append(
            Problem(None, "", "", None, _("Berkas tidak berisi baris data di bawah judul kolom."))
        )
    if the_plan.file_problems:
        return the_plan
    _evaluate(rows, columns, declaration, ctx, grid)
    the_plan.file_problems.extend(Problem(None, "", "", None, m) for m in ctx.file_problems)
    return the_plan


def _as_asked(
    declaration: Declaration, resolved: dict[str, str], mapping: dict[str, str] | None
) -> dict[str, str]:
    """The mapping found, overridden column by column by the one asked for (a field of the
    declaration, or "" to ignore the column)."""
    fields = {f.name for f in declaration.fields}
    for header, name in (mapping or {}).items():
        if header in resolved and (name in fields or name == IGNORE):
            resolved[header] = name
    return resolved


def _sheet_counts(sheets: Sequence[Sequence[Any]]) -> list[tuple[str, int]]:
    """(name, data rows) of sheets kept by the wizard as JSON lists."""
    return [(str(a[0]), int(a[1])) for a in sheets]


def _hidden_sheet_note(sheet: str, command_line: bool) -> str:
    """The note for a hidden sheet read: named, or the only one holding the table."""
    return _(
        "Lembar kerja {sheet} yang dibaca tersembunyi di berkas ini (tidak tampak saat dibuka "
        "di Excel): pastikan memang lembar ini yang dimaksud, bukan salinan lama; {how}."
    ).format(
        sheet=repr(sheet),
        how=_("lembar lain dibaca dengan opsi --sheet")
        if command_line
        else _("untuk lembar lain, unggah lagi dengan nama lembarnya"),
    )


def _hidden_alike_notes(alike: Sequence[tuple[str, int]], command_line: bool) -> list[str]:
    """The notes naming the hidden sheets with the same table: said to be hidden and not
    imported, so that an older draft is never taken for another part of the table."""
    return [
        _(
            "Lembar kerja {sheet} tersembunyi (tidak tampak saat berkas dibuka di Excel) dan "
            "memuat tabel dengan judul kolom yang sama ({n} baris): lembar tersembunyi, "
            "biasanya salinan lama, tidak diimpor; {how}."
        ).format(
            sheet=repr(name),
            n=n,
            how=_(
                'bila memang perlu, impor lembar itu sendiri dengan opsi --sheet "{sheet}" '
                "(--all-sheets melewatinya)"
            ).format(sheet=name)
            if command_line
            else _("bila memang perlu, unggah lagi dengan nama lembar itu"),
        )
        for name, n in alike
    ]


def _alike_notes(alike: Sequence[tuple[str, int]], command_line: bool) -> list[str]:
    """The notes naming the workbook's other sheets with the same table, not read."""
    return [
        _(
            "Lembar kerja {sheet} memuat tabel dengan judul kolom yang sama ({n} baris) dan "
            "tidak ikut dibaca dalam impor ini: impor juga lembar itu ({how})."
        ).format(
            sheet=repr(name),
            n=n,
            how=_('opsi --sheet "{sheet}", atau --all-sheets').format(sheet=name)
            if command_line
            else _("setelah impor ini disimpan, lembar itu ditawarkan tanpa mengunggah lagi"),
        )
        for name, n in alike
    ]


def _mapping_problems(
    declaration: Declaration,
    asked: dict[str, str],
    resolved: dict[str, str],
    columns: dict[str, list[str]],
    ctx: Context,
) -> list[Problem]:
    """The file-level problems of the mapping: a column asked for that the file lacks, a
    single-valued field mapped to several columns, a required field mapped to none."""
    problems: list[Problem] = []
    for header, name in asked.items():
        if header not in resolved:
            problems.append(
                Problem(
                    None,
                    header,
                    name,
                    None,
                    _("Kolom {header} tidak ada di berkas.").format(header=repr(header)),
                )
            )
    for f in declaration.fields:
        if f.name in columns and not f.many and len(columns[f.name]) > 1:
            problems.append(
                Problem(
                    None,
                    ", ".join(columns[f.name]),
                    f.name,
                    None,
                    _("Beberapa kolom dipetakan ke {label}; pilih satu.").format(label=f.label),
                )
            )
    missing = [f for f in declaration.fields if f.required and f.name not in columns]
    for f in missing:
        problems.append(
            Problem(
                None,
                "",
                f.name,
                None,
                _("Kolom wajib {label} tidak ditemukan; {how}.").format(
                    label=f.label, how=ctx.how_to_map(f.name)
                ),
                tuple(f.aliases[:5]),
            )
        )
    return problems


def evaluate(
    rows: list[Row], columns: dict[str, list[str]], declaration: Declaration, ctx: Context
) -> None:
    """Parse every row's fields, then ``prepare`` and ``check_row`` on the rows that parsed.
    These are rows retried on their own (pending rows), not a file: what ``prepare`` finds
    wrong with the whole of them (``ctx.file_problems``) is each one's problem, so none is
    taken for clean and written unchecked."""
    _evaluate(rows, columns, declaration, ctx, None)
    for message in ctx.file_problems:
        for row in rows:
            if not row.problems:
                row.problem("", message)


def _evaluate(
    rows: list[Row],
    columns: dict[str, list[str]],
    declaration: Declaration,
    ctx: Context,
    grid: Mapping[str, Sequence[Any]] | None,
) -> None:
    _evaluate_rows(rows, _field_readers(columns, declaration, ctx), ctx, grid)
    parsed = [r for r in rows if not r.problems]
    ctx.lookups["rows"] = parsed
    declaration.prepare(ctx)
    if ctx.file_problems:
        return  # the file's own problem, said once, not on every row
    for row in parsed:
        declaration.check_row(row, ctx)


# --- commit -------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if value.__class__ is str:  # most cells, as they are
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, float) and value != value:
        return None
    return value


def _pending_message(row: Row) -> tuple[str, str]:
    if row.problems:
        text = "; ".join(
            f"{p.column}: {p.message}" if p.column else p.message for p in row.problems
        )
        return "problem", text
    return row.pending_reason, row.pending_message


@gc_paused()
def commit(the_plan: Plan, *, partial: bool = False) -> Outcome:
    """Write the plan. Without ``partial``: every row or nothing (PlanNotClean when any row has
    a problem or is pending). With ``partial``: the clean rows, the others kept as pending rows.
    One transaction; the mapping is remembered and an audit row written. Afterwards, pending
    rows of earlier imports of this instansi are retried (the new data may complete them)."""
    if the_plan.file_problems or not the_plan.rows:
        raise PlanNotClean(the_plan)
    if not partial and not the_plan.is_clean:
        raise PlanNotClean(the_plan)
    declaration = the_plan.declaration
    ctx = the_plan.ctx
    assert ctx is not None
    clean = the_plan.clean_rows
    kept = the_plan.pending_rows
    source_key = the_plan.source.key if the_plan.source else ""
    with transaction.atomic():
        run = ImportRun.objects.create(
            instansi=the_plan.instansi,
            user=the_plan.user if the_plan.user is not None and the_plan.user.pk else None,
            declaration=declaration.key,
            filename=the_plan.filename[:255],
            source=source_key,
            options={k: _jsonable(v) for k, v in _options_json(the_plan.options).items()},
            mapping=the_plan.mapping,
            headers=list(the_plan.headers),
            status=ImportRun.Status.PARTIAL if kept else ImportRun.Status.DONE,
        )
        ctx.run = run
        written = declaration.write(clean, ctx) if clean else {}
        already, replaced = _set_aside(run, kept, clean, ctx.month_first, declaration)
        skipped = sum(1 for r in clean if r.skipped)
        run.counts = _run_counts(the_plan, written, len(already), replaced)
        run.save(update_fields=["counts"])
        ImportMapping.objects.update_or_create(
            instansi=the_plan.instansi,
            declaration=declaration.key,
            source=source_key,
            defaults={"mapping": {h: f for h, f in the_plan.mapping.items() if f}},
        )
        audit.record(
            actor=the_plan.user,
            action="import.commit",
            obj=run,
            instansi=the_plan.instansi,
            summary=_("{label}: {filename}, {imported} baris diimpor, {pending} tertunda").format(
                label=declaration.label,
                filename=the_plan.filename,
                imported=len(clean) - skipped,
                pending=len(kept),
            ),
            after=run.counts,
        )
    resolved = retry_pending(the_plan.instansi, the_plan.user, exclude_run=run.pk)
    still = _still_waiting(run) if kept else frozenset()
    settled = len(kept) - len(already) - len(still)
    if settled:
        written = _recounted(run, declaration, written, ctx)
    return Outcome(
        run=run,
        written=written,
        imported=len(clean) - skipped,
        pending=len(still) + len(already),
        resolved=resolved,
        settled=settled,
        already_pending=frozenset(already),
        replaced_pending=replaced,
        waiting=still | already,
    )


def _run_counts(
    the_plan: Plan, written: dict[str, int], already: int, replaced: int
) -> dict[str, int]:
    """What a run stores of its rows: read, imported, kept pending; skipped as stored or as
    copies, already pending, replacing earlier pending rows (each only when there are any);
    and the declaration's own counts, as ``written_<label>``."""
    clean, kept = the_plan.clean_rows, the_plan.pending_rows
    skipped = sum(1 for r in clean if r.skipped)
    copies = sum(1 for r in clean if r.copy_of)
    counts = {
        "rows": len(the_plan.rows),
        "imported": len(clean) - skipped,
        "pending": len(kept) - already,
    }
    optional = {
        "skipped": skipped - copies,
        "copies": copies,
        "already_pending": already,
        "replaced_pending": replaced,
    }
    counts.update({key: n for key, n in optional.items() if n})
    counts.update({f"written_{k}": v for k, v in written.items()})
    return counts


def _recounted(
    run: ImportRun, declaration: Declaration, written: dict[str, int], ctx: Context
) -> dict[str, int]:
    """The declaration's counts once it has completed rows of its own it kept pending, stored
    on the run as well (its result page)."""
    recounted = declaration.recount(written, ctx)
    if recounted != written:
        run.counts.update({f"written_{k}": v for k, v in recounted.items()})
        run.save(update_fields=["counts"])
    return recounted


def waiting_rows(
    instansi_id: int,
    key: str,
    *,
    field: str = "",
    period: tuple[date, date] | None = None,
) -> int:
    """How many rows of imports of kind ``key`` still wait in the instansi (not yet counted by
    any page: their unit, person or competency is not there yet). With ``field`` and
    ``period``, only the rows whose cell of that field is a day in the period, or has no day
    that reads (it may belong to any period): a page for 2025 does not count 2024's rows."""
    rows = PendingRow.objects.filter(
        run__instansi_id=instansi_id, run__declaration=key, resolved_at__isnull=True
    )
    if not field or period is None:
        return rows.count()
    start, end = period
    # whole years (a page's year): the year written in the cell decides, without reading the
    # date (20,000 waiting rows: 0,29 s read as dates)
    whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    n = 0
    runs = ImportRun.objects.filter(pk__in=rows.values("run_id")).values_list("pk", "mapping")
    for run_id, mapping in runs:
        header = next((h for h, f in (mapping or {}).items() if f == field), None)
        of_run = rows.filter(run_id=run_id)
        if header is None:
            n += of_run.count()  # no date column: may be any period's
            continue
        # the one cell, taken out of the JSON by the database
        cells = of_run.annotate(cell=KeyTextTransform(header, "values"))
        for cell in cells.values_list("cell", flat=True).iterator():
            if whole_years and cell and len(years := _YEAR.findall(cell)) == 1:
                n += start.year <= int(years[0]) <= end.year
                continue
            day = _day_of(cell)
            n += day is None or start <= day <= end
    return n


_SERIAL = re.compile(r"\d+(?:\.\d+)?")
# a year as dates write it (2025 in "02/03/2025 09:00", "2025-03-02", "2 Maret 2025")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _day_of(cell: str | None) -> date | None:
    """The day a pending row's cell holds (as text: an Excel serial too), or None when it
    holds none that reads."""
    if is_blank(cell):
        return None
    assert cell is not None
    try:
        serial = float(cell) if _SERIAL.fullmatch(cell) else None
        return parse_moment(cell if serial is None else serial).date()
    except (ValueError, TypeError, OverflowError):
        return None


def _still_waiting(run: ImportRun) -> frozenset[int]:
    """The run's row numbers still pending: a declaration may settle some of its own once
    committed (a training list completing the NIPs Excel damaged retries its rows for those
    people)."""
    return frozenset(
        run.pending_rows.filter(resolved_at__isnull=True).values_list("row_number", flat=True)
    )


# the reason a pending row ends with when a later import's row of the same key replaced it
REPLACED = "replaced"


class Kept(NamedTuple):
    """What :func:`_keep_pending` did with the rows it was given."""

    already: set[int]  # row numbers already pending with the same cells: not kept twice
    replaced: set[int]  # ids of open pending rows of earlier imports of the same keys


class _Waiting(NamedTuple):
    """The open pending rows of earlier imports of this kind in the instansi."""

    cells: set[str]  # their cells as :func:`_cells_key` writes them (when asked for)
    by_key: dict[str, list[int]]  # their ids by :meth:`~Declaration.pending_key`


def _keep_pending(
    run: ImportRun,
    rows: list[Row],
    month_first: set[str],
    declaration: Declaration,
    waiting: _Waiting,
) -> Kept:
    """The rows as PendingRow (cells as JSON, the reason, the message, the declaration's
    :meth:`~Declaration.pending_key`), in row order; a date of a month-first column is kept as
    ``yyyy-mm-dd``, which a later retry of these rows alone (without the column's other dates
    to tell its order) cannot misread. A row whose cells are already pending from an earlier
    import of the same kind (the same file imported again) is not kept twice; an earlier open
    row with the same key but other cells (the record as another export writes it, or as it
    stood then) is resolved as replaced by this one.

    Plain INSERTs with the model fields' own conversion to database values: the ORM's
    bulk_create spends seconds building and preparing 100,000 model instances."""
    if not rows:
        return Kept(set(), set())
    meta = PendingRow._meta
    names = ("run", "row_number", "values", "reason", "message", "key")
    fields = [cast(ModelField, meta.get_field(name)) for name in names]
    run_field, number_field, values_field, reason_field, message_field, key_field = fields
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.get_attname_column()[1] or f.name) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from model metadata, values are parameters
    run_id = run_field.get_db_prep_save(run.pk, connection)
    already: set[int] = set()
    replaced: set[int] = set()
    params = []
    for row in rows:
        reason, message = _pending_message(row)
        cells = {
            h: _year_first(v) if h in month_first else _jsonable(v)
            for h, v in row.cells.items()
            if v is not None
        }
        if waiting.cells and _cells_key(cells) in waiting.cells:
            already.add(row.number)
            continue
        key = declaration.pending_key(row)[: key_field.max_length]
        if key:
            replaced.update(waiting.by_key.get(key, ()))
        params.append(
            [
                run_id,
                number_field.get_db_prep_save(row.number, connection),
                values_field.get_db_prep_save(cells, connection),
                reason_field.get_db_prep_save(reason, connection),
                message_field.get_db_prep_save(message, connection),
                key_field.get_db_prep_save(key, connection),
            ]
        )
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])
    return Kept(already, replaced)


def _set_aside(
    run: ImportRun,
    kept: list[Row],
    written: list[Row],
    month_first: set[str],
    declaration: Declaration,
) -> tuple[set[int], int]:
    """Keep ``kept`` as pending rows (:func:`_keep_pending`) and resolve the earlier imports'
    pending rows of the same records as replaced, by these rows or by ``written``: the row
    numbers already pending, and how many earlier rows were replaced."""
    waiting = _waiting(run, with_cells=bool(kept))
    already, replaced = _keep_pending(run, kept, month_first, declaration, waiting)
    replaced |= _written_over(written, declaration, waiting.by_key)
    return already, _resolve_replaced(run, replaced)


def _written_over(
    written: list[Row], declaration: Declaration, by_key: Mapping[str, list[int]]
) -> set[int]:
    """The open pending rows of earlier imports standing for a record this import has just
    written (the same :meth:`~Declaration.pending_key`): retried later, their older cells would
    overwrite the newer file's (a complaint "Proses" waiting for its unit, then written
    "Selesai" by a later export once the unit exists)."""
    if not by_key:
        return set()
    keys = {k for r in written if not r.skipped and (k := declaration.pending_key(r))}
    return {pk for key in keys & by_key.keys() for pk in by_key[key]}


def _resolve_replaced(run: ImportRun, ids: set[int]) -> int:
    """Resolve the pending rows ``ids`` as replaced by this run's rows; how many."""
    if not ids:
        return 0
    return PendingRow.objects.filter(pk__in=ids).update(
        reason=REPLACED, resolved_at=timezone.now(), resolved_by=run.user
    )


def _waiting(run: ImportRun, *, with_cells: bool) -> _Waiting:
    """The open pending rows of earlier imports of this kind in the instansi (one query; none
    at all on a first import): their ids by key, and their cells when rows are about to be kept
    pending (to keep none twice); without cells, only the rows that have a key are read."""
    rows = PendingRow.objects.filter(
        run__instansi_id=run.instansi_id,
        run__declaration=run.declaration,
        resolved_at__isnull=True,
    ).exclude(run_id=run.pk)
    cells: set[str] = set()
    by_key: dict[str, list[int]] = {}
    if with_cells:
        for pk, values, key in rows.values_list("pk", "values", "key"):
            cells.add(_cells_key(values))
            if key:
                by_key.setdefault(key, []).append(pk)
    else:
        for pk, key in rows.exclude(key="").values_list("pk", "key"):
            by_key.setdefault(key, []).append(pk)
    return _Waiting(cells, by_key)


def _cells_key(cells: Mapping[str, Any]) -> str:
    """A row's cells as comparable text: keys sorted, a whole float as the integer PostgreSQL's
    jsonb gives back (1.98109172013011e+17 is 198109172013011000 there)."""
    return json.dumps(
        {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in cells.items()},
        sort_keys=True,
        default=str,
    )


def _year_first(value: Any) -> Any:
    """A month-first date cell as ``yyyy-mm-dd[ HH:MM:SS]`` (Asia/Jakarta); anything else as
    it is."""
    if not isinstance(value, str):
        return _jsonable(value)
    with reading_month_first(True):
        try:
            moment = parse_moment(value)
        except ValueError:
            return value
    timed = re.search(r"\d[:.]\d{2}", value) is not None
    return moment.strftime("%Y-%m-%d %H:%M:%S" if timed else "%Y-%m-%d")


def _options_json(options: dict[str, Any]) -> dict[str, Any]:
    """Options as JSON: model instances by primary key."""
    out: dict[str, Any] = {}
    for key, value in options.items():
        pk = getattr(value, "pk", None)
        out[key] = pk if pk is not None else value
        if not isinstance(out[key], str | int | float | bool | type(None) | date | datetime):
            out[key] = str(out[key])
    return out


# --- pending rows -------------------------------------------------------------------------


def retry_pending(
    instansi: Instansi,
    user: User | None,
    *,
    key: str | None = None,
    ids: Iterable[int] | None = None,
    exclude_run: int | None = None,
) -> int:
    """Re-check open pending rows (of one declaration, or the given ids) with today's data and
    write those that are now clean, each run in its own transaction. Returns how many were
    completed."""
    from kompeten.core.importing.declare import _REGISTRY

    qs = PendingRow.objects.filter(run__instansi=instansi, resolved_at__isnull=True)
    if key is not None:
        qs = qs.filter(run__declaration=key)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if exclude_run is not None:
        qs = qs.exclude(run_id=exclude_run)
    by_run: dict[int, list[PendingRow]] = {}
    runs: dict[int, ImportRun] = {}
    for pending in qs.select_related("run"):
        by_run.setdefault(pending.run_id, []).append(pending)
        runs[pending.run_id] = pending.run
    done = 0
    for run_id, pendings in by_run.items():
        run = runs[run_id]
        declaration = _REGISTRY.get(run.declaration)
        if declaration is None:
            continue
        done += _retry_run(declaration, run, pendings, instansi, user)
    return done


def _retry_run(
    declaration: Declaration,
    run: ImportRun,
    pendings: list[PendingRow],
    instansi: Instansi,
    user: User | None,
) -> int:
    source = next((s for s in declaration.sources if s.key == run.source), None)
    options = declaration_options(declaration, run.options, instansi, user)
    if options is None:
        return 0
    ctx = Context(
        instansi=instansi,
        user=user,
        options=options,
        source=source,
        declaration=declaration,
        run=run,
        filename=run.filename,
    )
    columns: dict[str, list[str]] = {}
    for header, name in run.mapping.items():
        if name:
            columns.setdefault(name, []).append(header)
    rows = [Row(number=p.row_number, cells=dict(p.values)) for p in pendings]
    evaluate(rows, columns, declaration, ctx)
    by_number = {id(r): p for r, p in zip(rows, pendings, strict=True)}
    _restate_reasons(rows, by_number)
    clean = [r for r in rows if r.is_clean]
    if not clean:
        return 0
    try:
        with transaction.atomic():
            completed = declaration.resolve_pending(clean, ctx)
            now = timezone.now()
            ids = [by_number[id(r)].pk for r in completed]
            PendingRow.objects.filter(pk__in=ids).update(
                resolved_at=now, resolved_by=user if user is not None and user.pk else None
            )
            if ids:
                audit.record(
                    actor=user,
                    action="import.resolve",
                    obj=run,
                    instansi=instansi,
                    summary=_("{n} baris tertunda diselesaikan").format(n=len(ids)),
                )
    except ValidationError:
        return 0
    return len(completed)


def _restate_reasons(rows: list[Row], by_number: dict[int, PendingRow]) -> None:
    """A row that still waits says why it waits today (its cells edited, the tree changed):
    the pending list groups and offers "Tambah unit ini" by this reason, never by a stale one."""
    restated = []
    for row in rows:
        if row.is_clean:
            continue
        pending = by_number[id(row)]
        reason, message = _pending_message(row)
        if (reason, message) != (pending.reason, pending.message):
            pending.reason, pending.message = reason, message
            restated.append(pending)
    if restated:
        PendingRow.objects.bulk_update(restated, ["reason", "message"])


def declaration_options(
    declaration: Declaration, stored: dict[str, Any], instansi: Instansi, user: User | None
) -> dict[str, Any] | None:
    """Rebuild the cleaned options of a run from their JSON (None when no longer valid)."""
    if declaration.options_form is None:
        return dict(stored)
    form = declaration.options_form(data=stored, instansi=instansi, user=user)
    if not form.is_valid():
        return None
    return dict(form.cleaned_data)


def update_pending_values(pending: PendingRow, values: dict[str, Any]) -> None:
    """Replace a pending row's cells (edited by hand); the caller then retries it."""
    pending.values = {k: v for k, v in values.items() if not is_blank(v)}
    pending.save(update_fields=["values"])


# --- the problem workbook -----------------------------------------------------------------


def problem_workbook(the_plan: Plan) -> bytes:
    """Every problem and every pending row as an XLSX: row, column, value, problem, accepted."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("Masalah"))
    bold = book.add_format({"bold": True})
    heads = [_("Baris"), _("Kolom"), _("Nilai"), _("Masalah"), _("Nilai yang diterima")]
    for col, text in enumerate(heads):
        sheet.write_string(0, col, text, bold)
    line = 1
    entries: list[tuple[Any, str, Any, str, str]] = [
        (p.row, p.column, p.value, p.message, ", ".join(p.accepted)) for p in the_plan.problems
    ]
    for row in the_plan.rows:
        if row.pending_reason and not row.problems:
            entries.append(
                (row.number, "", "", _("Tertunda: {m}").format(m=row.pending_message), "")
            )
    entries.sort(key=lambda e: e[0] or 0)
    for number, column, value, message, accepted in entries:
        if number is None:
            sheet.write_string(line, 0, "")
        else:
            sheet.write_number(line, 0, number)
        sheet.write_string(line, 1, column)
        sheet.write_string(line, 2, "" if value is None else _cell_text(_jsonable(value)))
        sheet.write_string(line, 3, message)
        sheet.write_string(line, 4, accepted)
        line += 1
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 2, 24)
    sheet.set_column(3, 3, 70)
    sheet.set_column(4, 4, 40)
    book.close()
    return buffer.getvalue()


def describe_problem(p: Problem) -> str:
    """One line for a terminal or a ValidationError: 'Baris 12, kolom Status: … (diterima: …)'."""
    where = _("Baris {row}").format(row=p.row) if p.row is not None else _("Berkas")
    if p.column:
        where += ", " + _("kolom {column}").format(column=p.column)
    text = f"{where}: {p.message}"
    if p.value is not None and p.row is not None and not is_blank(p.value):
        text += " " + _("(nilai: {value})").format(value=_cell_text(p.value))
    if p.accepted and p.row is None and p.field and not p.column:
        # a required column the file lacks: what it offers are headers, not values
        text += " " + _("Judul kolom yang dikenali: {values}.").format(values=", ".join(p.accepted))
    elif p.accepted:
        text += " " + _("Nilai yang diterima: {values}.").format(values=", ".join(p.accepted))
    return text


__all__ = [
    "Outcome",
    "Plan",
    "PlanNotClean",
    "ReadError",
    "commit",
    "describe_problem",
    "plan",
    "problem_workbook",
    "retry_pending",
]
