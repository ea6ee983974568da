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
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from kompeten.core.importing import Context, Declaration, Field, FieldError, Row, Source, columns
from kompeten.core.importing.columns import ColumnKind, text_column
from kompeten.core.importing.declare import Label
from kompeten.core.importing.values import (
    match_names,
    normalise_unit_name,
    parse_date,
    parse_moment,
    parse_number,
)
from kompeten.core.models import Instansi, User
from kompeten.people.models import Unit
from kompeten.service.actions.rollups import PROFILE_DIMENSIONS
from kompeten.service.actions.skm import (
    SkmRecord,
    SummaryItem,
    do_ensure_service_unit,
    do_import_skm_records,
    do_save_skm_summaries,
)
from kompeten.service.forms import SkmImportOptionsForm, import_units
from kompeten.service.models import (
    AgeGroup,
    Occupation,
    RespondentEducation,
    Service,
    ServiceUnit,
    Sex,
    SkmResponse,
)
from kompeten.service.versions import engine_version
from kompeten.standards.ikm import SKM_2017, VERSIONS, SkmVersion, Unsur

GENERIC_LABELS = ("Tidak baik", "Kurang baik", "Baik", "Sangat baik")
# the four-level wordings e-SKM applications put on every unsur instead of its own labels
GENERIC_SCALES = (GENERIC_LABELS, ("Tidak puas", "Kurang puas", "Puas", "Sangat puas"))


_ = gettext_lazy


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

# U1 (e-SKM), Unsur 1; P1 and Q1 as other survey tools number the nine questions
_CODE = re.compile(r"^\s*(?:u|unsur|p|q)\s*[-_.]?\s*0*(\d{1,2})\s*[.:)]?\s*$", re.IGNORECASE)

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
    """The number of a code-only header (``U1``, ``Unsur 1``, ``U-1``, ``u01``, ``P1``, ``Q1``),
    or None."""
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
# a score typed as a decimal, with a point or the Indonesian comma: "3,0", "4.00", "3,5"
_DECIMAL = re.compile(r"^\s*(\d+)[.,](\d+)\s*$")


def answer_labels(unsur: Unsur) -> tuple[str, ...]:
    return unsur.labels or GENERIC_LABELS


def accepted_answers(unsur: Unsur, scale_max: int = 4) -> tuple[str, ...]:
    labels = answer_labels(unsur)
    return tuple(f"{n} / {'abcd'[n - 1]}. {labels[n - 1]}" for n in range(1, min(scale_max, 4) + 1))


def parse_answer(value: Any, unsur: Unsur, scale_max: int = 4) -> int | None:
    """The score 1..``scale_max`` of one answer; None when blank; ``AnswerError`` otherwise.

    A number (3, 3.0, "3", "3,0", "3. Sesuai") or a letter ("c", "c. Sesuai", "C)") decides on its
    own; a bare label is read against the unsur's own labels, then the generic four-level
    wordings (:data:`GENERIC_SCALES`: "Baik", "Sangat Puas").
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
        decimal = _DECIMAL.match(text)
        digit = _DIGIT.match(text)
        letter = _LETTER.match(text)
        if decimal:  # a whole score written with decimals; a fraction is no answer of the scale
            whole, fraction = decimal.groups()
            score = int(whole) if not fraction.strip("0") else -1
        elif digit:
            score = int(digit.group(1))
        elif letter:
            score = "abcd".index(letter.group(1).lower()) + 1
        else:
            key = plain(text)
            for labels in (answer_labels(unsur), *GENERIC_SCALES):
                score = next(
                    (n for n, label in enumerate(labels, start=1) if plain(label) == key), None
                )
                if score is not None:
                    break
    if score is None or not 1 <= score <= scale_max:
        raise AnswerError(
            f"{unsur.name}: jawaban {str(value)!r} tidak dikenal.",
            accepted_answers(unsur, scale_max),
        )
    return score


# --- respondent profile (the regulation form's own labels) -----------------------------------

SEX_VOCABULARY: Mapping[str, str] = {
    "l": Sex.MALE,
    "lk": Sex.MALE,
    "laki laki": Sex.MALE,
    "laki": Sex.MALE,
    "pria": Sex.MALE,
    "male": Sex.MALE,
    "p": Sex.FEMALE,
    "pr": Sex.FEMALE,
    "perempuan": Sex.FEMALE,
    "wanita": Sex.FEMALE,
    "female": Sex.FEMALE,
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
        (
            "wirausaha",
            "wiraswasta",
            "wiraswasta usahawan",  # the PermenPANRB 14/2017 form's own label
            "usahawan",
            "pengusaha",
            "pedagang",
            "usaha sendiri",
        ),
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
    tahun``, ``50 tahun ke atas``, ``> 50``) → an :class:`AgeGroup`; "" for a band another
    survey tool drew across the groups (``26-35``: some of its respondents are 20-29, some
    30-39), whose respondents' group cannot be told."""
    accepted = ("angka usia (mis. 34)", "<20", "20-29", "30-39", "40-49", "50+")
    if isinstance(value, str) and value.strip() in AgeGroup.values:
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        low = high = int(value)
    else:
        low, high = _age_range(value, accepted)
    if not (low >= 10 and high <= 120):
        raise AnswerError(f"Usia {str(value)!r} di luar 10–120 tahun.", accepted)
    group = _age_group(low)
    return group if group == _age_group(high) else ""


def _age_range(value: Any, accepted: tuple[str, ...]) -> tuple[int, int]:
    """The ages (lowest, highest) a written age or band covers."""
    text = str(value).strip().casefold().replace("–", "-")
    key = plain(text)
    band = _AGE_BAND.match(text.replace(" ", "")) or _AGE_BAND.match(key)
    numbers = [int(n) for n in re.findall(r"\d{1,3}", key)]
    if not numbers:
        raise AnswerError(f"Usia {str(value)!r} tidak dapat dibaca.", accepted)
    if band:
        return int(band.group(1)), int(band.group(2))
    at_most = "=" in text or "≤" in text
    if "<" in text or "≤" in text or "bawah" in key or "kurang" in key:
        return 10, numbers[0] - (0 if at_most else 1)
    if ">" in text or "≥" in text or "atas" in key or "lebih" in key or text.endswith("+"):
        inclusive = "=" in text or "≥" in text or "atas" in key or "+" in text
        return numbers[0] + (0 if inclusive else 1), 120
    if len(numbers) == 1:
        return numbers[0], numbers[0]
    raise AnswerError(f"Usia {str(value)!r} tidak dapat dibaca.", accepted)


def _age_group(age: int) -> str:
    if age < 20:
        return str(AgeGroup.U20)
    if age >= 50:
        return str(AgeGroup.A50)
    return str({2: AgeGroup.A20, 3: AgeGroup.A30, 4: AgeGroup.A40}[age // 10])


def _parse_occupation_field(value: Any, ctx: Context) -> str:
    """The respondent's occupation; one the form does not list is Lainnya, and is kept
    aside for the file's note (a mangled value is seen there, not counted silently)."""
    occupation = parse_occupation(value)
    unlisted = value not in Occupation.values and plain(value) not in OCCUPATION_VOCABULARY
    if occupation == Occupation.LAINNYA and unlisted:
        ctx.lookups.setdefault("occupations_other", set()).add(str(value).strip())
    return occupation


def _parse_age_field(value: Any, ctx: Context) -> str:
    """The respondent's age group; a band across the groups is kept aside for the file's note
    (see :meth:`SkmResponsesImport.prepare`) and leaves the age unknown."""
    try:
        group = parse_age(value)
    except AnswerError as exc:
        raise FieldError(exc.message, exc.accepted) from None
    if not group:
        ctx.lookups.setdefault("ages_across_groups", set()).add(str(value).strip())
    return group


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


# --- the declarations on the import engine ------------------------------------------------


def _unsur_pattern(slug: str, number: int) -> str:
    """A bare code of the regulation's order (``u8``, ``unsur 8``; ``p8``, ``q8`` as other
    survey tools number their questions) or the unsur's decisive
    words with no other unsur's decisive word in the header (ambiguous questions are left to
    the mapping step)."""
    mine = "|".join(_MEANING_2017[slug][0])
    others = "|".join(w for s, (strong, _w) in _MEANING_2017.items() if s != slug for w in strong)
    return rf"^(?:u|unsur|p|q) ?0*{number}$|^(?!.*\b(?:{others})\b).*\b(?:{mine})\b"


def _unsur_parse(slug: str) -> Callable[[Any, Context], int | None]:
    unsur = SKM_2017.get(slug)

    def parse(value: Any, ctx: Context) -> int | None:
        try:
            return parse_answer(value, unsur)
        except AnswerError as exc:
            raise FieldError(exc.message, exc.accepted) from None

    return parse


def _wrap(parser: Callable[[Any], Any]) -> Callable[[Any, Context], Any]:
    def parse(value: Any, ctx: Context) -> Any:
        try:
            return parser(value)
        except AnswerError as exc:
            raise FieldError(exc.message, exc.accepted) from None

    return parse


def _parse_moment(value: Any, ctx: Context) -> datetime:
    try:
        moment = parse_moment(value)
    except ValueError:
        raise FieldError(
            gettext("Tanggal {value} tidak dapat dibaca.").format(value=repr(str(value))),
            ("2025/01/02 11:59:12 AM GMT+7", "02-01-2025 08:01", "2025-01-02", "02/01/2025"),
        ) from None
    if moment > timezone.now():
        raise FieldError(gettext("Tanggal pengisian di masa depan."))
    return moment


DATE_ALIASES = (
    "Timestamp",
    "Cap waktu",
    "Stempel waktu",
    "Tanggal",
    "Tanggal Survei",
    "Tanggal Pengisian",
    "Tanggal Isi",
    "Tgl",
    "Tgl Survei",
    "Waktu",
    "Waktu Pengisian",
    "Waktu Survei",
    "Tanggal dan Waktu",
    "Submitted",
)

UNSUR_FIELDS: tuple[Field, ...] = tuple(
    Field(
        name=u.slug,
        label=f"U{i} {u.name}",
        aliases=tuple(a for a in (u.name, *u.aliases) if plain(a) != "waktu"),
        required=True,
        parse=_unsur_parse(u.slug),
        pattern=_unsur_pattern(u.slug, i),
        help=_("Jawaban 1–4, huruf a–d, atau label jawaban unsur ini."),
    )
    for i, u in enumerate(SKM_2017.unsur, start=1)
)

SKM_FIELDS: tuple[Field, ...] = (
    Field(
        "submitted",
        _("Tanggal pengisian"),
        aliases=DATE_ALIASES,
        required=True,
        parse=_parse_moment,
        help=_("Timestamp Google Forms, Tanggal Survei e-SKM, tanggal dd-mm-yyyy …"),
    ),
    *UNSUR_FIELDS,
    Field(
        "extra_unsur",
        _("Unsur tambahan unit"),
        many=True,
        help=_("Pertanyaan kuesioner unit sendiri di luar sembilan unsur."),
    ),
    Field(
        "service",
        _("Jenis layanan"),
        aliases=(
            "Jenis Layanan",
            "Jenis Layanan yang Diterima",
            "Jenis Pelayanan",
            "Layanan",
            "Layanan yang Diterima",
            "Nama Layanan",
        ),
        parse=columns.text,
    ),
    Field(
        "sex",
        _("Jenis kelamin"),
        aliases=("Jenis Kelamin", "JK", "Kelamin", "L/P", "Gender"),
        parse=_wrap(parse_sex),
    ),
    Field(
        "age_group",
        _("Usia"),
        aliases=("Usia", "Umur", "Usia (tahun)", "Umur (tahun)", "Usia Responden", "Kelompok Usia"),
        parse=_parse_age_field,
    ),
    Field(
        "education",
        _("Pendidikan"),
        aliases=("Pendidikan", "Pendidikan Terakhir", "Pendidikan Terakhir Responden"),
        parse=_wrap(parse_education),
    ),
    Field(
        "occupation",
        _("Pekerjaan"),
        aliases=("Pekerjaan", "Pekerjaan Utama", "Pekerjaan Responden"),
        parse=lambda value, ctx: _parse_occupation_field(value, ctx),
    ),
    Field(
        "suggestion",
        _("Saran"),
        aliases=(
            "Saran",
            "Saran / Masukan",
            "Saran dan Masukan",
            "Saran Masukan",
            "Masukan",
            "Kritik dan Saran",
            "Saran dan Kritik",
            "Komentar",
        ),
        parse=lambda value, ctx: parse_suggestion(value),
    ),
    Field(
        "row_number",
        _("No. urut"),
        aliases=("No", "No.", "Nomor", "No Urut", "Nomor Urut", "Nomor Responden"),
        parse=lambda value, ctx: _row_number(value),
        help=_(
            "Boleh tidak ada. Dua baris dengan nomor urut dan seluruh jawaban yang sama adalah "
            "salinan: yang kedua dilewati."
        ),
    ),
)


def _row_number(value: Any) -> str:
    """The export's running number as written ("12", 12, 12.0, "12." are one number)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().rstrip(".")


def _fixed_unsur_scores(row: Row, version: SkmVersion, legend: dict[int, str]) -> dict[str, int]:
    """The scores read by the regulation's nine unsur fields, by the slug of the unsur each
    stands for (the file's legend may say a numbered column is another unsur); an unsur not in
    the unit's questionnaire, or a score off its scale, is a problem."""
    slugs = {u.slug for u in version.unsur}
    scores: dict[str, int] = {}
    for u in UNSUR_FIELDS:
        score = row.values.get(u.name)
        if score is None:
            continue
        header = row.columns.get(u.name) or ""
        slug = u.name
        code = unsur_code(header)
        if code is not None and legend.get(code):
            slug = legend[code]  # the file's own legend says what U8 is
        if slug not in slugs:
            row.problem(
                u.name,
                gettext("Unsur {unsur} tidak ada dalam kuesioner unit ini ({version}).").format(
                    unsur=u.label, version=version.id
                ),
            )
            continue
        if score > version.scale_max:
            row.problem(u.name, gettext("Nilai di luar skala kuesioner."))
            continue
        scores[slug] = score
    return scores


def _extra_unsur_scores(row: Row, version: SkmVersion, legend: dict[int, str]) -> dict[str, int]:
    """The scores in the other columns recognised as unsur (by name or meaning), by slug; a
    column that is no unsur of the questionnaire, or an answer that does not parse, is a
    problem."""
    scores: dict[str, int] = {}
    for header in row.columns.get("extra_unsur") or []:
        raw = row.cells.get(header)
        unsur = recognise_unsur(header, version, legend)
        if unsur is None:
            row.problem(
                "extra_unsur",
                gettext("Kolom {header} bukan unsur kuesioner unit ini.").format(
                    header=repr(header)
                ),
                accepted=[u.name for u in version.unsur],
                value=raw,
            )
            continue
        try:
            score = parse_answer(raw, unsur, version.scale_max)
        except AnswerError as exc:
            row.problem("extra_unsur", exc.message, exc.accepted, value=raw)
            continue
        if score is not None:
            scores[unsur.slug] = score
    return scores


class SkmResponsesImport(Declaration):
    """SKM answers (one row per respondent) into one service unit."""

    key = "skm"
    label = _("Jawaban SKM")
    description = _(
        "Ekspor Google Forms atau e-SKM: satu baris per responden, sembilan unsur dikenali dari "
        "kode (U1–U9), nama unsur atau teks pertanyaannya."
    )
    fields = SKM_FIELDS
    sources = (
        Source(
            "google_forms",
            "Google Forms",
            signature=("Timestamp",),
            aliases={"submitted": ("Timestamp", "Cap waktu", "Stempel waktu")},
        ),
        Source(
            "google_forms_id",
            "Google Forms (Bahasa Indonesia)",
            signature=("Cap waktu",),
            aliases={"submitted": ("Cap waktu",)},
        ),
        Source(
            "eskm",
            "e-SKM",
            signature=("No", "Tanggal Survei", "Jenis Layanan", "U1", "U9"),
            aliases={"submitted": ("Tanggal Survei",), "age_group": ("Umur",)},
        ),
    )
    options_form = SkmImportOptionsForm

    def permission(self, user: User) -> bool:
        return bool(user.is_authenticated and (user.is_admin or user.is_pengelola))

    def prepare(self, ctx: Context) -> None:
        """The target service unit (or the OPD unit whose service unit the import creates),
        its questionnaire version and jenis layanan."""
        lookups = ctx.lookups
        target = resolve_target(ctx)
        lookups["target"] = target
        if target.service_unit is not None:
            version = engine_version(target.service_unit.version_id)
            services = list(
                Service.objects.filter(service_unit=target.service_unit).values_list(
                    "pk", "code", "name"
                )
            )
        else:
            version, services = SKM_2017, []
        lookups["version"] = version
        index: dict[str, int] = {}
        for pk, code, name in services:
            index.setdefault(plain(name), pk)
            index.setdefault(plain(code), pk)
        lookups["services"] = index
        legend = ctx.options.get("legend") or {}
        lookups["legend"] = {int(k): str(v) for k, v in dict(legend).items()}
        lookups["stored"] = _stored_answers(target.service_unit, ctx.lookups["rows"])
        other = sorted(lookups.get("occupations_other", ()))
        if other:
            shown = ", ".join(other[:10])
            if len(other) > 10:
                shown += " " + gettext("dan {n} lainnya").format(n=len(other) - 10)
            ctx.notes.append(
                gettext(
                    "Pekerjaan yang tidak ada di kuesioner (PNS/TNI/POLRI, swasta, wirausaha, "
                    "pelajar/mahasiswa) dihitung sebagai Lainnya: {values}."
                ).format(values=shown)
            )
        across = sorted(lookups.get("ages_across_groups", ()))
        if across:
            ctx.notes.append(
                gettext(
                    "Kolom usia memakai kelompok yang melintasi kelompok usia profil SKM (<20, "
                    "20-29, 30-39, 40-49, 50+): {bands}. Usia responden dengan jawaban itu "
                    "tidak diketahui dan tidak dihitung dalam profil usia; jawaban unsurnya tetap "
                    "dihitung."
                ).format(bands=", ".join(across))
            )

    def check_row(self, row: Row, ctx: Context) -> None:
        lookups = ctx.lookups
        target: ImportTarget = lookups["target"]
        if target.problem:
            row.problem("submitted", target.problem)
            return
        version: SkmVersion = lookups["version"]
        legend: dict[int, str] = lookups["legend"]
        submitted = row.get("submitted")
        scores = _fixed_unsur_scores(row, version, legend)
        scores.update(_extra_unsur_scores(row, version, legend))
        if not scores:
            row.problem(
                "submitted", gettext("Tidak ada unsur yang dijawab di baris ini."), value=""
            )
        if row.problems:
            return
        service_name = row.get("service", "")
        service_id = lookups["services"].get(plain(service_name)) if service_name else None
        profile = {k: row.get(k, "") for k in PROFILE_DIMENSIONS}
        stored: Counter[tuple[Any, ...]] = lookups["stored"]
        key = _answer_key(submitted, scores, profile, row.get("suggestion", ""))
        first = _first_alike(row, key, lookups.setdefault("seen", {}))
        if row.skipped:
            return
        if stored[key] > 0:
            # already imported (this file again, or an overlapping export): skipped, so that
            # no answer counts twice; one stored answer accounts for one row of the file
            stored[key] -= 1
            row.skip(
                gettext(
                    "Jawaban ini sudah tersimpan (waktu pengisian, jawaban dan profil responden "
                    "sama persis): dilewati, tidak dihitung dua kali."
                )
            )
            return
        if first:
            row.warn(
                gettext(
                    "Sama persis dengan baris {first} (waktu pengisian, jawaban, profil dan "
                    "saran), dengan nomor urut lain: dihitung sebagai responden kedua; "
                    "periksa bahwa baris ini tidak tersalin dua kali."
                ).format(first=first)
            )
        row.result = SkmRecord(
            submitted=submitted,
            scores=scores,
            service_id=service_id,
            service_name="" if service_id else service_name,
            profile=profile,
            suggestion=row.get("suggestion", ""),
        )

    def write(self, rows: list[Row], ctx: Context) -> dict[str, int]:
        target: ImportTarget = ctx.lookups["target"]
        created_unit = 0
        service_unit = target.service_unit
        if service_unit is None:
            assert target.unit is not None
            service_unit, made = do_ensure_service_unit(target.unit, actor=ctx.user)
            created_unit = int(made)
            ctx.lookups["created_service_unit"] = service_unit if made else None
        records = [r.result for r in rows if r.result is not None]
        counts = {"responses": 0, "services_created": 0}
        if records:
            counts = do_import_skm_records(service_unit, records, actor=ctx.user)
        out = {
            gettext_noop("jawaban SKM"): counts["responses"],
            gettext_noop("jenis layanan baru"): counts["services_created"],
        }
        copies = sum(1 for r in rows if r.copy_of)
        if len(records) < len(rows) - copies:
            out[gettext_noop("jawaban yang sudah tersimpan (dilewati)")] = (
                len(rows) - copies - len(records)
            )
        if copies:
            out[gettext_noop("salinan baris lain di berkas ini (dilewati)")] = copies
        if created_unit:
            out[gettext_noop("unit layanan baru")] = created_unit
        return out


def _first_alike(row: Row, key: tuple[Any, ...], seen: dict[tuple[Any, ...], Any]) -> int:
    """The earlier row of the same file with the same answer (0 for none). With the same
    running number as well, the row is a copy (a block pasted twice) and is skipped as one;
    a file without that column, or with another number, may hold two respondents who
    answered alike in the same minute, so the caller keeps the row and warns."""
    number = row.get("row_number") or ""
    first = seen.get(key)
    if first is None:
        seen[key] = {number: row.number}
        return 0
    if number and number in first:
        row.skip_copy(  # one message for every copy, so that the preview lists them on a line
            first[number],
            gettext(
                "Salinan baris lain di atasnya (nomor urut dan seluruh jawabannya sama persis): "
                "dilewati, tidak dihitung dua kali."
            ),
        )
        return int(first[number])
    first.setdefault(number, row.number)
    return int(min(first.values()))


def _answer_key(
    submitted: datetime, scores: Mapping[str, int], profile: Mapping[str, str], suggestion: str
) -> tuple[Any, ...]:
    """What tells one stored answer from another: the moment, every score, the profile and the
    suggestion (a respondent has no other identity)."""
    return (
        submitted,
        tuple(sorted(scores.items())),
        *(profile.get(k, "") for k in PROFILE_DIMENSIONS),
        suggestion,
    )


def _stored_answers(service_unit: ServiceUnit | None, rows: list[Row]) -> Counter[tuple[Any, ...]]:
    """The unit's stored answers over the file's period, counted by :func:`_answer_key`: an
    export imported again, or one overlapping an earlier one (January–June, then the whole
    year), finds its earlier rows here instead of counting them twice. Counted, not a set:
    two respondents of one day may answer alike, and each stored answer matches one row."""
    moments = [r.values["submitted"] for r in rows if r.values.get("submitted")]
    if service_unit is None or not moments:
        return Counter()
    return Counter(
        _answer_key(moment, scores, dict(zip(PROFILE_DIMENSIONS, profile, strict=True)), suggestion)
        for moment, scores, suggestion, *profile in SkmResponse.objects.filter(
            service_unit=service_unit, submitted__range=(min(moments), max(moments))
        ).values_list("submitted", "scores", "suggestion", *PROFILE_DIMENSIONS)
    )


@dataclass
class ImportTarget:
    """Where the answers go: an existing service unit, or an OPD unit whose service unit the
    import creates; ``problem`` when neither is known."""

    service_unit: ServiceUnit | None = None
    unit: Unit | None = None
    problem: str = ""


def resolve_target(ctx: Context) -> ImportTarget:
    """The target from the options, checked against the user's scope (the CLI run without a
    user: the whole instansi)."""
    options = ctx.options
    service_units, units = import_units(ctx.user, ctx.instansi.pk)
    if options.get("service_unit"):
        su = (
            service_units.select_related("questionnaire").filter(pk=options["service_unit"]).first()
        )
        if su is not None:
            return ImportTarget(service_unit=su)
    if options.get("unit"):
        unit = units.filter(pk=options["unit"]).first()
        if unit is not None:
            su = (
                ServiceUnit.objects.filter(unit=unit)
                .select_related("questionnaire")
                .order_by("-is_active", "pk")
                .first()
            )
            return ImportTarget(service_unit=su, unit=unit)
    return ImportTarget(
        problem=gettext(
            "Unit layanan belum dipilih: pilih unit layanan (atau OPD) di langkah pertama."
        )
    )


def _summary_unit(written: str, ctx: Context) -> int | None:
    """The service unit a published summary's row names: its survey code or name, else as
    people write an OPD (``DPMPTSP``, the full name with or without ``Kota …``, once per
    distinct text)."""
    units: dict[str, int] = ctx.lookups["units"]
    found = units.get(written.casefold()) or units.get(plain(written))
    if found is not None or not written.strip():
        return found
    named: dict[str, int | None] = ctx.lookups.setdefault("units_named", {})
    if written not in named:
        su, _unit = find_import_target(ctx.instansi, written)
        named[written] = su.pk if su is not None else None
    return named[written]


def find_import_target(instansi: Instansi, query: str) -> tuple[ServiceUnit | None, Unit | None]:
    """The service unit, or the OPD unit, that ``query`` names as people write it: a survey
    code, a unit code, a short name (``DPMPTSP``) or a name with or without ``Kota …``.
    (None, None) when nothing, or more than one unit, fits."""
    text = query.strip()
    if not text:
        return None, None
    service_units = list(
        ServiceUnit.objects.filter(instansi=instansi).select_related("unit").order_by("pk")
    )
    units = list(Unit.objects.filter(instansi=instansi, is_active=True).order_by("path"))
    for su in service_units:
        if su.code.casefold() == text.casefold():
            return su, su.unit
    for unit in units:
        if unit.code.casefold() == text.casefold() or (
            unit.short_name and plain(unit.short_name) == plain(text)
        ):
            return _service_unit_of(unit, service_units), unit
    key = normalise_unit_name(text, instansi.name)
    names = {("unit", u.pk): normalise_unit_name(u.name, instansi.name) for u in units}
    names.update(
        {("su", su.pk): normalise_unit_name(su.name, instansi.name) for su in service_units}
    )
    found = match_names(names, key)
    if found is None:
        return None, None
    kind, pk = found.key
    if kind == "su":
        su = next(s for s in service_units if s.pk == pk)
        return su, su.unit
    unit = next(u for u in units if u.pk == pk)
    return _service_unit_of(unit, service_units), unit


def _service_unit_of(unit: Unit, service_units: list[ServiceUnit]) -> ServiceUnit | None:
    mine = [su for su in service_units if su.unit_id == unit.pk]
    mine.sort(key=lambda su: (not su.is_active, su.pk))
    return mine[0] if mine else None


# --- published results (skm_summary) -------------------------------------------------------


# "1.234" respondents: a count written with the Indonesian thousands dot
_THOUSANDS = re.compile(r"^\s*\d{1,3}(?:\.\d{3})+\s*$")


def _summary_number(kind: str) -> Callable[[Any, Context], Any]:
    def parse(value: Any, ctx: Context) -> Any:
        if kind == "n" and isinstance(value, str) and _THOUSANDS.match(value):
            value = value.replace(".", "")
        number = parse_number(value)
        if number is None:
            raise FieldError(gettext("Bukan angka."))
        if kind == "nrr":
            if not Decimal(1) <= number <= Decimal(4):
                raise FieldError(gettext("NRR {value} di luar 1–4.").format(value=number))
            return number
        if number != number.to_integral_value() or number < (1 if kind == "n" else 1900):
            raise FieldError(
                gettext("n harus bilangan bulat lebih dari 0.")
                if kind == "n"
                else gettext("Tahun tidak sah.")
            )
        return int(number)

    return parse


def _summary_number_field(
    name: str, label: Label, aliases: tuple[str, ...], *, required: bool = False
) -> Field:
    """A number of a published result (year, NRR or n), checked by :func:`_summary_number`."""
    return Field(name, label, aliases=aliases, required=required, parse=_summary_number(name))


def _summary_date(value: Any, ctx: Context) -> date:
    found = parse_date(value)
    if found is None:
        raise FieldError(gettext("Tanggal tidak dapat dibaca."))
    return found


_summary_date_column = ColumnKind(parse=_summary_date)


class SkmSummaryImport(Declaration):
    """Published SKM results of years before Kompeten: one row per unit, period and unsur."""

    key = "skm_summary"
    label = _("Ringkasan hasil SKM")
    description = _(
        "Hasil SKM yang sudah dipublikasikan (NRR dan n per unsur, unit dan periode) untuk "
        "tahun-tahun sebelum Kompeten."
    )
    fields = (
        text_column(
            "unit", _("Unit layanan"), ("Unit", "Kode Unit", "Unit Layanan"), required=True
        ),
        _summary_number_field("year", _("Tahun"), ("Tahun", "Periode Tahun")),
        _summary_date_column("start", _("Mulai"), ("Mulai", "Periode Mulai", "Tanggal Mulai")),
        _summary_date_column(
            "end", _("Selesai"), ("Selesai", "Periode Selesai", "Tanggal Selesai")
        ),
        text_column("regulation", _("Regulasi"), ("Regulasi", "Peraturan")),
        text_column("unsur", _("Unsur"), ("Unsur", "Nama Unsur", "Kode Unsur"), required=True),
        _summary_number_field(
            "nrr", _("NRR"), ("NRR", "Nilai Rata-rata", "NRR Unsur"), required=True
        ),
        _summary_number_field(
            "n", _("Jumlah responden"), ("N", "Jumlah Responden", "Responden"), required=True
        ),
        Field(
            "note",
            _("Keterangan"),
            aliases=("Keterangan", "Catatan", "Sumber"),
            parse=lambda value, ctx: str(value).strip()[:200],
        ),
    )

    def permission(self, user: User) -> bool:
        return bool(user.is_authenticated and user.is_admin)

    def prepare(self, ctx: Context) -> None:
        units: dict[str, int] = {}
        for pk, code, name in ServiceUnit.objects.filter(instansi=ctx.instansi).values_list(
            "pk", "code", "name"
        ):
            units.setdefault(code.casefold(), pk)
            units.setdefault(plain(name), pk)
        ctx.lookups["units"] = units
        ctx.lookups["today"] = timezone.localdate()
        # each unit and period must list every unsur of its regulation, each once
        groups: dict[tuple[Any, ...], dict[str, list[Row]]] = {}
        for row in ctx.lookups["rows"]:
            item = self._item(row, ctx)
            if isinstance(item, SummaryItem):
                key = (item.service_unit_id, item.period_start, item.period_end, item.version_id)
                groups.setdefault(key, {}).setdefault(item.unsur, []).append(row)
        incomplete: dict[int, str] = {}
        for (_su, start, end, version_id), found in groups.items():
            missing = [u.name for u in VERSIONS[version_id].unsur if u.slug not in found]
            for rows in found.values():
                for extra in rows[1:]:
                    incomplete[id(extra)] = gettext(
                        "Unsur ini muncul dua kali untuk unit dan periode yang sama."
                    )
                if missing:
                    for r in rows:
                        incomplete.setdefault(
                            id(r),
                            gettext("Periode {start}–{end} tidak lengkap: {missing}.").format(
                                start=start, end=end, missing=", ".join(missing)
                            ),
                        )
        ctx.lookups["group_problems"] = incomplete

    def _item(self, row: Row, ctx: Context) -> SummaryItem | tuple[str, str]:
        """The row as a SummaryItem, or (field, problem)."""
        su = _summary_unit(str(row.get("unit", "")), ctx)
        if su is None:
            return "unit", gettext("Unit layanan {unit} tidak dikenal.").format(
                unit=repr(row.get("unit"))
            )
        regulation = str(row.get("regulation") or "2017")
        version_id = {"2017": "SKM_2017", "2004": "SKM_2004"}.get(regulation[-4:])
        if version_id is None:
            return "regulation", gettext("Regulasi harus 2017 atau 2004.")
        if row.get("year") is not None:
            start, end = date(row.values["year"], 1, 1), date(row.values["year"], 12, 31)
        elif row.get("start") is not None and row.get("end") is not None:
            start, end = row.values["start"], row.values["end"]
        else:
            return "year", gettext("Isi Tahun, atau Mulai dan Selesai.")
        if end < start:
            return "end", gettext("Periode selesai sebelum mulai.")
        if start > ctx.lookups["today"]:
            return "start", gettext("Periode di masa depan.")
        version = VERSIONS[version_id]
        written = str(row.get("unsur", "")).strip()
        unsur = version.match(written) or recognise_unsur(written, version)
        if unsur is None and written.isdigit() and 1 <= int(written) <= len(version.unsur):
            unsur = version.unsur[int(written) - 1]  # "1" … "9": the regulation's order
        if unsur is None:
            return "unsur", gettext("Unsur tidak dikenal ({version}).").format(version=version_id)
        return SummaryItem(
            service_unit_id=su,
            period_start=start,
            period_end=end,
            version_id=version_id,
            unsur=unsur.slug,
            nrr=row.values["nrr"],
            n=row.values["n"],
            note=row.get("note", ""),
        )

    def check_row(self, row: Row, ctx: Context) -> None:
        item = self._item(row, ctx)
        if not isinstance(item, SummaryItem):
            field_name, message = item
            if field_name == "unsur":
                row.problem(field_name, message, accepted=[u.name for u in SKM_2017.unsur])
            else:
                row.problem(field_name, message)
            return
        group_problem = ctx.lookups["group_problems"].get(id(row))
        if group_problem:
            row.problem("unsur", group_problem)
            return
        row.result = item

    def write(self, rows: list[Row], ctx: Context) -> dict[str, int]:
        n = do_save_skm_summaries(ctx.instansi, [r.result for r in rows], actor=ctx.user)
        return {gettext_noop("baris ringkasan"): n}
