"""Values as the source systems write them (pure: no database)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompeten.core.importing.values import (
    match_names,
    normalise_text,
    normalise_unit_name,
    parse_date,
    parse_moment,
    parse_nip,
    parse_number,
)

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025/06/26 2:31:00 PM GMT+7", datetime(2025, 6, 26, 14, 31, tzinfo=WIB)),
        ("2025/06/26 12:05:00 AM GMT+7", datetime(2025, 6, 26, 0, 5, tzinfo=WIB)),
        ("02/01/2025 08:49", datetime(2025, 1, 2, 8, 49, tzinfo=WIB)),
        ("26-06-2025", datetime(2025, 6, 26, 8, 0, tzinfo=WIB)),
        ("2025-06-26", datetime(2025, 6, 26, 8, 0, tzinfo=WIB)),
        ("2025-06-26 14:31:00", datetime(2025, 6, 26, 14, 31, tzinfo=WIB)),
        ("24 Juni 2025", datetime(2025, 6, 24, 8, 0, tzinfo=WIB)),
        ("Selasa, 24 Juni 2025 10.00", datetime(2025, 6, 24, 10, 0, tzinfo=WIB)),
        ("3 Agustus 2025", datetime(2025, 8, 3, 8, 0, tzinfo=WIB)),
        (45834.5, datetime(2025, 6, 26, 12, 0, tzinfo=WIB)),
        (datetime(2025, 6, 26, 9, 0), datetime(2025, 6, 26, 9, 0, tzinfo=WIB)),
        ("2025/06/26 7:31:00 AM GMT+0", datetime(2025, 6, 26, 14, 31, tzinfo=WIB)),
    ],
)
def test_moments_are_read_as_the_sources_write_them(value, expected) -> None:
    assert parse_moment(value) == expected


@pytest.mark.parametrize("value", ["kemarin", "32/01/2025", "", None, True, "2025/13/01"])
def test_an_unreadable_moment_is_a_value_error(value) -> None:
    with pytest.raises(ValueError):
        parse_moment(value)


@pytest.mark.parametrize(
    "value",
    [
        # West of UTC, late on 31 December 9999: year 10000 in Jakarta (used to overflow).
        "9999-12-31T23:00-05:00",
        # Year 1 east of UTC: year 0 in UTC, which no database can store.
        "0001-01-01T00:00+05:00",
        "0001-01-01 03:00",
        "1 Januari 0001 01.00",
        # Storable, but no record of this system is dated there: a typo or "no end".
        "31/12/9999 23:00",
        "1899-12-31",
        # Four digits are the year as written, not a two-digit year of this century.
        "01/01/0025",
    ],
)
def test_a_moment_outside_the_supported_years_is_a_value_error(value) -> None:
    with pytest.raises(ValueError):
        parse_moment(value)


def test_the_supported_years_are_read_to_their_edges() -> None:
    assert parse_moment("2999-12-31 23:59") == datetime(2999, 12, 31, 23, 59, tzinfo=WIB)
    assert parse_moment("1900-01-01").year == 1900


def test_parse_date_gives_none_for_blank_and_a_date_otherwise() -> None:
    assert parse_date("  ") is None
    assert parse_date("17-08-1945") == date(1945, 8, 17)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3,25", "3.25"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"), (4, "4"), ("85 %", "85"),
     ("1.000.000", "1000000"), (2.5, "2.5")],
)  # fmt: skip
def test_numbers_in_indonesian_and_english_spelling(value, expected) -> None:
    assert parse_number(value) == Decimal(expected)


def test_a_nip_is_ok_damaged_or_invalid() -> None:
    assert parse_nip("'19810917 201301 1 001").digits == "198109172013011001"
    assert parse_nip("198109172013011001").ok
    damaged = parse_nip(1.98109172013011e17)
    assert damaged.status == "damaged" and damaged.prefix == "198109172013011"
    assert "Teks" in damaged.message
    assert parse_nip("1.98109172013011E+17").status == "damaged"
    # the same float after a round trip through PostgreSQL's jsonb (a pending row's cells)
    back = parse_nip(198109172013011000)
    assert back.status == "damaged" and back.prefix == "198109172013011"
    assert parse_nip(198109172013011001).ok  # a whole number with its serial is a NIP
    assert parse_nip("12345").status == "invalid"
    assert parse_nip("NIP-ABC").status == "invalid"
    assert parse_nip(None).status == "blank"


def test_a_nip_saved_as_displayed_in_scientific_notation_keeps_only_its_shown_digits() -> None:
    ten = parse_nip("1,981091720E+17")  # Excel's display, saved to CSV as shown
    assert ten.status == "damaged" and ten.prefix == "1981091720" and ten.kept == 10
    assert ten.message.startswith("NIP tersimpan sebagai angka oleh Excel sehingga 8 digit")
    assert parse_nip("1.98109172013011E+17").prefix == "198109172013011"
    # fewer digits than the birth date: no name-and-prefix match can be trusted
    six = parse_nip("1,98109E+17")
    assert six.status == "invalid"
    assert six.message.startswith(
        "NIP tertulis sebagai angka ilmiah (1,98109E+17): hanya 6 digit pertamanya yang tersisa"
    )


@given(st.integers(min_value=10**17, max_value=10**18 - 1))
def test_a_nip_written_as_text_round_trips(number: int) -> None:
    text = str(number)
    assert parse_nip(text).digits == text
    assert parse_nip(f"{text[:8]} {text[8:14]} {text[14]} {text[15:]}").digits == text


@given(st.integers(min_value=10**17, max_value=999_999_999_999_000_000))
def test_a_nip_stored_as_a_number_keeps_its_first_15_digits(number: int) -> None:
    nip = parse_nip(float(number))
    assert nip.status == "damaged"
    assert nip.prefix == f"{float(number):.14e}".split("e")[0].replace(".", "")


def test_normalise_text() -> None:
    assert normalise_text("  Tgl.  Lahir ") == "tgl lahir"
    assert normalise_text("Pendidikan  Terakhir (S-1/Sarjana)") == "pendidikan terakhir s 1 sarjana"
    assert normalise_text("Cafe\u0301") == "cafe"


@pytest.mark.parametrize(
    "written",
    [
        "Dinas Kependudukan dan Pencatatan Sipil Kota Sawahlunto",
        "DISDUKCAPIL",
        "Disdukcapil Kota Sawahlunto",
        "Dinas Kependudukan & Pencatatan Sipil",
        "Pemerintah Kota Sawahlunto - Disdukcapil",
    ],
)
def test_unit_names_as_people_write_them(written: str) -> None:
    key = normalise_unit_name(written, "Pemerintah Kota Sawahlunto")
    assert key == "dinas kependudukan dan pencatatan sipil"


def test_abbreviations_for_other_units() -> None:
    assert normalise_unit_name("Satpol PP") == "satuan polisi pamong praja"
    assert normalise_unit_name("Kec. Talawi") == "kecamatan talawi"
    assert normalise_unit_name("DPMPTSP Kota Sawahlunto") == (
        "dinas penanaman modal dan pelayanan terpadu satu pintu"
    )
    assert normalise_unit_name("RSUD Sawahlunto") == "rumah sakit umum daerah sawahlunto"


@pytest.mark.parametrize(
    "written", ["DPM-PTSP", "DPM PTSP", "Dinas PMPTSP", "Dinas Penanaman Modal & PTSP", "DPMPTSP"]
)
def test_an_abbreviation_written_with_a_hyphen_or_in_part_is_the_same_unit(written: str) -> None:
    assert normalise_unit_name(written, "Pemerintah Kota Sawahlunto") == (
        "dinas penanaman modal dan pelayanan terpadu satu pintu"
    )


def test_match_names_finds_the_close_one_and_refuses_a_tie() -> None:
    names = {1: "dinas kesehatan", 2: "dinas perhubungan", 3: "dinas pendidikan"}
    assert match_names(names, "dinas kesehatann").key == 1
    assert match_names(names, "badan pendapatan daerah") is None
    assert (
        match_names({1: "kecamatan talawi", 2: "kecamatan talawi"}, "kecamatan talawi") is not None
    )
    assert match_names({1: "a b", 2: "b a"}, "a b c") is None  # equal scores, different names


@pytest.mark.parametrize(
    "query",
    [
        "kelurahan durian i",  # another kelurahan: a numeral tells them apart
        "kelurahan durian 2",
        "kelurahan durian",  # a word missing: it could be any Durian
        "unit pelaksana teknis daerah pusat kesehatan masyarakat lunto",
        "unit pelaksana teknis daerah pusat kesehatan masyarakat sawahlunto",
    ],
)
def test_match_names_never_takes_a_unit_whose_telling_words_differ(query: str) -> None:
    names = {
        1: "kelurahan durian ii",
        2: "unit pelaksana teknis daerah pusat kesehatan masyarakat silungkang",
    }
    assert match_names(names, query) is None


def test_match_names_takes_a_misspelling_and_another_word_order() -> None:
    names = {1: "dinas pendidikan dan kebudayaan", 2: "kelurahan durian ii"}
    assert match_names(names, "dinas pendidkan dan kebudayaan").key == 1
    assert match_names(names, "dinas kebudayaan dan pendidikan").key == 1
    assert match_names(names, "kelurahan durain ii").key == 2


def test_a_lone_dash_is_an_empty_cell() -> None:
    from kompeten.core.importing.values import is_blank

    assert all(is_blank(v) for v in (None, "", "  ", "-", " – ", "—", "--"))
    assert not any(is_blank(v) for v in ("-5", "0", 0, "a-b", "---x"))


def test_a_nip_written_after_its_label_or_in_full_width_digits_is_read() -> None:
    assert parse_nip("NIP. 19690904 199601 1 001").digits == "196909041996011001"
    assert parse_nip("nip: 196909041996011001").ok
    wide = parse_nip("１９６９０９０４１９９６０１１００１")  # an IME's full-width digits
    assert wide.ok and wide.digits == "196909041996011001"
    # other scripts' digits are not a NIP (str.isdigit() says they are)
    assert parse_nip("١٩٦٩٠٩٠٤١٩٩٦٠١١٠٠١").status == "invalid"


def test_a_refused_nip_is_quoted_as_the_cell_wrote_it() -> None:
    assert parse_nip("NIP").message == "NIP 'NIP' harus berupa angka."
    assert parse_nip("NIPP 1969").message == "NIP 'NIPP 1969' harus berupa angka."


def test_a_waiting_rows_date_cell_reads_as_the_database_gives_it_back() -> None:
    """waiting_rows takes one cell out of the row's JSON as text: an Excel serial comes back
    as "45834.6", a day-first date as written, an ISO one as stored."""
    from datetime import date

    from kompeten.core.importing.engine import _day_of

    assert _day_of("45834.6") == date(2025, 6, 26)
    assert _day_of("02/03/2025 09:00") == date(2025, 3, 2)
    assert _day_of("2025-03-02T09:00:00") == date(2025, 3, 2)
    assert _day_of("kemarin") is None and _day_of(None) is None and _day_of("-") is None
