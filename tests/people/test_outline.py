"""The levels of a unit list written as an outline in one column (kompeten.people.outline)."""

from __future__ import annotations

from kompeten.people.outline import OutlineRow, read_outline


def test_decimal_numbering_gives_each_row_the_row_one_level_up() -> None:
    rows = read_outline(
        [
            "1. Sekretariat Daerah",
            "1.1 Bagian Umum",
            "2. Dinas Kesehatan",
            "2.1 Sekretariat",
            "2.1.1 Subbagian Umum",
            "2.2 Bidang Pelayanan",
            "3. Dinas Sosial",
        ]
    )
    assert rows == [
        OutlineRow("Sekretariat Daerah", 0, None),
        OutlineRow("Bagian Umum", 1, 0),
        OutlineRow("Dinas Kesehatan", 0, None),
        OutlineRow("Sekretariat", 1, 2),
        OutlineRow("Subbagian Umum", 2, 3),
        OutlineRow("Bidang Pelayanan", 1, 2),
        OutlineRow("Dinas Sosial", 0, None),
    ]


def test_each_kind_of_marker_is_the_level_where_it_first_appears() -> None:
    rows = read_outline(
        [
            "I. DINAS KESEHATAN",
            "A. Sekretariat",
            "1) Subbagian Umum",
            "a. Urusan Surat",
            "B. Bidang Pelayanan",
            "II.DINAS SOSIAL",  # no space after the marker
            "A. Sekretariat",
        ]
    )
    assert rows is not None
    assert [(r.name, r.level, r.parent) for r in rows] == [
        ("DINAS KESEHATAN", 0, None),
        ("Sekretariat", 1, 0),
        ("Subbagian Umum", 2, 1),
        ("Urusan Surat", 3, 2),
        ("Bidang Pelayanan", 1, 0),  # closes the deeper levels
        ("DINAS SOSIAL", 0, None),
        ("Sekretariat", 1, 5),
    ]


def test_a_lone_i_after_h_is_the_ninth_letter_not_roman_one() -> None:
    names = ["I. DINAS A", "A. Bidang A", "H. Bidang H", "I. Bidang I", "II. DINAS B"]
    rows = read_outline(names)
    assert rows is not None
    assert [(r.name, r.level) for r in rows] == [
        ("DINAS A", 0),
        ("Bidang A", 1),
        ("Bidang H", 1),
        ("Bidang I", 1),
        ("DINAS B", 0),
    ]


def test_unnumbered_headings_with_numbered_units_under_them() -> None:
    rows = read_outline(
        ["Dinas Kesehatan", "1. Sekretariat", "2. Bidang P2P", "Dinas Sosial", "- UPT Panti"]
    )
    assert rows is not None
    assert [(r.name, r.level, r.parent) for r in rows] == [
        ("Dinas Kesehatan", 0, None),
        ("Sekretariat", 1, 0),
        ("Bidang P2P", 1, 0),
        ("Dinas Sosial", 0, None),
        ("UPT Panti", 1, 3),  # another marker kind opens the level below
    ]


def test_a_numbered_list_of_one_level_loses_its_numbers_and_stays_at_the_top() -> None:
    rows = read_outline(["1. Dinas Alfa", "2) Dinas Beta", "3 Dinas Gamma"])
    assert rows == [
        OutlineRow("Dinas Alfa", 0, None),
        OutlineRow("Dinas Beta", 0, None),
        OutlineRow("Dinas Gamma", 0, None),
    ]


def test_names_without_numbering_are_no_outline() -> None:
    assert read_outline(["Dinas Alfa", "Bidang A. Layanan", "UPT 2 Alfa"]) is None
    # a name that starts with a number is not enough: half the rows must be numbered
    assert read_outline(["1 Maret Kelurahan", "Dinas Alfa", "Dinas Beta"]) is None
