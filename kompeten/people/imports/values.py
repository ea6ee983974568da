"""Reading the registry's values as people write them: sex, status, golongan and PPPK
grade, jabatan kind (structural posts from their names), education, active."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from kompeten.standards.pangkat import golongan_of

# The third unit level's column as SIMPEG lists head it (SKPD › Unit Kerja › Sub Unit Kerja),
# read by the employee import and by the OPD tree import alike
SUB_UNIT_HEADERS = (
    "Sub Unit Kerja",
    "Sub Unit",
    "Nama Sub Unit",
    "Sub Unit Organisasi",
    "Sub UNOR",
)


def _key(text: Any) -> str:
    """Spelling key: lower case, letters and digits only ("Tgl. Lahir" → "tgllahir")."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


# --- value parsing ------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value.__class__ is str:
        return " ".join(value.split()) if " " in value or "\t" in value or "\n" in value else value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())


SEX_VALUES = {
    "l": "L",
    "lk": "L",
    "lakilaki": "L",
    "laki": "L",
    "pria": "L",
    "1": "L",
    "m": "L",
    "male": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
    "2": "P",
    "f": "P",
    "female": "P",
}
STATUS_VALUES = {
    "pns": "PNS",
    "cpns": "PNS",
    "pppk": "PPPK",
    "p3k": "PPPK",
    "pegawaipemerintahdenganperjanjiankerja": "PPPK",
    "pegawainegerisipil": "PNS",
    "calonpegawainegerisipil": "PNS",
}
ACTIVE_VALUES = {
    "ya": True,
    "y": True,
    "aktif": True,
    "1": True,
    "true": True,
    "benar": True,
    "tidak": False,
    "t": False,
    "n": False,
    "no": False,
    "tidakaktif": False,
    "nonaktif": False,
    "0": False,
    "false": False,
    "salah": False,
    # SIASN's KEDUDUKAN HUKUM NAMA: still an ASN of this instansi …
    "tugasbelajar": True,
    "masapersiapanpensiun": True,
    "mpp": True,
    "cltn": True,
    "cutidiluartanggungannegara": True,
    "pemberhentiansementara": True,
    "diberhentikansementara": True,
    "hukumandisiplin": True,
    # … or no longer one.
    "pensiun": False,
    "meninggal": False,
    "meninggaldunia": False,
    "wafat": False,
    "berhenti": False,
    "diberhentikan": False,
    "pemberhentian": False,
    "pemberhentiandenganhormat": False,
    "pemberhentiantidakdenganhormat": False,
    "mutasikeluar": False,
    "pindahinstansi": False,
    "pindahkeluar": False,
    "keluar": False,
}
EDUCATION_VALUES = {
    "sd": "SD",
    "mi": "SD",
    "sekolahdasar": "SD",
    "smp": "SMP",
    "sltp": "SMP",
    "mts": "SMP",
    "sma": "SLTA",
    "smk": "SLTA",
    "slta": "SLTA",
    "ma": "SLTA",
    "stm": "SLTA",
    "smea": "SLTA",
    "smu": "SLTA",
    "slta/sma/smk": "SLTA",
    "slta/smk": "SLTA",
    "sltasmasmk": "SLTA",
    "d1": "D-I",
    "di": "D-I",
    "diploma1": "D-I",
    "diplomai": "D-I",
    "d2": "D-II",
    "dii": "D-II",
    "diploma2": "D-II",
    "diplomaii": "D-II",
    "d3": "D-III",
    "diii": "D-III",
    "diploma3": "D-III",
    "diplomaiii": "D-III",
    "d4": "D-IV",
    "div": "D-IV",
    "diploma4": "D-IV",
    "diplomaiv": "D-IV",
    "s1": "S-1",
    "strata1": "S-1",
    "sarjana": "S-1",
    "s1sarjana": "S-1",
    "d4sarjanaterapan": "D-IV",
    "sarjanaterapan": "D-IV",
    "s2magister": "S-2",
    "s3doktor": "S-3",
    "s2": "S-2",
    "strata2": "S-2",
    "magister": "S-2",
    "s3": "S-3",
    "strata3": "S-3",
    "doktor": "S-3",
    # as SIASN and SIMPEG spell some of them
    "diplomaiiisarjanamuda": "D-III",
    "sarjanamuda": "D-III",
    "stratai": "S-1",
    "strataii": "S-2",
    "strataiii": "S-3",
    "pascasarjana": "S-2",
    "sarjanas1": "S-1",
    "magisters2": "S-2",
    "doktors3": "S-3",
}
JABATAN_VALUES = {
    "jpt": "jpt",
    "jabatanpimpinantinggi": "jpt",
    "pimpinantinggi": "jpt",
    "jptutama": "jpt",
    "jptmadya": "jpt",
    "jptpratama": "jpt",
    "administrator": "administrator",
    "jabatanadministrator": "administrator",
    "pengawas": "pengawas",
    "jabatanpengawas": "pengawas",
    "fungsional": "fungsional",
    "jabatanfungsional": "fungsional",
    "fungsionaltertentu": "fungsional",
    "jft": "fungsional",
    "pelaksana": "pelaksana",
    "jabatanpelaksana": "pelaksana",
    "fungsionalumum": "pelaksana",
    "jabatanfungsionalumum": "pelaksana",
    "jabatanfungsionaltertentu": "fungsional",
    "jfu": "pelaksana",
    "staf": "pelaksana",
}
# SIASN's JENIS JABATAN NAMA says only "Jabatan Struktural"; the post's name says which level it
# is (Permendagri 5/2017 and the Perda on each OPD's structure: eselon II heads of OPD, III their
# secretaries, heads of bidang/bagian and camat, IV heads of seksi/subbagian, lurah, heads of UPTD).
# First match wins, so the specific prefixes come before the general ones.
STRUCTURAL_POSTS: tuple[tuple[str, str], ...] = (
    ("sekretarisdaerah", "jpt"),
    ("sekretarisdprd", "jpt"),
    ("sekretariskelurahan", "pengawas"),
    ("sekretarislurah", "pengawas"),
    ("sekretariscamat", "administrator"),
    ("sekretariskecamatan", "administrator"),
    ("sekretaris", "administrator"),
    ("asisten", "jpt"),
    ("stafahli", "jpt"),
    ("inspekturpembantu", "administrator"),
    ("inspektur", "jpt"),
    ("wakildirektur", "administrator"),
    ("direktur", "jpt"),
    ("kepalaseksi", "pengawas"),
    ("kasi", "pengawas"),
    ("kepalasub", "pengawas"),
    ("kasubag", "pengawas"),
    ("kasubbag", "pengawas"),
    ("kasubbid", "pengawas"),
    ("kepalaupt", "pengawas"),
    ("kepalaunit", "pengawas"),
    ("kepalapuskesmas", "pengawas"),
    ("lurah", "pengawas"),
    ("kepalabidang", "administrator"),
    ("kabid", "administrator"),
    ("kepalabagian", "administrator"),
    ("kabag", "administrator"),
    ("kepalakantor", "administrator"),
    ("camat", "administrator"),
    ("kepaladinas", "jpt"),
    ("kepalabadan", "jpt"),
    ("kepalasatuan", "jpt"),
    ("kepalapelaksana", "jpt"),
)
# Structural posts by echelon (UU 5/2014 Pasal 131): I–II → JPT, III → administrator, IV → pengawas.
ESELON_KIND = {"i": "jpt", "ii": "jpt", "iii": "administrator", "iv": "pengawas"}
# an Eselon column's value: "II.b", "III.a", "IV/a", "Eselon III.a", "V.a"
_ESELON = re.compile(r"(?:eselon\s*)?(iv|iii|ii|i|v)\s*[./\-]?\s*[ab]?", re.IGNORECASE)
# a functional post by its level's name (Ahli Muda, Terampil …) or a profession
_FUNCTIONAL_POST = re.compile(
    r"\b(ahli|terampil|mahir|penyelia|pemula|guru|dokter|perawat|bidan|apoteker|arsiparis"
    r"|pustakawan|penyuluh|auditor|widyaiswara|penilik|pamong belajar|sanitarian"
    r"|nutrisionis|epidemiolog|radiografer|pengawas sekolah|polisi pamong praja|penyidik)\b",
    re.IGNORECASE,
)
# a jabatan pelaksana by its name (PermenPANRB 41/2018 and the 2022 nomenclature: Pengadministrasi
# Perkantoran, Pengelola Layanan Operasional, Penata Layanan Operasional, Operator Layanan …),
# read only when the name says no functional level
_PELAKSANA_POST = re.compile(
    r"^(pengadministrasi|pengelola|pengolah|penata|operator|analis|pengemudi|pramu|petugas"
    r"|caraka|juru|pemelihara|bendahara|verifikator|staf|teknisi|penjaga|pengawal|pengantar"
    r"|pengumpul|penyusun|pengurus|penelaah|pelaksana)\b",
    re.IGNORECASE,
)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ROMAN_17 = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
    "xiii": 13,
    "xiv": 14,
    "xv": 15,
    "xvi": 16,
    "xvii": 17,
}
_GOLONGAN = re.compile(r"^(iv|iii|ii|i|[1-4])\s*[/\-.]?\s*([a-e])$", re.IGNORECASE)
_PARENS = re.compile(r"\(([^)]*)\)")
# "Penata Muda / III/a", "Penata Muda, III/a": the golongan after the pangkat's name
_GOLONGAN_AFTER_PANGKAT = re.compile(
    r"[a-z]\s*[/,\-–]\s*(iv|iii|ii|i)\s*[/\-.]?\s*([a-e])\s*$", re.IGNORECASE
)
# "Juru Muda I/a": after the pangkat's name and a space, written with its slash
_GOLONGAN_AFTER_SPACE = re.compile(r"[a-z]\s+(iv|iii|ii|i)\s*[/\-.]\s*([a-e])\s*$", re.IGNORECASE)
# "III/b - Penata Muda Tk.I", "III/b Penata Muda Tk. I": the golongan first, then the pangkat
_GOLONGAN_BEFORE_PANGKAT = re.compile(
    r"^(iv|iii|ii|i)\s*[/\-.]\s*([a-e])\s*(?:[,\-–/]\s*|\s+)[a-z]", re.IGNORECASE
)
ROMAN_NUMERALS = ("I", "II", "III", "IV")
# "Gol. III/a", "Golongan III/a", "Gol/Ruang: III/a": the word before the golongan
_GOLONGAN_WORD = re.compile(
    r"^gol(?:ongan)?\.?(?:\s*/\s*ruang)?\s*:?\s*(?=(?:iv|iii|ii|i|[1-4])\b)", re.I
)


@lru_cache(maxsize=2048)
def parse_sex(value: Any) -> str:
    text = _text(value)
    return SEX_VALUES.get(_key(text), text)


@lru_cache(maxsize=2048)
def parse_status(value: Any) -> str:
    text = _text(value)
    return STATUS_VALUES.get(_key(text), text)


@lru_cache(maxsize=2048)
def parse_golongan(value: Any) -> str:
    """'III/a', 'III/A', '3A', '3/a', 'Gol. III/a', 'Penata Muda (III/a)', 'Penata Muda /
    III/a', 'Penata Muda III/a', 'III/a - Penata Muda', 'Penata Muda' (the pangkat alone, PP
    99/2000) → 'III/a'; unknown text unchanged.
    """
    written = _text(value)
    text = _GOLONGAN_WORD.sub("", written)
    if not text:
        return ""
    inner = _PARENS.findall(text)
    candidate = (inner[-1] if inner else text).strip()
    match = (
        _GOLONGAN.match(candidate)
        or _GOLONGAN_AFTER_PANGKAT.search(candidate)
        or _GOLONGAN_AFTER_SPACE.search(candidate)
        or _GOLONGAN_BEFORE_PANGKAT.match(candidate)
    )
    if not match:
        return golongan_of(text) or written  # a pangkat alone: "Penata Muda Tk. I" is III/b
    group, ruang = match.groups()
    number = int(group) if group.isdigit() else ROMAN[group.lower()]
    return f"{ROMAN_NUMERALS[number - 1]}/{ruang.lower()}"


class WrittenGolongan(str):
    """A golongan read from a cell that also names a pangkat ("Penata Muda (III/b)"): the
    golongan, with the pangkat as written beside it, for the preview to check the two agree."""

    pangkat: str

    def __new__(cls, golongan: str, pangkat: str) -> WrittenGolongan:
        made = super().__new__(cls, golongan)
        made.pangkat = pangkat
        return made


_GOLONGAN_TOKEN = re.compile(r"(?<![a-z])(iv|iii|ii|i)\s*[/\-.]\s*[a-e](?![a-z])", re.IGNORECASE)


@lru_cache(maxsize=2048)
def golongan_and_pangkat(value: Any) -> str:
    """:func:`parse_golongan`'s golongan; where the cell names a pangkat of PP 99/2000 beside
    it ("Penata Muda (III/b)", "III/b - Penata Muda Tk. I"), a :class:`WrittenGolongan`
    carrying that pangkat."""
    golongan = parse_golongan(value)
    text = _GOLONGAN_WORD.sub("", _text(value))  # "Gol. III/b - Penata Muda"
    if not golongan or text == golongan or not _GOLONGAN_TOKEN.search(text):
        return golongan
    rest = " ".join(_GOLONGAN_TOKEN.sub(" ", text).replace("(", " ").replace(")", " ").split())
    pangkat = rest.strip(" ,/-–")
    if golongan_of(pangkat) is None:
        return golongan  # "Gol. III/b": no pangkat named
    return WrittenGolongan(golongan, pangkat)


@lru_cache(maxsize=2048)
def parse_pppk_grade(value: Any) -> str:
    """'9', 'IX', 9.0, 'Golongan IX' → '9'; unknown text unchanged (validation rejects it)."""
    text = _text(value)
    if not text:
        return ""
    last = text.split()[-1].lower()
    if last.isdigit():
        return str(int(last))
    if last in ROMAN_17:
        return str(ROMAN_17[last])
    return text


def structural_level(post_name: str) -> str | None:
    """The managerial level of a structural post from its name ("Kepala Seksi …" → pengawas)."""
    key = _key(post_name)
    for prefix, kind in STRUCTURAL_POSTS:
        if key.startswith(prefix):
            return kind
    return None


@lru_cache(maxsize=4096)
def kind_of_post(post_name: str) -> str | None:
    """The jenis jabatan a post's name says by itself, for a file without that column: a
    structural post's level ("Kepala Seksi …" → pengawas), a functional post by its level or
    profession ("Pranata Komputer Ahli Pertama", "Guru …"), a pelaksana by its nomenclature
    ("Pengadministrasi Perkantoran"); None when the name does not say."""
    name = " ".join(post_name.split())
    if not name:
        return None
    if _key(name).startswith("kepalasekolah"):
        return "fungsional"  # a guru with an additional task
    if level := structural_level(name):
        return level
    if _FUNCTIONAL_POST.search(name):
        return "fungsional"
    if _PELAKSANA_POST.match(name):
        return "pelaksana"
    return None


@lru_cache(maxsize=4096)
def parse_jabatan_kind(value: Any, post_name: str = "") -> tuple[str, str | None]:
    """(kind, problem). "Struktural" alone is read from the post's name when it says the level."""
    text = _text(value)
    key = _key(text)
    if key.startswith("jabatan") and key not in JABATAN_VALUES:
        key = key[len("jabatan") :]
    if key in JABATAN_VALUES:
        return JABATAN_VALUES[key], None
    if eselon := _ESELON.fullmatch(text.strip()):
        return ESELON_KIND.get(eselon.group(1).lower(), "pengawas"), None  # V: as pengawas
    if key in ("noneselon", "nonstruktural") and post_name:
        # an Eselon column: below the structural posts, a functional post says its level
        return ("fungsional" if _FUNCTIONAL_POST.search(post_name) else "pelaksana"), None
    if key == "struktural" and post_name and (level := structural_level(post_name)):
        return level, None
    if key.startswith("struktural"):
        match = re.search(r"eselon\s*(iv|iii|ii|i)\b", text, re.IGNORECASE)
        if match:
            return ESELON_KIND[match.group(1).lower()], None
        rest = _key(text[len("struktural") :])
        if rest in JABATAN_VALUES:
            return JABATAN_VALUES[rest], None
        return text, (
            "Jenis jabatan 'Struktural' tidak cukup dan nama jabatannya tidak menunjukkan "
            "tingkatnya: tulis JPT, Administrator atau Pengawas (atau 'Struktural eselon "
            "II/III/IV')."
        )
    return text, None


@lru_cache(maxsize=2048)
def parse_education(value: Any) -> str:
    text = _text(value)
    key = _key(text)
    if key in EDUCATION_VALUES:
        return EDUCATION_VALUES[key]
    first = _key(re.split(r"[\s/]", text, maxsplit=1)[0]) if text else ""
    return EDUCATION_VALUES.get(first, text)


# why an inactive KEDUDUKAN ended (models.EndReason's values), by the start of its spelling
END_REASONS = (
    ("pensiun", "pensiun"),
    ("meninggal", "meninggal"),
    ("wafat", "meninggal"),
    ("mutasi", "mutasi"),
    ("pindah", "mutasi"),
    ("keluar", "mutasi"),
    ("berhenti", "berhenti"),
    ("diberhentikan", "berhenti"),
    ("pemberhentian", "berhenti"),
)


@lru_cache(maxsize=256)
def end_reason(value: Any) -> str:
    """Why a KEDUDUKAN that is no longer active ended ("Pensiun" → "pensiun", "Meninggal Dunia"
    → "meninggal", "Mutasi Keluar" → "mutasi"), or "" when it does not say."""
    key = _key(_text(value))
    if parse_active(value) is not False:
        return ""
    return next((reason for start, reason in END_REASONS if key.startswith(start)), "")


@dataclass(frozen=True)
class EndRemark:
    """What a SIMPEG list's Keterangan says of an employee who is no longer (or soon no
    longer) at work: why (an EndReason value), and the date it names, if any."""

    reason: str
    on: date | None
    text: str


# words of a Keterangan that end a service (Pensiun, Meninggal dunia, Mutasi keluar, Pindah ke
# Kab. X, Diberhentikan), and those that do not although they name one (the year of masa
# persiapan pensiun, a transfer in)
_REMARK_END = re.compile(
    r"\b(pensiun|meninggal|wafat|berhenti|diberhentikan|pemberhentian|mutasi keluar|"
    r"pindah ke|pindah tugas ke)\b"
)
_REMARK_NOT_ENDED = re.compile(r"\b(persiapan pensiun|mpp|pindah dari|pindahan|mutasi masuk)\b")
_REMARK_REASON = {
    "pensiun": "pensiun",
    "meninggal": "meninggal",
    "wafat": "meninggal",
    "berhenti": "berhenti",
    "diberhentikan": "berhenti",
    "pemberhentian": "berhenti",
    "mutasi keluar": "mutasi",
    "pindah ke": "mutasi",
    "pindah tugas ke": "mutasi",
}
_REMARK_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")


def end_remark(value: Any) -> EndRemark | None:
    """The end a Keterangan cell says ("Pensiun TMT 01-03-2025" → pensiun on 1 March 2025,
    "Meninggal dunia" → meninggal), or None for any other note ("Tugas belajar", "MPP", a
    transfer in): a note is never an error. A date is read day first."""
    text = _text(value)
    words = " ".join(re.sub(r"[^0-9a-z/.-]+", " ", text.lower()).split())
    found = _REMARK_END.search(words)
    if found is None or _REMARK_NOT_ENDED.search(words):
        return None
    on = None
    if written := _REMARK_DATE.search(text):
        day, month, year = (int(part) for part in written.groups())
        try:
            on = date(year, month, day)
        except ValueError:
            on = None
    return EndRemark(_REMARK_REASON[found[1]], on, text)


@lru_cache(maxsize=256)
def parse_active(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    key = _key(_text(value))
    if not key:
        return True
    if key in ACTIVE_VALUES:
        return ACTIVE_VALUES[key]
    # "Pemberhentian dengan Hormat tidak atas Permintaan Sendiri", "Pensiun Janda/Duda": a
    # spelling that starts as an ended KEDUDUKAN does is one
    if any(key.startswith(start) for start, _reason in END_REASONS):
        return False
    return None
