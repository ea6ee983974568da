"""The employee import: the ``employees`` declaration on the import engine, and the set-based
upsert behind it.

The engine (``kompeten.core.importing``) reads the file, finds the header row under SIASN's
title rows, recognises the source (a SIASN export, the Kompeten template — the employee list's
own export —, or other spellings), pre-fills and remembers the mapping and parses each cell with
the fields below. This module adds what is the registry's own:

1. :func:`plan_records` checks the parsed rows against each other and the database, set-based
   (one query per kind of lookup, never one per row): units matched by code (UNOR ID) or by name
   as people write it, a NIP in another instansi or outside a pengelola's subtree, atasan known
   and no cycle across the file and the database, and the diff (new / changed fields /
   unchanged). A NIP damaged by Excel, a unit not in the tree yet or an atasan that waits make
   the row *pending*, never lost.
2. :func:`do_import_employees` writes the clean rows in one transaction: batched inserts in
   supervisor order, updates of the changed fields only, employment events, one audit row.
3. :func:`offer_full_nips` lets other imports (attendance lists, score recaps) complete pending
   rows whose NIP Excel damaged, from the full NIP they carry beside the same name.

Running the same file twice changes nothing the second time.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any

from django import forms
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompeten.core import audit
from kompeten.core import importing as imp
from kompeten.core.models import Instansi, User
from kompeten.people.models import Education, Employee, EmploymentEvent, Unit
from kompeten.people.unit_tree import UnitPlan, UnitRow, do_apply_unit_plan, plan_units, row_ref
from kompeten.people.validation import EmployeeInput, normalise_nip, validate_employee

BATCH_SIZE = 2000
PREVIEW_ROWS = 20
Progress = Callable[[str], None]


@dataclass
class Problem:
    """One rejected value of :func:`plan_import`: row number, column header, message."""

    row: int
    column: str
    message: str


@dataclass
class Table:
    """Rows already in memory (the demo generator's bulk path)."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as in the spreadsheet, cells)
    header_row: int = 1


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


def structural_level(post_name: str) -> str | None:
    """The managerial level of a structural post from its name ("Kepala Seksi …" → pengawas)."""
    key = _key(post_name)
    for prefix, kind in STRUCTURAL_POSTS:
        if key.startswith(prefix):
            return kind
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
# validate_employee's field names → the import's field names (for the column of a problem).
ERROR_FIELD = {"unit": "unit_code", "supervisor": "supervisor_nip"}
# Pending reasons (the engine keeps such rows aside, to complete later).
NIP_DAMAGED = "nip_damaged"
UNIT_UNKNOWN = "unit_unknown"
SUPERVISOR_PENDING = "supervisor_pending"


@dataclass
class RowPlan:
    row: int
    nip: str
    values: dict[str, Any]  # STORED_FIELDS that the file provides
    supervisor_nip: str | None  # None: the file has no supervisor column
    action: str = ""  # "new" | "changed" | "unchanged" | "rejected" | "pending"
    existing_id: int | None = None
    changed: tuple[str, ...] = ()
    unit_label: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    pending: tuple[str, str] | None = None  # (reason code, message)
    warnings: list[str] = field(default_factory=list)  # imported, but worth a look
    unit_to_create: tuple[str, str, str] | None = None  # (UNOR ID, UNOR NAMA, UNOR INDUK NAMA)

    def reject(self, name: str, message: str) -> None:
        self.action = "rejected"
        self.problems.append((name, message))


@dataclass
class ImportPlan:
    instansi: Instansi
    mapping: dict[str, str]
    scope: Unit | None = None  # None: the whole instansi; else only this unit's subtree
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    existing: dict[str, dict[str, Any]] = field(default_factory=dict)
    supervisor_ids: dict[str, int] = field(default_factory=dict)
    unit_plan: UnitPlan | None = None  # the units that ``create_units`` will add

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


@dataclass
class UnitIndex:
    """The instansi's units, for matching the file's unit columns without a query per row."""

    by_code: dict[str, tuple[int, str]]
    by_name: dict[str, list[tuple[int, str, str]]]  # normalised name → (id, name, parent name)
    paths: dict[int, str]

    @classmethod
    def load(cls, instansi: Instansi) -> UnitIndex:
        units = list(
            Unit.objects.filter(instansi=instansi).values_list(
                "id", "code", "name", "short_name", "parent_id", "path"
            )
        )
        names = {pk: name for pk, _c, name, _s, _p, _path in units}
        by_name: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for pk, _code, name, short, parent_id, _path in units:
            parent = names.get(parent_id, "") if parent_id else ""
            keys = {_unit_key(name)}
            if short:
                keys.add(_unit_key(short))
            for key in keys:
                by_name[key].append((pk, name, parent))
        return cls(
            by_code={code.upper(): (pk, name) for pk, code, name, _s, _p, _path in units},
            by_name=dict(by_name),
            paths={pk: path for pk, _c, _n, _s, _p, path in units},
        )

    def find(self, code: str, name: str, parent: str) -> tuple[int | None, str, str]:
        """(unit id, unit name, problem): by code, then by name (the parent's name decides
        between units of the same name, e.g. the many SEKRETARIAT). (None, "", "") = unknown."""
        if code and (found := self.by_code.get(code.upper())):
            return found[0], found[1], ""
        if not name:
            return None, "", ""
        matches = self.by_name.get(_unit_key(name), [])
        if len(matches) > 1 and parent:
            parent_key = _unit_key(parent)
            matches = [m for m in matches if _unit_key(m[2]) == parent_key] or matches
        if len(matches) == 1:
            return matches[0][0], matches[0][1], ""
        if matches:
            return (
                None,
                "",
                gettext(
                    "Nama unit '{name}' tidak unik; isi kolom Kode unit (UNOR ID) atau unit "
                    "induknya."
                ).format(name=name),
            )
        return None, "", ""


@lru_cache(maxsize=4096)
def _unit_key(name: str) -> str:
    return imp.normalise_unit_name(name)


def _read_nip(row: RowPlan, v: Mapping[str, Any], damaged: list[tuple[RowPlan, str, str]]) -> bool:
    """Set the row's NIP; True when the NIP's own problem (or its damage) is already said."""
    nip_value = v.get("nip")
    nip = ""
    nip_said = False
    if isinstance(nip_value, imp.NipValue):
        nip = nip_value.digits
        if nip_value.status == "damaged":
            damaged.append((row, nip_value.prefix, str(v.get("name") or "")))
            nip_said = True
        elif nip_value.status != "ok":
            row.reject("nip", nip_value.message or gettext("NIP tidak sah."))
            nip_said = True
    elif nip_value:
        nip = normalise_nip(str(nip_value))
    row.nip = nip
    return nip_said


def _status_and_grade(v: Mapping[str, Any]) -> tuple[str, str, str]:
    """(status, golongan, PPPK grade): SIASN puts the PPPK grade (IX, 9) in the same golongan
    column, so a PPPK's golongan that reads as a grade is its grade."""
    status = v.get("status") or v.get("employee_kind") or ""
    if v.get("employee_kind") == "PPPK":
        status = "PPPK"
    golongan = v.get("golongan") or ""
    pppk_grade = v.get("pppk_grade") or ""
    if status == "PPPK" and golongan and not pppk_grade:
        grade = parse_pppk_grade(golongan)
        if grade.isdigit():
            pppk_grade, golongan = grade, ""
    return status, golongan, pppk_grade


def _read_supervisor(row: RowPlan, v: Mapping[str, Any]) -> None:
    """The atasan's NIP, refused when Excel damaged it, it is not a NIP, or it is the row's own."""
    sup = v.get("supervisor_nip")
    supervisor_nip = ""
    if isinstance(sup, imp.NipValue):
        supervisor_nip = sup.digits
        if sup.status == "damaged":
            row.reject(
                "supervisor_nip",
                gettext(
                    "NIP atasan tersimpan sebagai angka sehingga digit terakhirnya "
                    "hilang; format kolomnya sebagai Teks lalu ketik ulang."
                ),
            )
        elif sup.status not in ("ok", "blank"):
            row.reject("supervisor_nip", (sup.message or "").replace("NIP", "NIP atasan", 1))
    elif sup:
        supervisor_nip = normalise_nip(str(sup))
    if supervisor_nip and supervisor_nip == row.nip:
        row.reject("supervisor_nip", gettext("Pegawai tidak dapat menjadi atasan dirinya sendiri."))
    row.supervisor_nip = supervisor_nip


class _RecordChecker:
    """Checks one parsed row at a time against the unit tree, the pengelola's scope and the
    rows before it (duplicate NIPs); what needs the database as a whole (diff, atasan, damaged
    NIPs) is done afterwards on the whole plan."""

    def __init__(
        self,
        instansi: Instansi,
        present: Iterable[str],
        scope: Unit | None,
        create_units: bool,
    ) -> None:
        self.scope = scope
        self.create_units = create_units
        self.units = UnitIndex.load(instansi)
        self.in_scope = (
            None
            if scope is None
            else {pk for pk, path in self.units.paths.items() if path.startswith(scope.path)}
        )
        has = set(present)
        self.kept = [name for name in STORED_FIELDS if name not in OPTIONAL_FIELDS or name in has]
        self.keeps_all = len(self.kept) == len(STORED_FIELDS)
        self.has_supervisor, self.has_active = "supervisor_nip" in has, "is_active" in has
        self.seen_nip: dict[str, int] = {}
        self.damaged: list[tuple[RowPlan, str, str]] = []  # (row, the 15 kept digits, name)

    def _unit(self, row: RowPlan, v: Mapping[str, Any]) -> int | None:
        """The row's unit id, or None with the row rejected, pending, or its unit planned."""
        code = v.get("unit_code") or ""
        unit_name = v.get("unit_name") or ""
        parent_name = v.get("parent_unit_name") or ""
        unit_id, unit_label, unit_problem = self.units.find(code, unit_name, parent_name)
        if unit_problem:
            row.reject("unit_name", unit_problem)
        elif unit_id is None and not (code or unit_name):
            row.reject("unit_code", gettext("Unit kerja wajib diisi."))
        elif unit_id is None:
            shown = unit_name or code
            if self.create_units and self.scope is None:
                row.unit_to_create = (code, unit_name, parent_name)
                unit_label = shown
            else:
                row.pending = (
                    UNIT_UNKNOWN,
                    gettext(
                        "Unit kerja '{unit}' belum ada di pohon OPD; baris ini selesai sendiri "
                        "setelah unitnya dibuat (atau impor ulang dengan 'buat unit yang belum "
                        "ada')."
                    ).format(unit=shown),
                )
        row.unit_label = unit_label
        if unit_id is not None and self.in_scope is not None and unit_id not in self.in_scope:
            assert self.scope is not None
            row.reject(
                "unit_code" if code else "unit_name",
                gettext(
                    "Unit kerja '{unit}' di luar lingkup OPD Anda ({scope}); Anda hanya dapat "
                    "mengimpor pegawai unit di bawah OPD Anda."
                ).format(unit=unit_label, scope=self.scope.name),
            )
        return unit_id

    def _check_unique_nip(self, row: RowPlan, number: int) -> None:
        first = self.seen_nip.get(row.nip)
        if first is not None:
            row.reject(
                "nip",
                gettext("NIP {nip} ganda dalam berkas (sudah ada di baris {first}).").format(
                    nip=row.nip, first=first
                ),
            )
        else:
            self.seen_nip[row.nip] = number

    def check(self, number: int, v: Mapping[str, Any]) -> RowPlan:
        row = RowPlan(row=number, nip="", values={}, supervisor_nip=None)
        nip_said = _read_nip(row, v, self.damaged)
        status, golongan, pppk_grade = _status_and_grade(v)
        jabatan_name = v.get("jabatan_name") or ""
        jabatan_kind, jabatan_problem = parse_jabatan_kind(
            (v.get("jabatan_kind") or ""), jabatan_name
        )
        if jabatan_problem:
            row.reject("jabatan_kind", jabatan_problem)
        unit_id = self._unit(row, v)
        active = v.get("is_active")
        if not self.has_active or active is None:
            active = True
        data = EmployeeInput(
            nip=row.nip,
            name=(v.get("name") or ""),
            sex=v.get("sex") or "",
            birth_date=v.get("birth_date"),
            status=status,
            jabatan_kind=jabatan_kind,
            jabatan_name=jabatan_name,
            education=v.get("education") or "",
            unit_id=unit_id if unit_id is not None else -1,
            golongan=golongan,
            pppk_grade=pppk_grade,
            front_title=(v.get("front_title") or ""),
            back_title=(v.get("back_title") or ""),
            email=(v.get("email") or ""),
            phone=(v.get("phone") or ""),
            is_active=bool(active),
        )
        for name, message in validate_employee(data):
            if name == "nip" and nip_said:
                continue
            if name == "status" and not status:
                message = "Status wajib diisi (PNS atau PPPK)."
            row.reject(ERROR_FIELD.get(name, name), message)
        if data.email and ("@" not in data.email or len(data.email) > 254):
            row.reject("email", gettext("Surel '{email}' tidak sah.").format(email=data.email))
        if row.nip and not nip_said:
            self._check_unique_nip(row, number)
        if self.has_supervisor:
            _read_supervisor(row, v)
        every = {
            "name": data.name,
            "front_title": data.front_title,
            "back_title": data.back_title,
            "sex": data.sex,
            "birth_date": data.birth_date,
            "status": status,
            "golongan": golongan,
            "pppk_grade": pppk_grade,
            "jabatan_kind": jabatan_kind,
            "jabatan_name": data.jabatan_name,
            "education": data.education,
            "unit_id": unit_id,
            "email": data.email,
            "phone": data.phone,
            "is_active": bool(active),
        }
        # Optional columns the file lacks keep what the database has.
        row.values = every if self.keeps_all else {k: every[k] for k in self.kept}
        return row


def plan_records(
    records: Iterable[tuple[int, Mapping[str, Any]]],
    present: Iterable[str],
    instansi: Instansi,
    *,
    scope: Unit | None = None,
    create_units: bool = False,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check and diff parsed rows against the database; nothing is written.

    ``records`` are (row number, field → parsed value) with the engine's values: ``nip`` and
    ``supervisor_nip`` as :class:`~kompeten.core.importing.values.NipValue`, ``birth_date`` a
    date, text fields already through :func:`_field_text`, the vocabularies already
    translated. ``present`` names the fields the file maps:
    an optional field it lacks keeps what is stored. Every row's problems and pending reason
    are on its :class:`RowPlan`; the plan's ``problems`` list them with the field's name as the
    column. One query per kind of lookup, never one per row.
    """
    if scope is not None and scope.instansi_id != instansi.pk:
        raise ValueError("scope outside the instansi")
    plan = ImportPlan(instansi=instansi, mapping={}, scope=scope)
    checker = _RecordChecker(instansi, present, scope, create_units)
    for n, (number, v) in enumerate(records, start=1):
        if progress and n % 20000 == 0:
            progress(f"Memeriksa baris {n:,}".replace(",", "."))
        plan.rows.append(checker.check(number, v))
    _complete_damaged_nips(plan, checker.damaged, checker.seen_nip)
    if create_units:
        _plan_new_units(plan)
    if progress:
        progress("Membandingkan dengan basis data")
    _diff_against_database(plan)
    _hold_rows_under_pending_supervisors(plan)
    for row in plan.rows:
        if row.problems:
            row.action = "rejected"
        elif row.pending:
            row.action = "pending"
        plan.problems.extend(Problem(row.row, name, message) for name, message in row.problems)
    plan.problems.sort(key=lambda p: (p.row, p.column))
    return plan


def _plan_new_units(plan: ImportPlan) -> None:
    """The units the file names that are not in the tree, planned with their parents
    (:func:`kompeten.people.unit_tree.plan_units`); a unit that cannot be planned is a problem."""
    wanted = {r.unit_to_create: UnitRow(*r.unit_to_create) for r in plan.rows if r.unit_to_create}
    if not wanted:
        return
    plan.unit_plan = plan_units(wanted.values(), plan.instansi)
    problems = {p.ref: p.message for p in plan.unit_plan.problems}
    for row in plan.rows:
        if row.unit_to_create and (message := problems.get(row_ref(wanted[row.unit_to_create]))):
            row.reject("unit_name", message)


def _complete_damaged_nips(
    plan: ImportPlan, damaged: list[tuple[RowPlan, str, str]], seen_nip: dict[str, int]
) -> None:
    """A NIP that Excel damaged is completed from an employee already stored with the same
    name whose NIP starts with the 15 digits Excel kept; otherwise the row waits (pending)."""
    if not damaged:
        return
    names = {_person_key(name) for _row, _prefix, name in damaged}
    stored: dict[str, set[str]] = defaultdict(set)
    for name, nip in Employee.objects.filter(instansi=plan.instansi).values_list("name", "nip"):
        key = _person_key(name)
        if key in names:
            stored[key].add(nip)
    for key, nips in full_nips_in_pending_rows(plan.instansi, names).items():
        stored[key] |= nips
    for row, prefix, name in damaged:
        candidates = [nip for nip in stored.get(_person_key(name), ()) if nip.startswith(prefix)]
        if len(candidates) == 1 and candidates[0] not in seen_nip:
            row.nip = candidates[0]
            seen_nip[row.nip] = row.row
            row.warnings.append(
                gettext(
                    "NIP rusak oleh Excel ({prefix}…) dilengkapi menjadi {nip} dari pegawai atau "
                    "berkas lain dengan nama yang sama."
                ).format(prefix=prefix, nip=row.nip)
            )
            continue
        row.nip = ""
        row.pending = (
            NIP_DAMAGED,
            gettext(
                "NIP rusak oleh Excel (hanya 15 digit pertama yang tersisa: {prefix}…); baris ini "
                "dilengkapi otomatis bila berkas lain (daftar hadir, rekap nilai) memuat NIP "
                "lengkapnya di samping nama yang sama, atau perbaiki NIP-nya di daftar tertunda."
            ).format(prefix=prefix),
        )


_TITLE = re.compile(r"^(?:[a-z]{1,4}\.)+$")


@lru_cache(maxsize=65536)
def _person_key(name: str) -> str:
    """A person's name as written in different files: case, spacing and punctuation ignored,
    academic and other titles dropped ("Hj. Rina Wati, S.K.M." = "RINA WATI")."""
    main = str(name).split(",", 1)[0]
    words = [w for w in main.split() if not _TITLE.match(w.casefold())]
    return imp.normalise_text(" ".join(words))


def full_nips_in_pending_rows(instansi: Instansi, names: set[str]) -> dict[str, set[str]]:
    """Full NIPs written as text beside one of ``names`` in the open pending rows of the other
    imports (an attendance list or a score recap whose person is not registered yet): name key →
    NIPs. One query; the rows' cells are read as stored (header → value)."""
    from kompeten.core.models import PendingRow

    found: dict[str, set[str]] = defaultdict(set)
    cells = (
        PendingRow.objects.filter(run__instansi=instansi, resolved_at__isnull=True)
        .exclude(run__declaration=EmployeesImport.key)
        .values_list("values", flat=True)
    )
    for values in cells:
        if not isinstance(values, dict):
            continue
        texts = [v for v in values.values() if isinstance(v, str)]
        nips = {n.digits for v in texts if (n := imp.parse_nip(v)).status == "ok"}
        if not nips:
            continue
        for text in texts:
            key = _person_key(text)
            if key in names:
                found[key] |= nips
    return found


def _hold_rows_under_pending_supervisors(plan: ImportPlan) -> None:
    """A clean row whose atasan is a row of this file that will not be written waits too."""
    by_nip = {r.nip: r for r in plan.rows if r.nip}
    blocked = {r.nip for r in plan.rows if r.nip and (r.problems or r.pending)}
    changed = True
    while changed:
        changed = False
        for row in plan.rows:
            sup = row.supervisor_nip
            if row.problems or row.pending or not sup or sup not in blocked:
                continue
            row.pending = (
                SUPERVISOR_PENDING,
                gettext(
                    "Atasan (NIP {nip}, baris {row}) belum dapat diimpor; baris ini menunggu "
                    "atasannya."
                ).format(nip=sup, row=by_nip[sup].row),
            )
            blocked.add(row.nip)
            changed = True


def plan_import(
    table: Table,
    mapping: Mapping[str, str],
    instansi: Instansi,
    progress: Progress | None = None,
    *,
    scope: Unit | None = None,
) -> ImportPlan:
    """Plan a table already in memory (the demo generator's bulk path): ``mapping`` is field →
    header. Cells go through the same field parsers as the engine's import; problems name the
    header."""
    mapping = {k: v for k, v in mapping.items() if v}
    index = {h: i for i, h in enumerate(table.headers) if h}
    fields = {f.name: f for f in FIELDS}
    early: dict[int, list[tuple[str, str]]] = defaultdict(list)
    records = []
    for number, cells in table.rows:
        values: dict[str, Any] = {}
        for name, header in mapping.items():
            i = index[header]
            cell = cells[i] if i < len(cells) else None
            if imp.values.is_blank(cell):
                values[name] = None
                continue
            parse = fields[name].parse
            try:
                values[name] = parse(cell, None) if parse else cell  # type: ignore[arg-type]
            except imp.FieldError as exc:
                early[number].append((name, exc.message))
                values[name] = None
        records.append((number, values))
    plan = plan_records(records, mapping, instansi, scope=scope, progress=progress)
    plan.mapping = dict(mapping)
    for row in plan.rows:
        for name, message in early.get(row.row, []):
            if not any(f == name for f, _m in row.problems):  # not said twice
                row.reject(name, message)
                plan.problems.append(Problem(row.row, name, message))
    for p in plan.problems:
        p.column = mapping.get(p.column, p.column)
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


def _fetch_existing(instansi: Instansi, nips: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The stored rows of this instansi for these NIPs, keyed by NIP (a NIP is unique per
    instansi; another instansi's employees are none of this import's business).

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
                f"SELECT {columns} FROM {table} "  # noqa: S608 - names from model metadata, values are parameters
                f"WHERE {qn('instansi_id')} = %s AND {qn('nip')} IN ({marks})",
                [instansi.pk, *chunk],
            )
            for values in cursor.fetchall():
                record = dict(zip(EXISTING_FIELDS, values, strict=True))
                birth = values[i_birth]
                if isinstance(birth, str):
                    record["birth_date"] = date.fromisoformat(birth)
                record["is_active"] = bool(values[i_active])
                found[values[1]] = record
    return found


def _diff_against_database(plan: ImportPlan) -> None:
    """Set-based checks against the stored employees (NIP in another instansi or outside the
    scope, atasan known, no cycle) and the diff: new, changed (which fields) or unchanged."""
    rows = [r for r in plan.rows if r.nip and not r.pending]
    existing = _fetch_existing(plan.instansi, (r.nip for r in rows))
    plan.existing = existing
    file_nips = {r.nip for r in plan.rows if r.nip}
    # Supervisors outside the file: their id and their own supervisor (for the cycle check).
    outside = {
        r.supervisor_nip for r in rows if r.supervisor_nip and r.supervisor_nip not in file_nips
    }
    id_of: dict[str, int] = {nip: v["id"] for nip, v in existing.items()}
    for nip, pk in _nips_in(plan.instansi, outside, "nip", "id"):
        id_of[nip] = pk
    plan.supervisor_ids = id_of
    _check_stored_rows(plan, rows, file_nips)
    _check_cycles(rows, _supervisor_graph(plan, rows, file_nips))
    _set_actions(rows, existing, id_of)


def _check_stored_rows(plan: ImportPlan, rows: list[RowPlan], file_nips: set[str]) -> None:
    """A stored employee outside a pengelola's scope, and an atasan neither stored nor in the
    file, are refused."""
    existing, id_of = plan.existing, plan.supervisor_ids
    outside_scope = _units_outside_scope(plan, existing.values())
    for row in rows:
        old = existing.get(row.nip)
        if old is not None and old["unit_id"] in outside_scope:
            assert plan.scope is not None
            # The unit is not named: the file must not tell a pengelola where a NIP belongs.
            row.reject(
                "nip",
                gettext(
                    "NIP {nip} tidak dapat diimpor dari lingkup OPD Anda ({scope}); pegawai di "
                    "luar OPD Anda dan mutasi antar-OPD diurus oleh admin BKPSDM."
                ).format(nip=row.nip, scope=plan.scope.name),
            )
        sup = row.supervisor_nip
        if sup and sup not in file_nips and sup not in id_of:
            row.reject(
                "supervisor_nip",
                gettext(
                    "Atasan dengan NIP {nip} tidak ada di data pegawai maupun di baris berkas "
                    "yang dapat diimpor."
                ).format(nip=sup),
            )


def _supervisor_graph(plan: ImportPlan, rows: list[RowPlan], file_nips: set[str]) -> dict[str, str]:
    """The supervisor graph over NIPs: the file's rows, then the database beyond them (a row
    without a supervisor column keeps its stored atasan), walked up to the top."""
    existing = plan.existing
    nip_of: dict[int, str] = {v["id"]: nip for nip, v in existing.items()}
    graph: dict[str, str] = {}
    missing_ids: set[int] = set()
    for row in rows:
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
        for row in rows:
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
    return graph


def _set_actions(
    rows: list[RowPlan], existing: dict[str, dict[str, Any]], id_of: dict[str, int]
) -> None:
    """Each clean row's action: new, changed (with the fields) or unchanged."""
    for row in rows:
        if row.problems:
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


def _check_cycles(rows: list[RowPlan], graph: dict[str, str]) -> None:
    """Refuse rows whose supervisor chain, across the file and the database, loops."""
    file_rows = {r.nip: r for r in rows}
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
                    row.reject(
                        "supervisor_nip",
                        gettext("Rantai atasan melingkar: {chain}.").format(chain=chain),
                    )
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


class _EmployeeWriter:
    """The plain SQL of one import: new rows level by level, changed fields grouped by which
    fields changed, and the employment events. Holds what every statement shares (quoted
    table names, today and now adapted for the database, NIP → id as ids become known)."""

    def __init__(self, plan: ImportPlan, progress: Progress | None) -> None:
        self.plan = plan
        self.progress = progress
        self.ops = connection.ops
        self.qn = self.ops.quote_name
        self.db_today = self.ops.adapt_datefield_value(timezone.localdate())
        self.db_now = self.ops.adapt_datetimefield_value(timezone.now())
        self.instansi = plan.instansi
        self.employee_table = self.qn(Employee._meta.db_table)
        self.nip_to_id = dict(plan.supervisor_ids)
        self.events: list[tuple[Any, ...]] = []

    def db_value(self, name: str, value: Any) -> Any:
        if value is not None and name in ("birth_date", "end_date"):
            return self.ops.adapt_datefield_value(value)
        return value

    # --- new rows ---

    def insert_new(self, new_rows: list[RowPlan], keep_order: bool) -> None:
        """Insert the new rows, supervisors first (or in file order with ``keep_order``, the
        supervisors new in the file linked afterwards), then one JOINED event each."""
        qn = self.qn
        defaults = {
            f.attname: f.get_default()
            for f in Employee._meta.concrete_fields
            if f.attname in STORED_FIELDS or f.attname in ("end_reason", "end_date")
        }
        # The fields the rows give (read in one C call per row), then the model's defaults.
        given = [n for n in defaults if any(n in r.values for r in new_rows)]
        fixed = [n for n in defaults if n not in given]
        columns = ["instansi_id", "nip", "supervisor_id", *given, *fixed, "created", "updated"]
        sql = (
            f"INSERT INTO {self.employee_table} ({', '.join(map(qn, columns))}) "  # noqa: S608 - names from model metadata, values are parameters
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        done = 0
        first_new_id: int | None = None  # the largest id before the first insert
        # in NIP order by default: the unique index appends
        levels = [new_rows] if keep_order else _supervisor_levels(new_rows)
        link_later: list[RowPlan] = []
        for level in levels:
            ordered = level if keep_order else sorted(level, key=attrgetter("nip"))
            params = self._insert_params(ordered, defaults, given, fixed, link_later)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX({qn('id')}) FROM {self.employee_table}")  # noqa: S608
                before = cursor.fetchone()[0] or 0
            if first_new_id is None:
                first_new_id = before
            _executemany(sql, params)
            self.nip_to_id.update(
                Employee.objects.filter(instansi=self.instansi, id__gt=before).values_list(
                    "nip", "id"
                )
            )
            done += len(level)
            if self.progress:
                self.progress(
                    f"Pegawai baru tersimpan: {done:,}/{len(new_rows):,}".replace(",", ".")
                )
        if link_later:
            _executemany(
                f"UPDATE {self.employee_table} SET {qn('supervisor_id')} = %s "  # noqa: S608
                f"WHERE {qn('id')} = %s",
                [
                    [self.nip_to_id[r.supervisor_nip], self.nip_to_id[r.nip]]
                    for r in link_later
                    if r.supervisor_nip
                ],
            )
        self._joined_events(first_new_id or 0)

    def _insert_params(
        self,
        rows: list[RowPlan],
        defaults: dict[str, Any],
        given: list[str],
        fixed: list[str],
        link_later: list[RowPlan],
    ) -> list[list[Any]]:
        """The INSERT parameters of one level; rows whose supervisor has no id yet go to
        ``link_later``. The hot loop of a 100,000-row import: kept to plain list work."""
        fixed_values = [defaults[n] for n in fixed]
        read_given = itemgetter(*given) if len(given) > 1 else None
        i_birth = given.index("birth_date") if "birth_date" in given else -1
        adapt_date = self.ops.adapt_datefield_value
        nip_to_id, instansi_id, db_now = self.nip_to_id, self.instansi.pk, self.db_now
        params = []
        for row in rows:
            try:
                stored = list(read_given(row.values)) if read_given else None
            except KeyError:
                stored = None
            if stored is None:  # a row without one of the fields: its default
                stored = [row.values.get(name, defaults[name]) for name in given]
            if i_birth >= 0 and (birth := stored[i_birth]) is not None:
                stored[i_birth] = adapt_date(birth)
            sup = row.supervisor_nip
            if sup and sup not in nip_to_id:  # keep_order: a supervisor new in this file
                link_later.append(row)
            params.append(
                [
                    instansi_id,
                    row.nip,
                    nip_to_id.get(sup) if sup else None,
                    *stored,
                    *fixed_values,
                    db_now,
                    db_now,
                ]
            )
        return params

    def _joined_events(self, first_new_id: int) -> None:
        """One JOINED event per new employee, into the unit it was stored with, written by the
        database from the rows just inserted (ids after ``first_new_id``, created now, in this
        instansi): a third of the time of sending 100,000 events as parameters."""
        qn = self.qn
        event_table = qn(EmploymentEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {event_table} ({qn('employee_id')}, {qn('kind')}, {qn('date')}, "  # noqa: S608 - names from model metadata, values are parameters
                f"{qn('from_unit_id')}, {qn('to_unit_id')}, {qn('detail')}, {qn('created')}) "
                f"SELECT {qn('id')}, %s, %s, NULL, {qn('unit_id')}, '', %s FROM {self.employee_table} "
                f"WHERE {qn('instansi_id')} = %s AND {qn('id')} > %s AND {qn('created')} = %s "
                f"ORDER BY {qn('id')}",
                [
                    EmploymentEvent.Kind.JOINED.value,
                    self.db_today,
                    self.db_now,
                    self.instansi.pk,
                    first_new_id,
                    self.db_now,
                ],
            )

    # --- changed rows ---

    def _changed_row(self, row: RowPlan) -> tuple[list[str], list[Any]]:
        """The columns a changed row updates and their values; ENDED, REACTIVATED and MOVED
        events for what the change means."""
        old = self.plan.existing[row.nip]
        columns = [n for n in row.changed if n != "supervisor_id"]
        set_values: list[Any] = [self.db_value(n, row.values[n]) for n in columns]
        if "supervisor_id" in row.changed:
            columns.append("supervisor_id")
            set_values.append(self.nip_to_id[row.supervisor_nip] if row.supervisor_nip else None)
        if "is_active" in row.changed:
            ended = not row.values["is_active"]
            columns += ["end_date", "end_reason"]
            set_values += [self.db_today if ended else None, ""]
            kind = EmploymentEvent.Kind.ENDED if ended else EmploymentEvent.Kind.REACTIVATED
            unit_id = row.values.get("unit_id") or old["unit_id"]
            self.events.append(
                (
                    row.existing_id,
                    kind.value,
                    self.db_today,
                    unit_id,
                    None,
                    "Impor pegawai",
                    self.db_now,
                )
            )
        if "unit_id" in row.changed:
            self.events.append(
                (
                    row.existing_id,
                    EmploymentEvent.Kind.MOVED.value,
                    self.db_today,
                    old["unit_id"],
                    row.values["unit_id"],
                    "Impor pegawai",
                    self.db_now,
                )
            )
        return columns, set_values

    def update_changed(self) -> None:
        """Only the changed fields, one UPDATE per set of changed fields."""
        qn = self.qn
        groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
        for row in self.plan.rows:
            if row.action != "changed":
                continue
            columns, set_values = self._changed_row(row)
            groups[tuple(columns)].append([*set_values, self.db_now, row.existing_id])
        for group_columns, rows in groups.items():
            assignments = ", ".join(f"{qn(n)} = %s" for n in (*group_columns, "updated"))
            sql = f"UPDATE {self.employee_table} SET {assignments} WHERE {qn('id')} = %s"  # noqa: S608
            _executemany(sql, rows)

    def write_events(self) -> None:
        qn = self.qn
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
        _executemany(event_sql, self.events)


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
    if connection.vendor == "sqlite":
        # Seven indexes take random inserts; SQLite's default 2 MB page cache thrashes on them.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")  # 128 MB, this connection only
    writer = _EmployeeWriter(plan, progress)
    new_rows = [r for r in plan.rows if r.action == "new"]
    if new_rows:
        writer.insert_new(new_rows, keep_order)
    writer.update_changed()
    writer.write_events()
    audit.record(
        actor=actor,
        action="employee.import",
        object_type="people.employee",
        instansi=plan.instansi,
        summary=(
            f"Impor pegawai: {counts['new']} baru, {counts['changed']} berubah, "
            f"{counts['unchanged']} tetap"
        ),
        after=dict(counts),
    )
    return ImportResult(counts=counts, problems=[], written=True)


# --- the declaration ----------------------------------------------------------------------


def _field_text(value: Any, ctx: Any) -> str:
    return _text(value)


def _field_nip(value: Any, ctx: Any) -> imp.NipValue:
    return imp.parse_nip(value)


def _field_sex(value: Any, ctx: Any) -> str:
    sex = parse_sex(value)
    if sex not in ("L", "P"):
        raise imp.FieldError(
            gettext("Jenis kelamin harus L (laki-laki) atau P (perempuan)."),
            accepted=("L", "P", "Laki-laki", "Perempuan", "M", "F"),
        )
    return sex


_DMY = re.compile(r"(\d{2})-(\d{2})-(\d{4})")


@lru_cache(maxsize=32768)
def _birth_date_text(text: str) -> date | None:
    """SIASN's dd-mm-yyyy directly (a few thousand distinct birth dates in a big file), the
    engine's parser for every other spelling."""
    if match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return imp.parse_date(text)


def _field_birth_date(value: Any, ctx: Any) -> date:
    if isinstance(value, datetime):
        parsed: date | None = value.date()
    elif isinstance(value, str):
        parsed = _birth_date_text(value)
    else:
        parsed = imp.parse_date(value)
    if parsed is None:
        raise imp.FieldError(
            gettext(
                "Tanggal lahir '{value}' tidak terbaca (pakai dd-mm-yyyy atau yyyy-mm-dd)."
            ).format(value=_text(value)),
            accepted=("dd-mm-yyyy", "dd/mm/yyyy", "yyyy-mm-dd", "sel tanggal Excel"),
        )
    return parsed


def _field_status(value: Any, ctx: Any) -> str:
    status = parse_status(value)
    if status not in ("PNS", "PPPK"):
        raise imp.FieldError(
            gettext("Status harus PNS atau PPPK."), accepted=("PNS", "CPNS", "PPPK")
        )
    return status


def _field_employee_kind(value: Any, ctx: Any) -> str:
    """SIASN's JENIS PEGAWAI NAMA ("PNS Daerah Otonom", "PPPK", …) → PNS or PPPK."""
    key = _key(_text(value))
    if "pppk" in key or "perjanjiankerja" in key or "p3k" in key:
        return "PPPK"
    if "pns" in key or "pegawainegerisipil" in key:
        return "PNS"
    raise imp.FieldError(
        gettext("Jenis pegawai harus PNS atau PPPK."),
        accepted=("PNS Daerah Otonom", "PNS Pusat", "PPPK"),
    )


def _field_golongan(value: Any, ctx: Any) -> str:
    return parse_golongan(value)


def _field_pppk_grade(value: Any, ctx: Any) -> str:
    return parse_pppk_grade(value)


def _field_education(value: Any, ctx: Any) -> str:
    education = parse_education(value)
    if education not in EDUCATION_LEVELS:
        raise imp.FieldError(
            gettext("Pendidikan tidak dikenal (pilihan: {values}).").format(
                values=", ".join(Education.values)
            ),
            accepted=(*Education.values, "S-1/Sarjana", "SMA", "D3"),
        )
    return education


def _field_active(value: Any, ctx: Any) -> bool:
    active = parse_active(value)
    if active is None:
        raise imp.FieldError(
            gettext("Kolom aktif harus Ya atau Tidak (atau kedudukan hukum SIASN)."),
            accepted=("Ya", "Tidak", "Aktif", "Tidak aktif", "Pensiun", "Meninggal"),
        )
    return active


EDUCATION_LEVELS = frozenset(Education.values)

FIELDS: tuple[imp.Field, ...] = (
    imp.Field(
        "nip",
        _("NIP"),
        ("NIP", "NIP BARU", "NIP 18", "NIP BARU 18", "Nomor Induk Pegawai"),
        required=True,
        parse=_field_nip,
        help="18 digit; format kolomnya sebagai Teks di Excel.",
    ),
    imp.Field(
        "name",
        _("Nama"),
        ("NAMA", "NAMA LENGKAP", "NAMA PEGAWAI", "NAMA ASN"),
        required=True,
        parse=_field_text,
    ),
    imp.Field("front_title", _("Gelar depan"), ("GELAR DEPAN", "GELAR DPN"), parse=_field_text),
    imp.Field(
        "back_title",
        _("Gelar belakang"),
        ("GELAR BELAKANG", "GELAR BLKG", "GELAR BLK"),
        parse=_field_text,
    ),
    imp.Field(
        "sex",
        _("Jenis kelamin"),
        ("JENIS KELAMIN", "JK", "KELAMIN", "SEX", "L/P"),
        required=True,
        parse=_field_sex,
    ),
    imp.Field(
        "birth_date",
        _("Tanggal lahir"),
        ("TANGGAL LAHIR", "TGL LAHIR", "TGL LHR", "TANGGAL LHR"),
        required=True,
        parse=_field_birth_date,
    ),
    imp.Field(
        "status",
        _("Status"),
        ("STATUS", "STATUS PEGAWAI", "STATUS KEPEGAWAIAN", "STATUS CPNS PNS"),
        parse=_field_status,
        help="PNS, CPNS (disimpan sebagai PNS) atau PPPK.",
    ),
    imp.Field(
        "employee_kind",
        _("Jenis pegawai"),
        ("JENIS PEGAWAI", "JENIS PEGAWAI NAMA", "KEDUDUKAN"),
        parse=_field_employee_kind,
    ),
    imp.Field(
        "golongan",
        _("Golongan"),
        (
            "GOLONGAN",
            "GOL",
            "GOL/RUANG",
            "GOLONGAN RUANG",
            "PANGKAT/GOLONGAN",
            "GOL AKHIR",
            "GOL AKHIR NAMA",
        ),
        parse=_field_golongan,
    ),
    imp.Field(
        "pppk_grade",
        _("Golongan PPPK"),
        ("GOLONGAN PPPK", "GOL PPPK", "GRADE PPPK"),
        parse=_field_pppk_grade,
    ),
    imp.Field(
        "jabatan_kind",
        _("Jenis jabatan"),
        ("JENIS JABATAN", "JNS JABATAN", "KATEGORI JABATAN", "JENIS JABATAN NAMA"),
        required=True,
        parse=_field_text,
    ),
    imp.Field(
        "jabatan_name",
        _("Nama jabatan"),
        ("NAMA JABATAN", "JABATAN", "NM JABATAN", "JABATAN AKHIR", "JABATAN NAMA"),
        required=True,
        parse=_field_text,
    ),
    imp.Field(
        "education",
        _("Pendidikan"),
        (
            "PENDIDIKAN",
            "PENDIDIKAN TERAKHIR",
            "TINGKAT PENDIDIKAN",
            "JENJANG PENDIDIKAN",
            "TINGKAT PENDIDIKAN NAMA",
        ),
        required=True,
        parse=_field_education,
    ),
    imp.Field(
        "unit_code",
        _("Kode unit"),
        ("KODE UNIT", "KODE UNIT KERJA", "KODE OPD", "KODE UNOR", "UNOR ID"),
        parse=_field_text,
    ),
    imp.Field(
        "unit_name",
        _("Unit kerja"),
        (
            "UNIT KERJA",
            "NAMA UNIT",
            "NAMA UNIT KERJA",
            "UNIT ORGANISASI",
            "UNOR",
            "OPD",
            "NAMA UNOR",
            "UNOR NAMA",
        ),
        parse=_field_text,
    ),
    imp.Field(
        "parent_unit_name",
        _("Unit induk"),
        ("UNIT INDUK", "UNOR INDUK", "UNOR INDUK NAMA"),
        parse=_field_text,
    ),
    imp.Field(
        "supervisor_nip",
        _("NIP atasan"),
        ("NIP ATASAN", "NIP ATASAN LANGSUNG", "ATASAN NIP"),
        parse=_field_nip,
    ),
    imp.Field("email", _("Surel"), ("EMAIL", "SUREL", "ALAMAT EMAIL", "E-MAIL"), parse=_field_text),
    imp.Field(
        "phone",
        _("Telepon"),
        ("TELEPON", "NO HP", "NOMOR HP", "HP", "NO TELP", "TELP"),
        parse=_field_text,
    ),
    imp.Field(
        "is_active",
        _("Aktif"),
        ("AKTIF", "STATUS AKTIF", "KEAKTIFAN", "KEDUDUKAN HUKUM NAMA"),
        parse=_field_active,
    ),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}

SIASN = imp.Source(
    "siasn",
    "Ekspor SIASN (BKN)",
    signature=("PNS ID", "NIP BARU", "NIP LAMA", "KEDUDUKAN HUKUM NAMA", "UNOR ID", "UNOR NAMA"),
    aliases={
        "nip": ("NIP BARU",),
        "name": ("NAMA",),
        "status": ("STATUS CPNS PNS",),
        "employee_kind": ("JENIS PEGAWAI NAMA",),
        "golongan": ("GOL AKHIR NAMA",),
        "jabatan_kind": ("JENIS JABATAN NAMA",),
        "jabatan_name": ("JABATAN NAMA",),
        "education": ("TINGKAT PENDIDIKAN NAMA",),
        "unit_code": ("UNOR ID",),
        "unit_name": ("UNOR NAMA",),
        "parent_unit_name": ("UNOR INDUK NAMA",),
        "email": ("EMAIL",),
        "phone": ("NOMOR HP",),
        "is_active": ("KEDUDUKAN HUKUM NAMA",),
    },
    vocabularies={
        # STATUS CPNS PNS: P(NS) or C(PNS); a CPNS is stored as PNS.
        "status": imp.Vocabulary(
            "status CPNS/PNS",
            {"P": "PNS", "C": "PNS", "PNS": "PNS", "CPNS": "PNS", "PPPK": "PPPK"},
        ),
    },
)
TEMPLATE = imp.Source(
    "kompeten",
    "Templat Kompeten (ekspor daftar pegawai)",
    signature=("NIP", "NAMA", "JENIS JABATAN", "NAMA JABATAN", "KODE UNIT", "NIP ATASAN", "AKTIF"),
)
SOURCES = (SIASN, TEMPLATE)


class EmployeeImportOptions(imp.OptionsForm):
    create_units = forms.BooleanField(
        label=_("Buat unit kerja yang belum ada dari kolom UNOR (ID, nama, induk)"),
        required=False,
        help_text=_(
            "Pratinjau menampilkan unit yang akan dibuat. Tanpa pilihan ini, baris dengan unit "
            "yang belum ada disimpan sebagai tertunda dan selesai setelah unitnya dibuat."
        ),
    )

    def clean_create_units(self) -> bool:
        wanted = bool(self.cleaned_data.get("create_units"))
        if wanted and self.user is not None and not self.user.is_admin:
            raise forms.ValidationError(_("Hanya admin BKPSDM yang dapat membuat unit kerja."))
        return wanted


def import_scope(user: User | None) -> Unit | None:
    """None for the admin or the CLI without --user (whole instansi); the managed unit for a
    pengelola OPD, who imports into their own subtree only."""
    if user is None or user.is_admin:
        return None
    return user.managed_unit


def _importer(ctx: imp.Context) -> User | None:
    """Who imported the rows: the run's user when pending rows are retried later (by whoever
    imports next), so that a pengelola's rows stay inside their subtree."""
    run = ctx.run
    if run is not None and getattr(run, "user_id", None):
        user: User = run.user
        return user
    return ctx.user


class EmployeesImport(imp.Declaration):
    """Employees (data pegawai ASN) from SIASN, the Kompeten template or similar sheets."""

    key = "employees"
    label = _("Pegawai (SIASN)")
    description = _(
        "Data pegawai ASN: ekspor SIASN apa adanya (judul di atas tabel boleh), templat "
        "Kompeten, atau lembar serupa. Pegawai yang sudah ada (NIP sama) diperbarui hanya pada "
        "kolom yang berubah."
    )
    fields = FIELDS
    sources = SOURCES
    options_form = EmployeeImportOptions

    def permission(self, user: User) -> bool:
        if not user.is_authenticated or user.instansi_id is None:
            return False
        return bool(user.is_admin or (user.is_pengelola and user.managed_unit_id is not None))

    def prepare(self, ctx: imp.Context) -> None:
        rows: list[imp.Row] = ctx.lookups["rows"]
        present = {name for name, header in rows[0].columns.items() if header} if rows else set()
        plan = plan_records(
            ((r.number, r.values) for r in rows),
            present,
            ctx.instansi,
            scope=import_scope(_importer(ctx)),
            create_units=bool(ctx.options.get("create_units")),
        )
        ctx.lookups["plan"] = plan
        ctx.lookups["by_number"] = {p.row: p for p in plan.rows}
        ctx.lookups["units_to_create"] = units_to_create(plan)

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        planned: RowPlan = ctx.lookups["by_number"][row.number]
        for name, message in planned.problems:
            row.problem(name, message)
        if planned.pending and not planned.problems:
            row.pending(*planned.pending)
        for message in planned.warnings:
            row.warn(message)
        row.result = planned

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        plan: ImportPlan = ctx.lookups["plan"]
        chosen = [r.result for r in rows]
        if any(p.unit_to_create for p in chosen):
            created = _create_units(plan, chosen, ctx.user)
            for p in chosen:
                if p.unit_to_create:
                    p.values["unit_id"] = created[p.unit_to_create]
                    if p.action == "unchanged":
                        p.action = "changed"
                    if p.action == "changed" and "unit_id" not in p.changed:
                        p.changed = (*p.changed, "unit_id")
        subset = ImportPlan(
            instansi=plan.instansi,
            mapping=plan.mapping,
            scope=plan.scope,
            rows=chosen,
            existing=plan.existing,
            supervisor_ids=plan.supervisor_ids,
        )
        result = do_import_employees(subset, actor=ctx.user, progress=ctx.progress)
        c = result.counts
        return {"baru": c["new"], "berubah": c["changed"], "tetap": c["unchanged"]}


def units_to_create(plan: ImportPlan) -> list[str]:
    """What ``create_units`` will add, one line each for the preview ("Seksi X (di bawah Y)")."""
    if plan.unit_plan is None:
        return []
    return [
        f"{u.name} ({u.parent_label})" if u.parent_label else u.name
        for u in plan.unit_plan.to_create
    ]


def _create_units(plan: ImportPlan, rows: list[RowPlan], actor: User | None) -> dict[Any, int]:
    """Create the planned units (parents first); the unit id of each row's unit key."""
    assert plan.unit_plan is not None
    ids = do_apply_unit_plan(plan.unit_plan, actor)
    return {
        r.unit_to_create: ids[row_ref(UnitRow(*r.unit_to_create))] for r in rows if r.unit_to_create
    }


def offer_full_nips(
    instansi: Instansi, pairs: Iterable[tuple[str, str]], user: User | None = None
) -> int:
    """Complete pending employee rows whose NIP Excel damaged, from full NIPs another import
    saw written as text beside a name (an attendance list, a score recap).

    A pending row is completed when exactly one offered (name, NIP) has the same name (case,
    spacing and punctuation ignored) and a NIP that starts with the 15 digits Excel kept. The
    row's NIP cell is replaced and the row retried through the engine; returns how many rows
    were imported.
    """
    from kompeten.core.importing.engine import retry_pending
    from kompeten.core.models import PendingRow

    offered: dict[str, set[str]] = defaultdict(set)
    for name, nip in pairs:
        value = imp.parse_nip(nip)
        if value.status == "ok" and name:
            offered[_person_key(name)].add(value.digits)
    if not offered:
        return 0
    pending = list(
        PendingRow.objects.filter(
            run__instansi=instansi,
            run__declaration=EmployeesImport.key,
            reason=NIP_DAMAGED,
            resolved_at__isnull=True,
        ).select_related("run")
    )
    done = 0
    for row in pending:
        headers = {f: h for h, f in row.run.mapping.items() if f}
        nip_header, name_header = headers.get("nip"), headers.get("name")
        if not nip_header or not name_header:
            continue
        damaged = imp.parse_nip(row.values.get(nip_header))
        if damaged.status != "damaged":
            continue
        matches = [
            nip
            for nip in offered.get(_person_key(str(row.values.get(name_header, ""))), ())
            if nip.startswith(damaged.prefix)
        ]
        if len(matches) != 1:
            continue
        kept = dict(row.values)
        row.values = {**kept, nip_header: matches[0]}
        row.save(update_fields=["values"])
        if retry_pending(instansi, user, key=EmployeesImport.key, ids=[row.pk]):
            done += 1
        else:  # the full NIP did not make the row clean: keep the row as it was
            row.values = kept
            row.save(update_fields=["values"])
    return done


def import_employees(
    data: bytes,
    filename: str,
    *,
    instansi: Instansi,
    user: User | None = None,
    options: dict[str, Any] | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    partial: bool = False,
) -> tuple[imp.Plan, imp.Outcome | None]:
    """Plan and (when clean, or with ``partial``) commit a file through the engine."""
    from kompeten.core.importing import engine

    the_plan = engine.plan(
        EmployeesImport.key,
        data,
        filename,
        instansi=instansi,
        user=user,
        options=options or {},
        mapping=mapping,
        sheet=sheet,
    )
    if the_plan.file_problems or not (partial or the_plan.is_clean):
        return the_plan, None
    return the_plan, engine.commit(the_plan, partial=partial)
