"""A held training's days as its attendance list gives them: the days its columns name, else
its working days, never a weekend or a holiday nobody trained on; marks as panitia write them
beyond the letters (a Wingdings tick, an arrival time)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from kompeten.core import importing as imp
from kompeten.learning.actions.batches import held_days
from kompeten.learning.models import Batch
from kompeten.participation.imports import TrainingImport, header_date, parse_mark
from kompeten.participation.models import Enrolment
from tests import factories
from tests.participation.test_training_import import plan
from tests.workbooks import xlsx_rows

# Thursday 9 October 2025 to Wednesday 15 October 2025: a weekend inside, no national holiday
THU, FRI, MON, TUE, WED = (date(2025, 10, d) for d in (9, 10, 13, 14, 15))
OPTIONS = {
    "programme": "PK-2025",
    "title": "Pelatihan Pelayanan Pengaduan",
    "start": "2025-10-09",
    "end": "2025-10-15",
    "jp": "40",
}


def _list(world, headers: list[str], marks: list[object]) -> bytes:  # type: ignore[no-untyped-def]
    """An attendance list of three employees, each with ``marks`` under the day ``headers``."""
    rows: list[list[object]] = [["NO", "NIP", "NAMA", *headers]]
    for n, name in enumerate(("Ani Lestari", "Budi Santoso", "Citra Dewi"), start=1):
        person = factories.make_employee(world.layanan, name)
        rows.append([n, person.nip, name, *marks])
    return xlsx_rows(rows)


def _held(world, headers: list[str], marks: list[object]) -> Batch:  # type: ignore[no-untyped-def]
    the_plan = plan(world, OPTIONS, data=_list(world, headers, marks))
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    imp.commit(the_plan)
    return Batch.objects.get(programme__code="PK-2025")


def _session_days(batch: Batch) -> list[tuple[date, int]]:
    return [
        (s.start.date(), int((s.end - s.start).total_seconds() // 60))
        for s in batch.sessions.order_by("start")
    ]


def test_a_list_over_a_weekend_holds_sessions_on_the_days_it_names_only(world):
    """Five dated days from Thursday to Wednesday: five sessions, 40 JP over them (8 JP, 360
    minutes a day), and whoever attended all five attended all the training."""
    headers = [f"HARI {n} {d:%d-%m-%Y}" for n, d in enumerate((THU, FRI, MON, TUE, WED), 1)]
    batch = _held(world, headers, ["√"] * 5)
    assert _session_days(batch) == [(d, 360) for d in (THU, FRI, MON, TUE, WED)]
    assert set(Enrolment.objects.filter(batch=batch).values_list("attendance_pct", flat=True)) == {
        100
    }


def test_undated_day_columns_are_the_batchs_working_days_and_the_note_says_which(world):
    the_plan = plan(world, OPTIONS, data=_list(world, ["HARI I", "HARI II", "HARI III"], ["√"] * 3))
    assert the_plan.ctx.lookups["days"] == [THU, FRI, MON]
    assert (
        "Judul kolom hari tidak bertanggal; dibaca sebagai: HARI I = 9 Oktober 2025, "
        "HARI II = 10 Oktober 2025, HARI III = 13 Oktober 2025."
    ) in the_plan.ctx.notes


def test_day_columns_named_by_their_weekday_are_placed_on_those_days(world):
    the_plan = plan(world, OPTIONS, data=_list(world, ["KAMIS", "JUM'AT", "SELASA"], ["√"] * 3))
    assert the_plan.is_clean
    assert the_plan.ctx.lookups["days"] == [THU, FRI, TUE]


@pytest.mark.parametrize(
    ("start", "end", "at_least", "days"),
    [
        (THU, WED, 1, [THU, FRI, MON, TUE, WED]),  # the weekend left out
        # 27 June 2025, 1 Muharram, a national holiday: left out, unless the list has a column
        # for every weekday
        (date(2025, 6, 26), date(2025, 6, 30), 1, [date(2025, 6, 26), date(2025, 6, 30)]),
        (date(2025, 6, 26), date(2025, 6, 30), 3, [date(2025, 6, 26 + k) for k in (0, 1, 4)]),
        # a training held over a weekend only
        (date(2025, 10, 11), date(2025, 10, 12), 1, [date(2025, 10, 11), date(2025, 10, 12)]),
    ],
)
def test_the_days_a_training_was_held_on_when_nothing_names_them(start, end, at_least, days):
    assert held_days(start, end, at_least) == days


@pytest.mark.parametrize(
    "cell", ["ü", "þ", "07:30", "07.45", time(7, 30), datetime(2025, 10, 9, 7, 30)]
)
def test_a_wingdings_tick_or_an_arrival_time_is_present(cell):
    assert parse_mark(cell) == "hadir"


def test_a_birth_date_column_is_not_a_day_and_a_two_digit_year_is(world):
    days = next(f for f in TrainingImport.fields if f.name == "days")
    assert not days.matches("TEMPAT / TGL LAHIR")
    assert days.matches("09/10/25")
    assert header_date("09/10/25") == THU


def test_a_list_whose_every_row_has_a_bad_mark_says_the_marks_not_the_columns(world):
    the_plan = plan(world, OPTIONS, data=_list(world, ["HARI I", "HARI II"], ["telat", "√"]))
    assert [p.row for p in the_plan.problems] == [2, 3, 4]
    assert all("Tanda kehadiran 'telat' tidak dikenal" in p.message for p in the_plan.problems)
