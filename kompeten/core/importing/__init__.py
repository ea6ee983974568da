"""The one import engine. ``from kompeten.core import importing as imp``; see docs/imports.md.

- reading: :func:`read_file`, :class:`RawTable`, :class:`ReadError` (``reader.py``, no Django);
- values: ``values.py`` (dates, numbers, NIPs, unit names);
- declaring: :class:`Field`, :class:`Vocabulary`, :class:`Source`, :class:`Declaration`,
  :class:`Row`, :class:`FieldError`, :func:`register`, :func:`get`, :func:`declarations`;
- running: :func:`plan`, :func:`commit`, :func:`problem_workbook`, :func:`retry_pending`;
- the CLI: :class:`ImportCommand`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kompeten.core.importing import values
from kompeten.core.importing.declare import (
    Context,
    Declaration,
    Field,
    FieldError,
    OptionsForm,
    Problem,
    Row,
    Source,
    Vocabulary,
    declarations,
    get,
    register,
)
from kompeten.core.importing.reader import RawTable, ReadError, read_file
from kompeten.core.importing.values import (
    NipValue,
    match_names,
    normalise_text,
    normalise_unit_name,
    parse_date,
    parse_moment,
    parse_nip,
    parse_number,
)

if TYPE_CHECKING:
    from kompeten.core.importing.command import ImportCommand
    from kompeten.core.importing.engine import (
        Outcome,
        Plan,
        PlanNotClean,
        commit,
        describe_problem,
        plan,
        problem_workbook,
        retry_pending,
        waiting_rows,
    )

_LAZY = {
    "Outcome": "engine",
    "Plan": "engine",
    "PlanNotClean": "engine",
    "commit": "engine",
    "describe_problem": "engine",
    "plan": "engine",
    "problem_workbook": "engine",
    "retry_pending": "engine",
    "waiting_rows": "engine",
    "ImportCommand": "command",
}


def __getattr__(name: str) -> Any:
    # engine and command touch the models: imported on first use, so that declaring an
    # import (in an app's module) never needs the app registry to be ready.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f"kompeten.core.importing.{module}"), name)


__all__ = [
    "Context",
    "Declaration",
    "Field",
    "FieldError",
    "ImportCommand",
    "NipValue",
    "OptionsForm",
    "Outcome",
    "Plan",
    "PlanNotClean",
    "Problem",
    "RawTable",
    "ReadError",
    "Row",
    "Source",
    "Vocabulary",
    "commit",
    "declarations",
    "describe_problem",
    "get",
    "match_names",
    "normalise_text",
    "normalise_unit_name",
    "parse_date",
    "parse_moment",
    "parse_nip",
    "parse_number",
    "plan",
    "problem_workbook",
    "read_file",
    "register",
    "retry_pending",
    "values",
    "waiting_rows",
]
