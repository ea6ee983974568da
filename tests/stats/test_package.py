"""The package contract: typed frozen results, documented functions, no Django."""

from __future__ import annotations

import ast
import dataclasses
import doctest
import importlib
import inspect
from pathlib import Path

import pytest

import kompeten.stats as ks

FUNCTIONS = [name for name in ks.__all__ if inspect.isfunction(getattr(ks, name))]
RESULTS = [name for name in ks.__all__ if inspect.isclass(getattr(ks, name))]


def test_the_public_api_is_complete() -> None:
    required = {
        "paired_ttest", "wilcoxon_signed_rank", "paired_effect_size", "normalized_gain",
        "cronbach_alpha", "icc", "mann_whitney", "did", "interrupted_time_series",
        "kaplan_meier", "logrank", "adjust_pvalues", "describe_counts", "describe_sums",
        "mean_ci", "welch_ttest",
    }  # fmt: skip
    assert required <= set(FUNCTIONS)
    assert sorted(ks.__all__) == ks.__all__
    assert all(hasattr(ks, name) for name in ks.__all__)


@pytest.mark.parametrize("name", RESULTS)
def test_every_result_is_a_frozen_slotted_dataclass(name: str) -> None:
    cls = getattr(ks, name)
    assert dataclasses.is_dataclass(cls)
    assert getattr(cls, "__dataclass_params__").frozen  # noqa: B009
    assert hasattr(cls, "__slots__")


@pytest.mark.parametrize("name", [n for n in RESULTS if n not in {"IccEstimate"}])
def test_every_result_names_its_method_and_reference(name: str) -> None:
    fields = {f.name for f in dataclasses.fields(getattr(ks, name))}
    assert {"method", "reference"} <= fields


def test_a_result_cannot_be_changed() -> None:
    r = ks.paired_ttest([1, 2, 3], [2, 4, 5])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.pvalue = 0.0  # type: ignore[misc]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_has_a_numpydoc_docstring(name: str) -> None:
    doc = inspect.getdoc(getattr(ks, name)) or ""
    for section in ("Parameters", "Returns", "Notes", "References", "Examples"):
        assert f"\n{section}\n{'-' * len(section)}\n" in doc, f"{name} lacks {section}"
    assert ">>> " in doc


def test_the_package_imports_nothing_from_django_or_the_rest_of_kompeten() -> None:
    # Walks every import statement, including imports inside functions.
    allowed_roots = {"__future__", "collections", "dataclasses", "math", "numbers", "typing",
                     "numpy", "scipy", "statsmodels"}  # fmt: skip
    package = Path(ks.__file__).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed_roots, f"{path.name} imports {name}"


@pytest.mark.parametrize(
    "module",
    ["descriptive", "did", "effect", "gain", "impact", "its", "multiple", "nonparametric", "paired",
     "reliability", "survival", "twosample"],
)  # fmt: skip
def test_the_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(f"kompeten.stats.{module}")
    failures, tried = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0
