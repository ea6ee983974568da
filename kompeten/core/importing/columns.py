"""Columns several imports declare the same way: the cell parsers they share, kinds of column
(each column declared by what differs: its name, label and header spellings), the NIP column,
and vocabularies over a model's choices.

Each import keeps its own header spellings (``aliases``): those are what its source systems
write, and they differ from import to import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from kompeten.core.importing.declare import Context, Field, Label, Vocabulary
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


@dataclass(frozen=True)
class ColumnKind:
    """Columns read the same way, by one ``parse`` or one ``vocabulary``: calling the kind
    declares one such column by what differs, ``kind(name, label, aliases, required=...)``."""

    parse: Callable[[Any, Context], Any] | None = None
    vocabulary: Vocabulary | None = None

    def __call__(
        self,
        name: str,
        label: Label,
        aliases: tuple[str, ...],
        *,
        required: bool = False,
        help: Label = "",
    ) -> Field:
        return Field(
            name,
            label,
            aliases,
            required=required,
            parse=self.parse,
            vocabulary=self.vocabulary,
            help=help,
        )


text_column = ColumnKind(parse=text)


def nip_column(aliases: tuple[str, ...], *, required: bool = False, help: Label = "") -> Field:
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


def choice_vocabulary(
    name: Label,
    choices: type[Choices],
    spellings: Mapping[Any, tuple[str, ...]],
    labels: Mapping[Any, str] | None = None,
) -> Vocabulary:
    """A vocabulary over ``choices``: each choice's value and label, then the source systems'
    own ``spellings`` (choice → how they write it); the accepted values listed are ``labels``,
    by default :func:`choice_labels`."""
    written = {spelling: choice for choice, some in spellings.items() for spelling in some}
    return Vocabulary(
        name=name,
        mapping={**choice_spellings(choices), **written},
        labels=choice_labels(choices) if labels is None else labels,
    )


def choice_labels(choices: type[Choices]) -> dict[str, str]:
    """Each choice's value → ``"value / label"``, the accepted values a problem lists."""
    return {c.value: f"{c.value} / {c.label}" for c in choices}
