"""Building the OPD tree from an employee export's unit columns.

A SIASN export names each employee's unit three ways: `UNOR ID` (BKN's id of the unit),
`UNOR NAMA` (its name) and `UNOR INDUK NAMA` (its parent's name, only the name), with
`INSTANSI KERJA NAMA` for the Pemda. `plan_units()` reads those columns (as `UnitRow`s), matches
them to the units that exist (by code = UNOR ID, then by normalised name under the same parent,
abbreviations included) and plans the units to create, parents first, each with the reason. It
only reads the database. `do_apply_unit_plan()` creates the planned units in one transaction.

The employee import calls both: the preview shows `plan.to_create` and `plan.problems`, the
confirmation applies the plan and reads each row's unit from the returned mapping
(`row_ref(row)` → unit id).

Names are matched as people write them: case, punctuation and spaces do not count, the Pemda's
own name at the end ("… Kota Sawahlunto") is dropped, and the usual abbreviations of OPD names
(Disdukcapil, DPMPTSP, Satpol PP, Bappeda, BKPSDM, Dinkes, RSUD …) stand for the full name. A
unit created from SIASN keeps the SIASN name as its name and gets the abbreviation as its short
name, so that files that use the short form (an SKM export "SKM Disdukcapil") match it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.importing.values import normalise_unit_name
from kompeten.core.models import Instansi, User
from kompeten.people.models import Unit, UnitKind

# --- names ---------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_PEMDA_PREFIXES = (
    ("PEMERINTAH ", ""),
    ("PEMKOT ", "KOTA "),
    ("PEMKAB ", "KABUPATEN "),
    ("PEMPROV ", "PROVINSI "),
    ("KAB ", "KABUPATEN "),
)


def normalise_name(name: str) -> str:
    """Upper case, punctuation and repeated spaces removed: 'Dinas  Kesehatan,' → 'DINAS KESEHATAN'."""
    text = unicodedata.normalize("NFKC", str(name or "")).upper()
    return " ".join(_NON_WORD.sub(" ", text).split())


def pemda_key(name: str) -> str:
    """The Pemda's name without 'Pemerintah': 'Pemerintah Kota Sawahlunto' → 'KOTA SAWAHLUNTO'."""
    text = normalise_name(name)
    for prefix, replacement in _PEMDA_PREFIXES:
        if text.startswith(prefix):
            text = replacement + text[len(prefix) :]
    return text


# Known OPD names and their usual short forms. The first short form is the one stored as the
# unit's short name; the others are accepted when matching. Full names are compared normalised.
KNOWN_ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL", ("Disdukcapil", "Dukcapil")),
    (
        "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        ("DPMPTSP", "DPM-PTSP", "DPMPTSP dan Naker"),
    ),
    ("SATUAN POLISI PAMONG PRAJA", ("Satpol PP", "Satpol-PP", "SatpolPP")),
    ("BADAN PERENCANAAN PEMBANGUNAN DAERAH", ("Bappeda",)),
    (
        "BADAN PERENCANAAN PEMBANGUNAN PENELITIAN DAN PENGEMBANGAN DAERAH",
        ("Bappelitbangda", "Bappeda"),
    ),
    ("BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA", ("BKPSDM",)),
    ("BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA DAERAH", ("BKPSDMD", "BKPSDM")),
    ("BADAN KEPEGAWAIAN DAERAH", ("BKD",)),
    ("BADAN KEPEGAWAIAN DAN PENDIDIKAN DAN PELATIHAN", ("BKPP",)),
    ("DINAS KESEHATAN", ("Dinkes",)),
    ("DINAS PENDIDIKAN", ("Disdik",)),
    ("DINAS PENDIDIKAN DAN KEBUDAYAAN", ("Disdikbud",)),
    ("DINAS SOSIAL", ("Dinsos",)),
    ("DINAS PERHUBUNGAN", ("Dishub",)),
    ("DINAS KOMUNIKASI DAN INFORMATIKA", ("Diskominfo", "Kominfo")),
    ("DINAS LINGKUNGAN HIDUP", ("DLH",)),
    ("DINAS PEKERJAAN UMUM DAN PENATAAN RUANG", ("DPUPR", "Dinas PUPR", "PUPR")),
    ("DINAS PERUMAHAN RAKYAT DAN KAWASAN PERMUKIMAN", ("Disperkim",)),
    ("BADAN PENANGGULANGAN BENCANA DAERAH", ("BPBD",)),
    ("BADAN KESATUAN BANGSA DAN POLITIK", ("Kesbangpol",)),
    ("BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH", ("BPKAD",)),
    ("BADAN PENDAPATAN DAERAH", ("Bapenda",)),
    ("DINAS PEMBERDAYAAN MASYARAKAT DAN DESA", ("DPMD",)),
    ("DINAS PARIWISATA", ("Dispar",)),
    ("DINAS TENAGA KERJA", ("Disnaker",)),
    ("DINAS PEMUDA DAN OLAHRAGA", ("Dispora",)),
    ("DINAS KEPEMUDAAN DAN OLAHRAGA", ("Dispora",)),
    ("DINAS PERPUSTAKAAN DAN KEARSIPAN", ("Dispusip",)),
    ("DINAS PERTANIAN", ("Distan",)),
    ("DINAS PERDAGANGAN", ("Disdag",)),
    ("DINAS PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK", ("DP3A",)),
    ("DINAS PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA", ("DPPKB",)),
    ("SEKRETARIAT DAERAH", ("Setda",)),
    ("SEKRETARIAT DEWAN PERWAKILAN RAKYAT DAERAH", ("Setwan", "Sekretariat DPRD")),
    ("MAL PELAYANAN PUBLIK", ("MPP",)),
)
_SHORT_BY_NAME: dict[str, tuple[str, ...]] = {
    normalise_name(full): shorts for full, shorts in KNOWN_ABBREVIATIONS
}
_FULL_BY_SHORT: dict[str, str] = {}
for _full, _shorts in KNOWN_ABBREVIATIONS:
    for _short in _shorts:
        _FULL_BY_SHORT.setdefault(normalise_name(_short), normalise_name(_full))

_RSUD = re.compile(r"^(?:RUMAH SAKIT UMUM DAERAH|RSUD)\b\s*(.*)$")
_PUSKESMAS = re.compile(r"\b(?:PUSKESMAS|PUSAT KESEHATAN MASYARAKAT)\b\s*(.*)$")
_KECAMATAN = re.compile(r"^KECAMATAN\s+(.+)$")


def _title(text: str) -> str:
    return " ".join(w.capitalize() if not re.fullmatch(r"[IVX]+", w) else w for w in text.split())


def guess_short_name(name: str) -> str:
    """The usual short form of a unit's name, or '' when there is none.

    >>> guess_short_name("DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL")
    'Disdukcapil'
    >>> guess_short_name("RUMAH SAKIT UMUM DAERAH SAWAHLUNTO")
    'RSUD Sawahlunto'
    """
    key = normalise_name(name)
    if key in _SHORT_BY_NAME:
        return _SHORT_BY_NAME[key][0]
    if m := _RSUD.match(key):
        return f"RSUD {_title(m.group(1))}".strip()
    if m := _PUSKESMAS.search(key):
        return f"Puskesmas {_title(m.group(1))}".strip()
    if m := _KECAMATAN.match(key):
        return f"Kec. {_title(m.group(1))}"
    return ""


_KIND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"^SEKRETARIAT\b", UnitKind.SEKRETARIAT),
        (r"^INSPEKTORAT\b", UnitKind.INSPEKTORAT),
        (r"^(?:SATUAN POLISI PAMONG PRAJA|SATPOL)\b", UnitKind.SATPOL),
        (r"\b(?:PUSKESMAS|PUSAT KESEHATAN MASYARAKAT)\b", UnitKind.PUSKESMAS),
        (r"^(?:RUMAH SAKIT|RSUD)\b", UnitKind.RSUD),
        (r"^(?:UPTD?|UNIT PELAKSANA TEKNIS)\b", UnitKind.UPT),
        # a school is a UPTD satuan pendidikan (Permendagri 12/2017)
        (r"^(?:SD|SMP|TK|SDN|SMPN|TKN|SEKOLAH DASAR|SEKOLAH MENENGAH PERTAMA)\b", UnitKind.UPT),
        (r"^KECAMATAN\b", UnitKind.KECAMATAN),
        (r"^KELURAHAN\b", UnitKind.KELURAHAN),
        (r"^DINAS\b", UnitKind.DINAS),
        (r"^BADAN\b", UnitKind.BADAN),
        (r"^(?:BIDANG|BAGIAN|SEKSI|SUB ?BAGIAN|SUB ?BIDANG|SUBBAG|KASUBAG)\b", UnitKind.BAGIAN),
    )
)


def guess_kind(name: str) -> str:
    """The unit kind its name says (Dinas …, Kecamatan …, UPTD Puskesmas …), else 'lainnya'."""
    key = normalise_name(name)
    for pattern, kind in _KIND_RULES:
        if pattern.search(key):
            return str(kind)
    return str(UnitKind.OTHER)


def name_keys(name: str, region: str = "") -> frozenset[str]:
    """Every key under which a unit name matches: itself, without the region suffix
    ('… KOTA SAWAHLUNTO'), and the full name an abbreviation stands for (or the reverse)."""
    key = normalise_name(name)
    if not key:
        return frozenset()
    keys = {key}
    if region and key.endswith(" " + region) and key != region:
        keys.add(key[: -len(region) - 1])
    for k in list(keys):
        if k in _FULL_BY_SHORT:
            keys.add(_FULL_BY_SHORT[k])
    # The import engine's key too (lower case, so it only meets keys of its own kind), so that
    # a unit matches here whenever the other imports (SKM, LAPOR!) would match it.
    engine_key = normalise_unit_name(name, region or None)
    if engine_key:
        keys.add(engine_key)
    return frozenset(keys)


# --- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """The unit columns of one employee row (SIASN: UNOR ID, UNOR NAMA, UNOR INDUK NAMA,
    INSTANSI KERJA NAMA)."""

    unit_id: str
    unit_name: str
    parent_name: str = ""
    top_name: str = ""
    # the parent's code when the file gives it (a template's Kode Induk): it decides between
    # parents of one name (the many Sekretariat) where the name cannot
    parent_unit_id: str = ""
    # the ref of the file's own row the unit stands under (an outline's row above it): it
    # decides between parents of one name as a code does, for lists without codes
    parent_ref: str = ""


def row_ref(row: UnitRow) -> str:
    """The key of a row's unit in a plan: its UNOR ID, or its parent's and its own name."""
    unit_id = str(row.unit_id or "").strip()
    if unit_id:
        return unit_id
    if row.parent_ref:
        return f"{row.parent_ref}/{normalise_name(row.unit_name)}"
    return f"~{normalise_name(row.parent_name)}/{normalise_name(row.unit_name)}"


@dataclass(frozen=True)
class PlannedUnit:
    """A unit to create. Its parent is an existing unit (`parent_id`), another planned unit
    (`parent_ref`), or none (a top-level OPD)."""

    ref: str
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    parent_ref: str | None
    parent_label: str
    reason: str


@dataclass(frozen=True)
class MatchedUnit:
    """A row's unit that already exists."""

    ref: str
    unit_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class UnitProblem:
    """A row's unit that can be neither matched nor created (ambiguous, closed, …)."""

    ref: str
    name: str
    message: str


@dataclass
class UnitPlan:
    """What `plan_units` found: units matched, units to create (parents first), problems."""

    instansi_id: int
    to_create: list[PlannedUnit] = field(default_factory=list)
    matched: list[MatchedUnit] = field(default_factory=list)
    problems: list[UnitProblem] = field(default_factory=list)

    @property
    def unit_ids(self) -> dict[str, int]:
        """ref → id of the units that exist already."""
        return {m.ref: m.unit_id for m in self.matched}

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-safe), to keep a plan between the preview and the confirmation."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UnitPlan:
        return cls(
            instansi_id=int(data["instansi_id"]),
            to_create=[PlannedUnit(**u) for u in data.get("to_create", [])],
            matched=[MatchedUnit(**m) for m in data.get("matched", [])],
            problems=[UnitProblem(**p) for p in data.get("problems", [])],
        )


@dataclass
class _Entry:
    """One distinct unit of the file while planning."""

    ref: str
    unit_id: str
    name: str
    parent_name: str
    keys: frozenset[str]
    parent_keys: frozenset[str]
    parent_is_pemda: bool
    variants: set[str] = field(default_factory=set)
    parent_unit_id: str = ""
    parent_ref: str = ""  # the file's row it stands under (UnitRow.parent_ref)


@dataclass(frozen=True)
class _Existing:
    id: int
    code: str
    name: str
    parent_id: int | None
    path: str
    is_active: bool
    keys: frozenset[str]


CODE_MAX = 40
# the ref of a parent the file only names (SIASN's UNOR INDUK without a row of its own)
SYNTHETIC_PARENT = "~induk/"
_CODE_CLEAN = re.compile(r"[^A-Z0-9]+")


def suggested_unit(name: str, instansi: Instansi) -> dict[str, str]:
    """What the unit form offers for a unit known only by its name (a pending import row's
    "Tambah unit ini"): the name, a code made from it that the tree does not hold yet, and the
    kind and short name the name says."""
    taken = set(Unit.objects.filter(instansi=instansi).values_list("code", flat=True))
    return {
        "name": name,
        "code": _synthetic_code(name, taken),
        "kind": guess_kind(name),
        "short_name": guess_short_name(name),
    }


def _synthetic_code(name: str, taken: set[str]) -> str:
    base = _CODE_CLEAN.sub("-", normalise_name(guess_short_name(name) or name)).strip("-")
    base = (base or "UNIT")[: CODE_MAX - 4]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def _is_opd_level(unit: _Entry | _Existing, top_ids: set[int | None]) -> bool:
    if isinstance(unit, _Entry):
        return unit.parent_is_pemda
    return unit.parent_id in top_ids


def _variants_note(entry: _Entry) -> str:
    """The other spellings of a unit seen in the file, appended to its reason."""
    if not entry.variants:
        return ""
    return gettext(" Ejaan lain di berkas: {names}.").format(
        names="; ".join(sorted(entry.variants))
    )


def _read_rows(
    rows: Iterable[UnitRow],
) -> tuple[dict[str, UnitRow], dict[str, set[str]], set[str]]:
    """The distinct units of the file (ref → its first row), the other spellings seen for
    each, and the Pemda names of the INSTANSI KERJA column."""
    raw: dict[str, UnitRow] = {}
    variants: dict[str, set[str]] = {}
    top_names: set[str] = set()
    for row in rows:
        if not str(row.unit_id or "").strip() and not normalise_name(row.unit_name):
            continue
        ref = row_ref(row)
        if ref not in raw:
            raw[ref] = row
            variants[ref] = set()
        elif row.unit_name and row.unit_name != raw[ref].unit_name:
            variants[ref].add(str(row.unit_name))
        if row.top_name:
            top_names.add(str(row.top_name))
    return raw, variants, top_names


class _Tree:
    """The instansi's existing units, indexed by id, code and name key, and what counts as
    the Pemda itself (its names, and a top unit carrying its name)."""

    def __init__(self, instansi: Instansi, top_names: set[str]) -> None:
        self.region = pemda_key(instansi.name)
        self.pemda_keys = {self.region} | {pemda_key(t) for t in top_names}
        self.pemda_keys.discard("")
        self.existing = [
            _Existing(
                id=u["id"],
                code=u["code"],
                name=u["name"],
                parent_id=u["parent_id"],
                path=u["path"],
                is_active=u["is_active"],
                keys=name_keys(u["name"], self.region) | name_keys(u["short_name"], self.region),
            )
            for u in Unit.objects.filter(instansi=instansi).values(
                "id", "code", "name", "short_name", "parent_id", "path", "is_active"
            )
        ]
        self.by_id = {u.id: u for u in self.existing}
        self.by_code = {u.code: u for u in self.existing}
        self.by_key: dict[str, list[_Existing]] = {}
        for u in self.existing:
            for k in u.keys:
                self.by_key.setdefault(k, []).append(u)
        # An existing unit named after the Pemda itself, at the top: the OPDs' parent.
        pemda_units = [u for u in self.existing if u.parent_id is None and self.is_pemda(u.name)]
        self.pemda_unit = pemda_units[0] if len(pemda_units) == 1 else None
        self.top_ids: set[int | None] = {None, self.pemda_unit.id if self.pemda_unit else None}

    def is_pemda(self, name: str) -> bool:
        return pemda_key(name) in self.pemda_keys or normalise_name(name).startswith("PEMERINTAH ")

    def with_keys(self, keys: frozenset[str]) -> list[_Existing]:
        seen: dict[int, _Existing] = {}
        for k in keys:
            for u in self.by_key.get(k, ()):
                seen[u.id] = u
        return list(seen.values())


def _entries(
    raw: dict[str, UnitRow], variants: dict[str, set[str]], tree: _Tree
) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for ref, row in raw.items():
        name, parent_name = str(row.unit_name or ""), str(row.parent_name or "")
        entries[ref] = _Entry(
            ref=ref,
            unit_id=str(row.unit_id or "").strip(),
            name=" ".join(name.split()),
            parent_name=" ".join(parent_name.split()),
            keys=name_keys(name, tree.region),
            parent_keys=name_keys(parent_name, tree.region),
            parent_is_pemda=(not parent_name.strip()) or tree.is_pemda(parent_name),
            variants={" ".join(v.split()) for v in variants[ref]} - {" ".join(name.split())},
            parent_unit_id=str(row.parent_unit_id or "").strip(),
            parent_ref=row.parent_ref,
        )
    return entries


def _match_entry(
    entry: _Entry, tree: _Tree, plan: UnitPlan, matched: Mapping[str, _Existing]
) -> _Existing | bool | None:
    """Match one file unit to the tree: the existing unit (recorded in `plan.matched`), False
    when it is a problem (recorded in `plan.problems`), None when it is to be created.
    `matched` holds the file's units matched so far (an outline's rows above this one)."""
    note = _variants_note(entry)
    same_code = gettext("Kode unit sama dengan UNOR ID.")
    if not entry.name:
        if entry.unit_id in tree.by_code:
            u = tree.by_code[entry.unit_id]
            plan.matched.append(MatchedUnit(entry.ref, u.id, u.name, same_code))
            return u
        message = gettext("UNOR NAMA kosong untuk UNOR ID {id}.").format(id=entry.unit_id)
        plan.problems.append(UnitProblem(entry.ref, "", message))
        return False
    if entry.unit_id and entry.unit_id in tree.by_code:
        u = tree.by_code[entry.unit_id]
        plan.matched.append(MatchedUnit(entry.ref, u.id, u.name, same_code + note))
        return u
    candidates = tree.with_keys(entry.keys)
    if entry.parent_is_pemda:
        placed = [u for u in candidates if u.parent_id in tree.top_ids]
    elif entry.parent_ref:  # under a row of the file: that row's unit, if it exists
        parent = matched.get(entry.parent_ref)
        placed = [u for u in candidates if parent is not None and u.parent_id == parent.id]
    elif entry.parent_unit_id in tree.by_code:
        parent_id = tree.by_code[entry.parent_unit_id].id
        placed = [u for u in candidates if u.parent_id == parent_id]
    else:
        placed = [
            u
            for u in candidates
            if u.parent_id is not None and tree.by_id[u.parent_id].keys & entry.parent_keys
        ]
    if len(placed) == 1:
        u = placed[0]
        reason = gettext("Nama sama dengan unit yang ada ({name}).").format(name=u.name)
        plan.matched.append(MatchedUnit(entry.ref, u.id, u.name, reason + note))
        return u
    if len(placed) > 1:
        message = gettext(
            "Ada {n} unit bernama {name} di bawah induk yang sama; pilih sendiri."
        ).format(n=len(placed), name=entry.name)
        plan.problems.append(UnitProblem(entry.ref, entry.name, message))
        return False
    return None


@dataclass(frozen=True)
class _Placement:
    """Where a unit to create goes: an existing parent, a planned one, or the top."""

    parent_id: int | None
    parent_ref: str | None
    label: str
    reason: str


class _Placer:
    """Plans the creation of the file's unmatched units: finds each one's parent (an existing
    unit, another file unit, or an OPD the file names only as UNOR INDUK), gives it a code,
    then orders the plan parents first and drops what cannot be built."""

    def __init__(
        self,
        instansi: Instansi,
        tree: _Tree,
        entries: dict[str, _Entry],
        matched: dict[str, _Existing],
        plan: UnitPlan,
    ) -> None:
        self.instansi = instansi
        self.tree = tree
        self.matched = matched
        self.plan = plan
        self.file_by_key: dict[str, list[_Entry]] = {}
        self.file_by_id = {e.unit_id: e for e in entries.values() if e.unit_id}
        self.entries = entries
        for entry in entries.values():
            for k in entry.keys:
                self.file_by_key.setdefault(k, []).append(entry)
        self.taken_codes = set(tree.by_code)
        self.matched_ids = {u.id for u in matched.values()}
        self.planned: dict[str, PlannedUnit] = {}
        self.parent_of: dict[str, str | None] = {}  # planned ref → planned parent ref
        self.synthetic: dict[str, PlannedUnit] = {}
        self.problem_refs = {p.ref for p in plan.problems}

    def _problem(self, entry: _Entry, message: str) -> None:
        self.plan.problems.append(UnitProblem(entry.ref, entry.name, message))
        self.problem_refs.add(entry.ref)

    def _top_parent(self) -> tuple[int | None, str]:
        pemda_unit = self.tree.pemda_unit
        return (pemda_unit.id, pemda_unit.name) if pemda_unit else (None, "")

    def _synthetic_parent(self, entry: _Entry) -> str:
        """The ref of the OPD planned for a UNOR INDUK that has no row of its own."""
        key = normalise_name(entry.parent_name)
        if key not in self.synthetic:
            parent_name = " ".join(entry.parent_name.split())
            top_id, top_label = self._top_parent()
            self.synthetic[key] = PlannedUnit(
                ref=f"{SYNTHETIC_PARENT}{key}",
                code=_synthetic_code(parent_name, self.taken_codes),
                name=parent_name,
                short_name=guess_short_name(parent_name),
                kind=guess_kind(parent_name),
                parent_id=top_id,
                parent_ref=None,
                parent_label=top_label,
                reason=gettext(
                    "OPD baru: disebut sebagai UNOR INDUK tetapi tidak punya baris sendiri "
                    "(tanpa UNOR ID; kode dibuat dari namanya)."
                ),
            )
            self.parent_of[self.synthetic[key].ref] = None
        return self.synthetic[key].ref

    def _place_sub_unit(self, entry: _Entry) -> _Placement | None:
        """The parent a sub-unit's UNOR INDUK names, or None (a problem) when it is ambiguous."""
        by_code = self._parent_by_code(entry)
        if by_code is not None:
            return by_code
        in_file = {e.ref: e for k in entry.parent_keys for e in self.file_by_key.get(k, ())}
        in_file.pop(entry.ref, None)
        # An existing unit the file's own row was matched to counts once (as the file's).
        in_tree = [
            u for u in self.tree.with_keys(entry.parent_keys) if u.id not in self.matched_ids
        ]
        options: list[_Entry | _Existing] = [*in_file.values(), *in_tree]
        if len(options) > 1:  # prefer the OPD-level ones
            options = [o for o in options if _is_opd_level(o, self.tree.top_ids)]
        if len(options) > 1 or (not options and (in_file or in_tree)):
            n = len(in_file) + len(in_tree)
            self._problem(
                entry,
                gettext(
                    "UNOR INDUK {parent} cocok dengan {n} unit; unit ini tidak dapat "
                    "ditempatkan otomatis."
                ).format(parent=entry.parent_name, n=n),
            )
            return None
        if not options:
            reason = gettext("Sub-unit baru di bawah {parent} (OPD baru).").format(
                parent=entry.parent_name
            )
            return _Placement(None, self._synthetic_parent(entry), entry.parent_name, reason)
        found = options[0]
        parent_id: int | None = None
        parent_ref: str | None = None
        if isinstance(found, _Existing):
            parent_id, label = found.id, found.name
        elif found.ref in self.matched:
            parent_id, label = self.matched[found.ref].id, self.matched[found.ref].name
        else:
            parent_ref, label = found.ref, found.name
        reason = gettext("Sub-unit baru di bawah {parent}.").format(parent=label)
        return _Placement(parent_id, parent_ref, label, reason)

    def _parent_by_code(self, entry: _Entry) -> _Placement | None:
        """The parent the row names by code, or as the file's row it stands under: a unit of
        the file, else of the tree (None when the code names neither, and the name decides)."""
        code = entry.parent_unit_id
        in_file = self.file_by_id.get(code) if code else self.entries.get(entry.parent_ref)
        if in_file is not None and in_file.ref != entry.ref:
            if in_file.ref in self.matched:
                found = self.matched[in_file.ref]
                parent_id, parent_ref, label = found.id, None, found.name
            else:
                parent_id, parent_ref, label = None, in_file.ref, in_file.name
        elif code and code in self.tree.by_code:
            found = self.tree.by_code[code]
            parent_id, parent_ref, label = found.id, None, found.name
        else:
            return None
        reason = gettext("Sub-unit baru di bawah {parent}.").format(parent=label)
        return _Placement(parent_id, parent_ref, label, reason)

    def place(self, entry: _Entry) -> None:
        """Plan one unmatched unit, or record why it cannot be created."""
        if entry.parent_is_pemda:
            top_id, top_label = self._top_parent()
            reason = gettext("OPD baru: UNOR INDUK adalah Pemda sendiri ({name}).").format(
                name=entry.parent_name or self.instansi.name
            )
            placement: _Placement | None = _Placement(top_id, None, top_label, reason)
        else:
            placement = self._place_sub_unit(entry)
        if placement is None:
            return
        parent_id = placement.parent_id
        if parent_id is not None and not self.tree.by_id[parent_id].is_active:
            self._problem(
                entry,
                gettext("Unit induk {name} sudah ditutup; buka kembali dulu.").format(
                    name=self.tree.by_id[parent_id].name
                ),
            )
            return
        code = entry.unit_id
        if not code or "/" in code or len(code) > CODE_MAX or code in self.taken_codes:
            code = _synthetic_code(entry.name, self.taken_codes)
        else:
            self.taken_codes.add(code)
        self.planned[entry.ref] = PlannedUnit(
            ref=entry.ref,
            code=code,
            name=entry.name,
            short_name=guess_short_name(entry.name),
            kind=guess_kind(entry.name),
            parent_id=parent_id,
            parent_ref=placement.parent_ref,
            parent_label=placement.label,
            reason=placement.reason + _variants_note(entry),
        )
        self.parent_of[entry.ref] = placement.parent_ref

    def _depths(self) -> dict[str, int]:
        """Each buildable planned unit's depth below the existing tree; a unit whose planned
        parent is a problem (or in a loop) has none and is recorded as a problem."""
        depth: dict[str, int] = {}

        def depth_of(ref: str, trail: tuple[str, ...] = ()) -> int | None:
            if ref in depth:
                return depth[ref]
            if ref in trail or ref in self.problem_refs or ref not in self.planned:
                return None
            parent = self.parent_of.get(ref)
            d = 0 if parent is None else depth_of(parent, (*trail, ref))
            if d is None:
                return None
            depth[ref] = d + (0 if parent is None else 1)
            return depth[ref]

        for ref, unit in self.planned.items():
            if depth_of(ref) is None:
                loop = self._loop_through(ref)
                if loop:
                    message = gettext(
                        "Unit ini berada di bawah dirinya sendiri lewat induknya ({loop}); "
                        "perbaiki kolom induk salah satunya."
                    ).format(loop=" → ".join(loop))
                else:
                    message = gettext("Induknya ({parent}) tidak dapat dibuat.").format(
                        parent=unit.parent_label
                    )
                self.plan.problems.append(UnitProblem(ref, unit.name, message))
        return depth

    def _loop_through(self, ref: str) -> list[str]:
        """The names round the loop of planned parents ``ref`` is in (A → B → A), or []."""
        trail = [ref]
        parent = self.parent_of.get(ref)
        while parent is not None and parent in self.planned and parent not in trail:
            trail.append(parent)
            parent = self.parent_of.get(parent)
        if parent != ref:
            return []
        return [self.planned[r].name for r in (*trail, ref)]

    def finish(self) -> None:
        """Add the planned units to the plan, parents first, refusing paths over 255 chars."""
        self.planned.update({u.ref: u for u in self.synthetic.values()})
        depth = self._depths()
        existing_paths = {u.id: len(u.path) for u in self.tree.existing}
        planned = self.planned
        ordered = sorted(
            (r for r in planned if r in depth), key=lambda r: (depth[r], planned[r].name)
        )
        path_len: dict[str, int] = {}
        for ref in ordered:
            unit = planned[ref]
            if unit.parent_ref is not None:
                base = path_len[unit.parent_ref]
            elif unit.parent_id is not None:
                base = existing_paths.get(unit.parent_id, 0)
            else:
                base = 0
            path_len[ref] = base + len(unit.code) + 1
            if path_len[ref] > 255:
                self.plan.problems.append(
                    UnitProblem(ref, unit.name, gettext("Jalur unit menjadi terlalu panjang."))
                )
                continue
            self.plan.to_create.append(unit)


def plan_units(rows: Iterable[UnitRow], instansi: Instansi) -> UnitPlan:
    """Match the file's units to the tree and plan the ones to create (reads the database only).

    Parameters
    ----------
    rows
        The unit columns of every employee row (repeats are fine: units are deduplicated by
        UNOR ID, or by parent and name when the export has no id).
    instansi
        The Pemda whose tree is matched and extended.

    Returns
    -------
    UnitPlan
        `matched` (ref → existing unit), `to_create` (parents before children, each with the
        reason and its guessed kind and short name) and `problems` (units that cannot be placed).

    Notes
    -----
    A unit whose UNOR INDUK is the Pemda itself (`INSTANSI KERJA NAMA`, or the instansi's
    name, or any "Pemerintah …") is an OPD: it goes at the top of the tree, or under an existing
    unit that carries the Pemda's own name (a tree rooted at "Pemerintah Kota …"). A sub-unit
    goes under the unit its UNOR INDUK names: one of the file's units, else an existing unit;
    when several units carry that name the OPD-level one is taken, and when that still leaves a
    choice the row is a problem. A parent that the file names but never lists is created as an
    OPD (without UNOR ID, its code made from its name).
    """
    raw, variants, top_names = _read_rows(rows)
    tree = _Tree(instansi, top_names)
    entries = _entries(raw, variants, tree)
    plan = UnitPlan(instansi_id=instansi.pk)
    matched: dict[str, _Existing] = {}
    unmatched: list[_Entry] = []
    for entry in entries.values():
        found = _match_entry(entry, tree, plan, matched)
        if isinstance(found, _Existing):
            matched[entry.ref] = found
        elif found is None:
            unmatched.append(entry)
    placer = _Placer(instansi, tree, entries, matched, plan)
    for entry in unmatched:
        placer.place(entry)
    placer.finish()
    return plan


def _check_plan_still_fits(plan: UnitPlan, instansi: Instansi) -> dict[int, Mapping[str, Any]]:
    """The existing parents of the plan (id → path, depth, …); ValidationError when a planned
    code was taken or a parent closed or deleted since the plan was made."""
    codes = [u.code for u in plan.to_create]
    taken = sorted(
        Unit.objects.filter(instansi=instansi, code__in=codes).values_list("code", flat=True)
    )
    if taken:
        raise ValidationError(
            {
                "code": gettext(
                    "Kode unit {codes} sudah dipakai sejak rencana dibuat; buat rencana ulang."
                ).format(codes=", ".join(taken[:10]))
            }
        )
    parent_ids = {u.parent_id for u in plan.to_create if u.parent_id is not None}
    parents: dict[int, Mapping[str, Any]] = {
        p["id"]: p
        for p in Unit.objects.filter(instansi=instansi, pk__in=parent_ids).values(
            "id", "path", "depth", "is_active", "name"
        )
    }
    for pid in parent_ids:
        if pid not in parents or not parents[pid]["is_active"]:
            name = parents[pid]["name"] if pid in parents else str(pid)
            raise ValidationError(
                {
                    "parent": gettext(
                        "Unit induk {name} sudah tidak ada atau ditutup; buat rencana ulang."
                    ).format(name=name)
                }
            )
    return parents


def _create_level(
    level: list[PlannedUnit],
    instansi: Instansi,
    parents: dict[int, Mapping[str, Any]],
    created: dict[str, tuple[int, str, int]],
) -> None:
    """Create one level of the plan (units whose parents exist) and add them to `created`."""
    objs = []
    for unit in level:
        pid: int | None
        if unit.parent_ref is not None:
            pid, ppath, pdepth = created[unit.parent_ref]
        elif unit.parent_id is not None:
            pid = unit.parent_id
            ppath, pdepth = parents[pid]["path"], parents[pid]["depth"]
        else:
            pid, ppath, pdepth = None, "", -1
        objs.append(
            Unit(
                instansi=instansi,
                parent_id=pid,
                code=unit.code,
                name=unit.name[:200],
                short_name=unit.short_name[:60],
                kind=unit.kind,
                path=f"{ppath}{unit.code}/",
                depth=pdepth + 1,
            )
        )
    Unit.objects.bulk_create(objs, batch_size=500)
    new_ids = dict(
        Unit.objects.filter(instansi=instansi, code__in=[u.code for u in level]).values_list(
            "code", "id"
        )
    )
    for unit, obj in zip(level, objs, strict=True):
        created[unit.ref] = (new_ids[unit.code], obj.path, obj.depth)


@transaction.atomic
def do_apply_unit_plan(plan: UnitPlan, actor: User | None = None) -> dict[str, int]:
    """Create the plan's units in one transaction (parents first); return ref → unit id for
    every unit of the plan, matched or created.

    Refuses (ValidationError, nothing written) when the tree changed since the plan was made
    in a way that breaks it: a planned code now taken, a parent gone or closed.
    """
    instansi = Instansi.objects.get(pk=plan.instansi_id)
    ids = dict(plan.unit_ids)
    if not plan.to_create:
        return ids
    parents = _check_plan_still_fits(plan, instansi)
    created: dict[str, tuple[int, str, int]] = {}  # ref → (id, path, depth)
    pending = list(plan.to_create)
    while pending:
        level, later = [], []
        for unit in pending:
            if unit.parent_ref is not None and unit.parent_ref not in created:
                later.append(unit)
            else:
                level.append(unit)
        if not level:
            raise ValidationError({"parent": gettext("Rencana unit memuat induk yang melingkar.")})
        _create_level(level, instansi, parents, created)
        pending = later
    ids.update({ref: v[0] for ref, v in created.items()})
    audit.record(
        actor=actor,
        action="unit.import",
        object_type="people.unit",
        instansi=instansi,
        summary=gettext("{n} unit dibuat dari berkas pegawai").format(n=len(created)),
        after={"codes": [u.code for u in plan.to_create][:500]},
    )
    return ids
