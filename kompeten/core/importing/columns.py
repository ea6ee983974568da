"""Columns several imports declare the same way: the cell parsers they share, the NIP column,
and vocabularies over a model's choices.

Each import keeps its own header spellings (``aliases``): those are what its source systems
write, and they differ from import to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from kompeten.core.importing.declare import Context, Field
from kompeten.core.importing.values import NipValue, parse_nip

if TYPE_CHECKING:
    from django.db.models import Choices


def text(value: Any, ctx: Context) -> str:
    """The cell as text, white space collapsed; a whole number read as a float (``2024.0``, as
    spreadsheets store a year or a code) written without its ``.0``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def nip(value: Any, ctx: Context) -> NipValue:
    """The cell as a :class:`NipValue`, never refused here: the declaration decides what an
    invalid or Excel-damaged NIP means for its row (a problem, or a row kept pending)."""
    return parse_nip(value)


def nip_column(aliases: tuple[str, ...], *, required: bool = False, help: str = "") -> Field:
    """The employee's ``nip`` column, labelled NIP and read by :func:`nip`; ``aliases`` are the
    header spellings of the import's own sources."""
    return Field("nip", gettext_lazy("NIP"), aliases, required=required, parse=nip, help=help)


def choice_spellings(choices: type[Choices]) -> dict[str, Any]:
    """Each choice's value and its label (as the module loading it reads the label) → the value:
    the spellings a vocabulary over these choices accepts before the source's own."""
    return {
        **{c.value: c.value for c in choices},
        **{str(c.label): c.value for c in choices},
    }


def choice_labels(choices: type[Choices]) -> dict[str, str]:
    """Each choice's value → ``"value / label"``, the accepted values a problem lists."""
    return {c.value: f"{c.value} / {c.label}" for c in choices}
