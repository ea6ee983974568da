"""SKM imports on the one import engine: survey answers (``skm``) and published results
(``skm_summary``).

The answers import reads the files the survey tools write — a Google Forms export (the
regulation's questions as column headers, answers such as ``c. Sesuai``, a ``Timestamp`` such as
``2025/01/02 11:59:12 AM GMT+7``) and an e-SKM export (title rows, ``U1``..``U9`` columns, a
``Keterangan: …`` legend below the table) — without editing.

Unsur columns are recognised, in this order:

1. by code (``U1``, ``Unsur 1``, ``U-1``): the legend of the file when it has one, otherwise the
   regulation's order (PermenPANRB 14/2017: U8 Penanganan Pengaduan, U9 Sarana dan Prasarana);
2. by name (``Sarana dan Prasarana``, ``U8. Sarana & Prasarana``: the name wins over the code);
3. by meaning: the words of the question (``… kualitas sarana dan prasarana?``), never by its
   position — printed questionnaires ask Sarana 8th and Pengaduan 9th.

An answer is 1–4, a letter ``a``–``d`` (the letter decides when present: ``c. Sesuai`` is 3) or
the unsur's own label (``Sangat sesuai``, ``Gratis``, ``Berfungsi kurang maksimal``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kompeten.service.models import AgeGroup, Occupation, RespondentEducation, Sex
from kompeten.standards.ikm import SkmVersion, Unsur

GENERIC_LABELS = ("Tidak baik", "Kurang baik", "Baik", "Sangat baik")


class AnswerError(ValueError):
    """A value the import cannot read; ``accepted`` lists what it would have taken."""

    def __init__(self, message: str, accepted: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.accepted = tuple(accepted)


def plain(text: Any) -> str:
    """Case-, accent-, punctuation- and spacing-free form of a header or a value."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    folded = folded.casefold().replace("&", " dan ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


# --- unsur columns -------------------------------------------------------------------------

_CODE = re.compile(r"^\s*(?:u|unsur)\s*[-_.]?\s*0*(\d{1,2})\s*[.:)]?\s*$", re.IGNORECASE)

# Words of the regulation's questions and of the usual rewordings, per unsur of SKM 2017:
# (decisive words, supporting words); supporting words only rank unsur that have a decisive
# word in the header.
_MEANING_2017: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "persyaratan": (("persyaratan", "syarat", "syaratnya"), ()),
    "sistem_mekanisme_prosedur": (
        ("prosedur", "mekanisme", "alur"),
        ("sistem", "kemudahan", "tahapan"),
    ),
    "waktu_penyelesaian": (("waktu", "kecepatan", "lama"), ("penyelesaian", "cepat")),
    "biaya_tarif": (("biaya", "tarif", "pungutan"), ("kewajaran", "gratis", "harga")),
    "produk_spesifikasi_jenis_pelayanan": (("produk", "spesifikasi"), ("hasil",)),
    "kompetensi_pelaksana": (("kompetensi", "kemampuan", "keahlian"), ("kompeten",)),
    "perilaku_pelaksana": (
        ("perilaku", "kesopanan", "keramahan", "sopan", "ramah"),
        ("sikap",),
    ),
    "penanganan_pengaduan": (("pengaduan", "keluhan", "komplain"), ("penanganan",)),
    "sarana_prasarana": (("sarana", "prasarana", "sarpras", "fasilitas"), ()),
}
_STOPWORDS = frozenset(
    [
        "dan",
        "atau",
        "yang",
        "di",
        "ke",
        "dari",
        "dalam",
        "pada",
        "untuk",
        "dengan",
        "tentang",
        "bagaimana",
        "pendapat",
        "saudara",
        "pelayanan",
        "layanan",
        "petugas",
        "pelaksana",
        "unit",
        "jenis",
        "ini",
        "itu",
        "terkait",
    ]
)


def unsur_code(header: Any) -> int | None:
    """The number of a code-only header (``U1``, ``Unsur 1``, ``U-1``, ``u01``), or None."""
    found = _CODE.match(str(header or ""))
    return int(found.group(1)) if found else None


def parse_legend(rows: Iterable[Iterable[Any]], version: SkmVersion) -> dict[int, str]:
    """``{code: slug}`` from an e-SKM legend such as ``Keterangan: U1 Persyaratan; U2 Sistem,
    Mekanisme dan Prosedur; …`` found in any cell of ``rows`` (the rows around the table)."""
    legend: dict[int, str] = {}
    for row in rows:
        for cell in row:
            if not isinstance(cell, str) or not re.search(r"\bU\s*-?\d", cell):
                continue
            parts = re.split(r"\b(?:U|Unsur)\s*[-.]?\s*(\d{1,2})\b\s*[:.=]?", cell)
            # parts: [before, code1, text1, code2, text2, ...]
            for code, text in zip(parts[1::2], parts[2::2], strict=False):
                name = text.strip(" ;,:-=\t")
                unsur = version.match(name) if name else None
                if unsur is None and name:
                    unsur = _by_meaning(name, version)
                if unsur is not None:
                    legend[int(code)] = unsur.slug
    return legend


def _keywords(version: SkmVersion) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    table: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for u in version.unsur:
        if u.slug in _MEANING_2017:
            strong, weak = _MEANING_2017[u.slug]
            table[u.slug] = (frozenset(strong), frozenset(weak))
        else:  # the unit's own items and the 2004 list: the words of the name and aliases
            words = {
                w
                for s in (u.name, *u.aliases)
                for w in plain(s).split()
                if len(w) > 3 and w not in _STOPWORDS
            }
            table[u.slug] = (frozenset(words), frozenset())
    return table


def _by_meaning(header: str, version: SkmVersion) -> Unsur | None:
    """The one unsur whose decisive words the header uses; when two unsur's decisive words
    appear, the one with more of them, a tie being left to the user (the mapping step)."""
    words = set(plain(header).split())
    scored = sorted(
        (
            (len(words & strong), len(words & weak), slug)
            for slug, (strong, weak) in _keywords(version).items()
            if words & strong
        ),
        reverse=True,
    )
    if not scored:
        return None
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return version.get(scored[0][2])


def recognise_unsur(
    header: Any, version: SkmVersion, legend: Mapping[int, str] | None = None
) -> Unsur | None:
    """The unsur a column header stands for, or None (see the module docstring)."""
    text = str(header or "").strip()
    if not text:
        return None
    code = unsur_code(text)
    if code is not None:
        if legend and code in legend:
            return version.get(legend[code])
        if 1 <= code <= len(version.unsur):
            return version.unsur[code - 1]
        return None
    return version.match(text) or _by_meaning(text, version)


def recognise_unsur_columns(
    headers: Sequence[Any], version: SkmVersion, legend: Mapping[int, str] | None = None
) -> dict[int, str]:
    """``{column index: slug}`` for the headers that name an unsur (each unsur once: a second
    column for the same unsur is left for the user to map)."""
    found: dict[int, str] = {}
    taken: set[str] = set()
    for i, header in enumerate(headers):
        unsur = recognise_unsur(header, version, legend)
        if unsur is not None and unsur.slug not in taken:
            found[i] = unsur.slug
            taken.add(unsur.slug)
    return found


# --- answers -------------------------------------------------------------------------------

_LETTER = re.compile(r"^\s*\(?([a-d])\s*(?:[.)]|\s|$)", re.IGNORECASE)
_DIGIT = re.compile(r"^\s*([1-9])\s*(?:[.)\-:]|\s|$)")


def answer_labels(unsur: Unsur) -> tuple[str, ...]:
    return unsur.labels or GENERIC_LABELS


def accepted_answers(unsur: Unsur, scale_max: int = 4) -> tuple[str, ...]:
    labels = answer_labels(unsur)
    return tuple(f"{n} / {'abcd'[n - 1]}. {labels[n - 1]}" for n in range(1, min(scale_max, 4) + 1))


def parse_answer(value: Any, unsur: Unsur, scale_max: int = 4) -> int | None:
    """The score 1..``scale_max`` of one answer; None when blank; ``AnswerError`` otherwise.

    A number (3, 3.0, "3", "3. Sesuai") or a letter ("c", "c. Sesuai", "C)") decides on its
    own; a bare label is read against the unsur's own labels.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    score: int | None = None
    if isinstance(value, bool):
        score = None
    elif isinstance(value, int | float):
        score = int(value) if float(value).is_integer() else -1
    else:
        text = str(value)
        digit = _DIGIT.match(text)
        letter = _LETTER.match(text)
        if digit:
            score = int(digit.group(1))
        elif letter:
            score = "abcd".index(letter.group(1).lower()) + 1
        else:
            key = plain(text)
            for n, label in enumerate(answer_labels(unsur), start=1):
                if plain(label) == key:
                    score = n
                    break
    if score is None or not 1 <= score <= scale_max:
        raise AnswerError(
            f"{unsur.name}: jawaban {str(value)!r} tidak dikenal.",
            accepted_answers(unsur, scale_max),
        )
    return score


# --- respondent profile (the regulation form's own labels) -----------------------------------

SEX_VOCABULARY: Mapping[str, str] = {
    "l": Sex.L,
    "lk": Sex.L,
    "laki laki": Sex.L,
    "laki": Sex.L,
    "pria": Sex.L,
    "male": Sex.L,
    "p": Sex.P,
    "pr": Sex.P,
    "perempuan": Sex.P,
    "wanita": Sex.P,
    "female": Sex.P,
}

EDUCATION_VOCABULARY: Mapping[str, str] = {
    **dict.fromkeys(
        ("sd", "sd ke bawah", "sd kebawah", "tidak sekolah", "tidak tamat sd", "belum sekolah"),
        RespondentEducation.SD,
    ),
    **dict.fromkeys(("smp", "sltp", "mts", "smp sederajat"), RespondentEducation.SMP),
    **dict.fromkeys(
        ("sma", "smk", "slta", "ma", "sma smk", "sma sederajat", "slta sederajat", "sma smk ma"),
        RespondentEducation.SMA,
    ),
    # The regulation form's one diploma category "D1-D3-D4" (and "D1-D2-D3, D4") is a diploma.
    **dict.fromkeys(
        (
            "d1",
            "d2",
            "d3",
            "d i",
            "d ii",
            "d iii",
            "d1 d3",
            "d1 d2 d3",
            "d1 d3 d4",
            "d1 d2 d3 d4",
            "diploma",
            "akademi",
        ),
        RespondentEducation.DIPLOMA,
    ),
    **dict.fromkeys(
        ("d4", "d iv", "s1", "s 1", "d4 s1", "s1 d4", "sarjana", "strata 1"),
        RespondentEducation.S1,
    ),
    **dict.fromkeys(
        (
            "s2",
            "s3",
            "s 2",
            "s 3",
            "s2 s3",
            "s2 ke atas",
            "pascasarjana",
            "magister",
            "doktor",
            "strata 2",
            "strata 3",
        ),
        RespondentEducation.S2,
    ),
}

OCCUPATION_VOCABULARY: Mapping[str, str] = {
    **dict.fromkeys(
        ("pns", "asn", "tni", "polri", "pns tni polri", "pppk", "tni polri"), Occupation.ASN
    ),
    **dict.fromkeys(
        ("swasta", "pegawai swasta", "karyawan swasta", "karyawan", "bumn", "bumd"),
        Occupation.SWASTA,
    ),
    **dict.fromkeys(
        ("wirausaha", "wiraswasta", "pengusaha", "pedagang", "usaha sendiri"),
        Occupation.WIRASWASTA,
    ),
    **dict.fromkeys(("pelajar", "mahasiswa", "pelajar mahasiswa", "siswa"), Occupation.PELAJAR),
    **dict.fromkeys(("lainnya", "lain lain", "lain"), Occupation.LAINNYA),
}

_VOCABULARY_LABELS = {
    "sex": ("L", "P", "Laki-laki", "Perempuan"),
    "education": ("SD", "SMP", "SMA/SMK", "D1-D3-D4", "S1", "S2", "S3"),
    "occupation": ("PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "Pelajar/Mahasiswa", "Lainnya"),
}


def parse_sex(value: Any) -> str:
    found = SEX_VOCABULARY.get(plain(value))
    if found is None:
        raise AnswerError(f"Jenis kelamin {str(value)!r} tidak dikenal.", _VOCABULARY_LABELS["sex"])
    return str(found)


def parse_education(value: Any) -> str:
    key = plain(value)
    found = EDUCATION_VOCABULARY.get(key) or EDUCATION_VOCABULARY.get(
        key.replace("sederajat", "").strip()
    )
    if found is None and value in RespondentEducation.values:
        found = value
    if found is None:
        raise AnswerError(
            f"Pendidikan {str(value)!r} tidak dikenal.", _VOCABULARY_LABELS["education"]
        )
    return str(found)


def parse_occupation(value: Any) -> str:
    """The regulation form's occupation; anything else is "Lainnya" (a Google Form's "Other"
    answer is free text: it is not refused)."""
    if value in Occupation.values:
        return str(value)
    return str(OCCUPATION_VOCABULARY.get(plain(value), Occupation.LAINNYA))


_AGE_BAND = re.compile(r"^(\d{1,3})\s*(?:-|–|s d|sd|sampai)\s*(\d{1,3})")


def parse_age(value: Any) -> str:
    """An age in years (``55``, ``55 tahun``) or a band (``20-29``, ``< 20``, ``di bawah 20
    tahun``, ``50 tahun ke atas``, ``> 50``) → an :class:`AgeGroup`."""
    accepted = ("angka usia (mis. 34)", "<20", "20-29", "30-39", "40-49", "50+")
    if isinstance(value, str) and value.strip() in AgeGroup.values:
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        age: float = float(value)
    else:
        text = str(value).strip().casefold().replace("–", "-")
        key = plain(text)
        band = _AGE_BAND.match(text.replace(" ", "")) or _AGE_BAND.match(key)
        numbers = [int(n) for n in re.findall(r"\d{1,3}", key)]
        if not numbers:
            raise AnswerError(f"Usia {str(value)!r} tidak dapat dibaca.", accepted)
        if band:
            age = (int(band.group(1)) + int(band.group(2))) / 2
        elif "<" in text or "bawah" in key or "kurang" in key:
            age = numbers[0] - 1
        elif ">" in text or "atas" in key or "lebih" in key or text.endswith("+"):
            age = numbers[0] + (0 if "=" in text or "atas" in key or "+" in text else 1)
        elif len(numbers) == 1:
            age = numbers[0]
        else:
            raise AnswerError(f"Usia {str(value)!r} tidak dapat dibaca.", accepted)
    if not 10 <= age <= 120:
        raise AnswerError(f"Usia {str(value)!r} di luar 10–120 tahun.", accepted)
    if age < 20:
        return str(AgeGroup.U20)
    if age >= 50:
        return str(AgeGroup.A50)
    return str({2: AgeGroup.A20, 3: AgeGroup.A30, 4: AgeGroup.A40}[int(age) // 10])


_NO_SUGGESTION = frozenset(("", "tidak ada", "tidak", "tdk ada", "nihil", "none", "n a", "na"))


def parse_suggestion(value: Any) -> str:
    """A suggestion; ``-``, ``tidak ada`` and the like are no suggestion."""
    text = "" if value is None else str(value).strip()
    if plain(text) in _NO_SUGGESTION:
        return ""
    return text[:2000]


# --- the unit named in an export's title rows ----------------------------------------------

_TITLE_UNIT = re.compile(
    r"^\s*(?:unit\s+layanan|unit\s+pelayanan|nama\s+unit|unit\s+kerja|opd|instansi)\s*[:=]\s*(.+)$",
    re.IGNORECASE,
)


def unit_named_in_title(rows: Iterable[Iterable[Any]]) -> str | None:
    """``Dinas …`` from a title cell ``Unit Layanan : Dinas …`` above the table, or None."""
    for row in rows:
        for cell in row:
            if isinstance(cell, str):
                found = _TITLE_UNIT.match(cell)
                if found and found.group(1).strip():
                    return found.group(1).strip()
    return None


@dataclass(frozen=True)
class ServiceMatch:
    """Jenis layanan names of a file against a unit's services: ``known`` maps a plain name to
    the service id; every other name is ``new`` (created by the import)."""

    known: dict[str, int]
    new: list[str]


def match_services(names: Iterable[str], services: Iterable[tuple[int, str, str]]) -> ServiceMatch:
    """``services`` are (id, code, name); a file name matches a code or a name, case, spacing
    and punctuation free."""
    index: dict[str, int] = {}
    for pk, code, name in services:
        index.setdefault(plain(name), pk)
        index.setdefault(plain(code), pk)
    known: dict[str, int] = {}
    new: dict[str, str] = {}
    for name in names:
        key = plain(name)
        if not key:
            continue
        if key in index:
            known[key] = index[key]
        else:
            new.setdefault(key, str(name).strip())
    return ServiceMatch(known=known, new=list(new.values()))
