from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from kompeten.standards.sla import (
    INFORMATION,
    LAPOR_SLA,
    VERIFICATION,
    WITH_FIELD_EXAMINATION,
    WITHOUT_FIELD_EXAMINATION,
    SlaState,
    SlaTable,
    jakarta_date,
    sla_states_many,
    sla_status,
)
from kompeten.standards.workdays import WorkCalendar

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_the_limits_of_sp4n_lapor() -> None:
    # DOMAIN.md: verification ≤ 3 working days (HIGH); 5 / 14 / 60 (MED).
    assert {slug: x.working_days for slug, x in LAPOR_SLA.limits.items()} == {
        VERIFICATION: 3,
        INFORMATION: 5,
        WITHOUT_FIELD_EXAMINATION: 14,
        WITH_FIELD_EXAMINATION: 60,
    }
    assert LAPOR_SLA.limits[VERIFICATION].confidence == "HIGH"
    assert LAPOR_SLA.limits[INFORMATION].confidence == "MED"


def test_verified_on_the_third_working_day_is_met() -> None:
    # Received Friday 10 January 2025; the third working day after is Wednesday 15 January.
    status = sla_status(date(2025, 1, 10), date(2025, 1, 15), VERIFICATION)
    assert status.due == date(2025, 1, 15)
    assert status.elapsed_working_days == 3
    assert status.state is SlaState.MET
    assert status.is_closed


def test_verified_on_the_fourth_working_day_is_breached() -> None:
    status = sla_status(date(2025, 1, 10), date(2025, 1, 16), VERIFICATION)
    assert status.elapsed_working_days == 4
    assert status.state is SlaState.BREACHED
    assert status.state.label == "Melewati batas"


def test_the_due_date_skips_lebaran_2025() -> None:
    # Received Thursday 27 March 2025: the next working day is 8 April (Nyepi, Idul Fitri and
    # cuti bersama in between), so the verification is due on Thursday 10 April.
    status = sla_status(date(2025, 3, 27), date(2025, 4, 10), VERIFICATION)
    assert status.due == date(2025, 4, 10)
    assert status.state is SlaState.MET


def test_an_open_item_within_its_limit_is_open() -> None:
    status = sla_status(date(2025, 1, 10), None, INFORMATION, as_of=date(2025, 1, 14))
    assert status.state is SlaState.OPEN
    assert status.elapsed_working_days == 2
    assert not status.is_closed
    assert status.due == date(2025, 1, 17)


def test_an_open_item_past_its_limit_is_breached() -> None:
    status = sla_status(date(2025, 1, 10), None, INFORMATION, as_of=date(2025, 1, 20))
    assert status.state is SlaState.BREACHED
    assert not status.is_closed


def test_an_open_item_needs_an_as_of_date() -> None:
    with pytest.raises(ValueError, match="as_of"):
        sla_status(date(2025, 1, 10), None, INFORMATION)


def test_aware_datetimes_are_read_as_jakarta_dates() -> None:
    # 23:30 UTC on 9 January is 06:30 on 10 January in Jakarta.
    received = datetime(2025, 1, 9, 23, 30, tzinfo=UTC)
    assert jakarta_date(received) == date(2025, 1, 10)
    closed = datetime(2025, 1, 15, 16, 0, tzinfo=JAKARTA)
    assert sla_status(received, closed, VERIFICATION).state is SlaState.MET


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        sla_status(datetime(2025, 1, 10, 9), None, VERIFICATION, as_of=date(2025, 1, 13))


def test_closed_before_received_is_refused() -> None:
    with pytest.raises(ValueError):
        sla_status(date(2025, 1, 10), date(2025, 1, 9), VERIFICATION)


def test_an_unknown_category_is_refused_in_indonesian() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        sla_status(date(2025, 1, 10), None, "darurat", as_of=date(2025, 1, 10))


def test_the_limits_are_an_editable_table() -> None:
    data = json.loads(json.dumps(LAPOR_SLA.to_dict()))
    assert SlaTable.from_dict(data) == LAPOR_SLA
    for limit in data["limits"]:
        if limit["slug"] == INFORMATION:
            limit["working_days"] = 3
    table = SlaTable.from_dict(data)
    status = sla_status(date(2025, 1, 10), date(2025, 1, 16), INFORMATION, table=table)
    assert status.state is SlaState.BREACHED


def test_a_custom_calendar_is_used() -> None:
    closed_tuesday = WorkCalendar(extra_holidays=[date(2025, 1, 14)])
    status = sla_status(date(2025, 1, 10), date(2025, 1, 16), VERIFICATION, closed_tuesday)
    assert status.elapsed_working_days == 3
    assert status.state is SlaState.MET


def test_the_vectorised_states_match_the_scalar_ones() -> None:
    received = np.array(["2025-01-10", "2025-01-10", "2025-01-10", "2025-03-27"], "datetime64[D]")
    closed = np.array(["2025-01-15", "2025-01-16", "NaT", "NaT"], "datetime64[D]")
    batch = sla_states_many(received, closed, 3, as_of=date(2025, 4, 8))
    # 10 January → 8 April 2025: 12 working days left in January (27–29 January off), 20 in
    # February, 19 in March (28 and 31 March off), 1 in April (8 April): 52.
    assert batch.elapsed_working_days.tolist() == [3, 4, 52, 1]
    assert batch.met.tolist() == [True, False, False, False]
    assert batch.breached.tolist() == [False, True, True, False]
    assert batch.open.tolist() == [False, False, False, True]
    scalar = sla_status(date(2025, 3, 27), None, VERIFICATION, as_of=date(2025, 4, 8))
    assert scalar.state is SlaState.OPEN
