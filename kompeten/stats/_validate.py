"""Input checks shared by every statistics function.

Each helper turns user input into a float ``numpy`` array and raises ``ValueError`` with a plain
English message when the input cannot be used. Nothing here rounds or changes values.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import StatsError

FloatArray = npt.NDArray[np.float64]
"""A numpy array of 64-bit floats (the form every function works on internally)."""

Labels = Sequence[Hashable] | npt.NDArray[Any]
"""Group labels (unit, period, cluster): any sortable values, e.g. ids, strings or dates."""


def _to_float_array(values: Any, name: str) -> FloatArray:
    if isinstance(values, (str, bytes)):
        raise ValueError(f"{name} must be a sequence of numbers, not a string.")
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError) as exc:  # ragged nested lists and the like
        raise ValueError(f"{name} must be a sequence of numbers.") from exc
    if raw.dtype.kind == "O":
        flat = raw.ravel().tolist()
        if not all(
            isinstance(v, numbers.Real) or (isinstance(v, np.generic) and np.isreal(v))
            for v in flat
        ):
            raise ValueError(f"{name} must contain only numbers.")
    elif raw.dtype.kind not in "biuf":
        raise ValueError(f"{name} must contain only numbers (got {raw.dtype.name} values).")
    try:
        return np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must contain only numbers.") from exc


def as_vector(values: Any, name: str, *, min_size: int = 1) -> FloatArray:
    """Return ``values`` as a 1-D float array of finite numbers with at least ``min_size`` items."""
    arr = _to_float_array(values, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (got {arr.ndim} dimensions).")
    if arr.size == 0:
        raise ValueError(f"{name} is empty.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    if arr.size < min_size:
        raise ValueError(f"{name} needs at least {min_size} values (got {arr.size}).")
    return arr


def as_pairs(
    before: Any, after: Any, names: tuple[str, str] = ("before", "after"), *, min_pairs: int = 2
) -> tuple[FloatArray, FloatArray]:
    """Return two 1-D float arrays of the same length, at least ``min_pairs`` long."""
    a = as_vector(before, names[0])
    b = as_vector(after, names[1])
    if a.size != b.size:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same length (got {a.size} and {b.size})."
        )
    if a.size < min_pairs:
        raise ValueError(f"at least {min_pairs} pairs are needed (got {a.size}).")
    return a, b


def paired_differences(
    before: Any, after: Any, undefined: str
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The pairs (see :func:`as_pairs`) and their differences ``after - before``; ``ValueError``
    saying the ``undefined`` consequence when every pair has the same difference."""
    b, a = as_pairs(before, after)
    d = a - b
    if is_constant(d):
        raise StatsError(f"every pair has the same difference, so the {undefined}.")
    return b, a, d


def as_matrix(values: Any, name: str, *, allow_nan: bool = False) -> FloatArray:
    """Return ``values`` as a 2-D float array; NaN allowed only when ``allow_nan``."""
    arr = _to_float_array(values, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional (got {arr.ndim} dimensions).")
    if arr.size == 0:
        raise ValueError(f"{name} is empty.")
    if np.any(np.isinf(arr)):
        raise ValueError(f"{name} contains infinite values.")
    if not allow_nan and np.any(np.isnan(arr)):
        raise ValueError(f"{name} contains missing (NaN) values.")
    return arr


def as_binary(values: Any, name: str) -> FloatArray:
    """Return a 1-D array whose values are all 0 or 1 (booleans allowed)."""
    arr = as_vector(values, name)
    if not np.all((arr == 0.0) | (arr == 1.0)):
        raise ValueError(f"{name} must contain only 0 and 1 (or False and True).")
    return arr


def as_labels(values: Any, name: str, size: int) -> npt.NDArray[np.intp]:
    """Return integer codes for a 1-D sequence of hashable labels of length ``size``."""
    if isinstance(values, (str, bytes)):
        raise ValueError(f"{name} must be a sequence of labels, not a single string.")
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a one-dimensional sequence of labels.") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional.")
    if arr.size != size:
        raise ValueError(f"{name} must have the same length as y (got {arr.size} and {size}).")
    if arr.dtype.kind == "f" and np.any(~np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    if arr.dtype.kind == "O" and any(
        v is None or (isinstance(v, float) and math.isnan(v)) for v in arr.tolist()
    ):
        raise ValueError(f"{name} contains missing labels.")
    try:
        _, codes = np.unique(arr, return_inverse=True)
    except TypeError as exc:
        raise ValueError(f"{name} mixes labels that cannot be compared.") from exc
    return np.asarray(codes, dtype=np.intp).ravel()


def _real(value: Any, problem: str) -> float:
    """``value`` as a float, or ``ValueError(problem)`` when it is not a real number (``True`` and
    ``False`` are refused, though Python counts them as numbers)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(problem)
    return float(value)


def check_confidence(confidence: float) -> float:
    """Return ``confidence`` as a float strictly between 0 and 1."""
    value = _real(confidence, "confidence must be a number between 0 and 1, e.g. 0.95.")
    if not (0.0 < value < 1.0):
        raise ValueError(f"confidence must be strictly between 0 and 1 (got {value}).")
    return value


def check_finite_number(value: Any, name: str) -> float:
    """Return ``value`` as a finite float."""
    result = _real(value, f"{name} must be a number.")
    if not math.isfinite(result):
        raise ValueError(f"{name} must be finite (got {result}).")
    return result


def check_count(value: Any, name: str) -> int:
    """Return ``value`` as a non-negative int (integral floats such as ``3.0`` are accepted)."""
    as_float = _real(value, f"{name} must be a whole number.")
    if not math.isfinite(as_float) or as_float != math.floor(as_float):
        raise ValueError(f"{name} must be a whole number (got {value}).")
    if as_float < 0:
        raise ValueError(f"{name} cannot be negative (got {value}).")
    return int(as_float)


def is_constant(values: FloatArray) -> bool:
    """True when all values are equal up to floating-point rounding (a few ulps of the largest).

    ``0.2 - 0.1`` and ``0.3 - 0.2`` differ in the last bit; treating them as different would turn
    "no variance" into a meaningless huge statistic instead of a clear error.
    """
    if values.size == 0:
        return True
    spread = float(np.ptp(values))
    scale = float(np.max(np.abs(values)))
    return spread <= 16.0 * float(np.finfo(np.float64).eps) * scale
