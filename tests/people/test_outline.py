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


def _tree(names: list[str]) -> list[tuple[str, int, str | None]]:
    rows = read_outline(names)
    assert rows is not None
    return [(r.name, r.level, rows[r.parent].name if r.parent is not None else None) for r in rows]


def test_legal_numbering_nests_its_brackets() -> None:
    """A Perbup's attachment: "1." › "a." › "1)" › "a)"; "1)" is not "1." again."""
    assert _tree(
        ["1. Sekretariat Daerah", "a. Asisten Pemerintahan", "1) Bagian Tata Pemerintahan",
         "a) Subbagian Otonomi Daerah", "2) Bagian Hukum", "b. Asisten Administrasi Umum",
         "1) Bagian Umum", "2. Sekretariat DPRD", "(1) Catatan"]
    ) == [
        ("Sekretariat Daerah", 0, None),
        ("Asisten Pemerintahan", 1, "Sekretariat Daerah"),
        ("Bagian Tata Pemerintahan", 2, "Asisten Pemerintahan"),
        ("Subbagian Otonomi Daerah", 3, "Bagian Tata Pemerintahan"),
        ("Bagian Hukum", 2, "Asisten Pemerintahan"),
        ("Asisten Administrasi Umum", 1, "Sekretariat Daerah"),
        ("Bagian Umum", 2, "Asisten Administrasi Umum"),
        ("Sekretariat DPRD", 0, None),
        ("Catatan", 1, "Sekretariat DPRD"),
    ]  # fmt: skip


def test_the_fifth_opd_numbered_v_is_not_the_letter_v() -> None:
    """ "V." after "IV." goes on counting OPDs while "A."–"C." are open below IV; "I." after
    "H." is the ninth letter."""
    names = ["I. Sekretariat Daerah", "II. Sekretariat DPRD", "III. Inspektorat",
             "IV. Dinas Pendidikan", "A. Sekretariat", "B. Bidang SD", "C. UPTD SD 01",
             "V. Dinas Kesehatan", "A. Sekretariat", "B. Bidang P2P"]  # fmt: skip
    tree = _tree(names)
    assert tree[7] == ("Dinas Kesehatan", 0, None)
    assert tree[8] == ("Sekretariat", 1, "Dinas Kesehatan")
    letters = [f"{chr(65 + n)}. Bidang {n}" for n in range(9)]  # A. … I.
    assert _tree(["I. Dinas Alfa", *letters])[-1] == ("Bidang 8", 1, "Dinas Alfa")
