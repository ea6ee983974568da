"""Which answer scale a questionnaire column uses (pure; no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kompeten.evaluation import scales

FIVE = ("Sangat Kurang", "Kurang", "Cukup", "Baik", "Sangat Baik")


def test_numbers_make_a_likert_column_of_the_usual_size() -> None:
    assert scales.infer_column("1. Materi", [5, 4.0, "3", None, "-"]).kind == "likert"
    assert scales.infer_column("Materi", [1, 2, 3]).scale_max == 5
    assert scales.infer_column("Materi", [1, 7]).scale_max == 7
    assert scales.infer_column("Umur", [25, 40]).kind == "open"


def test_words_of_a_known_scale_make_a_labelled_column() -> None:
    spec = scales.infer_column("Penilaian [Penguasaan materi]", ["Baik", "sangat baik", "Cukup"])
    assert spec.kind == "labels" and spec.labels == FIVE
    assert scales.infer_column("Saran", ["Bagus sekali", "Baik"]).kind == "open"
    assert scales.infer_column("Kosong", ["", None]).kind == "open"


def test_a_label_list_is_written_highest_first() -> None:
    assert scales.parse_labels("Sangat Baik / Baik / Cukup / Kurang / Sangat Kurang") == FIVE
    assert scales.parse_labels("Sangat Kurang/Kurang/Cukup/Baik/Sangat Baik") == FIVE
    assert scales.parse_labels("Tinggi / Sedang / Rendah") == ("Rendah", "Sedang", "Tinggi")


def test_a_label_or_its_number_gives_the_level() -> None:
    assert scales.label_level(FIVE, "SANGAT BAIK") == 5
    assert scales.label_level(FIVE, "kurang") == 2
    assert scales.label_level(FIVE, 3) == 3
    assert scales.label_level(FIVE, "Luar biasa") is None
    assert scales.label_level(FIVE, 6) is None


def test_grid_headers_and_numbering_become_the_question() -> None:
    assert scales.item_text("1. Materi sesuai") == "Materi sesuai"
    assert (
        scales.item_text("Penilaian terhadap narasumber/fasilitator [Cara penyajian]")
        == "Penilaian terhadap narasumber/fasilitator: Cara penyajian"
    )
    assert scales.guess_section("Sarana dan prasarana pelatihan memadai") == "sarana"
    assert scales.guess_section("Saya dapat menerapkan hasil pelatihan") == "relevansi"
    assert scales.guess_section("Secara keseluruhan saya puas") == "umum"


@given(st.lists(st.integers(min_value=1, max_value=10), min_size=1))
def test_every_numeric_answer_fits_the_inferred_scale(levels: list[int]) -> None:
    spec = scales.infer_column("q", levels)
    assert spec.kind == "likert"
    assert max(levels) <= spec.scale_max and spec.scale_max in scales.NUMERIC_SCALES


@given(st.sampled_from(scales.KNOWN_LABEL_SCALES), st.data())
def test_every_known_label_round_trips(scale: tuple[str, ...], data: st.DataObject) -> None:
    level = data.draw(st.integers(min_value=1, max_value=len(scale)))
    assert scales.label_level(scale, scale[level - 1].upper()) == level


def test_a_level_written_with_its_label_is_read_as_its_number() -> None:
    # as forms whose options carry both export them
    for text, level in [("4 - Setuju", 4), ("Sangat Setuju (5)", 5), ("5. Sangat Setuju", 5),
                        ("(4) Setuju", 4), ("Setuju = 4", 4), (" 3 – Ragu-ragu ", 3)]:  # fmt: skip
        assert scales.likert_level(text) == level, text
    for text in ["Sangat puas sekali", "Tahun 2025", "1-4", "4 dan 5", ""]:
        assert scales.likert_level(text) is None, text
    spec = scales.infer_column("1. Materi", ["4 - Setuju", "5 - Sangat Setuju", "3 - Ragu-ragu"])
    assert spec.kind == "likert" and spec.scale_max == 5


def test_abbreviated_options_are_their_labelled_scale() -> None:
    """Forms abbreviate options by the words' first letters: SS = Sangat Setuju …"""
    spec = scales.infer_column("Materi", ["SS", "S", "N", "TS", "STS", "s"])
    assert spec.kind == "labels"
    assert spec.labels == (
        "Sangat Tidak Setuju",
        "Tidak Setuju",
        "Netral",
        "Setuju",
        "Sangat Setuju",
    )
    assert [scales.label_level(spec.labels, v) for v in ("sts", "TS", "N", "S", "SS")] == [
        1,
        2,
        3,
        4,
        5,
    ]
    ragu = scales.infer_column("Materi", ["SS", "S", "R", "TS"])
    assert ragu.labels[2] == "Ragu-ragu"
    assert scales.infer_column("Fasilitas", ["SB", "B", "C", "K"]).labels[-1] == "Sangat Baik"
    assert scales.infer_column("Kepuasan", ["SP", "P", "CP"]).labels[-1] == "Sangat Puas"


def test_a_stray_answer_does_not_turn_a_rating_column_into_free_text() -> None:
    """One typed answer among 52 leaves the column a 1–5 item (the row check reports that
    answer); a column with fewer than nine answers in ten on a scale is free text."""
    answers = ["5"] * 40 + ["4"] * 11 + ["Sangat puas sekali"]
    assert scales.infer_column("8. Secara keseluruhan saya puas", answers).kind == "likert"
    assert scales.infer_column("Materi", ["Baik"] * 10 + ["Luar biasa"]).kind == "labels"
    assert scales.infer_column("Materi", ["5"] * 8 + ["ok", "bagus"]).kind == "open"
    # a question inviting words stays free text, even answered "Baik" by most
    assert (
        scales.infer_column("Saran untuk panitia", ["Baik"] * 10 + ["Tambah waktu"]).kind == "open"
    )


def test_a_scale_the_header_states_is_the_items_scale() -> None:
    assert scales.stated_scale("Kepuasan (1-4)") == 4
    assert scales.stated_scale("Nilai 1 s.d. 4") == 4
    assert scales.stated_scale("skala 1 sampai 5") == 5
    assert scales.stated_scale("Materi 2025") is None
    assert scales.infer_column("Materi (1-4)", ["3", "4", "2"]).scale_max == 4
    assert scales.infer_column("Materi (1-4)", ["3", "5"]).scale_max == 5  # answers win


def test_a_file_whose_numeric_items_never_reach_five_is_read_on_four() -> None:
    specs = {h: scales.infer_column(h, ["4", "3"]) for h in ("A", "B")}
    many = {"A": ["4", "3", "2"] * 10, "B": ["4"] * 30}
    assert scales.four_point(specs, many)
    assert not scales.four_point(specs, {"A": ["4", "3"], "B": ["4"]})  # too few answers
    assert not scales.four_point(specs, {"A": ["3"] * 30, "B": ["2"] * 30})  # never 4 either
    five = {h: scales.infer_column(h, ["5", "3"]) for h in ("A", "B")}
    assert not scales.four_point(five, {"A": ["5"] * 30, "B": ["4"] * 30})


def test_a_number_with_a_unit_is_not_a_level_with_its_label() -> None:
    # "2 jam", "3 jam": one wording for several numbers is a quantity, not a scale's options
    assert scales.infer_column("Durasi", ["2 jam", "3 jam", "1 jam", "2 jam"]).kind == "open"
    # "4 - Setuju", "5 - Sangat Setuju": each number its own words, each wording one number
    spec = scales.infer_column("Materi", ["4 - Setuju", "5 - Sangat Setuju", "4 - Setuju"])
    assert spec.kind == "likert"


def test_a_quantity_or_a_code_is_not_read_as_a_scale() -> None:
    # found in review: each of these became a 1–5 or labelled item
    assert scales.infer_column("Durasi", ["2 hari"] * 5).kind == "open"
    assert scales.infer_column("Waktu", ["2 minggu", "3 hari", "1 bulan"]).kind == "open"
    assert scales.infer_column("Ruang", ["B", "C", "B"]).kind == "open"
    # while options with their numbers, in brackets or after an em dash, are a scale
    assert scales.infer_column("Materi", ["5 (Sangat Baik)", "4 (Baik)"]).kind == "likert"
    assert scales.infer_column("Materi", ["4 — Setuju", "5 — Sangat Setuju"]).kind == "likert"
    assert scales.infer_column("Materi", ["4", "5", "4 - Setuju", "3"]).kind == "likert"


def test_a_rated_statement_using_a_word_that_can_invite_text_stays_rated() -> None:
    assert scales.infer_column("Pelatihan sesuai dengan harapan saya", [4, 5, 3]).kind == "likert"
    assert (
        scales.infer_column("Narasumber terbuka terhadap masukan", ["Baik", "Sangat Baik"]).kind
        == "labels"
    )
    assert scales.infer_column("Harapan Anda", ["Baik"] * 10).kind == "open"
