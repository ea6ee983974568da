"""From an empty install to the first report through the CLI, with the seven sample exports
(tests/samples.py): the report's figures are those `expected.md` computes independently."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.byod.expected import (
    assert_cycles_compare_units_trained_before_them,
    assert_one_reaction_index,
    assert_the_expected_figures,
    first_report,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("byod")]


def test_the_seven_files_give_the_independently_computed_figures(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path  # the kept secret key and pending uploads stay out of the tree
    report = first_report(tmp_path)
    assert_the_expected_figures(report, tmp_path)
    assert_one_reaction_index(report)
    assert_cycles_compare_units_trained_before_them()
