from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompeten.standards.nip import (
    PPPK_NIP_PATTERN,
    NipError,
    ParsedNip,
    PppkNipPattern,
    check_consistency,
    format_nip,
    is_valid_nip,
    parse_nip,
)

# The example of Peraturan Kepala BKN 22/2007 as quoted in DOMAIN.md: 19660801 198803 1 001.
EXAMPLE = "196608011988031001"


def error_code(raw: str, **kwargs: object) -> str:
    with pytest.raises(NipError) as info:
        parse_nip(raw, **kwargs)  # type: ignore[arg-type]
    return info.value.code


def test_it_parses_the_regulation_example() -> None:
    parsed = parse_nip("19660801 198803 1 001")
    assert parsed == ParsedNip(
        nip=EXAMPLE,
        kind="PNS",
        birth_date=date(1966, 8, 1),
        tmt_cpns_year=1988,
        tmt_cpns_month=3,
        sex="L",
        serial=1,
    )
    assert parsed.tmt_cpns == date(1988, 3, 1)


def test_it_ignores_every_kind_of_whitespace() -> None:
    assert parse_nip(" 19660801\t198803\u00a01 001\n").nip == EXAMPLE


def test_it_accepts_an_integer() -> None:
    assert parse_nip(196608011988031001).nip == EXAMPLE


def test_it_reads_a_woman_from_digit_15() -> None:
    assert parse_nip("19750512 200212 2 014").sex == "P"


def test_it_rejects_a_short_number_with_an_indonesian_message() -> None:
    with pytest.raises(NipError) as info:
        parse_nip("19660801 198803 1 01")
    assert info.value.code == "length"
    assert info.value.message.startswith("NIP harus 18 digit angka")
    assert isinstance(info.value, ValueError)


def test_it_rejects_letters_and_punctuation() -> None:
    assert error_code("19660801-198803-1-001") == "not_digits"
    assert error_code("1966080119880310O1") == "not_digits"


def test_it_rejects_unicode_digits_that_are_not_ascii() -> None:
    assert error_code("19660801198803100²") == "not_digits"


def test_it_rejects_a_february_30th_birth_date() -> None:
    with pytest.raises(NipError) as info:
        parse_nip("19660230 198803 1 001")
    assert info.value.code == "birth_date"
    assert info.value.message == "Tanggal lahir pada NIP (digit 1–8) bukan tanggal yang sah"


def test_it_accepts_a_29_february_birth_date_in_a_leap_year_only() -> None:
    assert parse_nip("19680229 199003 1 001").birth_date == date(1968, 2, 29)
    assert error_code("19670229 199003 1 001") == "birth_date"


def test_it_rejects_month_13_as_tmt() -> None:
    assert error_code("19660801 198813 1 001") == "tmt"
    assert error_code("19660801 198800 1 001") == "tmt"


def test_it_rejects_a_tmt_before_the_birth_date() -> None:
    assert error_code("19660801 196507 1 001") == "tmt_before_birth"
    # the birth month itself is not after the birth date (TMT is the 1st of the month)
    assert error_code("19660801 196608 1 001") == "tmt_before_birth"


def test_it_does_not_enforce_a_minimum_age_at_tmt() -> None:
    # Not in the regulation: a TMT one month after birth is structurally valid.
    assert parse_nip("19660801 196609 1 001").tmt_cpns_month == 9


def test_it_rejects_a_sex_digit_other_than_1_or_2() -> None:
    for digit in "03":
        assert error_code(f"19660801 198803 {digit} 001") == "sex"


def test_it_rejects_serial_000() -> None:
    assert error_code("19660801 198803 1 000") == "serial"


def test_it_accepts_serial_999() -> None:
    assert parse_nip("19660801 198803 1 999").serial == 999


def test_it_reads_a_pppk_number_when_the_caller_says_pppk() -> None:
    parsed = parse_nip("19850312 2022 21 2 001", status="PPPK")
    assert parsed.kind == "PPPK"
    assert parsed.birth_date == date(1985, 3, 12)
    assert parsed.pppk_appointment_year == 2022
    assert parsed.pppk_marker == "21"
    assert parsed.sex == "P"
    assert parsed.tmt_cpns is None


def test_it_detects_the_pppk_marker_when_no_status_is_given() -> None:
    assert parse_nip("19850312 202221 1 004").kind == "PPPK"


def test_it_refuses_a_pppk_number_as_pns_and_hints_at_the_status() -> None:
    with pytest.raises(NipError) as info:
        parse_nip("19850312 202221 1 004", status="PNS")
    assert info.value.code == "tmt"
    assert "PPPK" in info.value.message


def test_pppk_numbers_still_need_a_real_birth_date_and_serial() -> None:
    assert error_code("19850230 202221 1 004", status="PPPK") == "birth_date"
    assert error_code("19850312 202221 1 000", status="PPPK") == "serial"


def test_pppk_numbers_skip_the_tmt_and_sex_checks() -> None:
    parsed = parse_nip("19850312 202299 7 004", status="PPPK")
    assert parsed.sex is None
    assert parsed.pppk_marker == "99"


def test_an_unknown_marker_without_status_is_a_pns_error() -> None:
    assert error_code("19850312 202299 1 004") == "tmt"


def test_the_pppk_marker_is_an_editable_table() -> None:
    pattern = PppkNipPattern.from_dict({**PPPK_NIP_PATTERN.to_dict(), "marker": "99"})
    assert pattern.confidence == "MED"
    assert parse_nip("19850312 202299 1 004", pppk_pattern=pattern).kind == "PPPK"
    assert PppkNipPattern.from_dict(PPPK_NIP_PATTERN.to_dict()) == PPPK_NIP_PATTERN


def test_it_rejects_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="status"):
        parse_nip(EXAMPLE, status="CPNS")  # type: ignore[arg-type]


def test_is_valid_nip_says_yes_or_no() -> None:
    assert is_valid_nip(EXAMPLE)
    assert not is_valid_nip("123")


def test_it_formats_in_8_6_1_3_groups() -> None:
    assert format_nip(EXAMPLE) == "19660801 198803 1 001"
    assert format_nip(parse_nip(EXAMPLE)) == "19660801 198803 1 001"
    assert parse_nip(EXAMPLE).formatted == "19660801 198803 1 001"


def test_format_refuses_a_number_of_the_wrong_length() -> None:
    with pytest.raises(NipError):
        format_nip("1966")


def test_consistency_is_silent_when_everything_agrees() -> None:
    assert check_consistency(parse_nip(EXAMPLE), date(1966, 8, 1), "L") == []


def test_consistency_reports_a_different_birth_date_in_indonesian() -> None:
    messages = check_consistency(parse_nip(EXAMPLE), birth_date=date(1966, 8, 2))
    assert messages == [
        "Tanggal lahir (2 Agustus 1966) tidak sama dengan tanggal lahir pada NIP (1 Agustus 1966)"
    ]


def test_consistency_reports_a_different_sex_in_indonesian() -> None:
    messages = check_consistency(parse_nip(EXAMPLE), sex="P")
    assert messages == [
        "Jenis kelamin (Perempuan) tidak sama dengan kode jenis kelamin pada NIP (Laki-laki)"
    ]


def test_consistency_reports_both_problems() -> None:
    assert len(check_consistency(parse_nip(EXAMPLE), date(1970, 1, 1), "P")) == 2


def test_consistency_skips_an_unreadable_pppk_sex_digit() -> None:
    parsed = parse_nip("19850312 202299 7 004", status="PPPK")
    assert check_consistency(parsed, date(1985, 3, 12), "L") == []


@st.composite
def pns_nips(draw: st.DrawFn) -> tuple[str, date, int, int, str, int]:
    birth = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2008, 12, 31)))
    first_month = birth.year * 12 + birth.month  # months since year 0, the month after birth
    tmt_index = draw(st.integers(min_value=first_month, max_value=2030 * 12 + 11))
    year, month = divmod(tmt_index, 12)
    month += 1
    sex = draw(st.sampled_from("12"))
    serial = draw(st.integers(min_value=1, max_value=999))
    nip = f"{birth:%Y%m%d}{year:04d}{month:02d}{sex}{serial:03d}"
    return nip, birth, year, month, sex, serial


@given(pns_nips())
def test_valid_nips_round_trip_through_format_and_parse(
    case: tuple[str, date, int, int, str, int],
) -> None:
    nip, birth, year, month, sex, serial = case
    parsed = parse_nip(format_nip(nip))
    assert parsed.nip == nip
    assert parsed.kind == "PNS"
    assert parsed.birth_date == birth
    assert (parsed.tmt_cpns_year, parsed.tmt_cpns_month) == (year, month)
    assert parsed.sex == ("L" if sex == "1" else "P")
    assert parsed.serial == serial
    assert format_nip(parsed) == format_nip(nip)


@given(st.text(max_size=30))
def test_arbitrary_text_either_parses_or_raises_a_nip_error(text: str) -> None:
    try:
        parsed = parse_nip(text)
    except NipError as error:
        assert error.code in {
            "not_digits",
            "length",
            "birth_date",
            "tmt",
            "tmt_before_birth",
            "sex",
            "serial",
        }
    else:
        assert len(parsed.nip) == 18
