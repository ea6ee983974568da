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
