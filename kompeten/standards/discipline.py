"""The level of a disciplinary sanction (hukuman disiplin PNS) from the sanction itself.

A BKPSDM's discipline register often names the sanction ("Teguran tertulis", "Pemotongan
tunjangan kinerja 25% selama 6 bulan") rather than its level; the level is what the IP ASN's
disiplin sub-score reads (ringan 3, sedang 2, berat 1). The kinds and their levels:

PP 94/2021 tentang Disiplin PNS, Pasal 8 (HIGH):

* ringan: teguran lisan; teguran tertulis; pernyataan tidak puas secara tertulis;
* sedang: pemotongan tunjangan kinerja sebesar 25 % selama 6, 9 or 12 bulan;
* berat: penurunan jabatan setingkat lebih rendah selama 12 bulan; pembebasan dari jabatannya
  menjadi jabatan pelaksana selama 12 bulan; pemberhentian dengan hormat tidak atas permintaan
  sendiri sebagai PNS.

PP 53/2010 (replaced by PP 94/2021; records before 2021 use it), Pasal 7 (MED):

* ringan: the same three;
* sedang: penundaan kenaikan gaji berkala selama 1 tahun; penundaan kenaikan pangkat selama
  1 tahun; penurunan pangkat setingkat lebih rendah selama 1 tahun;
* berat: penurunan pangkat setingkat lebih rendah selama 3 tahun; pemindahan dalam rangka
  penurunan jabatan setingkat lebih rendah; pembebasan dari jabatan; pemberhentian dengan
  hormat tidak atas permintaan sendiri; pemberhentian tidak dengan hormat.

Registers abbreviate ("tukin", "KGB") and reword, so a kind is recognised by the words that set
it apart, read on the text folded to lower-case words; "penurunan pangkat" alone, without its
one or three years, names no level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kompeten.standards._tables import RegulationTable

RINGAN, SEDANG, BERAT = "ringan", "sedang", "berat"


@dataclass(frozen=True)
class SanctionKinds(RegulationTable):
    """(words that name a kind of sanction, its level), tried in order: the first match wins."""

    kinds: tuple[tuple[str, str], ...]


SANCTIONS = SanctionKinds(
    regulation="PP Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil, Pasal 8; "
    "PP Nomor 53 Tahun 2010, Pasal 7 (sanctions recorded before 2021)",
    effective_from=date(2021, 9, 14),
    confidence="HIGH",
    kinds=(
        (r"\bteguran\b", RINGAN),
        (r"\btidak puas\b", RINGAN),
        (r"\b(pemotongan|potong|dipotong)\b.*\b(tunjangan kinerja|tukin|tpp)\b", SEDANG),
        (r"\bpenundaan\b.*\b(gaji berkala|kgb|kenaikan gaji|kenaikan pangkat|kp)\b", SEDANG),
        (r"\bpenurunan pangkat\b.*\b(1|satu)\s*(tahun|thn)\b", SEDANG),
        (r"\bpenurunan pangkat\b.*\b(3|tiga)\s*(tahun|thn)\b", BERAT),
        (r"\bpenurunan jabatan\b", BERAT),
        (r"\b(pembebasan|dibebaskan)\b.*\bjabatan", BERAT),
        (r"\b(pemberhentian|diberhentikan)\b", BERAT),
    ),
)


def level_of(sanction: str, table: SanctionKinds = SANCTIONS) -> str | None:
    """The level (ringan, sedang, berat) of a sanction written in words, None when the words
    name no kind of the table."""
    words = " ".join(re.sub(r"[^0-9a-z%]+", " ", sanction.casefold()).split())
    for pattern, level in table.kinds:
        if re.search(pattern, words):
            return level
    return None
