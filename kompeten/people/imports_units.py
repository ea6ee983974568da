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

from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core import importing as imp
from kompeten.core.models import User
from kompeten.people.models import Unit, UnitKind
from kompeten.people.unit_tree import (
    CODE_MAX,
    UnitPlan,
    UnitRow,
    name_keys,
    normalise_name,
    pemda_key,
    plan_units,
    row_ref,
)

PARENT_UNKNOWN = "parent_unknown"

KINDS = imp.Vocabulary(
    name=gettext_lazy("jenis unit"),
    mapping={
        **{k.value: k.value for k in UnitKind},
        **{str(k.label): k.value for k in UnitKind},
        "UPT": UnitKind.UPT,
        "UPTD": UnitKind.UPT,
        "Bagian": UnitKind.BAGIAN,
        "Bidang": UnitKind.BAGIAN,
        "Seksi": UnitKind.BAGIAN,
        "Sub Bagian": UnitKind.BAGIAN,
        "Subbagian": UnitKind.BAGIAN,
        "Satpol PP": UnitKind.SATPOL,
        "Rumah Sakit": UnitKind.RSUD,
        "Lain-lain": UnitKind.OTHER,
    },
    labels={k.value: f"{k.value} / {k.label}" for k in UnitKind},
)


def _text(value: Any, ctx: imp.Context) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _code(value: Any, ctx: imp.Context) -> str:
    code = _text(value, ctx)
    if "/" in code or len(code) > CODE_MAX:
        raise imp.FieldError(
            _("Kode unit paling panjang {n} karakter dan tidak boleh memuat '/'.").format(
                n=CODE_MAX
            )
        )
    return code


def _limited(n: int, what: str) -> Any:
    def parse(value: Any, ctx: imp.Context) -> str:
        text = _text(value, ctx)
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
    )


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
        imp.Field(
            "code",
            gettext_lazy("Kode"),
            aliases=("Kode", "Kode Unit", "Kode OPD", "UNOR ID", "ID UNOR", "ID Unit"),
            parse=_code,
        ),
        imp.Field(
            "name",
            gettext_lazy("Nama"),
            aliases=("Nama", "Nama Unit", "Nama OPD", "UNOR NAMA", "Unit Kerja", "Nama Unit Kerja"),
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
        imp.Field(
            "parent_code",
            gettext_lazy("Kode induk"),
            aliases=("Kode Induk", "Kode Unit Induk", "UNOR INDUK ID", "ID Induk"),
            parse=_code,
        ),
        imp.Field(
            "parent_name",
            gettext_lazy("Nama induk"),
            aliases=("Nama Induk", "Unit Induk", "Induk", "UNOR INDUK NAMA", "Nama Unit Induk"),
            parse=_text,
        ),
        imp.Field(
            "top_name",
            gettext_lazy("Instansi"),
            aliases=("INSTANSI KERJA NAMA", "Instansi", "Pemda"),
            parse=_text,
        ),
    )

    def permission(self, user: User) -> bool:
        return bool(user.is_authenticated and user.instansi_id is not None and user.is_admin)

    # --- checking --------------------------------------------------------------------------

    def prepare(self, ctx: imp.Context) -> None:
        analysis = self._analyse(ctx.lookups["rows"], ctx)
        ctx.lookups["analysis"] = analysis
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
        row.result = ref

    def _analyse(self, rows: list[imp.Row], ctx: imp.Context) -> _Analysis:
        instansi = ctx.instansi
        existing = list(
            Unit.objects.filter(instansi=instansi).values(
                "id", "code", "name", "short_name", "kind", "parent_id", "path", "is_active"
            )
        )
        by_id = {u["id"]: u for u in existing}
        by_code = {u["code"]: u for u in existing}
        region = pemda_key(instansi.name)
        keys_of = {
            u["id"]: name_keys(u["name"], region) | name_keys(u["short_name"], region)
            for u in existing
        }
        by_key: dict[str, set[int]] = {}
        for uid, keys in keys_of.items():
            for k in keys:
                by_key.setdefault(k, set()).add(uid)

        def existing_named(name: str) -> set[int]:
            found: set[int] = set()
            for k in name_keys(name, region):
                found |= by_key.get(k, set())
            return found

        file_codes = {r.get("code") for r in rows if r.get("code")}
        pemda_units = [
            u
            for u in existing
            if u["parent_id"] is None
            and (
                pemda_key(u["name"]) == region
                or normalise_name(u["name"]).startswith("PEMERINTAH ")
            )
        ]
        pemda_id = pemda_units[0]["id"] if len(pemda_units) == 1 else None
        top_ids: set[int | None] = {None, pemda_id}
        # A row without a code naming an OPD that exists exactly once in the tree: that OPD,
        # even if the file puts it elsewhere (a re-import moves it instead of making a second
        # one). Not a sub-unit: "Sekretariat", "Subbagian Umum" repeat from OPD to OPD, so
        # without codes a sub-unit is known by its name under its parent only.
        unit_rows: dict[int, UnitRow] = {}
        name_of_code = {r.values["code"]: r.values["name"] for r in rows if r.get("code")}
        for row in rows:
            unit_row = _unit_row(row)
            parent_code = row.get("parent_code", "")
            if parent_code and not unit_row.parent_name:
                parent_name = name_of_code.get(parent_code) or (
                    by_code[parent_code]["name"] if parent_code in by_code else ""
                )
                unit_row = replace(unit_row, parent_name=parent_name)
            if not unit_row.unit_id:
                same = existing_named(unit_row.unit_name)
                if len(same) == 1:
                    uid = next(iter(same))
                    if (
                        by_id[uid]["code"] not in file_codes
                        and by_id[uid]["parent_id"] in top_ids
                        and uid != pemda_id
                    ):
                        unit_row = replace(unit_row, unit_id=by_id[uid]["code"])
            unit_rows[row.number] = unit_row
        row_refs = {n: row_ref(u) for n, u in unit_rows.items()}
        verdicts: dict[str, _Verdict] = {ref: _Verdict() for ref in row_refs.values()}

        # Kode Induk that names nothing known: pending (also the units under such a row).
        pending_codes: set[str] = set()
        changed = True
        while changed:
            changed = False
            for row in rows:
                parent_code = row.get("parent_code", "")
                verdict = verdicts[row_refs[row.number]]
                if not parent_code or verdict.pending:
                    continue
                in_file = parent_code in file_codes and parent_code not in pending_codes
                if parent_code in pending_codes or not (in_file or parent_code in by_code):
                    verdict.pending = _(
                        "Unit induk dengan kode {code} belum ada di pohon OPD; baris disimpan dan "
                        "selesai sendiri setelah induknya dibuat."
                    ).format(code=parent_code)
                    if row.get("code"):
                        pending_codes.add(row.values["code"])
                    changed = True

        planned_rows = [
            unit_rows[r.number] for r in rows if not verdicts[row_refs[r.number]].pending
        ]
        plan = plan_units(planned_rows, instansi)
        stated = {row_refs[r.number]: r for r in rows}
        # the file's own short name and kind for the units to create
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
            if p.ref in verdicts:
                verdicts[p.ref].problems.append(("name", p.message))
        planned_refs = {u.ref for u in plan.to_create}
        matched = {m.ref: m.unit_id for m in plan.matched}
        file_by_code = {r.get("code"): row_refs[r.number] for r in rows if r.get("code")}
        file_by_key: dict[str, set[str]] = {}
        for r in rows:
            for k in name_keys(r.values["name"], region):
                file_by_key.setdefault(k, set()).add(row_refs[r.number])

        def resolve_parent(row: imp.Row, unit_id: int) -> tuple[int | None, str | None] | str:
            """The parent the file states for an existing unit: (existing id, planned ref),
            or an Indonesian problem."""
            parent_code = row.get("parent_code", "")
            parent_name = row.get("parent_name", "")
            if parent_code:
                ref = file_by_code.get(parent_code)
                if ref is not None and ref in matched:
                    return matched[ref], None
                if ref is not None and ref in planned_refs:
                    return None, ref
                if parent_code in by_code:
                    return by_code[parent_code]["id"], None
                return _("Unit induk dengan kode {code} tidak dapat ditempatkan.").format(
                    code=parent_code
                )
            top = row.get("top_name", "")
            if (
                not parent_name
                or pemda_key(parent_name) in {region, pemda_key(top)}
                or (normalise_name(parent_name).startswith("PEMERINTAH "))
            ):
                current = by_id[unit_id]["parent_id"]
                return (current if current in top_ids else pemda_id), None
            in_file: set[str] = set()
            for k in name_keys(parent_name, region):
                in_file |= file_by_key.get(k, set())
            options: set[tuple[int | None, str | None]] = set()
            for ref in in_file:
                if ref in matched:
                    options.add((matched[ref], None))
                elif ref in planned_refs:
                    options.add((None, ref))
            for uid in existing_named(parent_name):
                options.add((uid, None))
            options.discard((unit_id, None))
            current = by_id[unit_id]["parent_id"]
            if (current, None) in options:
                return current, None
            if len(options) > 1:  # prefer the OPD-level ones
                options = {
                    o for o in options if o[0] is not None and by_id[o[0]]["parent_id"] in top_ids
                } or options
            if len(options) == 1:
                return next(iter(options))
            return (
                _(
                    "Unit induk {parent} cocok dengan {n} unit; pindahkan unit ini di halaman OPD."
                ).format(parent=parent_name, n=len(options))
                if options
                else _("Unit induk {parent} tidak ada di pohon OPD maupun di berkas.").format(
                    parent=parent_name
                )
            )

        final_parent: dict[int, int | None] = {u["id"]: u["parent_id"] for u in existing}
        moves: list[tuple[str, int, int | None, str | None]] = []
        for row in rows:
            ref = row_refs[row.number]
            verdict = verdicts[ref]
            if ref not in matched or verdict.problems or verdict.pending or verdict.unit_id:
                continue
            unit_id = matched[ref]
            verdict.unit_id = unit_id
            unit = by_id[unit_id]
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
            if not (row.columns.get("parent_code") or row.columns.get("parent_name")):
                continue  # the file says nothing of parents: nothing moves
            parent = resolve_parent(row, unit_id)
            if isinstance(parent, str):
                verdict.problems.append(
                    ("parent_code" if row.get("parent_code") else "parent_name", parent)
                )
                continue
            parent_id, parent_ref = parent
            if parent_ref is None and parent_id == unit["parent_id"]:
                continue
            if parent_ref is None and parent_id is not None and not by_id[parent_id]["is_active"]:
                verdict.problems.append(
                    (
                        "parent_name",
                        _("Unit induk {name} sudah ditutup; buka kembali dulu.").format(
                            name=by_id[parent_id]["name"]
                        ),
                    )
                )
                continue
            moves.append((ref, unit_id, parent_id, parent_ref))
            if parent_ref is None:
                final_parent[unit_id] = parent_id
            verdict.move_to = (parent_id, parent_ref)
            verdict.warnings.append(
                _("Unit {name} dipindahkan ke bawah {parent}.").format(
                    name=unit["name"],
                    parent=by_id[parent_id]["name"]
                    if parent_id is not None
                    else next((u.name for u in plan.to_create if u.ref == parent_ref), "")
                    if parent_ref
                    else _("tingkat teratas"),
                )
            )
        # a move must not put a unit under itself (through the other moves of the file)
        planned_parent = {u.ref: (u.parent_id, u.parent_ref) for u in plan.to_create}
        for ref, unit_id, parent_id, parent_ref in moves:
            node: tuple[int | None, str | None] = (parent_id, parent_ref)
            steps = 0
            while steps < 10_000 and node != (None, None):
                steps += 1
                pid, pref = node
                if pref is not None:
                    node = planned_parent.get(pref, (None, None))
                    continue
                if pid == unit_id:
                    verdicts[ref].problems.append(
                        (
                            "parent_name",
                            _(
                                "Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau "
                                "sub-unitnya."
                            ),
                        )
                    )
                    verdicts[ref].move_to = None
                    break
                node = (final_parent.get(pid) if pid is not None else None, None)
        return _Analysis(plan=plan, verdicts=verdicts, row_refs=row_refs)

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
            str(_("unit baru")): created,
            str(_("unit diganti nama")): renamed,
            str(_("unit dipindahkan")): moved,
        }
