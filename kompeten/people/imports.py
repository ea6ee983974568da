"""Import of employees from a SIASN-style spreadsheet (XLSX or CSV).

The pipeline, shared by the upload page and ``kompeten import employees``:

1. :func:`read_table` turns the uploaded bytes into a :class:`Table` (headers and rows, each row
   with its number as the spreadsheet shows it), refusing bad files with :class:`ImportFileError`.
2. :func:`detect_mapping` guesses which header feeds which field; the user may override it.
3. :func:`plan_import` parses and validates every row against the database (one query per kind of
   lookup, never one per row) and decides what is new, changed, unchanged or rejected.
4. :func:`do_import_employees` writes a plan, all or nothing, in one transaction: bulk inserts in
   supervisor order, bulk updates of the changed fields only, employment events, one audit row.

Every problem is a :class:`Problem`: the spreadsheet row number, the column header and an
Indonesian message. Running the same file twice changes nothing the second time.

A plan may be limited to one OPD subtree (``scope``, the unit a pengelola OPD manages): rows whose
unit lies outside it, or whose NIP belongs to an employee stored outside it, are rejected, so
nothing is written outside the subtree.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.people.models import Employee, EmploymentEvent, Unit
from kompeten.people.validation import EmployeeInput, validate_employee

ACCEPTED_EXTENSIONS = (".xlsx", ".xls", ".csv")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
BATCH_SIZE = 2000
PREVIEW_ROWS = 20
Progress = Callable[[str], None]


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, empty, encrypted, too big…)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One rejected value: spreadsheet row number, column header, Indonesian message."""

    row: int
    column: str
    message: str


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as in the spreadsheet, cells)
    header_row: int = 1


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False


def _key(text: Any) -> str:
    """Header key: lower case, letters and digits only ("Tgl. Lahir" → "tgllahir")."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


FIELDS: tuple[ImportField, ...] = (
    ImportField("nip", "NIP", ("nip", "nipbaru", "nip18", "nipbaru18", "nomorindukpegawai"), True),
    ImportField("name", "Nama", ("nama", "namalengkap", "namapegawai", "namaasn"), True),
    ImportField("front_title", "Gelar depan", ("gelardepan", "gelardpn")),
    ImportField("back_title", "Gelar belakang", ("gelarbelakang", "gelarblkg", "gelarblk")),
    ImportField("sex", "Jenis kelamin", ("jeniskelamin", "jk", "kelamin", "sex", "lp"), True),
    ImportField(
        "birth_date", "Tanggal lahir", ("tanggallahir", "tgllahir", "tgllhr", "tanggallhr"), True
    ),
    ImportField(
        "status",
        "Status",
        ("status", "statuspegawai", "statuskepegawaian", "jenispegawai", "kedudukan"),
        True,
    ),
    ImportField(
        "golongan",
        "Golongan",
        ("golongan", "gol", "golruang", "golonganruang", "pangkatgolongan", "golakhir"),
    ),
    ImportField("pppk_grade", "Golongan PPPK", ("golonganpppk", "golpppk", "gradepppk")),
    ImportField(
        "jabatan_kind", "Jenis jabatan", ("jenisjabatan", "jnsjabatan", "kategorijabatan"), True
    ),
    ImportField(
        "jabatan_name",
        "Nama jabatan",
        ("namajabatan", "jabatan", "nmjabatan", "jabatanakhir"),
        True,
    ),
    ImportField(
        "education",
        "Pendidikan",
        ("pendidikan", "pendidikanterakhir", "tingkatpendidikan", "jenjangpendidikan", "pddk"),
        True,
    ),
    ImportField("unit_code", "Kode unit", ("kodeunit", "kodeunitkerja", "kodeopd", "kodeunor")),
    ImportField(
        "unit_name",
        "Unit kerja",
        ("unitkerja", "namaunit", "namaunitkerja", "unitorganisasi", "unor", "opd", "namaunor"),
    ),
    ImportField("supervisor_nip", "NIP atasan", ("nipatasan", "nipatasanlangsung", "atasannip")),
    ImportField("email", "Surel", ("email", "surel", "surat elektronik", "alamatemail")),
    ImportField("phone", "Telepon", ("telepon", "nohp", "nomorhp", "hp", "notelp", "telp")),
    ImportField("is_active", "Aktif", ("aktif", "statusaktif", "keaktifan")),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
UNIT_FIELDS = ("unit_code", "unit_name")


# --- reading ------------------------------------------------------------------------------


def _max_bytes() -> int:
    return int(settings.KOMPETEN_MAX_UPLOAD_BYTES)


def check_file(data: bytes, filename: str) -> str:
    """Return the lower-case extension, or raise ImportFileError for a file we will not read."""
    ext = Path(filename).suffix.lower()
    if ext not in ACCEPTED_EXTENSIONS:
        raise ImportFileError("Jenis berkas tidak didukung: unggah berkas XLSX atau CSV.")
    limit = _max_bytes()
    if len(data) > limit:
        raise ImportFileError(
            f"Berkas terlalu besar ({len(data) / 1_048_576:.1f} MB); batasnya "
            f"{limit / 1_048_576:.0f} MB."
        )
    if not data.strip():
        raise ImportFileError("Berkas kosong: tidak ada baris data.")
    if data.startswith(OLE_SIGNATURE):
        # An encrypted OOXML workbook is an OLE compound file holding EncryptionInfo.
        if ext == ".xlsx" or "EncryptionInfo".encode("utf-16-le") in data[:1_048_576]:
            raise ImportFileError(
                "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu "
                "unggah lagi."
            )
        if ext == ".csv":
            raise ImportFileError("Isi berkas bukan CSV teks; unggah berkas CSV atau XLSX.")
    elif ext == ".xlsx" and not data.startswith(ZIP_SIGNATURE):
        raise ImportFileError("Isi berkas bukan XLSX yang sah (mungkin rusak atau salah ekstensi).")
    elif ext == ".csv" and (data.startswith(ZIP_SIGNATURE) or b"\x00" in data[:4096]):
        raise ImportFileError("Isi berkas bukan CSV teks; unggah berkas CSV atau XLSX.")
    return ext


def _clean_header(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _table_from_rows(raw_rows: Iterable[Sequence[Any]]) -> Table:
    headers: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(raw_rows, start=1):
        if headers is None:
            if any(str(c).strip() for c in cells if c is not None):
                headers = [_clean_header(c) for c in cells]
                header_row = number
            continue
        values = cells if isinstance(cells, list) else list(cells)
        first = values[0] if values else None
        if (
            first is None or first == "" or (first.__class__ is str and not first.strip())
        ) and not any(v is not None and v != "" and str(v).strip() for v in values):
            continue
        rows.append((number, values))
    if headers is None or not rows:
        raise ImportFileError(
            "Berkas tidak berisi baris data (hanya kosong atau hanya judul kolom)."
        )
    named = [h for h in headers if h]
    if len(set(map(_key, named))) != len(named):
        dupes = sorted({h for h in named if [_key(x) for x in named].count(_key(h)) > 1})
        raise ImportFileError("Judul kolom ganda: " + ", ".join(dupes) + ".")
    return Table(headers=headers, rows=rows, header_row=header_row)


def _workbook(data: bytes) -> Any:
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise ImportFileError("Berkas dilindungi kata sandi.") from None
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for a bad file
        raise ImportFileError(f"Berkas tidak dapat dibaca sebagai lembar kerja ({exc}).") from None


def sheet_names(data: bytes, filename: str) -> list[str]:
    ext = check_file(data, filename)
    if ext == ".csv":
        return []
    return list(_workbook(data).sheet_names)


def read_table(data: bytes, filename: str, sheet: str | None = None) -> Table:
    """Read the first sheet (or `sheet`) of an XLSX, or a UTF-8 CSV with `,` or `;`."""
    ext = check_file(data, filename)
    if ext == ".csv":
        return _read_csv(data)
    workbook = _workbook(data)
    names = list(workbook.sheet_names)
    if not names:
        raise ImportFileError("Berkas tidak berisi lembar kerja.")
    if sheet and sheet not in names:
        raise ImportFileError(f"Lembar kerja '{sheet}' tidak ada (yang ada: {', '.join(names)}).")
    try:
        book_sheet = workbook.get_sheet_by_name(sheet or names[0])
        raw = list(book_sheet.iter_rows())
    except Exception as exc:  # noqa: BLE001
        raise ImportFileError(f"Lembar kerja tidak dapat dibaca ({exc}).") from None
    return _table_from_rows(raw)


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "Berkas CSV harus berenkode UTF-8 (di Excel: Simpan Sebagai → CSV UTF-8)."
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return _table_from_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(f"Berkas CSV rusak ({exc}).") from None


# --- mapping ------------------------------------------------------------------------------


def detect_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Field name → header, guessed from common SIASN-style header names."""
    by_key = {_key(h): h for h in headers if h}
    mapping: dict[str, str] = {}
    for f in FIELDS:
        for alias in f.aliases:
            header = by_key.get(_key(alias))
            if header is not None and header not in mapping.values():
                mapping[f.name] = header
                break
    return mapping


def check_mapping(mapping: Mapping[str, str], headers: Sequence[str]) -> list[str]:
    """Indonesian messages for a mapping that cannot work (empty when it can)."""
    problems = []
    known = set(headers)
    for name, header in mapping.items():
        if name not in FIELD_BY_NAME:
            problems.append(f"Bidang '{name}' tidak dikenal.")
        elif header and header not in known:
            problems.append(f"Kolom '{header}' untuk {FIELD_BY_NAME[name].label} tidak ada.")
    used = [h for h in mapping.values() if h]
    for header in sorted({h for h in used if used.count(h) > 1}):
        problems.append(f"Kolom '{header}' dipakai untuk lebih dari satu bidang.")
    missing = [f.label for f in FIELDS if f.required and not mapping.get(f.name)]
    if missing:
        problems.append("Kolom wajib belum dipetakan: " + ", ".join(missing) + ".")
    if not any(mapping.get(u) for u in UNIT_FIELDS):
        problems.append("Petakan kolom Kode unit atau Unit kerja.")
    return problems


def parse_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """`field=Header` strings (the CLI's --map) → dict; an empty header ignores the field."""
    result = {}
    for pair in pairs:
        name, sep, header = pair.partition("=")
        if not sep or name.strip() not in FIELD_BY_NAME:
            allowed = ", ".join(FIELD_BY_NAME)
            raise ImportFileError(f"--map harus bidang=Judul kolom; bidang: {allowed}.")
        result[name.strip()] = header.strip()
    return result


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


def _nip(value: Any) -> tuple[str, str | None]:
    """(digits, problem). A number cell with more than 15 digits has lost its last digits."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        digits = str(int(value))
        if len(digits) > 15:
            return digits, (
                "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang; format kolom NIP "
                "sebagai Teks lalu ketik ulang."
            )
        return digits, None
    text = "".join(str(value or "").split()).lstrip("'")
    return text, None


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
    "s2": "S-2",
    "strata2": "S-2",
    "magister": "S-2",
    "s3": "S-3",
    "strata3": "S-3",
    "doktor": "S-3",
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
    "jfu": "pelaksana",
    "staf": "pelaksana",
}
# Structural posts by echelon (UU 5/2014 Pasal 131): I–II → JPT, III → administrator, IV → pengawas.
ESELON_KIND = {"i": "jpt", "ii": "jpt", "iii": "administrator", "iv": "pengawas"}
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
_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
EXCEL_EPOCH = date(1899, 12, 30)
ROMAN_NUMERALS = ("I", "II", "III", "IV")


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
    """'III/a', 'III/A', '3A', '3/a', 'Penata Muda (III/a)' → 'III/a'; unknown text unchanged."""
    text = _text(value)
    if not text:
        return ""
    inner = _PARENS.findall(text)
    candidate = (inner[-1] if inner else text).strip()
    match = _GOLONGAN.match(candidate)
    if not match:
        return text
    group, ruang = match.groups()
    number = int(group) if group.isdigit() else ROMAN[group.lower()]
    return f"{ROMAN_NUMERALS[number - 1]}/{ruang.lower()}"


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


@lru_cache(maxsize=2048)
def parse_jabatan_kind(value: Any) -> tuple[str, str | None]:
    text = _text(value)
    key = _key(text)
    if key in JABATAN_VALUES:
        return JABATAN_VALUES[key], None
    if key.startswith("struktural"):
        match = re.search(r"eselon\s*(iv|iii|ii|i)\b", text, re.IGNORECASE)
        if match:
            return ESELON_KIND[match.group(1).lower()], None
        rest = _key(text[len("struktural") :])
        if rest in JABATAN_VALUES:
            return JABATAN_VALUES[rest], None
        return text, (
            "Jenis jabatan 'Struktural' tidak cukup: tulis JPT, Administrator atau Pengawas "
            "(atau 'Struktural eselon II/III/IV')."
        )
    return text, None


@lru_cache(maxsize=2048)
def parse_education(value: Any) -> str:
    text = _text(value)
    key = _key(text)
    if key in EDUCATION_VALUES:
        return EDUCATION_VALUES[key]
    first = _key(text.split(" ")[0]) if text else ""
    return EDUCATION_VALUES.get(first, text)


def parse_date(value: Any) -> date | None:
    """Date cells, dd-mm-yyyy, dd/mm/yyyy, dd.mm.yyyy, yyyy-mm-dd, or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:
            return EXCEL_EPOCH + timedelta(days=int(value))
        return None
    text = _text(value)
    try:
        if match := _DATE_DMY.match(text):
            d, m, y = (int(g) for g in match.groups())
            return date(y, m, d)
        if match := _DATE_YMD.match(text):
            y, m, d = (int(g) for g in match.groups())
            return date(y, m, d)
    except ValueError:
        return None
    return None


@lru_cache(maxsize=256)
def parse_active(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    key = _key(_text(value))
    if not key:
        return True
    return ACTIVE_VALUES.get(key)


# --- planning -----------------------------------------------------------------------------

STORED_FIELDS = (
    "name",
    "front_title",
    "back_title",
    "sex",
    "birth_date",
    "status",
    "golongan",
    "pppk_grade",
    "jabatan_kind",
    "jabatan_name",
    "education",
    "unit_id",
    "email",
    "phone",
    "is_active",
)
OPTIONAL_FIELDS = frozenset(
    ("front_title", "back_title", "golongan", "pppk_grade", "email", "phone", "is_active")
)
# validate_employee's field names → our field names (for the column of a problem).
ERROR_FIELD = {"unit": "unit_code", "supervisor": "supervisor_nip"}


@dataclass
class RowPlan:
    row: int
    nip: str
    values: dict[str, Any]  # STORED_FIELDS that the file provides
    supervisor_nip: str | None  # None: the file has no supervisor column
    action: str = ""  # "new" | "changed" | "unchanged" | "rejected"
    existing_id: int | None = None
    changed: tuple[str, ...] = ()
    unit_label: str = ""


@dataclass
class ImportPlan:
    instansi: Instansi
    mapping: dict[str, str]
    scope: Unit | None = None  # None: the whole instansi; else only this unit's subtree
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    existing: dict[str, dict[str, Any]] = field(default_factory=dict)
    supervisor_ids: dict[str, int] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("new", "changed", "unchanged", "rejected")}

    @property
    def ok(self) -> bool:
        return not self.problems

    def preview(self, limit: int = PREVIEW_ROWS) -> list[RowPlan]:
        return self.rows[:limit]


@dataclass
class ImportResult:
    counts: dict[str, int]
    problems: list[Problem]
    written: bool
    dry_run: bool = False


def _chunks(items: Sequence[Any], size: int = BATCH_SIZE) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_import(
    table: Table,
    mapping: Mapping[str, str],
    instansi: Instansi,
    progress: Progress | None = None,
    *,
    scope: Unit | None = None,
) -> ImportPlan:
    """Parse, validate and diff every row; nothing is written.

    With ``scope`` (a pengelola OPD's unit) every row must stay inside that unit's subtree.
    """
    mapping = {k: v for k, v in mapping.items() if v}
    for message in check_mapping(mapping, table.headers):
        raise ImportFileError(message)
    if scope is not None and scope.instansi_id != instansi.pk:
        raise ImportFileError("Unit lingkup impor bukan dari instansi ini.")
    plan = ImportPlan(instansi=instansi, mapping=dict(mapping), scope=scope)
    width = len(table.headers)
    index = {h: i for i, h in enumerate(table.headers) if h}
    # Unmapped fields read position `width`, a None appended to every row.
    col = {f.name: index[mapping[f.name]] if f.name in mapping else width for f in FIELDS}
    header_of = dict(mapping)

    def column_for(name: str) -> str:
        name = ERROR_FIELD.get(name, name)
        if name == "unit_code" and "unit_code" not in header_of:
            name = "unit_name"
        return header_of.get(name, FIELD_BY_NAME[name].label if name in FIELD_BY_NAME else name)

    units = list(Unit.objects.filter(instansi=instansi).values_list("id", "code", "name", "path"))
    unit_by_code = {code.upper(): (pk, name) for pk, code, name, _path in units}
    unit_by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, _code, name, _path in units:
        unit_by_name[" ".join(name.split()).lower()].append((pk, name))
    in_scope = (
        None if scope is None else {pk for pk, _c, _n, path in units if path.startswith(scope.path)}
    )

    has = set(mapping)
    kept = [name for name in STORED_FIELDS if name not in OPTIONAL_FIELDS or name in has]
    i_nip, i_name, i_front, i_back = col["nip"], col["name"], col["front_title"], col["back_title"]
    i_sex, i_birth, i_status, i_gol = col["sex"], col["birth_date"], col["status"], col["golongan"]
    i_grade, i_jkind, i_jname = col["pppk_grade"], col["jabatan_kind"], col["jabatan_name"]
    i_edu, i_code, i_uname, i_sup = (
        col["education"],
        col["unit_code"],
        col["unit_name"],
        col["supervisor_nip"],
    )
    i_email, i_phone, i_active = col["email"], col["phone"], col["is_active"]
    has_supervisor, has_active = "supervisor_nip" in has, "is_active" in has
    pad = [None] * (width + 1)
    seen_nip: dict[str, int] = {}
    total = len(table.rows)
    for n, (row_number, raw) in enumerate(table.rows, start=1):
        if progress and n % 20000 == 0:
            progress(f"Memeriksa baris {n:,}/{total:,}".replace(",", "."))
        cells = raw + pad[len(raw) :] if len(raw) <= width else [*raw[:width], None]
        problems: list[tuple[str, str]] = []
        nip, nip_problem = _nip(cells[i_nip])
        if nip_problem:
            problems.append(("nip", nip_problem))
        jabatan_kind, jabatan_problem = parse_jabatan_kind(_text(cells[i_jkind]))
        if jabatan_problem:
            problems.append(("jabatan_kind", jabatan_problem))
        unit_id: int | None = None
        unit_label = ""
        code = _text(cells[i_code])
        if code:
            found = unit_by_code.get(code.upper())
            if found:
                unit_id, unit_label = found
            else:
                problems.append(("unit_code", f"Kode unit '{code}' tidak dikenal di instansi ini."))
        elif unit_name := _text(cells[i_uname]):
            matches = unit_by_name.get(unit_name.lower(), [])
            if len(matches) == 1:
                unit_id, unit_label = matches[0]
            elif matches:
                problems.append(
                    ("unit_name", f"Nama unit '{unit_name}' tidak unik; pakai kolom Kode unit.")
                )
            else:
                problems.append(("unit_name", f"Unit kerja '{unit_name}' tidak dikenal."))
        else:
            problems.append(("unit_code", "Unit kerja wajib diisi."))
        if unit_id is not None and in_scope is not None and unit_id not in in_scope:
            assert scope is not None
            problems.append(
                (
                    "unit_code" if code else "unit_name",
                    f"Unit kerja '{unit_label}' di luar lingkup OPD Anda ({scope.name}); "
                    "Anda hanya dapat mengimpor pegawai unit di bawah OPD Anda.",
                )
            )
        birth_raw = cells[i_birth]
        birth = parse_date(birth_raw)
        status = parse_status(_text(cells[i_status]))
        golongan = parse_golongan(_text(cells[i_gol]))
        pppk_grade = parse_pppk_grade(_text(cells[i_grade]))
        if status == "PPPK" and golongan and not pppk_grade:
            # SIASN puts the PPPK grade (IX, 9) in the same golongan column.
            grade = parse_pppk_grade(golongan)
            if grade.isdigit():
                pppk_grade, golongan = grade, ""
        active = True
        if has_active:
            parsed_active = parse_active(cells[i_active])
            if parsed_active is None:
                problems.append(("is_active", "Kolom aktif harus Ya atau Tidak."))
            else:
                active = parsed_active
        data = EmployeeInput(
            nip=nip,
            name=_text(cells[i_name]),
            sex=parse_sex(_text(cells[i_sex])),
            birth_date=birth,
            status=status,
            jabatan_kind=jabatan_kind,
            jabatan_name=_text(cells[i_jname]),
            education=parse_education(_text(cells[i_edu])),
            unit_id=unit_id if unit_id is not None else -1,
            golongan=golongan,
            pppk_grade=pppk_grade,
            front_title=_text(cells[i_front]),
            back_title=_text(cells[i_back]),
            email=_text(cells[i_email]),
            phone=_text(cells[i_phone]),
            is_active=active,
        )
        found_problems = validate_employee(data)
        if found_problems:
            if nip_problem:
                found_problems = [e for e in found_problems if e[0] != "nip"]
            if birth is None and birth_raw not in (None, ""):
                found_problems = [e for e in found_problems if e[0] != "birth_date"]
                found_problems.append(
                    (
                        "birth_date",
                        f"Tanggal lahir '{_text(birth_raw)}' tidak terbaca (pakai dd-mm-yyyy "
                        "atau yyyy-mm-dd).",
                    )
                )
            problems.extend(found_problems)
        if data.email and ("@" not in data.email or len(data.email) > 254):
            problems.append(("email", f"Surel '{data.email}' tidak sah."))
        if nip:
            first = seen_nip.get(nip)
            if first is not None:
                problems.append(
                    ("nip", f"NIP {nip} ganda dalam berkas (sudah ada di baris {first}).")
                )
            else:
                seen_nip[nip] = row_number
        supervisor_nip = None
        if has_supervisor:
            supervisor_nip, sup_problem = _nip(cells[i_sup])
            if sup_problem:
                problems.append(("supervisor_nip", sup_problem.replace("NIP", "NIP atasan", 1)))
            elif supervisor_nip and supervisor_nip == nip:
                problems.append(
                    ("supervisor_nip", "Pegawai tidak dapat menjadi atasan dirinya sendiri.")
                )
        every = {
            "name": data.name,
            "front_title": data.front_title,
            "back_title": data.back_title,
            "sex": data.sex,
            "birth_date": birth,
            "status": status,
            "golongan": golongan,
            "pppk_grade": pppk_grade,
            "jabatan_kind": jabatan_kind,
            "jabatan_name": data.jabatan_name,
            "education": data.education,
            "unit_id": unit_id,
            "email": data.email,
            "phone": data.phone,
            "is_active": active,
        }
        # Optional columns the file lacks keep what the database has.
        values = {k: every[k] for k in kept}
        row = RowPlan(
            row=row_number,
            nip=nip,
            values=values,
            supervisor_nip=supervisor_nip,
            unit_label=unit_label,
        )
        if problems:
            row.action = "rejected"
            for name, message in problems:
                plan.problems.append(Problem(row_number, column_for(name), message))
        plan.rows.append(row)

    _diff_against_database(plan, column_for, progress)
    plan.problems.sort(key=lambda p: (p.row, p.column))
    return plan


def _nips_in(instansi: Instansi | None, nips: Iterable[str], *fields: str) -> list[Any]:
    """values_list(*fields) of the employees with these NIPs, a few thousand per query."""
    result: list[Any] = []
    for chunk in _chunks(sorted(set(nips)), 5000):
        qs = Employee.objects.filter(nip__in=list(chunk))
        if instansi is not None:
            qs = qs.filter(instansi=instansi)
        result.extend(qs.values_list(*fields))
    return result


EXISTING_FIELDS = ("id", "nip", "instansi_id", "supervisor_id", *STORED_FIELDS)


def _fetch_existing(nips: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The stored rows for these NIPs (any instansi), keyed by NIP.

    Plain SQL with the NIPs as parameters: a 100,000-row file otherwise spends seconds in the
    ORM's per-value lookup preparation and converters. Dates and booleans are normalised here.
    """
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f) for f in EXISTING_FIELDS)
    table = qn(Employee._meta.db_table)
    i_birth = EXISTING_FIELDS.index("birth_date")
    i_active = EXISTING_FIELDS.index("is_active")
    found: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(set(nips)), 900):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE {qn('nip')} IN ({marks})",  # noqa: S608 - names from model metadata, values are parameters
                list(chunk),
            )
            for values in cursor.fetchall():
                record = dict(zip(EXISTING_FIELDS, values, strict=True))
                birth = values[i_birth]
                if isinstance(birth, str):
                    record["birth_date"] = date.fromisoformat(birth)
                record["is_active"] = bool(values[i_active])
                found[values[1]] = record
    return found


def _diff_against_database(
    plan: ImportPlan, column_for: Callable[[str], str], progress: Progress | None
) -> None:
    if progress:
        progress("Membandingkan dengan basis data")
    existing = _fetch_existing(r.nip for r in plan.rows if r.nip)
    plan.existing = existing
    file_nips = {r.nip for r in plan.rows if r.nip}
    # Supervisors outside the file: their id and their own supervisor (for the cycle check).
    outside = {
        r.supervisor_nip
        for r in plan.rows
        if r.supervisor_nip and r.supervisor_nip not in file_nips
    }
    graph: dict[str, str] = {}
    id_of: dict[str, int] = {nip: v["id"] for nip, v in existing.items()}
    nip_of: dict[int, str] = {v["id"]: nip for nip, v in existing.items()}
    for nip, pk in _nips_in(plan.instansi, outside, "nip", "id"):
        id_of[nip] = pk
    plan.supervisor_ids = id_of

    def reject(row: RowPlan, name: str, message: str) -> None:
        row.action = "rejected"
        plan.problems.append(Problem(row.row, column_for(name), message))

    outside_scope = _units_outside_scope(plan, existing.values())
    for row in plan.rows:
        old = existing.get(row.nip)
        if old is not None and old["instansi_id"] != plan.instansi.pk:
            reject(row, "nip", f"NIP {row.nip} sudah terdaftar di instansi lain.")
        elif old is not None and old["unit_id"] in outside_scope:
            assert plan.scope is not None
            reject(
                row,
                "nip",
                f"NIP {row.nip} terdaftar di unit '{outside_scope[old['unit_id']]}', di luar "
                f"lingkup OPD Anda ({plan.scope.name}); mutasi antar-OPD dilakukan oleh admin "
                "BKPSDM.",
            )
        sup = row.supervisor_nip
        if sup and sup not in file_nips and sup not in id_of:
            reject(
                row,
                "supervisor_nip",
                f"Atasan dengan NIP {sup} tidak ada di berkas maupun di data pegawai.",
            )
    # The supervisor graph over NIPs: the file's rows, then the database beyond them.
    missing_ids: set[int] = set()
    for row in plan.rows:
        if not row.nip:
            continue
        if row.supervisor_nip is not None:
            if row.supervisor_nip:
                graph[row.nip] = row.supervisor_nip
        else:
            old = existing.get(row.nip)
            if old is not None and old["supervisor_id"] is not None:
                sid = old["supervisor_id"]
                if sid in nip_of:
                    graph[row.nip] = nip_of[sid]
                else:
                    missing_ids.add(sid)
    if missing_ids:
        for pk, nip in Employee.objects.filter(pk__in=missing_ids).values_list("id", "nip"):
            nip_of[pk] = nip
        for row in plan.rows:
            old = existing.get(row.nip)
            if row.supervisor_nip is None and old is not None and old["supervisor_id"]:
                graph[row.nip] = nip_of[old["supervisor_id"]]
    frontier = {s for s in graph.values() if s not in graph and s not in file_nips}
    while frontier:  # walk up the database's chains, one query per level of the org chart
        found = _nips_in(plan.instansi, frontier, "nip", "supervisor__nip")
        for nip, sup in found:
            if sup:
                graph[nip] = sup
        frontier = {s for _n, s in found if s and s not in graph}
    _check_cycles(plan, graph, reject)
    for row in plan.rows:
        if row.action == "rejected":
            continue
        old = existing.get(row.nip)
        if old is None:
            row.action = "new"
            continue
        row.existing_id = old["id"]
        changed = [k for k, v in row.values.items() if old[k] != v]
        if row.supervisor_nip is not None:
            new_sup = id_of.get(row.supervisor_nip) if row.supervisor_nip else None
            # A supervisor that is new in this file cannot be the current one.
            if (new_sup is None and row.supervisor_nip) or old["supervisor_id"] != new_sup:
                changed.append("supervisor_id")
        row.changed = tuple(changed)
        row.action = "changed" if changed else "unchanged"


def _units_outside_scope(plan: ImportPlan, existing: Iterable[dict[str, Any]]) -> dict[int, str]:
    """Unit id → name of the stored employees' units that lie outside the plan's scope."""
    if plan.scope is None:
        return {}
    unit_ids = {v["unit_id"] for v in existing if v["instansi_id"] == plan.instansi.pk}
    if not unit_ids:
        return {}
    return dict(
        Unit.objects.filter(pk__in=unit_ids)
        .exclude(path__startswith=plan.scope.path)
        .values_list("id", "name")
    )


def _check_cycles(
    plan: ImportPlan, graph: dict[str, str], reject: Callable[[RowPlan, str, str], None]
) -> None:
    """Refuse rows whose supervisor chain, across the file and the database, loops."""
    file_rows = {r.nip: r for r in plan.rows if r.nip}
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    for start in file_rows:
        if state.get(start):
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and not state.get(node):
            state[node] = 1
            walk.append(node)
            node = graph.get(node)
        if node is not None and state.get(node) == 1:
            loop = walk[walk.index(node) :]
            chain = " → ".join([*loop, node])
            for nip in loop:
                row = file_rows.get(nip)
                if row is not None and row.supervisor_nip:
                    reject(row, "supervisor_nip", f"Rantai atasan melingkar: {chain}.")
        for visited in walk:
            state[visited] = 2


# --- writing ------------------------------------------------------------------------------


def _supervisor_levels(rows: list[RowPlan]) -> list[list[RowPlan]]:
    """New rows in insertion order: each after the new row that is its supervisor."""
    by_nip = {r.nip: r for r in rows}
    depth: dict[str, int] = {}
    for row in rows:
        chain = []
        node: str | None = row.nip
        while node is not None and node in by_nip and node not in depth:
            chain.append(node)
            node = by_nip[node].supervisor_nip or None
        base = depth[node] if node is not None and node in depth else -1
        for nip in reversed(chain):
            base += 1
            depth[nip] = base
    levels: dict[int, list[RowPlan]] = defaultdict(list)
    for row in rows:
        levels[depth[row.nip]].append(row)
    return [levels[k] for k in sorted(levels)]


def _executemany(sql: str, rows: Sequence[Sequence[Any]]) -> None:
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 5000):
            cursor.executemany(sql, list(chunk))


@transaction.atomic
def do_import_employees(
    plan: ImportPlan,
    *,
    actor: User | None = None,
    progress: Progress | None = None,
    keep_order: bool = False,
) -> ImportResult:
    """Write a clean plan: insert new rows, update changed fields, record events and one audit row.

    Refuses (writes nothing) when the plan has any problem. Rows go in with `executemany` on
    plain INSERT/UPDATE statements (5,000 rows per call): Django's bulk_create spends about
    10 µs preparing each value, which made a 100,000-row import take 30 s instead of a few.
    New rows are inserted level by level of the org chart, so each row's supervisor already has
    an id; changed supervisors of existing rows are linked in a second pass. With ``keep_order``
    new rows get their ids in file order (one pass; supervisors new in the file are linked
    afterwards): the demo generator relies on that to give every employee the id it always had.
    """
    counts = plan.counts
    if plan.problems:
        return ImportResult(counts=counts, problems=plan.problems, written=False)
    if not (counts["new"] or counts["changed"]):
        return ImportResult(counts=counts, problems=[], written=False)
    ops = connection.ops
    qn = ops.quote_name
    today = timezone.localdate()
    now = timezone.now()
    db_today = ops.adapt_datefield_value(today)
    db_now = ops.adapt_datetimefield_value(now)
    instansi = plan.instansi
    employee_table = qn(Employee._meta.db_table)
    nip_to_id = dict(plan.supervisor_ids)
    events: list[tuple[Any, ...]] = []

    def db_value(name: str, value: Any) -> Any:
        if value is not None and name in ("birth_date", "end_date"):
            return ops.adapt_datefield_value(value)
        return value

    if connection.vendor == "sqlite":
        # Seven indexes take random inserts; SQLite's default 2 MB page cache thrashes on them.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")  # 128 MB, this connection only
    # 1. New rows, supervisors first.
    new_rows = [r for r in plan.rows if r.action == "new"]
    if new_rows:
        defaults = {
            f.attname: f.get_default()
            for f in Employee._meta.concrete_fields
            if f.attname in STORED_FIELDS or f.attname in ("end_reason", "end_date")
        }
        columns = ["instansi_id", "nip", "supervisor_id", *defaults, "created", "updated"]
        names = list(defaults)
        i_birth = names.index("birth_date")
        adapt_date = ops.adapt_datefield_value
        sql = (
            f"INSERT INTO {employee_table} ({', '.join(map(qn, columns))}) "  # noqa: S608 - names from model metadata, values are parameters
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        done = 0
        # in NIP order by default: the unique index appends
        levels = [new_rows] if keep_order else _supervisor_levels(new_rows)
        link_later: list[RowPlan] = []
        for level in levels:
            params = []
            for row in level if keep_order else sorted(level, key=lambda r: r.nip):
                stored = [row.values.get(name, defaults[name]) for name in names]
                birth = stored[i_birth]
                if birth is not None:
                    stored[i_birth] = adapt_date(birth)
                sup = row.supervisor_nip
                if sup and sup not in nip_to_id:  # keep_order: a supervisor new in this file
                    link_later.append(row)
                params.append(
                    [
                        instansi.pk,
                        row.nip,
                        nip_to_id.get(sup) if sup else None,
                        *stored,
                        db_now,
                        db_now,
                    ]
                )
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX({qn('id')}) FROM {employee_table}")  # noqa: S608
                before = cursor.fetchone()[0] or 0
            _executemany(sql, params)
            nip_to_id.update(
                Employee.objects.filter(instansi=instansi, id__gt=before).values_list("nip", "id")
            )
            done += len(level)
            if progress:
                progress(f"Pegawai baru tersimpan: {done:,}/{len(new_rows):,}".replace(",", "."))
        if link_later:
            _executemany(
                f"UPDATE {employee_table} SET {qn('supervisor_id')} = %s "  # noqa: S608
                f"WHERE {qn('id')} = %s",
                [
                    [nip_to_id[r.supervisor_nip], nip_to_id[r.nip]]
                    for r in link_later
                    if r.supervisor_nip
                ],
            )
        events = [
            (
                nip_to_id[r.nip],
                EmploymentEvent.Kind.JOINED.value,
                db_today,
                None,
                r.values["unit_id"],
                "",
                db_now,
            )
            for r in new_rows
        ]
    # 2. Changed rows: only the changed fields, grouped by which fields changed.
    groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
    for row in plan.rows:
        if row.action != "changed":
            continue
        old = plan.existing[row.nip]
        columns = [n for n in row.changed if n != "supervisor_id"]
        set_values: list[Any] = [db_value(n, row.values[n]) for n in columns]
        if "supervisor_id" in row.changed:
            columns.append("supervisor_id")
            set_values.append(nip_to_id[row.supervisor_nip] if row.supervisor_nip else None)
        if "is_active" in row.changed:
            ended = not row.values["is_active"]
            columns += ["end_date", "end_reason"]
            set_values += [db_today if ended else None, ""]
            events.append(
                (
                    row.existing_id,
                    (
                        EmploymentEvent.Kind.ENDED if ended else EmploymentEvent.Kind.REACTIVATED
                    ).value,
                    db_today,
                    row.values.get("unit_id") or old["unit_id"],
                    None,
                    "Impor pegawai",
                    db_now,
                )
            )
        if "unit_id" in row.changed:
            events.append(
                (
                    row.existing_id,
                    EmploymentEvent.Kind.MOVED.value,
                    db_today,
                    old["unit_id"],
                    row.values["unit_id"],
                    "Impor pegawai",
                    db_now,
                )
            )
        groups[tuple(columns)].append([*set_values, db_now, row.existing_id])
    for group_columns, rows in groups.items():
        assignments = ", ".join(f"{qn(n)} = %s" for n in (*group_columns, "updated"))
        sql = f"UPDATE {employee_table} SET {assignments} WHERE {qn('id')} = %s"  # noqa: S608
        _executemany(sql, rows)
    event_columns = (
        "employee_id",
        "kind",
        "date",
        "from_unit_id",
        "to_unit_id",
        "detail",
        "created",
    )
    event_sql = (
        f"INSERT INTO {qn(EmploymentEvent._meta.db_table)} "  # noqa: S608
        f"({', '.join(map(qn, event_columns))}) VALUES ({', '.join(['%s'] * len(event_columns))})"
    )
    _executemany(event_sql, events)
    audit.record(
        actor=actor,
        action="employee.import",
        object_type="people.employee",
        instansi=instansi,
        summary=(
            f"Impor pegawai: {counts['new']} baru, {counts['changed']} berubah, "
            f"{counts['unchanged']} tetap"
        ),
        after=dict(counts),
    )
    return ImportResult(counts=counts, problems=[], written=True)


def import_employees(
    data: bytes,
    filename: str,
    *,
    instansi: Instansi,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
    actor: User | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, plan and (unless `dry_run` or any row is rejected) write, in one transaction."""
    table = read_table(data, filename, sheet)
    if progress:
        progress(f"{len(table.rows):,} baris data dibaca".replace(",", "."))
    full_mapping = detect_mapping(table.headers)
    if mapping:
        full_mapping.update(mapping)
    with transaction.atomic():
        plan = plan_import(table, full_mapping, instansi, progress)
        if dry_run or plan.problems:
            return ImportResult(
                counts=plan.counts, problems=plan.problems, written=False, dry_run=dry_run
            )
        return do_import_employees(plan, actor=actor, progress=progress)


def problem_report_xlsx(problems: Sequence[Problem]) -> bytes:
    from kompeten.core.exports import xlsx_bytes

    rows = [(p.row, p.column, p.message) for p in problems]
    return xlsx_bytes([("Masalah", ["Baris", "Kolom", "Masalah"], rows)])
