"""Declaring an import: fields, the source systems' vocabularies, and the hooks that write.

An import is a subclass of :class:`Declaration` registered with :func:`register` in the owning
app's ``AppConfig.ready()``; the engine (``engine.py``) does the rest: reading, header row,
source recognition, mapping, parsing, problems, pending rows, the transaction and the audit row.
"""

from __future__ import annotations

import re
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.translation import gettext as _

from kompeten.core.importing.values import is_blank, normalise_text

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from kompeten.core.models import Instansi, User

    Label = str | _StrPromise
else:
    Label = str


class FieldError(ValueError):
    """A value refused by a field's ``parse``: an Indonesian message and the accepted values."""

    def __init__(self, message: str, accepted: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.accepted = tuple(str(a) for a in accepted)


@dataclass(frozen=True)
class Vocabulary:
    """A source's spellings of a value → the internal value. Matched after normalise_text;
    ``labels`` (internal value → label shown) defaults to the mapping's keys as accepted
    values."""

    name: Label
    mapping: Mapping[Any, Any]
    labels: Mapping[Any, Any] | None = None

    def accepted(self) -> tuple[str, ...]:
        if self.labels:
            return tuple(str(v) for v in self.labels.values())
        return tuple(self.mapping.keys())

    def translate(self, value: Any) -> Any:
        key = normalise_text(value)
        table = self._table()
        if key in table:
            return table[key]
        raise FieldError(
            _("Nilai {value} tidak dikenal untuk {name}.").format(
                value=repr(str(value).strip()), name=self.name
            ),
            accepted=self.accepted(),
        )

    def _table(self) -> dict[str, Any]:
        cached = getattr(self, "_cache", None)
        if cached is None:
            cached = {normalise_text(k): v for k, v in self.mapping.items()}
            object.__setattr__(self, "_cache", cached)
        return cached


@dataclass(frozen=True)
class Field:
    """One thing an import reads. ``aliases``: header spellings (after normalise_text);
    ``pattern``: a regex searched in the normalised header for families of columns
    (``r"^hari\\b"``, ``r"^u[1-9]$"``); ``many``: every matching column, as a list;
    ``parse(value, ctx)``: the non-blank cell → value, raising :class:`FieldError`."""

    name: str
    label: Label
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[Any, Context], Any] | None = None
    vocabulary: Vocabulary | None = None
    many: bool = False
    pattern: str | None = None
    help: Label = ""

    def matches(self, header: str) -> bool:
        norm = normalise_text(header)
        if norm and (norm == normalise_text(self.name) or norm in self.alias_keys()):
            return True
        return bool(self.pattern and norm and re.search(self.pattern, norm))

    def alias_keys(self) -> frozenset[str]:
        return frozenset(normalise_text(a) for a in (self.label, *self.aliases))


@dataclass(frozen=True)
class Source:
    """A source system's export: the headers that identify it (``signature``), its own header
    spellings per field (``aliases``) and value vocabularies per field."""

    key: str
    label: Label
    signature: tuple[str, ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    vocabularies: Mapping[str, Vocabulary] = field(default_factory=dict)

    def score(self, headers: Iterable[str]) -> float:
        """The share of the signature present among ``headers`` (0 when there is none)."""
        if not self.signature:
            return 0.0
        present = {normalise_text(h) for h in headers}
        wanted = [normalise_text(s) for s in self.signature]
        return sum(1 for w in wanted if w in present) / len(wanted)


@dataclass
class Context:
    """What every hook receives: the tenant, the user, the cleaned options, the recognised
    source, and ``lookups``, the declaration's own dict (filled in ``prepare``)."""

    instansi: Instansi
    user: User | None
    options: dict[str, Any]
    source: Source | None
    declaration: Declaration
    lookups: dict[str, Any] = field(default_factory=dict)
    run: Any = None  # the ImportRun during commit
    # where a long write reports how far it got (the CLI prints it on stderr), or None
    progress: Callable[[str], None] | None = None
    # what the reading decided for the whole file that the user should know (Indonesian)
    notes: list[str] = field(default_factory=list)
    # the headers of the columns read month first (US dates), see values.month_first_column
    month_first: set[str] = field(default_factory=set)
    # the header of a column plainly month first when no column is plainly day first: the
    # file's other slashed dates that read both ways are read as it is (one locale wrote them)
    month_first_file: str = ""
    # each mapped column's values.slashed_order, found before any column is read
    slashed_orders: dict[str, str] = field(default_factory=dict)
    # read for `kompeten import`, where there is no mapping step to point the user to
    command_line: bool = False
    # what ``prepare`` found wrong with the whole file (the day columns' dates outside the
    # batch): said once as the file's problem, and no row is checked (Indonesian)
    file_problems: list[str] = field(default_factory=list)
    # the file's name and the sheet read ("" for a CSV, and when pending rows are retried):
    # a file of one test is often named after it ("Pre Test … (Responses).csv", "POST TEST")
    filename: str = ""
    sheet: str = ""

    def how_to_map(self, field_name: str) -> str:
        """Where the user names the column of ``field_name``: the wizard's mapping step, or
        the command's --map option."""
        if self.command_line:
            return _('sebutkan kolomnya dengan --map "Judul Kolom={name}"').format(name=field_name)
        return _("pilih kolomnya di langkah pemetaan")


@dataclass(frozen=True)
class Problem:
    """One thing wrong: the Excel row (None for the whole file), the column header, the value,
    an Indonesian message and the accepted values."""

    row: int | None
    column: str
    field: str
    value: Any
    message: str
    accepted: tuple[str, ...] = ()


class Cells(Mapping[str, Any]):
    """A data row's cells by column header, read from the row's own list of cells through the
    file's one header → position index (a 100,000-row file builds no dict per row)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: Sequence[Any]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, header: str) -> Any:
        return self._values[self._index[header]]

    def get(self, header: str, default: Any = None) -> Any:
        position = self._index.get(header)
        return default if position is None else self._values[position]

    def __contains__(self, header: object) -> bool:
        return header in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def _as_dict(self) -> dict[str, Any]:
        values = self._values
        return {header: values[position] for header, position in self._index.items()}

    def keys(self) -> KeysView[str]:
        return self._index.keys()

    def items(self) -> ItemsView[str, Any]:
        return self._as_dict().items()

    def values(self) -> ValuesView[Any]:
        return self._as_dict().values()

    def __repr__(self) -> str:
        return repr(self._as_dict())


@dataclass
class Row:
    """One data row: ``number`` as Excel shows it, ``cells`` (header → raw cell, a dict or
    :class:`Cells`), ``values`` (field → parsed value; a list for ``many`` fields), ``columns``
    (field → header(s))."""

    number: int
    cells: Mapping[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    pending_reason: str = ""
    pending_message: str = ""
    warnings: list[str] = field(default_factory=list)
    result: Any = None  # free for the declaration (e.g. the object written)
    skipped: bool = False  # clean, but already stored: counted apart, written as nothing
    copy_of: int = 0  # skipped as a copy of this earlier row of the same file

    def problem(
        self, field_name: str, message: str, accepted: Iterable[str] = (), value: Any = None
    ) -> None:
        column = self.columns.get(field_name, "")
        if isinstance(column, list):
            column = ", ".join(column)
        if value is None:
            value = self.cells.get(column) if isinstance(column, str) else None
        self.problems.append(
            Problem(self.number, column, field_name, value, message, tuple(accepted))
        )

    def pending(self, reason: str, message: str) -> None:
        """Keep this row aside (never lost) to complete later: ``reason`` is a short code
        ("unit_unknown", "nip_damaged", "person_unknown"), ``message`` Indonesian."""
        self.pending_reason = reason
        self.pending_message = message

    def warn(self, message: str) -> None:
        """Import the row, and tell the user something they should check (e.g. a person matched
        by name because the written NIP matched no one). Shown on the preview, the result and
        the CLI's output."""
        self.warnings.append(message)

    def skip(self, message: str) -> None:
        """The row is already stored (the same file again, an overlapping export): it blocks
        nothing, ``write`` gets it with no ``result``, and the preview and the CLI count it
        apart from the rows to write, with ``message`` as its warning."""
        self.skipped = True
        self.warn(message)

    def skip_copy(self, first: int, message: str) -> None:
        """The row is a copy of row ``first`` of the same file (pasted twice): skipped as an
        already stored row is, but counted apart from those, as a copy."""
        self.skip(message)
        self.copy_of = first

    @property
    def is_clean(self) -> bool:
        return not self.problems and not self.pending_reason

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name, default)
        return default if value is None else value


class OptionsForm(forms.Form):
    """Base for a declaration's ``options_form``: built with the instansi and the user."""

    def __init__(self, *args: Any, instansi: Instansi, user: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instansi = instansi
        self.user = user


class Declaration:
    """Subclass and register. Class attributes: ``key``, ``label``, ``fields``, ``sources``,
    ``options_form``, ``description``, ``lone_cell_field``. Hooks: ``permission``,
    ``reshape_rows``, ``prepare``, ``check_row``, ``write`` (required), ``recount`` and
    ``resolve_pending``."""

    key: ClassVar[str] = ""
    label: ClassVar[Label] = ""
    description: ClassVar[Label] = ""
    fields: ClassVar[tuple[Field, ...]] = ()
    sources: ClassVar[tuple[Source, ...]] = ()
    options_form: ClassVar[type[OptionsForm] | None] = None
    #: a field whose column may be a row's only filled cell: such a row is data, where any
    #: other row of one cell is a note (a list of levels gives its top level a row of its own:
    #: SKPD filled, Unit Kerja blank)
    lone_cell_field: ClassVar[str] = ""

    def permission(self, user: User) -> bool:
        """May ``user`` run this import (in the browser, or as ``--user`` in the CLI)?"""
        return bool(user.is_authenticated and user.is_admin)

    def reshape_rows(
        self, rows: list[tuple[int, list[Any]]], positions: Mapping[str, list[int]]
    ) -> None:
        """Move values to the column they mean before the rows are parsed: ``rows`` are (Excel
        row number, cells), to change in place (a new cells list, never the read one);
        ``positions`` gives each field its columns' places in the cells. Default: as read."""

    def prepare(self, ctx: Context) -> None:
        """Bulk lookups into ``ctx.lookups`` before the rows are checked (never a query per
        row). ``ctx.lookups["rows"]`` holds the rows whose fields parsed cleanly."""

    def check_row(self, row: Row, ctx: Context) -> None:
        """Cross-field rules for a row whose fields parsed cleanly: call ``row.problem`` or
        ``row.pending``."""

    def write(self, rows: list[Row], ctx: Context) -> dict[str, int]:
        """Write the clean rows through the app's ``do_*`` actions, in bulk, inside the
        engine's transaction; return counts to show ({"pengaduan baru": 120}). Each key is a
        message id (marked with ``gettext_noop``), not a translated text: it is stored on the
        run and said in each reader's language by :meth:`count_label`."""
        raise NotImplementedError

    def count_label(self, key: str) -> str:
        """What a count ``write`` returned is called, in the active language. Default: the
        key's translation (a run stored before the keys were message ids shows its text)."""
        return _(key)

    def pending_key(self, row: Row) -> str:
        """What identifies the record a row stands for across files (a complaint's tracking
        number, however a file writes it), or "" when nothing does. A row kept pending replaces
        the open pending row of an earlier import with the same key, so a record exported
        twice waits once, with the later file's cells. Default: ""."""
        return ""

    def recount(self, written: dict[str, int], ctx: Context) -> dict[str, int]:
        """The counts ``write`` returned, said again once the import has completed rows it
        kept pending (``Outcome.settled``): a count that is a total of what the rows write
        into (a batch's attendance per day) is taken anew. Default: as they were."""
        return written

    def resolve_pending(self, rows: list[Row], ctx: Context) -> list[Row]:
        """Retry pending rows (rebuilt from their stored cells and re-checked by the engine:
        the rows given are the ones that are now clean). Default: write them; return those
        completed."""
        if rows:
            self.write(rows, ctx)
        return rows

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


_REGISTRY: dict[str, Declaration] = {}


def register(declaration: type[Declaration]) -> type[Declaration]:
    """Register a declaration class (also usable as a class decorator)."""
    if not declaration.key:
        raise ValueError("A declaration needs a key")
    _REGISTRY[declaration.key] = declaration()
    return declaration


def get(key: str) -> Declaration:
    """The registered declaration with ``key``; KeyError when there is none."""
    return _REGISTRY[key]


def declarations() -> list[Declaration]:
    return sorted(_REGISTRY.values(), key=lambda d: str(d.label))


def allowed_keys(user: Any) -> list[str]:
    """The keys of the imports ``user`` may run (and whose pending rows they see)."""
    return [d.key for d in declarations() if d.permission(user)]


def blank(value: Any) -> bool:
    return is_blank(value)
