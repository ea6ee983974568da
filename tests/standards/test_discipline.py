"""The level of a sanction from its name: every kind PP 94/2021 Pasal 8 and PP 53/2010 Pasal 7
list, as the regulations word them and as registers abbreviate them."""

from __future__ import annotations

import pytest

from kompeten.standards.discipline import BERAT, RINGAN, SEDANG, level_of

# PP 94/2021 Pasal 8 ayat (2), (3) and (4), word for word
PP_94_2021 = [
    ("teguran lisan", RINGAN),
    ("teguran tertulis", RINGAN),
    ("pernyataan tidak puas secara tertulis", RINGAN),
    (
        "pemotongan tunjangan kinerja sebesar 25% (dua puluh lima persen) selama 6 (enam) bulan",
        SEDANG,
    ),
    (
        "pemotongan tunjangan kinerja sebesar 25% (dua puluh lima persen) selama 9 (sembilan) bulan",
        SEDANG,
    ),
    (
        "pemotongan tunjangan kinerja sebesar 25% (dua puluh lima persen) selama 12 (dua belas) bulan",
        SEDANG,
    ),
    ("penurunan jabatan setingkat lebih rendah selama 12 (dua belas) bulan", BERAT),
    ("pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 (dua belas) bulan", BERAT),
    ("pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS", BERAT),
]
# PP 53/2010 Pasal 7 ayat (3) and (4), the kinds PP 94/2021 dropped
PP_53_2010 = [
    ("penundaan kenaikan gaji berkala selama 1 (satu) tahun", SEDANG),
    ("penundaan kenaikan pangkat selama 1 (satu) tahun", SEDANG),
    ("penurunan pangkat setingkat lebih rendah selama 1 (satu) tahun", SEDANG),
    ("penurunan pangkat setingkat lebih rendah selama 3 (tiga) tahun", BERAT),
    ("pemindahan dalam rangka penurunan jabatan setingkat lebih rendah", BERAT),
    ("pembebasan dari jabatan", BERAT),
    ("pemberhentian tidak dengan hormat sebagai PNS", BERAT),
]


@pytest.mark.parametrize(("sanction", "level"), PP_94_2021 + PP_53_2010)
def test_every_kind_the_regulations_list_has_its_level(sanction: str, level: str) -> None:
    assert level_of(sanction) == level


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("Teguran Tertulis", RINGAN),
        ("TEGURAN LISAN", RINGAN),
        ("Pemotongan Tukin 25% 6 bln", SEDANG),
        ("Potong TPP 25% selama 9 bulan", SEDANG),
        ("Penundaan KGB 1 thn", SEDANG),
        ("Penurunan pangkat 3 thn", BERAT),
        ("Dibebaskan dari jabatan", BERAT),
        ("Diberhentikan dengan hormat", BERAT),
    ],
)
def test_a_register_s_shorthand_is_read_too(written: str, level: str) -> None:
    assert level_of(written) == level


@pytest.mark.parametrize("written", ["penurunan pangkat", "sanksi", "mutasi", ""])
def test_words_that_name_no_kind_or_no_duration_name_no_level(written: str) -> None:
    assert level_of(written) is None
