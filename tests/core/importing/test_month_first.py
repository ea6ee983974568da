"""A column of dates written month first (Excel or Google Sheets under US regional settings:
``4/15/2025 10:31 PM``) is read month first as a whole, and the user is told; a day-first
column, even with a slip in it, is never turned."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from kompeten.core import importing as imp
from kompeten.core.importing import engine
from kompeten.core.importing.reader import RawTable
from kompeten.core.importing.values import (
    month_first_column,
    parse_date,
    parse_moment,
    reading_month_first,
    slashed_order,
)
from kompeten.standards.local_time import JAKARTA


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["4/1/2025 10:31 PM", "1/15/2025 08:44 AM", None, 3.5], True),
        (["4/1/2025", "15/1/2025"], False),  # a day past 12 first: day first
        (["4/1/2025", "5/2/2025"], False),  # nothing tells: day first, as Indonesia writes
        (["15/01/2025", "20/02/2025", "1/13/2025"], False),  # one slip does not turn it
        (["2025/01/15", "15-01-2025", "Budi"], False),
        ([], False),
    ],
)
def test_a_column_is_month_first_only_when_some_date_can_only_be_read_so(
    cells: list[Any], expected: bool
) -> None:
    assert month_first_column(cells) is expected


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["4/1/2025 10:31 PM", "1/15/2025 08:44 AM"], "month"),
        (["4/1/2025", "15/1/2025", "1/15/2025"], "day"),  # a day past 12 first wins
        (["4/1/2025", "5/2/2025 08:00"], "either"),
        (["2025/01/15", "15-01-2025", None, 7], ""),
    ],
)
def test_a_columns_slashed_order_says_what_its_dates_allow(cells: list[Any], expected: str) -> None:
    assert slashed_order(cells) == expected


def test_month_first_reading_swaps_only_slashed_and_dashed_day_month_dates() -> None:
    with reading_month_first(True):
        assert parse_moment("4/1/2025 10:31 PM") == datetime(2025, 4, 1, 22, 31, tzinfo=JAKARTA)
        assert parse_date("12/31/2024") == date(2024, 12, 31)
        assert parse_date("2025/01/02") == date(2025, 1, 2)  # year first is never swapped
        assert parse_date("5 Januari 2025") == date(2025, 1, 5)
    assert parse_date("4/1/2025") == date(2025, 1, 4)  # and the column after it is day first


class Dated(imp.Declaration):
    key = "test-month-first"
    label = "Uji"
    fields = (
        imp.Field("name", "Nama", ("NAMA",), required=True),
        imp.Field("day", "Tanggal", ("TANGGAL",), parse=lambda value, ctx: parse_date(value)),
        imp.Field("other", "Tanggal lain", ("LAIN",), parse=lambda value, ctx: parse_date(value)),
    )

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        return {}


def test_the_engine_reads_each_column_in_its_own_order_and_says_so(world) -> None:
    table = RawTable(
        rows=[
            ["NAMA", "TANGGAL", "LAIN"],
            ["Andi", "4/1/2025", "4/1/2025"],
            ["Budi", "1/15/2025", "20/1/2025"],
        ],
        sheet="",
        sheet_names=[],
    )
    plan = engine.plan(Dated(), b"", "uji.csv", instansi=world.instansi, user=None, table=table)
    assert plan.is_clean, plan.problems
    assert [r.values["day"] for r in plan.rows] == [date(2025, 4, 1), date(2025, 1, 15)]
    assert [r.values["other"] for r in plan.rows] == [date(2025, 1, 4), date(2025, 1, 20)]
    assert plan.notes == [
        "Kolom TANGGAL ditulis bulan/tanggal/tahun (pengaturan wilayah AS, mis. 4/15/2025): "
        "tanggalnya dibaca demikian."
    ]


def test_a_pending_rows_month_first_date_is_kept_year_first_for_its_retry() -> None:
    """A pending row is retried alone, without its column's other dates to tell the order: it
    keeps its dates as ``yyyy-mm-dd``, which read the same whatever the order."""
    assert engine._year_first("1/3/2025 05:44 PM") == "2025-01-03 17:44:00"
    assert engine._year_first("12/31/2024") == "2024-12-31"
    assert engine._year_first("belum selesai") == "belum selesai"
    assert parse_moment(engine._year_first("4/1/2025 10:31 PM")) == datetime(
        2025, 4, 1, 22, 31, tzinfo=JAKARTA
    )


def _dated(world: Any, rows: list[list[Any]]) -> engine.Plan:
    table = RawTable(rows=[["NAMA", "TANGGAL", "LAIN"], *rows], sheet="", sheet_names=[])
    return engine.plan(Dated(), b"", "uji.csv", instansi=world.instansi, user=None, table=table)


def test_a_column_that_reads_both_ways_follows_the_files_month_first_column(world) -> None:
    """One locale wrote the file: beside a column plainly month first, a column whose dates
    all read both ways (a small recap's closing dates, every one on a day up to 12) is read
    month first too, and the note says so."""
    plan = _dated(world, [["Andi", "1/15/2025", "1/10/2025"], ["Budi", "6/11/2025", "6/12/2025"]])
    assert plan.is_clean, plan.problems
    assert [r.values["other"] for r in plan.rows] == [date(2025, 1, 10), date(2025, 6, 12)]
    assert plan.notes == [
        "Kolom TANGGAL ditulis bulan/tanggal/tahun (pengaturan wilayah AS, mis. 4/15/2025): "
        "tanggalnya dibaca demikian.",
        "Tanggal kolom LAIN dapat dibaca dua arah; dibaca bulan/tanggal/tahun seperti kolom "
        "TANGGAL di berkas yang sama.",
    ]


def test_a_file_with_a_column_plainly_day_first_reads_the_others_day_first(world) -> None:
    plan = _dated(world, [["Andi", "15/1/2025", "1/10/2025"], ["Budi", "11/6/2025", "6/12/2025"]])
    assert [r.values["other"] for r in plan.rows] == [date(2025, 10, 1), date(2025, 12, 6)]
    assert plan.notes == []
