"""Fixtures shared by the report tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from tests.reports.builders import IMPACT_TODAY


@pytest.fixture
def frozen() -> Iterator[None]:
    """The clock stopped at :data:`IMPACT_TODAY` (15 January 2026, 10:00 in Jakarta)."""
    with time_machine.travel(IMPACT_TODAY, tick=False):
        yield
