"""The OPD tree from a file, declared for the import engine (``kompeten.core.importing``):
``kompeten import units FILE`` and ``/impor/units/``.

Two shapes are read:

* the simple template: ``Kode``, ``Nama``, ``Singkatan``, ``Jenis``, and the parent as
  ``Kode Induk`` or ``Nama Induk`` (blank: an OPD at the top of the tree);
* SIASN's unit columns (``UNOR ID``, ``UNOR NAMA``, ``UNOR INDUK NAMA``, ``INSTANSI KERJA
  NAMA``), in a unit list or in a whole employee export (one row per employee: each unit once).

Units are matched the way the employee import matches them (``unit_tree.plan_units``): by code
(= UNOR ID), then by name under the same parent, as people write names (case, the Pemda's own
name at the end, the usual abbreviations). A row without a code naming an OPD that exists
exactly once at the OPD level is that OPD, wherever the file puts it (sub-unit names such as
"Sekretariat" repeat, so without codes a sub-unit is known by its name under its parent). A
matched unit is **renamed** when its code matches and the file spells it differently, given the
short name or kind the file states, and **moved** when the file puts it under another parent —
through ``do_rename_unit`` and ``do_move_unit``, never duplicated. New units are created
parents first (``do_apply_unit_plan``). A unit whose ``Kode Induk`` is not in the tree nor in
the file is kept pending and completes by itself once its parent exists. Codes are identities:
a unit matched by name keeps its code (the row says so).

Admin BKPSDM only: a file may touch any part of the tree (a pengelola OPD edits its own subtree
on the OPD pages).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from kompeten.core import formatting
from kompeten.core import importing as imp
from kompeten.core.importing import columns
from kompeten.core.importing.values import normalise_text
from kompeten.core.models import Instansi, User
from kompeten.people.imports.values import SUB_UNIT_HEADERS
from kompeten.people.models import Unit, UnitKind
from kompeten.people.outline import read_outline
from kompeten.people.unit_tree import (
    CODE_MAX,
    SYNTHETIC_PARENT,
    UnitPlan,
    UnitRow,
    name_keys,
    normalise_name,
    pemda_key,
    plan_units,
    row_ref,
)

PARENT_UNKNOWN = "parent_unknown"

KINDS = columns.choice_vocabulary(
    gettext_lazy("jenis unit"),
    UnitKind,
    {
        UnitKind.SEKRETARIAT: ("Sekretariat Daerah", "Setda", "Sekretariat DPRD", "Setwan"),
        UnitKind.UPT: ("UPT", "UPTD"),
        UnitKind.BAGIAN: ("Bagian", "Bidang", "Seksi", "Sub Bagian", "Subbagian"),
        UnitKind.SATPOL: ("Satpol PP",),
        UnitKind.RSUD: ("Rumah Sakit",),
        # a desa or nagari, a kantor (Kantor Kesbangpol): no kind of their own in the tree
        UnitKind.OTHER: ("Lain-lain", "Desa", "Nagari", "Kantor"),
    },
)


def _code(value: Any, ctx: imp.Context) -> str:
    code = columns.text(value, ctx)
    if "/" in code or len(code) > CODE_MAX:
        raise imp.FieldError(
            _("Kode unit paling panjang {n} karakter dan tidak boleh memuat '/'.").format(
                n=CODE_MAX
            )
        )
    return code


_code_column = columns.ColumnKind(parse=_code)  # a unit's code, or its parent's


def _limited(n: int, what: str) -> Any:
    def parse(value: Any, ctx: imp.Context) -> str:
        text = columns.text(value, ctx)
        if len(text) > n:
            raise imp.FieldError(_("{what} paling panjang {n} karakter.").format(what=what, n=n))
        return text

    return parse


SIASN = imp.Source(
    key="siasn",
    label="SIASN BKN (kolom unit)",
    signature=("UNOR ID", "UNOR NAMA", "UNOR INDUK NAMA"),
    aliases={
        "code": ("UNOR ID",),
        "name": ("UNOR NAMA",),
        "parent_name": ("UNOR INDUK NAMA",),
        "top_name": ("INSTANSI KERJA NAMA",),
    },
)
TEMPLATE = imp.Source(
    key="kompeten",
    label="Templat Kompeten (pohon OPD)",
    signature=("Kode", "Nama", "Singkatan", "Jenis", "Kode Induk"),
)


@dataclass
class _Verdict:
    """What the file does with one unit (one ref): the problems or the pending reason, the
    changes to a matched unit, the move, a warning."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    pending: str = ""
    warnings: list[str] = field(default_factory=list)
    unit_id: int | None = None  # the matched unit
    rename: dict[str, str] | None = None
    move_to: tuple[int | None, str | None] | None = None  # (existing id, planned ref)


@dataclass
class _Analysis:
    plan: UnitPlan
    verdicts: dict[str, _Verdict]
    row_refs: dict[int, str]


def _unit_row(row: imp.Row) -> UnitRow:
    return UnitRow(
        unit_id=row.get("code", ""),
        unit_name=row.get("name", ""),
        parent_name=row.get("parent_name", ""),
        top_name=row.get("top_name", ""),
        parent_unit_id=row.get("parent_code", ""),
    )


_Parent = tuple[int | None, str | None]  # (existing id, planned ref)


class _Analyser:
    """Decides what the file does with each unit, in phases: each row's unit columns (with the
    codes the tree already gives), the rows whose parent is unknown (pending), the plan of
    units to create, then the renames and moves of the matched units, and last the moves that
    would put a unit under itself. Reads the database only."""

    def __init__(
        self, rows: list[imp.Row], instansi: Instansi, outline: dict[int, int] | None = None
    ) -> None:
        self.rows = rows
        self.instansi = instansi
        self.outline = outline or {}  # row number → the number of the row it stands under
        self.existing = list(
            Unit.objects.filter(instansi=instansi).values(
                "id", "code", "name", "short_name", "kind", "parent_id", "path", "is_active"
            )
        )
        self.by_id = {u["id"]: u for u in self.existing}
        self.by_code = {u["code"]: u for u in self.existing}
        self.region = region = pemda_key(instansi.name)
        self.by_key: dict[str, set[int]] = {}
        for u in self.existing:
            for k in name_keys(u["name"], region) | name_keys(u["short_name"], region):
                self.by_key.setdefault(k, set()).add(u["id"])
        self.file_codes = {r.get("code") for r in rows if r.get("code")}
        pemda_units = [
            u
            for u in self.existing
            if u["parent_id"] is None
            and (
                pemda_key(u["name"]) == region
                or normalise_name(u["name"]).startswith("PEMERINTAH ")
            )
        ]
        self.pemda_id = pemda_units[0]["id"] if len(pemda_units) == 1 else None
        self.top_ids: set[int | None] = {None, self.pemda_id}

    def existing_named(self, name: str) -> set[int]:
        found: set[int] = set()
        for k in name_keys(name, self.region):
            found |= self.by_key.get(k, set())
        return found

    def run(self) -> _Analysis:
        unit_rows = self._unit_rows()
        self.row_refs = {n: row_ref(u) for n, u in unit_rows.items()}
        self.verdicts = {ref: _Verdict() for ref in self.row_refs.values()}
        self._mark_pending()
        self.plan = self._plan(unit_rows)
        self.planned_refs = {u.ref for u in self.plan.to_create}
        self.matched = {m.ref: m.unit_id for m in self.plan.matched}
        self.file_by_code = {
            r.get("code"): self.row_refs[r.number] for r in self.rows if r.get("code")
        }
        self.file_by_key: dict[str, set[str]] = {}
        for r in self.rows:
            for k in name_keys(r.values["name"], self.region):
                self.file_by_key.setdefault(k, set()).add(self.row_refs[r.number])
        self.final_parent: dict[int, int | None] = {u["id"]: u["parent_id"] for u in self.existing}
        moves = [move for row in self.rows if (move := self._check_matched(row)) is not None]
        self._refuse_loops(moves)
        return _Analysis(plan=self.plan, verdicts=self.verdicts, row_refs=self.row_refs)

    def _unit_rows(self) -> dict[int, UnitRow]:
        """Each row's unit columns, the parent's name filled from its code, and the code of
        the OPD the row names when the tree has exactly one.

        A row without a code naming an OPD that exists exactly once in the tree is that OPD,
        even if the file puts it elsewhere (a re-import moves it instead of making a second
        one). Not a sub-unit: "Sekretariat", "Subbagian Umum" repeat from OPD to OPD, so
        without codes a sub-unit is known by its name under its parent only. An outline's row
        stands under the row above it that the numbering names (`self.outline`).
        """
        unit_rows: dict[int, UnitRow] = {}
        name_of_code = {r.values["code"]: r.values["name"] for r in self.rows if r.get("code")}
        for row in self.rows:
            unit_row = _unit_row(row)
            parent_code = row.get("parent_code", "")
            if parent_code and not unit_row.parent_name:
                parent_name = name_of_code.get(parent_code) or (
                    self.by_code[parent_code]["name"] if parent_code in self.by_code else ""
                )
                unit_row = replace(unit_row, parent_name=parent_name)
            if not unit_row.unit_id:
                same = self.existing_named(unit_row.unit_name)
                if len(same) == 1:
                    uid = next(iter(same))
                    if (
                        self.by_id[uid]["code"] not in self.file_codes
                        and self.by_id[uid]["parent_id"] in self.top_ids
                        and uid != self.pemda_id
                    ):
                        unit_row = replace(unit_row, unit_id=self.by_id[uid]["code"])
            if row.number in self.outline:
                above = unit_rows[self.outline[row.number]]
                unit_row = replace(unit_row, parent_name=above.unit_name, parent_ref=row_ref(above))
            unit_rows[row.number] = unit_row
        return unit_rows

    def _mark_pending(self) -> None:
        """A Kode Induk that names nothing known makes its row pending, and the rows under
        such a row too (repeated until nothing changes)."""
        pending_codes: set[str] = set()
        changed = True
        while changed:
            changed = False
            for row in self.rows:
                parent_code = row.get("parent_code", "")
                verdict = self.verdicts[self.row_refs[row.number]]
                if not parent_code or verdict.pending:
                    continue
                in_file = parent_code in self.file_codes and parent_code not in pending_codes
                if parent_code in pending_codes or not (in_file or parent_code in self.by_code):
                    verdict.pending = _(
                        "Unit induk dengan kode {code} belum ada di pohon OPD; baris disimpan dan "
                        "selesai sendiri setelah induknya dibuat."
                    ).format(code=parent_code)
                    if row.get("code"):
                        pending_codes.add(row.values["code"])
                    changed = True

    def _plan(self, unit_rows: dict[int, UnitRow]) -> UnitPlan:
        """The tree's plan for the rows that are not pending, with the file's own short name
        and kind for the units to create and its problems given to their rows."""
        planned_rows = [
            unit_rows[r.number]
            for r in self.rows
            if not self.verdicts[self.row_refs[r.number]].pending
        ]
        plan = plan_units(planned_rows, self.instansi)
        stated = {self.row_refs[r.number]: r for r in self.rows}
        plan.to_create = [
            replace(
                u,
                short_name=stated[u.ref].get("short_name") or u.short_name,
                kind=stated[u.ref].get("kind") or u.kind,
            )
            if u.ref in stated
            else u
            for u in plan.to_create
        ]
        for p in plan.problems:
            if p.ref in self.verdicts:
                self.verdicts[p.ref].problems.append(("name", p.message))
        return plan

    def _parent_by_code(self, parent_code: str) -> _Parent | str:
        ref = self.file_by_code.get(parent_code)
        if ref is not None and ref in self.matched:
            return self.matched[ref], None
        if ref is not None and ref in self.planned_refs:
            return None, ref
        if parent_code in self.by_code:
            return self.by_code[parent_code]["id"], None
        return _("Unit induk dengan kode {code} tidak dapat ditempatkan.").format(code=parent_code)

    def _parent_by_name(self, parent_name: str, unit_id: int) -> _Parent | str:
        in_file: set[str] = set()
        for k in name_keys(parent_name, self.region):
            in_file |= self.file_by_key.get(k, set())
        options: set[_Parent] = set()
        for ref in in_file:
            if ref in self.matched:
                options.add((self.matched[ref], None))
            elif ref in self.planned_refs:
                options.add((None, ref))
        for uid in self.existing_named(parent_name):
            options.add((uid, None))
        options.discard((unit_id, None))
        current = self.by_id[unit_id]["parent_id"]
        if (current, None) in options:
            return current, None
        if len(options) > 1:  # prefer the OPD-level ones
            options = {
                o
                for o in options
                if o[0] is not None and self.by_id[o[0]]["parent_id"] in self.top_ids
            } or options
        if len(options) == 1:
            return next(iter(options))
        if options:
            return _(
                "Unit induk {parent} cocok dengan {n} unit; pindahkan unit ini di halaman OPD."
            ).format(parent=parent_name, n=len(options))
        return _("Unit induk {parent} tidak ada di pohon OPD maupun di berkas.").format(
            parent=parent_name
        )

    def resolve_parent(self, row: imp.Row, unit_id: int) -> _Parent | str:
        """The parent the file states for an existing unit: (existing id, planned ref),
        or an Indonesian problem."""
        parent_code = row.get("parent_code", "")
        if parent_code:
            return self._parent_by_code(parent_code)
        parent_name = row.get("parent_name", "")
        top = row.get("top_name", "")
        if (
            not parent_name
            or pemda_key(parent_name) in {self.region, pemda_key(top)}
            or (normalise_name(parent_name).startswith("PEMERINTAH "))
        ):
            current = self.by_id[unit_id]["parent_id"]
            return (current if current in self.top_ids else self.pemda_id), None
        return self._parent_by_name(parent_name, unit_id)

    def _note_changes(self, row: imp.Row, unit: Any, verdict: _Verdict) -> None:
        """The rename (name, short name, kind) a row asks of its matched unit, and a warning
        when the row gives another code (codes are identities: never changed)."""
        code = row.get("code", "")
        changes: dict[str, str] = {}
        name = row.values["name"]
        if code == unit["code"] and name != unit["name"]:
            changes["name"] = name
        if row.get("short_name") and row.values["short_name"] != unit["short_name"]:
            changes["short_name"] = row.values["short_name"]
        if row.get("kind") and row.values["kind"] != unit["kind"]:
            changes["kind"] = row.values["kind"]
        if changes:
            verdict.rename = changes
        if code and code != unit["code"]:
            verdict.warnings.append(
                _(
                    "Kode {code} di berkas: unit {name} sudah ada dengan kode {own} "
                    "(dicocokkan menurut nama); kodenya tidak diubah."
                ).format(code=code, name=unit["name"], own=unit["code"])
            )

    def _check_matched(self, row: imp.Row) -> tuple[str, int, int | None, str | None] | None:
        """A matched unit's rename and move; the move (ref, unit id, parent id, parent ref)
        when the file puts it under another parent."""
        ref = self.row_refs[row.number]
        verdict = self.verdicts[ref]
        if ref not in self.matched or verdict.problems or verdict.pending or verdict.unit_id:
            return None
        unit_id = self.matched[ref]
        verdict.unit_id = unit_id
        unit = self.by_id[unit_id]
        self._note_changes(row, unit, verdict)
        if not (row.columns.get("parent_code") or row.columns.get("parent_name")):
            return None  # the file says nothing of parents: nothing moves
        parent = self.resolve_parent(row, unit_id)
        if isinstance(parent, str):
            verdict.problems.append(
                ("parent_code" if row.get("parent_code") else "parent_name", parent)
            )
            return None
        parent_id, parent_ref = parent
        if parent_ref is None and parent_id == unit["parent_id"]:
            return None
        if parent_ref is None and parent_id is not None and not self.by_id[parent_id]["is_active"]:
            message = _("Unit induk {name} sudah ditutup; buka kembali dulu.").format(
                name=self.by_id[parent_id]["name"]
            )
            verdict.problems.append(("parent_name", message))
            return None
        if parent_ref is None:
            self.final_parent[unit_id] = parent_id
        verdict.move_to = (parent_id, parent_ref)
        if parent_id is not None:
            parent_label = self.by_id[parent_id]["name"]
        elif parent_ref:
            parent_label = next((u.name for u in self.plan.to_create if u.ref == parent_ref), "")
        else:
            parent_label = _("tingkat teratas")
        verdict.warnings.append(
            _("Unit {name} dipindahkan ke bawah {parent}.").format(
                name=unit["name"], parent=parent_label
            )
        )
        return ref, unit_id, parent_id, parent_ref

    def _refuse_loops(self, moves: list[tuple[str, int, int | None, str | None]]) -> None:
        """A move must not put a unit under itself (through the other moves of the file)."""
        planned_parent = {u.ref: (u.parent_id, u.parent_ref) for u in self.plan.to_create}
        for ref, unit_id, parent_id, parent_ref in moves:
            node: _Parent = (parent_id, parent_ref)
            steps = 0
            while steps < 10_000 and node != (None, None):
                steps += 1
                pid, pref = node
                if pref is not None:
                    node = planned_parent.get(pref, (None, None))
                    continue
                if pid == unit_id:
                    self.verdicts[ref].problems.append(
                        (
                            "parent_name",
                            _(
                                "Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau "
                                "sub-unitnya."
                            ),
                        )
                    )
                    self.verdicts[ref].move_to = None
                    break
                node = (self.final_parent.get(pid) if pid is not None else None, None)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _numbered(row: imp.Row) -> str:
    """The row's name behind the marker its own No column writes ("1.1", "A", "iv.")."""
    name = str(row.values.get("name") or "")
    number = str(row.values.get("number") or "").strip()
    if not number:
        return name
    return f"{number} {name}" if number[-1] in ".)" else f"{number}. {name}"


def _parents_from_outline(rows: list[imp.Row], ctx: imp.Context) -> str | None:
    """A list without a parent column whose names carry a document's numbering (1., 1.1,
    I., A., a) …), or whose No column does: each name loses its number, and a row stands under
    the row above it one level up (``ctx.lookups["outline"]``). None when the numbering gives
    no levels."""
    outline = read_outline([str(r.values.get("name") or "") for r in rows])
    if outline is None and any(r.values.get("number") for r in rows):
        outline = read_outline([_numbered(r) for r in rows])
        if outline is not None and all(line.parent is None for line in outline):
            outline = None  # a running number (1, 2, 3 …) says no levels
    if outline is None:
        return None
    parents: dict[int, int] = {}
    for row, line in zip(rows, outline, strict=True):
        if row.values.get("name") and line.name:
            row.values["name"] = line.name
        if line.parent is not None:
            parents[row.number] = rows[line.parent].number
    ctx.lookups["outline"] = parents
    if not parents:  # a numbered list of one level: the codes may still give the levels
        ctx.notes.append(_("Nomor urut di depan nama unit dibuang dari namanya."))
        return None
    return ngettext(
        "Berkas tidak memuat kolom unit induk; induk {n} unit dibaca dari penomoran "
        "bertingkat di depan namanya (mis. 2.1 di bawah 2., atau A. di bawah I.), dan nomornya "
        "dibuang dari nama.",
        "Berkas tidak memuat kolom unit induk; induk {n} unit dibaca dari penomoran "
        "bertingkat di depan namanya (mis. 2.1 di bawah 2., atau A. di bawah I.), dan nomornya "
        "dibuang dari nama.",
        len(parents),
    ).format(n=len(parents))


def _sub_units(rows: list[imp.Row], ctx: imp.Context) -> str:
    """A list of three levels (SKPD › Unit Kerja › Sub Unit Kerja): a row with a sub unit is
    that sub unit, under the row above that is its unit kerja (the same Unit Kerja and SKPD,
    without a sub unit), so the many Sekretariat of the many OPDs are told apart. A unit kerja
    with no row of its own is implied by its sub units' rows: a row is added for it (numbered
    below zero, see :func:`_implied_row`), under its SKPD, and its sub units stand under it."""
    levels: dict[tuple[str, str], int] = {}
    codes: dict[tuple[str, str], str] = {}
    outline: dict[int, int] = ctx.lookups.setdefault("outline", {})
    implied: dict[int, str] = ctx.lookups.setdefault("implied", {})
    placed, read = 0, []
    for row in rows:
        unit = normalise_name(str(row.get("name", "")))
        opd = normalise_name(str(row.get("parent_name", "")))
        sub = str(row.get("sub_unit_name", "") or "").strip()
        if not sub:
            levels.setdefault((unit, opd), row.number)
            codes.setdefault((unit, opd), str(row.get("code", "")))
            read.append(row)
            continue
        if (unit, opd) not in levels:
            added = _implied_row(row, -1 - len(implied))
            implied[added.number] = _("{unit} ({opd})").format(
                unit=added.values["name"], opd=added.values["parent_name"]
            )
            levels[(unit, opd)] = added.number
            read.append(added)
        row.values["parent_name"], row.values["name"] = row.values["name"], sub
        if row.get("code") and row.get("code") == codes.get((unit, opd)):
            row.values["code"] = ""  # the unit kerja's code, written down its sub units' rows
        outline[row.number] = levels[(unit, opd)]
        placed += 1
        read.append(row)
    rows[:] = read
    note = ngettext(
        "Kolom Sub Unit Kerja dibaca: {n} sub unit ditempatkan di bawah baris unit kerjanya.",
        "Kolom Sub Unit Kerja dibaca: {n} sub unit ditempatkan di bawah baris unit kerjanya.",
        placed,
    ).format(n=formatting.number(placed, 0))
    if implied:
        note += " " + ngettext(
            "{n} unit kerja tanpa baris sendiri ditempatkan di bawah SKPD-nya: {names}.",
            "{n} unit kerja tanpa baris sendiri ditempatkan di bawah SKPD-nya: {names}.",
            len(implied),
        ).format(n=formatting.number(len(implied), 0), names=", ".join(implied.values()))
    return note


def _implied_row(row: imp.Row, number: int) -> imp.Row:
    """The row of the unit kerja a sub unit's row names, for a list that gives it none: the
    unit kerja under the row's SKPD, without a code. Its number is below zero: no line of the
    file, so it is never listed, and what is said of it is said on its first sub unit's row."""
    values = {
        **row.values,
        **dict.fromkeys(("code", "short_name", "kind", "parent_code", "sub_unit_name"), ""),
    }
    return imp.Row(number=number, cells=row.cells, values=values, columns=row.columns)


def _codes_typed_as_numbers(rows: list[imp.Row]) -> str:
    """Codes Excel keeps as numbers lose their trailing zeros (1.10 → 1.1, 1.20 → 1.2). Where
    the file's text codes name the code whole (1.10.01 under 1.10), the number is read as that
    code; the note says which were read so, and warns of the others."""
    numeric = [
        r
        for r in rows
        if r.get("code")
        and isinstance(r.cells.get(r.columns.get("code", "")), float)
        and "." in str(r.values["code"])
    ]
    if not numeric:
        return ""
    codes = {str(r.values["code"]) for r in rows if r.get("code")}
    parents = {
        ".".join(parts[:end])
        for code in codes
        for parts in [code.split(".")]
        for end in range(1, len(parts))
    }
    restored: list[str] = []
    for row in numeric:
        code = str(row.values["code"])
        if code in parents:
            continue
        whole = [p for p in parents - codes if _same_number(p, code)]
        if len(whole) == 1:
            row.values["code"] = whole[0]
            restored.append(f"{code} → {whole[0]}")
    if restored:
        return _(
            "Kode yang tersimpan sebagai angka kehilangan nol di belakangnya; dibaca sebagai "
            "kode sub-unitnya menyebutnya: {codes}. Format kolom kode sebagai Teks."
        ).format(codes=", ".join(restored))
    return _(
        "Sebagian kode tersimpan sebagai angka ({code}): angka nol di belakangnya (1.10) dapat "
        "hilang. Periksa kodenya, atau format kolom kode sebagai Teks."
    ).format(code=numeric[0].values["code"])


def _same_number(written: str, number: str) -> bool:
    try:
        return float(written) == float(number)
    except ValueError:
        return False


def _parent_codes_under_a_name_header(rows: list[imp.Row]) -> str:
    """A parent column headed like a name ("Induk") that holds the parents' codes ("1", "4-1",
    each a Kode of the file, none a Nama): read as the Kode Induk it is, said in a note.
    Without this every such code became an OPD of its own named "4-1"."""
    if any(r.columns.get("parent_code") for r in rows[:1]):
        return ""
    codes = {str(r.values["code"]) for r in rows if r.get("code")}
    names = {normalise_text(r.values["name"]) for r in rows if r.get("name")}
    given = [str(r.values["parent_name"]).strip() for r in rows if r.get("parent_name")]
    if not codes or not given:
        return ""
    if sum(v in codes for v in given) < 0.9 * len(given) or any(
        normalise_text(v) in names for v in given
    ):
        return ""
    header = next((r.columns.get("parent_name") for r in rows if r.columns.get("parent_name")), "")
    for row in rows:
        written = row.values.get("parent_name")
        if written:
            row.values["parent_code"], row.values["parent_name"] = str(written).strip(), None
    return _(
        "Kolom {header} berisi kode unit induk (setiap isinya adalah Kode sebuah unit di "
        "berkas), bukan namanya: dibaca sebagai kode induk."
    ).format(header=header)


def _parents_from_codes(rows: list[imp.Row], ctx: imp.Context) -> str:
    """A list without a parent column: a code written in levels (1.02 → 1.02.01 → 1.02.01.01)
    names its parent as the longest shorter code of the file or the tree, which is set as the
    row's Kode Induk. The note says which was done."""
    known = set(Unit.objects.filter(instansi=ctx.instansi).values_list("code", flat=True))
    known |= {str(r.values["code"]) for r in rows if r.get("code")}
    placed = 0
    for row in rows:
        parts = str(row.get("code", "")).split(".")
        for end in range(len(parts) - 1, 0, -1):
            parent = ".".join(parts[:end])
            if parent in known:
                row.values["parent_code"] = parent
                placed += 1
                break
    if placed:
        return _(
            "Berkas tidak memuat kolom unit induk; induk {n} unit dibaca dari kodenya yang "
            "bertingkat (mis. 1.02.01 di bawah 1.02). Unit lain ditempatkan di tingkat teratas."
        ).format(n=placed)
    return _(
        "Berkas tidak memuat kolom unit induk (Kode Induk atau Nama Induk): setiap unit "
        "ditempatkan di tingkat teratas, dan baris dengan nama yang sama menjadi satu unit. Bila "
        "ada kolom induk dengan judul lain, {how}."
    ).format(how=ctx.how_to_map("parent_name"))


def _parents_named_only(
    analysis: _Analysis, rows: list[imp.Row], instansi: Instansi
) -> dict[str, str]:
    """ref → a warning, for each unit to create under a parent that the file only names (no
    row of its own) and the tree lacks: that parent becomes a new OPD, which is right for
    SIASN's UNOR INDUK and wrong for a misspelt name, so the warning says so and names the
    closest known unit ("Dinas Sosal": Dinas Sosial)."""
    created = {u.ref: u for u in analysis.plan.to_create}
    orphans = {
        ref: parent
        for ref, unit in created.items()
        if (parent := created.get(unit.parent_ref or "")) is not None
        and parent.ref.startswith(SYNTHETIC_PARENT)
    }
    if not orphans:
        return {}
    # the names it may be a misspelling of, matched as every unit name is (imp.match_names)
    known = {
        imp.normalise_unit_name(name, instansi.name): name
        for name in (
            *Unit.objects.filter(instansi=instansi).values_list("name", flat=True),
            *(str(r.values.get("name") or "") for r in rows),
        )
        if name
    }
    out: dict[str, str] = {}
    for ref, parent in orphans.items():
        message = _(
            "Unit induk {parent} tidak ada di pohon OPD maupun di berkas; dibuat sebagai OPD baru."
        ).format(parent=parent.name)
        close = imp.match_names(
            {key: key for key in known}, imp.normalise_unit_name(parent.name, instansi.name)
        )
        if close is not None:
            message += " " + _("Periksa ejaannya: mungkin maksudnya {name}?").format(
                name=known[close.key]
            )
        out[ref] = message
    return out


class UnitsImport(imp.Declaration):
    key = "units"
    label = gettext_lazy("Pohon OPD (unit kerja)")
    description = gettext_lazy(
        "Unit kerja dan induknya: templat (Kode, Nama, Singkatan, Jenis, Kode Induk atau Nama "
        "Induk) atau kolom unit SIASN (UNOR ID, UNOR NAMA, UNOR INDUK NAMA), juga dari ekspor "
        "pegawai SIASN. Unit yang sudah ada diganti namanya atau dipindahkan, tidak digandakan. "
        "Hanya admin BKPSDM."
    )
    sources = (SIASN, TEMPLATE)
    fields = (
        _code_column(
            "code",
            gettext_lazy("Kode"),
            ("Kode", "Kode Unit", "Kode OPD", "UNOR ID", "ID UNOR", "ID Unit"),
        ),
        imp.Field(
            "name",
            gettext_lazy("Nama"),
            aliases=(
                "Nama",
                "Nama Unit",
                "Nama OPD",
                "UNOR NAMA",
                "Unit Kerja",
                "Nama Unit Kerja",
                # a Perbup's attachment, a SIMPEG list
                "Nama Perangkat Daerah",
                "Perangkat Daerah",
                "Nama SKPD",
                "Unit Organisasi",
            ),
            required=True,
            parse=_limited(200, "Nama unit"),
        ),
        imp.Field(
            "short_name",
            gettext_lazy("Singkatan"),
            aliases=("Singkatan", "Nama Singkat", "Akronim"),
            parse=_limited(60, "Singkatan"),
        ),
        imp.Field(
            "kind",
            gettext_lazy("Jenis"),
            aliases=("Jenis", "Jenis Unit", "Jenis OPD"),
            vocabulary=KINDS,
        ),
        _code_column(
            "parent_code",
            gettext_lazy("Kode induk"),
            ("Kode Induk", "Kode Unit Induk", "UNOR INDUK ID", "ID Induk"),
        ),
        columns.text_column(
            "parent_name",
            gettext_lazy("Nama induk"),
            (
                "Nama Induk",
                "Unit Induk",
                "Induk",
                "UNOR INDUK NAMA",
                "Nama Unit Induk",
                "Unit Atasan",
                "Nama Unit Atasan",
                "Atasan",
                "Unit Kerja Induk",
                "OPD Induk",
                "Di Bawah",
                # a SIMPEG list's SKPD is the OPD above its Unit Kerja
                "SKPD",
            ),
        ),
        columns.text_column(
            "sub_unit_name",
            gettext_lazy("Sub unit kerja"),
            SUB_UNIT_HEADERS,
            help=gettext_lazy(
                "Bila daftar memuat tiga tingkat (SKPD › Unit Kerja › Sub Unit Kerja): baris "
                "dengan sub unit adalah sub unit itu, di bawah unit kerjanya."
            ),
        ),
        columns.text_column(
            "top_name", gettext_lazy("Instansi"), ("INSTANSI KERJA NAMA", "Instansi", "Pemda")
        ),
        columns.text_column(
            "number",
            gettext_lazy("No"),
            ("No", "No.", "Nomor", "No Urut", "Nomor Urut"),
            help=gettext_lazy(
                "Boleh tidak ada. Penomoran bertingkat (1., 1.1, I., A., a.) menempatkan unit di "
                "bawah baris di atasnya, bila tidak ada kolom induk."
            ),
        ),
    )

    # a list of levels (SKPD › Unit Kerja) gives an OPD a row of its own, SKPD alone filled
    lone_cell_field = "parent_name"

    def permission(self, user: User) -> bool:
        return bool(user.is_authenticated and user.instansi_id is not None and user.is_admin)

    def reshape_rows(
        self, rows: list[tuple[int, list[Any]]], positions: Mapping[str, list[int]]
    ) -> None:
        """A row that names only its parent (SKPD filled, Unit Kerja and any Sub Unit Kerja
        blank) is that parent's own row: its unit is the parent, at the top."""
        name, parent = positions.get("name"), positions.get("parent_name")
        if not name or not parent:
            return
        below = [name[0], *positions.get("sub_unit_name", [])]
        for index, (number, cells) in enumerate(rows):
            if _blank(cells[parent[0]]) or not all(_blank(cells[p]) for p in below):
                continue
            lifted = list(cells)
            lifted[name[0]], lifted[parent[0]] = cells[parent[0]], None
            rows[index] = (number, lifted)

    # --- checking --------------------------------------------------------------------------

    def prepare(self, ctx: imp.Context) -> None:
        rows: list[imp.Row] = ctx.lookups["rows"]
        if note := _codes_typed_as_numbers(rows):
            ctx.notes.append(note)
        if len(rows) > 1 and not any(
            r.columns.get("parent_code") or r.columns.get("parent_name") for r in rows[:1]
        ):
            ctx.notes.append(_parents_from_outline(rows, ctx) or _parents_from_codes(rows, ctx))
        elif note := _parent_codes_under_a_name_header(rows):
            ctx.notes.append(note)
        if any(r.get("sub_unit_name") for r in rows):
            ctx.notes.append(_sub_units(rows, ctx))
        analysis = self._analyse(rows, ctx)
        ctx.lookups["analysis"] = analysis
        ctx.lookups["named_only"] = _parents_named_only(analysis, rows, ctx.instansi)
        ctx.lookups["seen"] = {}
        # the preview lists the units to create ("Bidang X (code) — under Y")
        ctx.lookups["units_to_create"] = [
            _("{name} ({code}) di bawah {parent}").format(
                name=u.name, code=u.code, parent=u.parent_label
            )
            if u.parent_label
            else _("{name} ({code}), tingkat teratas").format(name=u.name, code=u.code)
            for u in analysis.plan.to_create
        ]

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        self._check_unit_row(row, ctx)
        implied: dict[int, imp.Row] = ctx.lookups.setdefault("implied_rows", {})
        if row.number < 0:  # a unit kerja the list implies: said on its first sub unit's row
            implied[row.number] = row
            return
        above = implied.pop(ctx.lookups.get("outline", {}).get(row.number, 0), None)
        if above is not None:
            name = above.values["name"]
            for problem in above.problems:
                row.problem("name", f"{name}: {problem.message}")
            if above.pending_reason and not row.problems:
                row.pending(above.pending_reason, f"{name}: {above.pending_message}")
            for warning in above.warnings:
                row.warn(f"{name}: {warning}")

    def _check_unit_row(self, row: imp.Row, ctx: imp.Context) -> None:
        analysis: _Analysis = ctx.lookups["analysis"]
        ref = analysis.row_refs[row.number]
        verdict = analysis.verdicts[ref]
        seen: dict[str, tuple[int, str]] = ctx.lookups["seen"]
        code = row.get("code", "")
        if code:  # the same code twice must name the same unit
            earlier = seen.get(code)
            if earlier is not None and normalise_name(earlier[1]) != normalise_name(
                row.values["name"]
            ):
                row.problem(
                    "code",
                    _("Kode {code} sudah dipakai di baris {row} untuk unit {name}.").format(
                        code=code, row=earlier[0], name=earlier[1]
                    ),
                )
                return
            seen.setdefault(code, (row.number, row.values["name"]))
        for name, message in verdict.problems:
            row.problem(name, message)
        if verdict.pending and not row.problems:
            row.pending(PARENT_UNKNOWN, verdict.pending)
        warned: set[str] = ctx.lookups.setdefault("warned", set())
        if row.is_clean and ref not in warned:  # once per unit, not per employee row
            warned.add(ref)
            for warning in verdict.warnings:
                row.warn(warning)
            named_only = ctx.lookups["named_only"].get(ref)
            if named_only:
                row.warn(named_only)
        row.result = ref

    def _analyse(self, rows: list[imp.Row], ctx: imp.Context) -> _Analysis:
        return _Analyser(rows, ctx.instansi, ctx.lookups.get("outline")).run()

    # --- writing ---------------------------------------------------------------------------

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        from kompeten.people.actions import do_move_unit, do_rename_unit
        from kompeten.people.unit_tree import do_apply_unit_plan

        analysis: _Analysis = ctx.lookups["analysis"]
        refs = {r.result for r in rows}
        wanted = {u.ref: u for u in analysis.plan.to_create if u.ref in refs}
        # the parents the file only names (SIASN's UNOR INDUK without a row of its own)
        by_ref = {u.ref: u for u in analysis.plan.to_create}
        for planned in list(wanted.values()):
            parent_ref = planned.parent_ref
            while parent_ref is not None and parent_ref not in wanted and parent_ref in by_ref:
                wanted[parent_ref] = by_ref[parent_ref]
                parent_ref = by_ref[parent_ref].parent_ref
        plan = UnitPlan(
            instansi_id=analysis.plan.instansi_id,
            to_create=[u for u in analysis.plan.to_create if u.ref in wanted],
            matched=[m for m in analysis.plan.matched if m.ref in refs],
        )
        if ctx.progress is not None:
            ctx.progress(_("{n} unit baru dibuat …").format(n=len(plan.to_create)))
        ids = do_apply_unit_plan(plan, actor=ctx.user)
        renamed = moved = 0
        verdicts = [analysis.verdicts[ref] for ref in sorted(refs)]
        units = Unit.objects.in_bulk(
            [v.unit_id for v in verdicts if v.unit_id and (v.rename or v.move_to)]
        )
        for verdict in verdicts:
            if verdict.rename and verdict.unit_id:
                unit = units[verdict.unit_id]
                do_rename_unit(
                    unit=unit,
                    name=verdict.rename.get("name", unit.name),
                    short_name=verdict.rename.get("short_name", unit.short_name),
                    code=unit.code,
                    kind=verdict.rename.get("kind", unit.kind),
                    actor=ctx.user,
                )
                renamed += 1
        for verdict in verdicts:
            if verdict.move_to and verdict.unit_id:
                parent_id, parent_ref = verdict.move_to
                if parent_ref is not None:
                    if parent_ref not in ids:  # its own row was not imported
                        continue
                    parent_id = ids[parent_ref]
                parent = Unit.objects.get(pk=parent_id) if parent_id is not None else None
                unit = Unit.objects.get(pk=verdict.unit_id)
                do_move_unit(unit=unit, parent=parent, actor=ctx.user)
                moved += 1
        created = len(plan.to_create)
        return {
            gettext_noop("unit baru"): created,
            gettext_noop("unit diganti nama"): renamed,
            gettext_noop("unit dipindahkan"): moved,
        }
