"""Periods, the schedule of cycles and the comparison with the previous cycle."""

from __future__ import annotations

from datetime import date

import pytest

from kompeten.reports.assemble import compare_cycles, parse_period, previous_code
from kompeten.reports.tasks import due_cycle_codes


def test_it_parses_the_three_period_kinds() -> None:
    assert parse_period("2026") == ("yearly", date(2026, 1, 1), date(2026, 12, 31))
    assert parse_period("2026-s1") == ("semester", date(2026, 1, 1), date(2026, 6, 30))
    assert parse_period("2026-Q3") == ("quarterly", date(2026, 7, 1), date(2026, 9, 30))


@pytest.mark.parametrize("bad", ["26", "2026-S3", "2026-Q5", "tahun", "2026-H1"])
def test_it_refuses_unknown_periods_in_indonesian(bad: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        parse_period(bad)


def test_previous_cycle_codes() -> None:
    assert previous_code("2026") == "2025"
    assert previous_code("2026-S1") == "2025-S2"
    assert previous_code("2026-S2") == "2026-S1"
    assert previous_code("2026-Q1") == "2025-Q4"
    assert previous_code("2026-Q3") == "2026-Q2"


def test_due_cycles_are_the_last_finished_periods() -> None:
    assert due_cycle_codes(date(2026, 7, 2), ["quarterly", "semester", "yearly"]) == [
        "2026-Q2",
        "2026-S1",
        "2025",
    ]
    assert due_cycle_codes(date(2026, 2, 1), ["semester"]) == ["2025-S2"]


def test_comparison_says_better_when_significantly_higher() -> None:
    cur = {"completion": {"k": 180, "n": 200}}
    prev = {"completion": {"k": 120, "n": 200}}
    row = compare_cycles(cur, prev)[0]
    assert row["direction"] == "lebih baik"
    assert row["p"] < 0.001
    assert row["method"] == "uji χ² dua proporsi"


def test_comparison_says_a_change_is_not_significant_and_no_change_unchanged() -> None:
    row = compare_cycles({"completion": {"k": 51, "n": 100}}, {"completion": {"k": 50, "n": 100}})[
        0
    ]
    assert row["direction"] == "berubah, tidak bermakna"  # +1 point, p > 0,05: not "unchanged"
    assert row["p"] > 0.05
    same = compare_cycles({"completion": {"k": 50, "n": 100}}, {"completion": {"k": 50, "n": 100}})
    assert same[0]["direction"] == "tidak berubah"


def test_comparison_of_complaint_speed_treats_lower_as_better() -> None:
    cur = {"complaint_median": {"n": 30, "mean": 5.0, "sd": 1.0}}
    prev = {"complaint_median": {"n": 30, "mean": 9.0, "sd": 1.0}}
    row = next(r for r in compare_cycles(cur, prev) if r["metric"].startswith("Median"))
    assert row["direction"] == "lebih baik" and row["method"] == "uji t Welch"


def test_a_change_no_test_could_weigh_is_not_called_better_outright() -> None:
    # the medians without their spread: no Welch test, so no verdict of its own
    cur = {"complaint_median": {"n": 1, "mean": 5.0}}
    prev = {"complaint_median": {"n": 1, "mean": 9.0}}
    row = next(r for r in compare_cycles(cur, prev) if r["metric"].startswith("Median"))
    assert (row["direction"], row["trend"], row["p"]) == (
        "lebih baik (tanpa uji)",
        "better_untested",
        None,
    )
    worse = next(r for r in compare_cycles(prev, cur) if r["metric"].startswith("Median"))
    assert worse["direction"] == "lebih buruk (tanpa uji)"


def test_comparison_without_data_says_so() -> None:
    rows = compare_cycles({}, {})
    assert {r["direction"] for r in rows} == {"tidak dapat dibandingkan"}


def test_the_comparison_table_shows_shares_in_percent() -> None:
    """Shares read as percentages and percentage points, as everywhere else in the report (the
    table printed 0,590 → 0,742 where the cycle's sentences say 59,0%)."""
    from kompeten.reports.assemble import Section, _comparison_table

    rows = compare_cycles(
        {"sla": {"k": 742, "n": 1000}, "gain": {"n": 30, "mean": 0.5, "sd": 0.1}},
        {"sla": {"k": 590, "n": 1000}, "gain": {"n": 30, "mean": 0.4, "sd": 0.1}},
    )
    s = Section("hasil", "Hasil")
    _comparison_table(s, rows, "2025-S2")
    table = {row[0]: row for row in s.tables[0]["rows"]}
    sla = table["Pengaduan selesai dalam batas waktu (%)"]
    assert sla[1:4] == [pytest.approx(59.0), pytest.approx(74.2), pytest.approx(15.2)]
    stored = next(r for r in rows if r["metric"] == "Pengaduan selesai dalam batas waktu")
    assert stored["previous"] == pytest.approx(0.59)  # the stored comparison keeps the share
    assert table["Gain belajar individual"][1] == pytest.approx(0.4)  # a mean stays as it is
