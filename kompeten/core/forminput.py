"""An action's input dataclass filled from a form whose fields bear the same names."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def input_from(cls: type[T], cleaned_data: Mapping[str, Any]) -> T:
    """`cls` (a dataclass) with each of its fields taken from the form field of the same name
    in `cleaned_data`; the form's other fields (a file, the employee) are not part of it."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    return cls(**{name: cleaned_data[name] for name in names})
