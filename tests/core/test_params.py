"""Numbers read by hand from a query string or a posted form (kompeten.core.params)."""

from __future__ import annotations

import pytest

from kompeten.core.params import MAX_ID, id_param, id_params, int_param, year_param


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),  # one past a 64-bit key: it used to overflow SQLite
        ("99999999999999999999999", None),
        ("0", None),
        ("-3", None),
        ("²³", None),  # str.isdigit() says yes, int() says no
        ("٣", None),  # an Arabic-Indic three: int() reads it, a URL never carries it
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_an_id_is_ascii_digits_a_database_key_can_hold(text, expected) -> None:
    assert id_param(text) == expected


def test_a_posted_id_list_keeps_the_readable_ids_in_order() -> None:
    assert id_params(["3", "x", "99999999999999999999999", "1", ""]) == [3, 1]


def test_a_bounded_number_may_be_negative_and_must_lie_in_its_bounds() -> None:
    assert int_param("-5", minimum=-10, maximum=10) == -5
    assert int_param("11", minimum=-10, maximum=10) is None
    assert int_param("--5", minimum=-10, maximum=10) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026", 2026), ("1900", 1900), ("2999", 2999), ("0", 2025), ("-1", 2025), ("3000", 2025)],
)
def test_a_year_outside_the_supported_years_falls_back_to_the_default(text, expected) -> None:
    assert year_param(text, 2025) == expected
