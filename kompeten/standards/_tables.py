"""Shared machinery for the versioned regulation tables.

Every regulation number in :mod:`kompeten.standards` lives in a frozen dataclass ("table") that
carries the ``regulation`` it comes from, the date it is ``effective_from``, how sure we are of it
(``confidence``: "HIGH", "MED" or "LOW", as in DOMAIN.md) and its values; that head is
:class:`RegulationTable`, which the tables subclass. Tables whose facts are MED or LOW can be
edited by the admin: ``to_dict()`` / ``from_dict()`` let the Django side store them as JSON.
Exact numbers are serialised as strings so that nothing is lost on the way.

This module also holds :class:`LabelledStrEnum` (a value with its Indonesian label),
:class:`BandTable`, the "value → category" table used for the IKM intervals,
the IP ASN categories and the LAN trainer/organiser bands, and :func:`round_half_up`, the only
rounding in the package (categories are read on the value rounded as displayed).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, Field, dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import (
    Any,
    Literal,
    NoReturn,
    Self,
    SupportsFloat,
    SupportsIndex,
    TypeAlias,
    TypeVar,
    get_type_hints,
)

Confidence: TypeAlias = Literal["HIGH", "MED", "LOW"]
CONFIDENCE_LEVELS: tuple[Confidence, ...] = ("HIGH", "MED", "LOW")

Number: TypeAlias = int | float | Decimal | Fraction

K = TypeVar("K")
V = TypeVar("V")


def check_confidence(value: str) -> Confidence:
    """Return ``value`` if it is a confidence level, else raise ``ValueError``."""
    for level in CONFIDENCE_LEVELS:
        if value == level:
            return level
    raise ValueError(f"confidence must be one of {CONFIDENCE_LEVELS}, got {value!r}")


def to_fraction(value: Number | str | SupportsFloat | SupportsIndex) -> Fraction:
    """Convert a number to an exact :class:`~fractions.Fraction`.

    Floats (also numpy's) are read through their shortest ``repr`` (``0.1`` becomes exactly 1/10, ``88.305``
    exactly 88305/1000), which is what a person typing the number meant.
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number here")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):  # int, numpy integers
        return Fraction(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"number must be finite, got {value!r}")
        return Fraction(value)
    if isinstance(value, numbers.Real):  # float, numpy floats
        as_float = float(value)
        if not math.isfinite(as_float):
            raise ValueError(f"number must be finite, got {value!r}")
        return Fraction(repr(as_float))
    if isinstance(value, str):
        return Fraction(value.strip())
    raise TypeError(f"expected a number, got {type(value).__name__}")


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """Round ``value`` to ``places`` decimals, halves away from zero, exactly.

    ``round_half_up(2.675) == Decimal("2.68")``, where ``round(2.675, 2)`` gives 2.67 because the
    binary float is slightly below 2,675 (and ``round`` sends halves to even): this reads the float
    as written, then rounds exactly.
    """
    exact = to_fraction(value)
    scale = 10**places
    scaled = abs(exact) * scale
    units = math.floor(scaled + Fraction(1, 2))
    sign = -1 if exact < 0 else 1
    return Decimal(sign * units).scaleb(-places)


class LabelledStrEnum(StrEnum):
    """A :class:`~enum.StrEnum` whose members carry an Indonesian ``label``, declared with their
    value: ``JPT = "jpt", "Jabatan Pimpinan Tinggi"``.

    The member is its value (``JabatanGroup("jpt") is JabatanGroup.JPT``, ``== "jpt"``).
    ``__new__`` runs only while the class is created, once per member; ``label`` has a default
    there only so that type checkers accept a lookup by value, and a member declared without
    its label is refused.
    """

    _value_: str
    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        if not label:
            raise TypeError(f"{cls.__name__} member {value!r} needs its label")
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class FrozenDict(dict[K, V]):
    """A read-only dict: it compares and pickles like a dict but refuses changes (a
    ``MappingProxyType`` would not pickle, and tables and results may be cached)."""

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("this mapping is read-only")

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        return (FrozenDict, (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"


def freeze_mapping(mapping: Mapping[K, V]) -> Mapping[K, V]:
    """A read-only copy of ``mapping`` (for frozen dataclass fields)."""
    return FrozenDict(mapping)


def parse_date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


@dataclass(frozen=True)
class RegulationTable:
    """The head every regulation table starts with: the ``regulation`` its numbers come from, the
    date they are ``effective_from`` and how sure we are of them (``confidence``).

    A table subclasses it and adds its values as further fields. Values that are single ints,
    strings, booleans, decimals, fractions or dates need no code to be stored: the default
    :meth:`to_dict` / :meth:`from_dict` read the fields' declared types, so the stored form
    follows the declaration and cannot drift from it. A table with structured values (bands,
    mappings, rules) writes its own pair, starting with :meth:`head_dict` and
    :func:`head_from_dict`; the default refuses such a field with a ``TypeError`` rather than
    guess at a form that an admin's stored version would then be stuck with.
    """

    regulation: str
    effective_from: date
    confidence: Confidence

    def __post_init__(self) -> None:
        check_confidence(self.confidence)

    def _freeze_keyed(self, name: str, own_key: Callable[[Any], object], mismatch: str) -> None:
        """Make the mapping field ``name``, whose every entry is keyed by its own key, read-only.

        ``own_key`` reads an entry's key (its slug, status or kind); an entry keyed otherwise
        raises ``ValueError(mismatch)``, formatted with ``key`` and ``own`` (``"form keyed {key!r}
        has slug {own!r}"``).
        """
        mapping: Mapping[Any, Any] = getattr(self, name)
        for key, value in mapping.items():
            if key != own_key(value):
                raise ValueError(mismatch.format(key=key, own=own_key(value)))
        object.__setattr__(self, name, freeze_mapping(mapping))

    def head_dict(self) -> dict[str, Any]:
        """The head as ``to_dict()`` writes it (the date in ISO form)."""
        return {
            "regulation": self.regulation,
            "effective_from": self.effective_from.isoformat(),
            "confidence": self.confidence,
        }

    def to_dict(self) -> dict[str, Any]:
        """The table as JSON values: the head, then each value field in declaration order."""
        values = {
            f.name: write(getattr(self, f.name)) for f, (write, _) in _value_fields(type(self))
        }
        return {**self.head_dict(), **values}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """The table :meth:`to_dict` wrote; a field missing from ``data`` takes its default, if
        it has one, so that versions stored before the field existed still load."""
        values = {
            f.name: read(data[f.name])
            for f, (_, read) in _value_fields(cls)
            if f.name in data or (f.default is MISSING and f.default_factory is MISSING)
        }
        return cls(**head_from_dict(data), **values)


def head_from_dict(data: Mapping[str, Any]) -> dict[str, Any]:
    """The head's keyword arguments, read back from what :meth:`RegulationTable.head_dict` wrote."""
    return {
        "regulation": str(data["regulation"]),
        "effective_from": parse_date(data["effective_from"]),
        "confidence": check_confidence(data["confidence"]),
    }


def _as_is(value: Any) -> Any:
    return value


# How the default ``to_dict()`` / ``from_dict()`` write and read a value of each declared type.
_Codec: TypeAlias = tuple[Callable[[Any], Any], Callable[[Any], Any]]
_SCALARS: dict[object, _Codec] = {
    int: (_as_is, int),
    str: (_as_is, str),
    bool: (_as_is, bool),
    Decimal: (str, lambda stored: Decimal(str(stored))),
    Fraction: (str, Fraction),
    date: (date.isoformat, parse_date),
}


def _value_fields(table: type[RegulationTable]) -> list[tuple[Field[Any], _Codec]]:
    """The fields after the head, each with how it is written and read (the types through
    ``get_type_hints``: under ``from __future__ import annotations`` a field's ``type`` is text)."""
    hints = get_type_hints(table)
    found = []
    for f in fields(table):
        if f.name in ("regulation", "effective_from", "confidence") or not f.init:
            continue
        codec = _SCALARS.get(hints[f.name])
        if codec is None:
            raise TypeError(
                f"{table.__name__}.{f.name} is {hints[f.name]!r}, which the default to_dict() / "
                f"from_dict() cannot store: give {table.__name__} its own"
            )
        found.append((f, codec))
    return found


@dataclass(frozen=True)
class Band:
    """One category of a :class:`BandTable`: values from ``lower`` to ``upper`` (both inclusive,
    read on the value rounded to the table's ``places``)."""

    lower: Decimal
    upper: Decimal
    code: str
    label: str


@dataclass(frozen=True)
class BandTable(RegulationTable):
    """Categories by ranges of a score, read on the value rounded half-up to ``places`` decimals.

    The bands are ascending and contiguous on the rounding grid: each ``lower`` is the previous
    ``upper`` plus one unit of the last place (88,30 → 88,31). Categorising on the rounded value is
    what the SKM guideline prescribes and what a reader of a rounded report expects: a unit shown
    as "88,31" is graded A even if the unrounded value is 88,305.
    """

    bands: tuple[Band, ...]
    places: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.bands:
            raise ValueError("a band table needs at least one band")
        step = Decimal(1).scaleb(-self.places)
        previous: Band | None = None
        for band in self.bands:
            if band.lower > band.upper:
                raise ValueError(f"band {band.code!r}: lower {band.lower} > upper {band.upper}")
            for bound in (band.lower, band.upper):
                if bound != bound.quantize(step):
                    raise ValueError(
                        f"band {band.code!r}: {bound} has more than {self.places} places"
                    )
            if previous is not None and band.lower != previous.upper + step:
                raise ValueError(
                    f"bands {previous.code!r} and {band.code!r} are not contiguous: "
                    f"{previous.upper} then {band.lower}"
                )
            previous = band

    @property
    def minimum(self) -> Decimal:
        return self.bands[0].lower

    @property
    def maximum(self) -> Decimal:
        return self.bands[-1].upper

    def rounded(self, value: Number) -> Decimal:
        """The value as displayed: rounded half-up to ``places`` decimals."""
        return round_half_up(value, self.places)

    def categorise(self, value: Number) -> Band:
        """The band of ``value``, read on its rounded value; ``ValueError`` outside the table."""
        shown = self.rounded(value)
        for band in self.bands:
            if band.lower <= shown <= band.upper:
                return band
        raise ValueError(f"{shown} is outside the table's range {self.minimum}–{self.maximum}")

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head_dict(),
            "places": self.places,
            "bands": [
                {"lower": str(b.lower), "upper": str(b.upper), "code": b.code, "label": b.label}
                for b in self.bands
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BandTable:
        return cls(
            **head_from_dict(data),
            places=int(data.get("places", 2)),
            bands=tuple(
                Band(
                    lower=Decimal(str(b["lower"])),
                    upper=Decimal(str(b["upper"])),
                    code=str(b["code"]),
                    label=str(b["label"]),
                )
                for b in data["bands"]
            ),
        )


def make_bands(rows: Sequence[tuple[str, str, str, str]]) -> tuple[Band, ...]:
    """Bands from ``(lower, upper, code, label)`` rows written as decimal strings."""
    return tuple(Band(Decimal(lo), Decimal(hi), code, label) for lo, hi, code, label in rows)
