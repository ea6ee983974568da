"""Checking parsed rows against each other and the database, set-based: units, scope,
NIPs (Excel-damaged ones completed or held), atasan and cycles, and the diff."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import formatting
from kompeten.core import importing as imp
from kompeten.core.models import Instansi
from kompeten.people.imports.values import (
    EndRemark,
    kind_of_post,
    parse_golongan,
    parse_jabatan_kind,
    parse_pppk_grade,
)
from kompeten.people.models import Employee, EndReason, Unit
from kompeten.people.unit_tree import UnitPlan, UnitRow, plan_units, row_ref
from kompeten.people.validation import (
    GOLONGAN_VALUES,
    EmployeeInput,
    normalise_nip,
    validate_employee,
)
from kompeten.standards.nip import NipError, ParsedNip, parse_nip

BATCH_SIZE = 2000
DECLARATION_KEY = "employees"  # the engine's key of the employee import
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
    (
        "front_title",
        "back_title",
        "golongan",
        "pppk_grade",
        "education",
        "email",
        "phone",
        "is_active",
    )
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
    # the units the row's unit needs created, parents first, the row's own unit last (SIASN's
    # UNOR under its UNOR INDUK; SIMPEG's Sub Unit Kerja under its Unit Kerja under its SKPD)
    unit_to_create: tuple[UnitRow, ...] = ()
    end_reason: str = ""  # an inactive row's EndReason, when its KEDUDUKAN says why
    end_date: date | None = None  # when it ended, when its Keterangan names the day

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
    # normalised name → (id, name, parent name, at the OPD level: at the top of the tree or
    # right under the Pemda's own root unit, the parent's parent's name)
    by_name: dict[str, list[tuple[int, str, str, bool, str]]]
    paths: dict[int, str]

    @classmethod
    def load(cls, instansi: Instansi) -> UnitIndex:
        units = list(
            Unit.objects.filter(instansi=instansi).values_list(
                "id", "code", "name", "short_name", "parent_id", "path"
            )
        )
        names = {pk: name for pk, _c, name, _s, _p, _path in units}
        parents = {pk: parent_id for pk, _c, _n, _s, parent_id, _path in units}
        pemda = imp.normalise_text(instansi.name)
        pemda_roots = {
            pk for pk, _c, name, _s, parent_id, _path in units
            if parent_id is None and imp.normalise_text(name) == pemda
        }  # fmt: skip
        by_name: dict[str, list[tuple[int, str, str, bool, str]]] = defaultdict(list)
        for pk, _code, name, short, parent_id, _path in units:
            parent = names.get(parent_id, "") if parent_id else ""
            above = parents.get(parent_id) if parent_id else None
            grandparent = names.get(above, "") if above else ""
            opd_level = parent_id is None or parent_id in pemda_roots
            keys = {_unit_key(name)}
            if short:
                keys.add(_unit_key(short))
            for key in keys:
                by_name[key].append((pk, name, parent, opd_level, grandparent))
        return cls(
            by_code={code.upper(): (pk, name) for pk, code, name, _s, _p, _path in units},
            by_name=dict(by_name),
            paths={pk: path for pk, _c, _n, _s, _p, path in units},
        )

    def find(
        self, code: str, name: str, parent: str, grandparent: str = ""
    ) -> tuple[int | None, str, str]:
        """(unit id, unit name, problem): by code, then by name. A file naming the parent
        decides between units of the same name (the many SEKRETARIAT), and a sub-unit under
        another parent is not this one (another OPD's Sekretariat, to be created under its own
        OPD); an OPD-level unit is itself wherever the file puts it. The parent's own parent,
        when the file names it, decides between the many Subbagian Umum under the many
        Sekretariat. (None, "", "") = unknown."""
        if code and (found := self.by_code.get(code.upper())):
            return found[0], found[1], ""
        if not name:
            return None, "", ""
        matches = self.by_name.get(_unit_key(name), [])
        if matches and parent:
            parent_key = _unit_key(parent)
            under = [m for m in matches if _unit_key(m[2]) == parent_key]
            if grandparent:
                above = _unit_key(grandparent)
                under = [m for m in under if _unit_key(m[4]) == above]
            matches = under or ([] if grandparent else [m for m in matches if m[3]])
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


def without_titles(name: str, front: str | None, back: str | None) -> str:
    """The name without the gelar its own columns give, when the name repeats them (SIMPEG's
    "Nama Lengkap" "Dr. H. Erni Lubis, S.E., M.M." beside Gelar "Dr. H." and "S.E., M.M."):
    only what those columns say is taken off, so a name is never guessed at."""
    text = " ".join(name.split())
    front = " ".join((front or "").split())
    back = " ".join((back or "").split())
    if front and text.casefold().startswith(front.casefold() + " "):
        text = text[len(front) :].strip()
    if back and text.casefold().endswith(back.casefold()):
        rest = text[: -len(back)].rstrip()
        if rest.endswith(","):
            text = rest[:-1].rstrip()
    return text


def _jabatan_kind(value: str, post_name: str) -> tuple[str, str | None]:
    """(kind, problem): the Jenis jabatan cell's, or where the file leaves it out or blank,
    the one the post's name says by itself (:func:`kind_of_post`)."""
    if value:
        return parse_jabatan_kind(value, post_name)
    if not post_name.strip():
        return "", None  # validation says the post's name is missing
    if kind := kind_of_post(post_name):
        return kind, None
    return "", gettext(
        "Jenis jabatan kosong dan nama jabatan '{name}' tidak menunjukkannya: isi JPT, "
        "Administrator, Pengawas, Fungsional atau Pelaksana."
    ).format(name=post_name.strip())


def _parsed_nip(nip: str) -> ParsedNip | None:
    """The NIP's parts (Peraturan Kepala BKN 22/2007), or None where validation names its
    problem."""
    try:
        return parse_nip(nip)
    except NipError:
        return None


def _sex_and_birth_date(nip: ParsedNip | None, v: Mapping[str, Any]) -> tuple[str, date | None]:
    """The row's sex and birth date; where the file leaves them out or blank, what its NIP says
    (digits 15 and 1–8), which validation would demand anyway."""
    sex: str = v.get("sex") or ""
    birth_date: date | None = v.get("birth_date")
    if nip is None:
        return sex, birth_date
    return sex or nip.sex or "", birth_date or nip.birth_date


def _status_and_grade(v: Mapping[str, Any], nip: ParsedNip | None) -> tuple[str, str, str]:
    """(status, golongan, PPPK grade): where the file leaves the status out, the one its NIP's
    pattern says (a PPPK number's marker is never a PNS month). SIASN puts the PPPK grade (IX, 9)
    in the same golongan column, so a PPPK's golongan that reads as a grade is its grade. A
    Pangkat column says the golongan where no Golongan column does (PP 99/2000)."""
    status = v.get("status") or v.get("employee_kind") or (nip.kind if nip else "")
    if v.get("employee_kind") == "PPPK":
        status = "PPPK"
    golongan = v.get("golongan") or parse_golongan(v.get("pangkat") or "")
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


# what a blank cell is read from the NIP for (the status by the NIP's pattern)
READ_FROM_NIP = ("sex", "birth_date", "status")


def _check_pangkat(row: RowPlan, v: Mapping[str, Any], status: str) -> None:
    """A PNS's Pangkat beside a Golongan it does not match (PP 99/2000, Lampiran I), in a column
    of its own or in the golongan's cell ("Penata (III/d)"), is named on the preview; the
    golongan written is the one kept, as SIASN keeps it."""
    written = v.get("golongan") or ""
    pangkat = v.get("pangkat") or getattr(written, "pangkat", "")
    if not (pangkat and written and status == "PNS"):
        return
    said = parse_golongan(pangkat)
    if said == written:
        return
    if said in GOLONGAN_VALUES:
        message = gettext(
            "Pangkat '{pangkat}' adalah golongan {said}, tidak sesuai dengan golongan {written} "
            "di barisnya; yang disimpan golongan {written}."
        ).format(pangkat=pangkat, said=said, written=written)
    else:
        message = gettext(
            "Pangkat '{pangkat}' tidak dikenal (PP 99/2000); yang disimpan golongan {written}."
        ).format(pangkat=pangkat, written=written)
    row.warnings.append(message)


def _reject_invalid(
    row: RowPlan, data: EmployeeInput, said: set[str], v: Mapping[str, Any]
) -> None:
    """Reject the row for what validation finds, but what its problems already said; a
    golongan read from the Pangkat column is that column's problem."""
    columns = ERROR_FIELD
    if not v.get("golongan") and v.get("pangkat"):
        columns = {**ERROR_FIELD, "golongan": "pangkat"}
    for name, message in validate_employee(data):
        if name in said:
            continue
        if name == "status" and not data.status:
            message = gettext("Status wajib diisi (PNS atau PPPK).")
        row.reject(columns.get(name, name), message)


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
        if "pangkat" in has:
            has.add("golongan")  # a Pangkat column says the golongan (PP 99/2000)
        if "golongan" in has:
            has.add("pppk_grade")  # SIASN writes a PPPK's grade (IX) in the golongan column
        self.kept = [name for name in STORED_FIELDS if name not in OPTIONAL_FIELDS or name in has]
        self.keeps_all = len(self.kept) == len(STORED_FIELDS)
        self.has_supervisor, self.has_active = "supervisor_nip" in has, "is_active" in has
        self.today = timezone.localdate()
        self.seen_nip: dict[str, int] = {}
        self.damaged: list[tuple[RowPlan, str, str]] = []  # (row, the 15 kept digits, name)

    def _unit(self, row: RowPlan, v: Mapping[str, Any]) -> int | None:
        """The row's unit id, or None with the row rejected, pending, or its unit planned."""
        code = v.get("unit_code") or ""
        unit_name = v.get("unit_name") or ""
        parent_name = v.get("parent_unit_name") or ""
        sub_name = v.get("sub_unit_name") or ""
        if not (code or unit_name) and parent_name:
            # no unit below the OPD ("-" for the head of a dinas, or a file whose only unit
            # column is SIMPEG's SKPD): the person works in that unit itself
            unit_name, parent_name = parent_name, ""
        if sub_name and not code and _unit_key(sub_name) != _unit_key(unit_name):
            # SIMPEG's third level: the Sub Unit Kerja under its Unit Kerja under its SKPD
            unit_id, unit_label, unit_problem = self.units.find(
                "", sub_name, unit_name, parent_name
            )
            wanted = (UnitRow("", unit_name, parent_name), sub_name)
        else:
            unit_id, unit_label, unit_problem = self.units.find(code, unit_name, parent_name)
            wanted = (UnitRow(code, unit_name, parent_name), "")
        if unit_problem:
            row.reject("unit_name", unit_problem)
        elif unit_id is None and not (code or unit_name):
            row.reject("unit_code", gettext("Unit kerja wajib diisi."))
        elif unit_id is None:
            unit_label = self._plan_unit(row, *wanted)
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

    def _plan_unit(self, row: RowPlan, unit: UnitRow, sub_name: str) -> str:
        """A unit not in the tree: planned with the unit above it (creating units), else the
        row waits for it. Returns how the row's unit is named."""
        shown = unit.unit_name or unit.unit_id
        if sub_name:
            shown = f"{sub_name} ({shown})"
        if self.create_units and self.scope is None:
            row.unit_to_create = (unit,)
            if sub_name:
                row.unit_to_create += (
                    UnitRow("", sub_name, unit.unit_name, parent_ref=row_ref(unit)),
                )
        else:
            row.pending = (
                UNIT_UNKNOWN,
                gettext(
                    "Unit kerja '{unit}' belum ada di pohon OPD; baris ini selesai sendiri "
                    "setelah unitnya dibuat (atau impor ulang dengan 'buat unit yang belum "
                    "ada')."
                ).format(unit=shown),
            )
        return shown

    def _remarked(self, row: RowPlan, remark: EndRemark | None) -> bool | str:
        """Active (True), or why the row's Keterangan says the service ended, where no Aktif
        or Kedudukan column says it: a day still to come keeps the employee active until then,
        and either way the row says what was read."""
        if remark is None:
            return True
        reason = str(EndReason(remark.reason).label).lower()
        if remark.on is not None and remark.on > self.today:
            row.warnings.append(
                gettext("Keterangan '{text}': tetap aktif sampai {day} ({reason}).").format(
                    text=remark.text, day=formatting.day(remark.on), reason=reason
                )
            )
            return True
        row.end_date = remark.on
        row.warnings.append(
            gettext("Keterangan '{text}': dicatat tidak aktif ({reason}).").format(
                text=remark.text, reason=reason
            )
        )
        return remark.reason

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
        parsed = _parsed_nip(row.nip)
        status, golongan, pppk_grade = _status_and_grade(v, parsed)
        jabatan_name = v.get("jabatan_name") or ""
        jabatan_kind, jabatan_problem = _jabatan_kind(v.get("jabatan_kind") or "", jabatan_name)
        if jabatan_problem:
            row.reject("jabatan_kind", jabatan_problem)
        sex, birth_date = _sex_and_birth_date(parsed, v)
        unit_id = self._unit(row, v)
        active = v.get("is_active")
        if not self.has_active or active is None:
            active = self._remarked(row, v.get("remark"))
        if isinstance(active, str):  # ended, and why
            row.end_reason, active = active, False
        data = EmployeeInput(
            nip=row.nip,
            name=without_titles(v.get("name") or "", v.get("front_title"), v.get("back_title")),
            sex=sex,
            birth_date=birth_date,
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
        said = {"nip"} if nip_said else set()
        if jabatan_problem:
            said.add("jabatan_kind")
        if parsed is None:  # what the file left blank its NIP would say: the NIP's problem does
            said.update(name for name in READ_FROM_NIP if v.get(name) in (None, ""))
        _reject_invalid(row, data, said, v)
        _check_pangkat(row, v, status)
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
        if row.end_reason and "is_active" not in row.values:
            # a Keterangan ends a service; without an Aktif column it never restores one
            row.values["is_active"] = False
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
            progress(gettext("Memeriksa baris {n}").format(n=formatting.number(n, 0)))
        plan.rows.append(checker.check(number, v))
    _complete_damaged_nips(plan, checker.damaged, checker.seen_nip)
    if create_units:
        _plan_new_units(plan)
    if progress:
        progress(gettext("Membandingkan dengan basis data"))
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
    wanted = [unit for r in plan.rows for unit in r.unit_to_create]
    if not wanted:
        return
    plan.unit_plan = plan_units(wanted, plan.instansi)
    problems = {p.ref: p.message for p in plan.unit_plan.problems}
    for row in plan.rows:
        said = [problems[ref] for ref in map(row_ref, row.unit_to_create) if ref in problems]
        if said:
            row.reject("unit_name", said[0])


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
                "NIP rusak oleh Excel (hanya {n} digit pertama yang tersisa: {prefix}…); baris ini "
                "dilengkapi otomatis bila berkas lain (daftar hadir, rekap nilai) memuat NIP "
                "lengkapnya di samping nama yang sama, atau perbaiki NIP-nya di daftar tertunda."
            ).format(n=len(prefix), prefix=prefix),
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
        .exclude(run__declaration=DECLARATION_KEY)
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
    graph = _row_supervisors(plan.existing, rows)
    frontier = {s for s in graph.values() if s not in graph and s not in file_nips}
    while frontier:  # walk up the database's chains, one query per level of the org chart
        found = _nips_in(plan.instansi, frontier, "nip", "supervisor__nip")
        for nip, sup in found:
            if sup:
                graph[nip] = sup
        frontier = {s for _n, s in found if s and s not in graph}
    return graph


def _row_supervisors(existing: dict[str, dict[str, Any]], rows: list[RowPlan]) -> dict[str, str]:
    """NIP → its atasan's NIP for the rows: the file's supervisor column, or without one the
    stored atasan (whose NIP is looked up in one query when it is not among ``existing``)."""
    nip_of: dict[int, str] = {v["id"]: nip for nip, v in existing.items()}
    graph: dict[str, str] = {}
    missing_ids: set[int] = set()
    for row in rows:
        if row.supervisor_nip is not None:
            if row.supervisor_nip:
                graph[row.nip] = row.supervisor_nip
            continue
        old = existing.get(row.nip)
        if old is not None and old["supervisor_id"] is not None:
            sid = old["supervisor_id"]
            if sid in nip_of:
                graph[row.nip] = nip_of[sid]
            else:
                missing_ids.add(sid)
    if missing_ids:
        _add_stored_supervisors(existing, rows, nip_of, missing_ids, graph)
    return graph


def _add_stored_supervisors(
    existing: dict[str, dict[str, Any]],
    rows: list[RowPlan],
    nip_of: dict[int, str],
    missing_ids: set[int],
    graph: dict[str, str],
) -> None:
    """Read the NIPs of ``missing_ids`` into ``nip_of`` and give every row without a
    supervisor column its stored atasan in ``graph``."""
    for pk, nip in Employee.objects.filter(pk__in=missing_ids).values_list("id", "nip"):
        nip_of[pk] = nip
    for row in rows:
        old = existing.get(row.nip)
        if row.supervisor_nip is None and old is not None and old["supervisor_id"]:
            graph[row.nip] = nip_of[old["supervisor_id"]]


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
