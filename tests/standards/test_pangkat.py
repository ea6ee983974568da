"""Pangkat → golongan/ruang, pinned to PP 99/2000 jo. PP 12/2002, Lampiran I."""

from __future__ import annotations

from datetime import date

import pytest

from kompeten.standards.pangkat import PANGKAT_2002, PangkatTable, golongan_of

# PP 99/2000 (as amended by PP 12/2002), Lampiran I, "Pangkat, golongan dan ruang PNS":
# I/a Juru Muda · I/b Juru Muda Tingkat I · I/c Juru · I/d Juru Tingkat I ·
# II/a Pengatur Muda · II/b Pengatur Muda Tingkat I · II/c Pengatur · II/d Pengatur Tingkat I ·
# III/a Penata Muda · III/b Penata Muda Tingkat I · III/c Penata · III/d Penata Tingkat I ·
# IV/a Pembina · IV/b Pembina Tingkat I · IV/c Pembina Utama Muda · IV/d Pembina Utama Madya ·
# IV/e Pembina Utama
LAMPIRAN_I = [
    ("Juru Muda", "I/a"),
    ("Juru Muda Tingkat I", "I/b"),
    ("Juru", "I/c"),
    ("Juru Tingkat I", "I/d"),
    ("Pengatur Muda", "II/a"),
    ("Pengatur Muda Tingkat I", "II/b"),
    ("Pengatur", "II/c"),
    ("Pengatur Tingkat I", "II/d"),
    ("Penata Muda", "III/a"),
    ("Penata Muda Tingkat I", "III/b"),
    ("Penata", "III/c"),
    ("Penata Tingkat I", "III/d"),
    ("Pembina", "IV/a"),
    ("Pembina Tingkat I", "IV/b"),
    ("Pembina Utama Muda", "IV/c"),
    ("Pembina Utama Madya", "IV/d"),
    ("Pembina Utama", "IV/e"),
]


@pytest.mark.parametrize(("pangkat", "golongan"), LAMPIRAN_I)
def test_each_pangkat_has_its_golongan(pangkat: str, golongan: str) -> None:
    assert golongan_of(pangkat) == golongan


def test_the_table_is_the_seventeen_ranks_of_the_domain_reference() -> None:
    """DOMAIN.md: golongan/ruang I/a–I/d, II/a–II/d, III/a–III/d, IV/a–IV/e."""
    ranks = [f"{g}/{r}" for g, last in (("I", "d"), ("II", "d"), ("III", "d"), ("IV", "e"))
             for r in "abcde"[: "abcde".index(last) + 1]]  # fmt: skip
    assert list(PANGKAT_2002.golongan.values()) == ranks
    assert dict(LAMPIRAN_I) == dict(PANGKAT_2002.golongan)


@pytest.mark.parametrize(
    ("written", "golongan"),
    [
        ("Penata Muda Tk. I", "III/b"),
        ("Penata Muda Tk.I", "III/b"),
        ("PENATA MUDA TK I", "III/b"),
        ("Pengatur Muda Tkt. I", "II/b"),
        ("Pembina Tingkat 1", "IV/b"),
        ("pembina utama madya", "IV/d"),
        ("Penata  Tk-I", "III/d"),
    ],
)
def test_tingkat_i_as_people_write_it(written: str, golongan: str) -> None:
    assert golongan_of(written) == golongan


@pytest.mark.parametrize("written", ["Penata Muda Tingkat II", "Pembina Utama Pratama", "", "IX"])
def test_a_name_not_in_the_table_has_no_golongan(written: str) -> None:
    assert golongan_of(written) is None


def test_a_table_with_a_golongan_twice_or_misspelled_is_refused() -> None:
    head = {"regulation": "x", "effective_from": date(2002, 1, 1), "confidence": "HIGH"}
    with pytest.raises(ValueError, match="one pangkat"):
        PangkatTable(**head, golongan={"Penata": "III/c", "Penata Tingkat I": "III/c"})
    with pytest.raises(ValueError, match="not a golongan"):
        PangkatTable(**head, golongan={"Penata": "3c"})
