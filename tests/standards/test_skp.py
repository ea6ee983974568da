from __future__ import annotations

import pytest

from kompeten.standards.skp import (
    SKP_2022,
    Predikat,
    Rating,
    SkpMatrix,
    predikat,
    sebutan_2011,
    sebutan_2011_readings,
)

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH

# PermenPANRB 6/2022, Lampiran: predikat kinerja pegawai from hasil kerja × perilaku kerja.
MATRIX = [
    (A, A, "Sangat Baik"),
    (A, S, "Baik"),
    (A, B, "Kurang/Misconduct"),
    (S, A, "Baik"),
    (S, S, "Baik"),
    (S, B, "Kurang/Misconduct"),
    (B, A, "Butuh Perbaikan"),
    (B, S, "Butuh Perbaikan"),
    (B, B, "Sangat Kurang"),
]


@pytest.mark.parametrize(("hasil_kerja", "perilaku", "label"), MATRIX)
def test_each_of_the_nine_cells(hasil_kerja: Rating, perilaku: Rating, label: str) -> None:
    assert predikat(hasil_kerja, perilaku).label == label


def test_ratings_and_predikat_have_indonesian_labels() -> None:
    assert [r.label for r in Rating] == [
        "Di Atas Ekspektasi",
        "Sesuai Ekspektasi",
        "Di Bawah Ekspektasi",
    ]
    assert Predikat.BUTUH_PERBAIKAN.label == "Butuh Perbaikan"


def test_ratings_can_be_given_as_text() -> None:
    assert predikat("Di Atas Ekspektasi", "sesuai") is Predikat.BAIK
    assert predikat("di_bawah", "DI BAWAH EKSPEKTASI") is Predikat.SANGAT_KURANG


@pytest.mark.parametrize(
    ("written", "rating"),
    [("DIATAS EKSPEKTASI", A), ("Diatas", A), ("dibawah ekspektasi", B), ("Sesuai", S)],
)
def test_ratings_written_as_one_word_are_read(written: str, rating: Rating) -> None:
    assert Rating.parse(written) is rating


@pytest.mark.parametrize("written", ["diatasnya", "atas", "di  atas  sekali", ""])
def test_other_words_are_not_a_rating(written: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        Rating.parse(written)


def test_an_unknown_rating_is_refused_in_indonesian() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        predikat("luar biasa", "sesuai")


def test_a_matrix_needs_all_nine_cells() -> None:
    with pytest.raises(ValueError, match="nine"):
        SkpMatrix(
            regulation="x",
            effective_from=SKP_2022.effective_from,
            confidence="HIGH",
            cells={(A, A): Predikat.SANGAT_BAIK},
        )


def test_the_matrix_cites_its_regulation() -> None:
    assert "6 Tahun 2022" in SKP_2022.regulation
    assert SKP_2022.confidence == "HIGH"


@pytest.mark.parametrize(
    ("written", "member"),
    [
        ("SANGAT BAIK", Predikat.SANGAT_BAIK),
        ("butuh_perbaikan", Predikat.BUTUH_PERBAIKAN),
        ("Kurang / Misconduct", Predikat.KURANG),
        ("misconduct", Predikat.KURANG),
        (" sangat  kurang ", Predikat.SANGAT_KURANG),
    ],
)
def test_a_predikat_is_read_from_its_label_or_value(written: str, member: Predikat) -> None:
    assert Predikat.parse(written) is member


@pytest.mark.parametrize("written", ["Istimewa", "baik sekali", ""])
def test_other_words_are_not_a_predikat(written: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        Predikat.parse(written)


@pytest.mark.parametrize(
    ("score", "sebutan"),
    [
        # PP 46/2011 Pasal 17 ayat (2): "a. 91 – ke atas: Sangat Baik; b. 76 – 90: Baik;
        # c. 61 – 75: Cukup; d. 51 – 60: Kurang; e. 50 ke bawah: Buruk"
        (100, "Sangat Baik"),
        (91, "Sangat Baik"),
        (90, "Baik"),
        (90.86, "Baik"),  # as recaps print a score with decimals: below the next whole bound
        (76, "Baik"),
        (75, "Cukup"),
        (61, "Cukup"),
        (60, "Kurang"),
        (51, "Kurang"),
        (50, "Buruk"),
        (0, "Buruk"),
    ],
)
def test_the_old_skp_sebutan_follows_pp_46_2011(score: float, sebutan: str) -> None:
    assert sebutan_2011(score) == sebutan


@pytest.mark.parametrize(
    ("score", "readings"),
    [
        # PP 46/2011 Pasal 17 ayat (2): "a. 91 – ke atas: Sangat Baik; b. 76 – 90: Baik; ...":
        # whole bounds, so a score with decimals between 90 and 91 is Baik as it stands and
        # Sangat Baik once rounded; one inside a band has one reading
        (88.25, ("Baik",)),
        (90.49, ("Baik",)),
        (90.5, ("Baik", "Sangat Baik")),
        (90.86, ("Baik", "Sangat Baik")),
        (75.5, ("Cukup", "Baik")),
        (60.6, ("Kurang", "Cukup")),
        (50.5, ("Buruk", "Kurang")),
        (91, ("Sangat Baik",)),
        (76, ("Baik",)),
    ],
)
def test_a_score_between_whole_bounds_reads_in_either_band(
    score: float, readings: tuple[str, ...]
) -> None:
    assert sebutan_2011_readings(score) == readings
