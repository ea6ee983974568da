"""SKP predikat kinerja (PermenPANRB 6/2022; HIGH).

The yearly predikat follows from two ratings, hasil kerja (work results) and perilaku kerja
(behaviour), each Di Atas / Sesuai / Di Bawah Ekspektasi:

=====================  ===============  ===============  ===================
hasil kerja \\ perilaku  di atas          sesuai           di bawah
=====================  ===============  ===============  ===================
di atas                Sangat Baik      Baik             Kurang/Misconduct
sesuai                 Baik             Baik             Kurang/Misconduct
di bawah               Butuh Perbaikan  Butuh Perbaikan  Sangat Kurang
=====================  ===============  ===============  ===================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kompeten.standards._tables import (
    BandTable,
    LabelledStrEnum,
    Number,
    RegulationTable,
    freeze_mapping,
    make_bands,
    round_half_up,
)


class Rating(LabelledStrEnum):
    """Rating of hasil kerja or perilaku against the supervisor's expectation."""

    DI_ATAS = "di_atas", "Di Atas Ekspektasi"
    SESUAI = "sesuai", "Sesuai Ekspektasi"
    DI_BAWAH = "di_bawah", "Di Bawah Ekspektasi"

    @classmethod
    def parse(cls, text: str) -> Rating:
        """From a value (``"di_atas"``) or a label in any case (``"Di Atas Ekspektasi"``), also
        written as one word, as many exports and letters do (``"DIATAS EKSPEKTASI"``)."""
        key = " ".join(text.replace("_", " ").lower().split()).removesuffix(" ekspektasi")
        key = {"diatas": "di atas", "dibawah": "di bawah"}.get(key, key)
        for rating in cls:
            if key == rating.value.replace("_", " "):
                return rating
        raise ValueError(
            f"Penilaian {text!r} tidak dikenal: pilih Di Atas, Sesuai atau Di Bawah Ekspektasi"
        )


class Predikat(LabelledStrEnum):
    """Predikat kinerja pegawai."""

    SANGAT_BAIK = "sangat_baik", "Sangat Baik"
    BAIK = "baik", "Baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan", "Butuh Perbaikan"
    KURANG = "kurang", "Kurang/Misconduct"
    SANGAT_KURANG = "sangat_kurang", "Sangat Kurang"

    @classmethod
    def parse(cls, text: str) -> Predikat:
        """From a value (``"sangat_baik"``) or a label in any case and spacing (``"SANGAT
        BAIK"``); "Kurang", "Misconduct" and "Kurang/Misconduct" are the one predikat."""
        key = " ".join(text.replace("_", " ").replace("/", " / ").lower().split())
        if key in ("kurang", "misconduct"):
            return cls.KURANG
        for member in cls:
            label = " ".join(member.label.replace("/", " / ").lower().split())
            if key in (member.value.replace("_", " "), label):
                return member
        raise ValueError(f"Predikat {text!r} tidak dikenal")


@dataclass(frozen=True)
class SkpMatrix(RegulationTable):
    """Predikat by (hasil kerja, perilaku)."""

    cells: Mapping[tuple[Rating, Rating], Predikat]

    def __post_init__(self) -> None:
        super().__post_init__()
        expected = {(h, p) for h in Rating for p in Rating}
        if set(self.cells) != expected:
            raise ValueError("the SKP matrix needs all nine (hasil kerja, perilaku) cells")
        object.__setattr__(self, "cells", freeze_mapping(self.cells))


_A, _S, _B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH

SKP_2022 = SkpMatrix(
    regulation="PermenPANRB Nomor 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai Aparatur Sipil "
    "Negara, Lampiran: predikat kinerja pegawai",
    effective_from=date(2022, 1, 1),
    confidence="HIGH",
    cells={
        (_A, _A): Predikat.SANGAT_BAIK,
        (_A, _S): Predikat.BAIK,
        (_A, _B): Predikat.KURANG,
        (_S, _A): Predikat.BAIK,
        (_S, _S): Predikat.BAIK,
        (_S, _B): Predikat.KURANG,
        (_B, _A): Predikat.BUTUH_PERBAIKAN,
        (_B, _S): Predikat.BUTUH_PERBAIKAN,
        (_B, _B): Predikat.SANGAT_KURANG,
    },
)


def predikat(
    hasil_kerja: Rating | str, perilaku: Rating | str, matrix: SkpMatrix = SKP_2022
) -> Predikat:
    """The predikat for a hasil kerja rating and a perilaku rating.

    >>> predikat(Rating.DI_ATAS, Rating.SESUAI).label
    'Baik'
    """
    h = hasil_kerja if isinstance(hasil_kerja, Rating) else Rating.parse(hasil_kerja)
    p = perilaku if isinstance(perilaku, Rating) else Rating.parse(perilaku)
    return matrix.cells[(h, p)]


# The old SKP (PP 46/2011, in force until PP 30/2019 and PermenPANRB 8/2021 replaced it): the
# nilai capaian SKP and its sebutan (Pasal 17 ayat (2)): 91 ke atas Sangat Baik, 76–90 Baik,
# 61–75 Cukup, 51–60 Kurang, 50 ke bawah Buruk. The bands are written on whole numbers, so a
# score with decimals between two of them (90,86) is read two ways by the recaps: in the band
# below the next whole bound (90,86 Baik, the table below), or in the band of the score rounded
# to a whole number first (90,86 → 91, Sangat Baik); see sebutan_2011_readings. MED: the bands
# are those the Pasal is quoted with in BKN guidance; the regulation's text itself was not at
# hand.
SKP_2011_SEBUTAN = BandTable(
    regulation="PP Nomor 46 Tahun 2011 tentang Penilaian Prestasi Kerja PNS, Pasal 17 ayat (2)",
    effective_from=date(2014, 1, 1),
    confidence="MED",
    bands=make_bands(
        [
            ("0.00", "50.99", "buruk", "Buruk"),
            ("51.00", "60.99", "kurang", "Kurang"),
            ("61.00", "75.99", "cukup", "Cukup"),
            ("76.00", "90.99", "baik", "Baik"),
            ("91.00", "100.00", "sangat_baik", "Sangat Baik"),
        ]
    ),
)


# The last year appraised with the old SKP's nilai capaian: from 2022 the SKP of PP 30/2019
# (PermenPANRB 8/2021, then 6/2022) gives a predikat alone. MED.
LAST_SKP_2011_YEAR = 2021


def sebutan_2011(score: Number) -> str:
    """The old SKP's sebutan of a nilai capaian 0–100 (PP 46/2011 Pasal 17 ayat (2))."""
    return SKP_2011_SEBUTAN.categorise(score).label


def sebutan_2011_readings(score: Number) -> tuple[str, ...]:
    """Every sebutan a recap may print beside ``score``: the score's own band, then, where it
    differs, the band of the score rounded half up to a whole number (90,86 → Baik, Sangat
    Baik), since the Pasal's bounds are whole numbers and leave the decimals between them to the
    recap.

    >>> sebutan_2011_readings(88.25)
    ('Baik',)
    >>> sebutan_2011_readings(90.86)
    ('Baik', 'Sangat Baik')
    """
    readings = (sebutan_2011(score), sebutan_2011(round_half_up(score, 0)))
    return tuple(dict.fromkeys(readings))
