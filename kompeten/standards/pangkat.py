"""Pangkat, the PNS rank's name, and its golongan/ruang (PP 99/2000 jo. PP 12/2002; HIGH).

A PNS holds one of seventeen pangkat, each with its golongan and ruang (Lampiran I of PP 99/2000
on the promotion of civil servants, as amended by PP 12/2002):

=====  =======================  =====  =======================
gol.   pangkat                  gol.   pangkat
=====  =======================  =====  =======================
I/a    Juru Muda                III/a  Penata Muda
I/b    Juru Muda Tingkat I      III/b  Penata Muda Tingkat I
I/c    Juru                     III/c  Penata
I/d    Juru Tingkat I           III/d  Penata Tingkat I
II/a   Pengatur Muda            IV/a   Pembina
II/b   Pengatur Muda Tingkat I  IV/b   Pembina Tingkat I
II/c   Pengatur                 IV/c   Pembina Utama Muda
II/d   Pengatur Tingkat I       IV/d   Pembina Utama Madya
                                IV/e   Pembina Utama
=====  =======================  =====  =======================

A SIMPEG list often gives only the pangkat ("Penata Muda Tk. I"); its golongan follows from this
table alone. "Tingkat I" is written "Tk. I", "Tk.I" or "TK I" as often as in full.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kompeten.standards._tables import RegulationTable, freeze_mapping

_GOLONGAN = re.compile(r"^(I|II|III|IV)/[a-e]$")


@dataclass(frozen=True)
class PangkatTable(RegulationTable):
    """Golongan/ruang ("III/b") by pangkat name ("Penata Muda Tingkat I")."""

    golongan: Mapping[str, str]

    def __post_init__(self) -> None:
        super().__post_init__()
        for name, value in self.golongan.items():
            if not _GOLONGAN.match(value):
                raise ValueError(f"pangkat {name!r}: {value!r} is not a golongan/ruang")
        if len(set(self.golongan.values())) != len(self.golongan):
            raise ValueError("each golongan/ruang has one pangkat")
        object.__setattr__(self, "golongan", freeze_mapping(self.golongan))


PANGKAT_2002 = PangkatTable(
    regulation="PP Nomor 99 Tahun 2000 tentang Kenaikan Pangkat PNS sebagaimana diubah dengan "
    "PP Nomor 12 Tahun 2002, Lampiran I: pangkat, golongan dan ruang",
    effective_from=date(2002, 3, 20),
    confidence="HIGH",
    golongan={
        "Juru Muda": "I/a",
        "Juru Muda Tingkat I": "I/b",
        "Juru": "I/c",
        "Juru Tingkat I": "I/d",
        "Pengatur Muda": "II/a",
        "Pengatur Muda Tingkat I": "II/b",
        "Pengatur": "II/c",
        "Pengatur Tingkat I": "II/d",
        "Penata Muda": "III/a",
        "Penata Muda Tingkat I": "III/b",
        "Penata": "III/c",
        "Penata Tingkat I": "III/d",
        "Pembina": "IV/a",
        "Pembina Tingkat I": "IV/b",
        "Pembina Utama Muda": "IV/c",
        "Pembina Utama Madya": "IV/d",
        "Pembina Utama": "IV/e",
    },
)

# "Tk. I", "Tk.I", "TK-I", "Tingkat 1": the same "Tingkat I"
_TINGKAT = re.compile(r"\b(?:tingkat|tkt|tk)\s*[.\-]?\s*(?:i|1)\b")


def _key(name: str) -> str:
    text = " ".join(name.casefold().replace(".", ". ").split())
    text = _TINGKAT.sub("tingkat i", text)
    return " ".join(re.sub(r"[^a-z ]", " ", text).split())


def golongan_of(pangkat: str, table: PangkatTable = PANGKAT_2002) -> str | None:
    """The golongan/ruang of a pangkat as people write it, or None for a name not in the table.

    >>> golongan_of("Penata Muda Tk. I")
    'III/b'
    """
    wanted = _key(pangkat)
    for name, golongan in table.golongan.items():
        if _key(name) == wanted:
            return golongan
    return None
