"""The ``employees`` declaration on the import engine: fields, sources (SIASN, the
template), options, and the entry points that plan and write."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kompeten.core import importing as imp
from kompeten.core.importing import columns
from kompeten.core.models import Instansi, User
from kompeten.people.imports.planning import (
    DECLARATION_KEY,
    NIP_DAMAGED,
    ImportPlan,
    Problem,
    Progress,
    RowPlan,
    Table,
    _person_key,
    plan_records,
)
from kompeten.people.imports.values import (
    SUB_UNIT_HEADERS,
    EndRemark,
    _key,
    _text,
    end_reason,
    end_remark,
    golongan_and_pangkat,
    parse_active,
    parse_education,
    parse_pppk_grade,
    parse_sex,
    parse_status,
)
from kompeten.people.imports.writing import (
    do_import_employees,
)
from kompeten.people.models import Education, Unit
from kompeten.people.unit_tree import do_apply_unit_plan, row_ref

# --- the declaration ----------------------------------------------------------------------


def _field_text(value: Any, ctx: Any) -> str:
    return _text(value)


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


# "05-03-85": the engine reads a two-digit year as this century, right for an event, wrong for
# most birth dates. A birth date is taken in the 1900s when the 2000s would make the person
# younger than this today (no ASN is; the NIP cross-check refuses what is still wrong).
TWO_DIGIT_YEAR_MIN_AGE = 15
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}")


def _birth_century(parsed: date, text: str) -> date:
    if not _TWO_DIGIT_YEAR.fullmatch(text.strip()):
        return parsed
    today = timezone.localdate()
    if parsed.year <= today.year - TWO_DIGIT_YEAR_MIN_AGE:
        return parsed
    try:
        return parsed.replace(year=parsed.year - 100)
    except ValueError:  # 29 February of a year that was leap in the 2000s only
        return parsed


def _field_birth_date(value: Any, ctx: Any) -> date:
    if isinstance(value, datetime):
        parsed: date | None = value.date()
    elif isinstance(value, str):
        parsed = _birth_date_text(value)
        if parsed is not None:
            parsed = _birth_century(parsed, value)
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
    return golongan_and_pangkat(value)


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


def _field_remark(value: Any, ctx: Any) -> EndRemark | None:
    return end_remark(value)


def _field_active(value: Any, ctx: Any) -> bool | str:
    """True while active; once not, why it ended when the cell says (an EndReason value:
    "pensiun", "meninggal" …), else False."""
    active = parse_active(value)
    if active is None:
        raise imp.FieldError(
            gettext("Kolom aktif harus Ya atau Tidak (atau kedudukan hukum SIASN)."),
            accepted=("Ya", "Tidak", "Aktif", "Tidak aktif", "Pensiun", "Meninggal"),
        )
    return active or end_reason(value) or False


EDUCATION_LEVELS = frozenset(Education.values)
FROM_NIP = _("Boleh tidak ada: dibaca dari NIP (digit 1–8 tanggal lahir, digit 15 jenis kelamin).")
_employee_text_column = columns.ColumnKind(parse=_field_text)

FIELDS: tuple[imp.Field, ...] = (
    columns.nip_column(
        ("NIP", "NIP BARU", "NIP 18", "NIP BARU 18", "Nomor Induk Pegawai"),
        required=True,
        help=_("18 digit; format kolomnya sebagai Teks di Excel."),
    ),
    _employee_text_column(
        "name", _("Nama"), ("NAMA", "NAMA LENGKAP", "NAMA PEGAWAI", "NAMA ASN"), required=True
    ),
    _employee_text_column("front_title", _("Gelar depan"), ("GELAR DEPAN", "GELAR DPN")),
    _employee_text_column(
        "back_title", _("Gelar belakang"), ("GELAR BELAKANG", "GELAR BLKG", "GELAR BLK")
    ),
    imp.Field(
        "sex",
        _("Jenis kelamin"),
        ("JENIS KELAMIN", "JK", "KELAMIN", "SEX", "L/P"),
        parse=_field_sex,
        help=FROM_NIP,
    ),
    imp.Field(
        "birth_date",
        _("Tanggal lahir"),
        ("TANGGAL LAHIR", "TGL LAHIR", "TGL LHR", "TANGGAL LHR"),
        parse=_field_birth_date,
        help=FROM_NIP,
    ),
    imp.Field(
        "status",
        _("Status"),
        ("STATUS", "STATUS PEGAWAI", "STATUS KEPEGAWAIAN", "STATUS CPNS PNS"),
        parse=_field_status,
        help=_(
            "PNS, CPNS (disimpan sebagai PNS) atau PPPK. Boleh tidak ada: NIP PPPK berbeda "
            "polanya dari NIP PNS."
        ),
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
            "PANGKAT/GOL",
            "PANGKAT GOL RUANG",
            "GOL AKHIR",
            "GOL AKHIR NAMA",
        ),
        parse=_field_golongan,
        help=_("III/b; boleh diikuti atau didahului nama pangkatnya (III/b - Penata Muda Tk. I)."),
    ),
    _employee_text_column(
        "pangkat",
        _("Pangkat"),
        ("PANGKAT", "NAMA PANGKAT", "PANGKAT TERAKHIR", "PANGKAT AKHIR"),
        help=_(
            "Nama pangkat (Penata Muda Tk. I), menurut PP 99/2000: tanpa kolom golongan, "
            "golongannya dibaca dari pangkat; di samping kolom golongan, pangkat yang tidak "
            "sesuai disebut di pratinjau dan golongan tertulis yang disimpan."
        ),
    ),
    imp.Field(
        "pppk_grade",
        _("Golongan PPPK"),
        ("GOLONGAN PPPK", "GOL PPPK", "GRADE PPPK"),
        parse=_field_pppk_grade,
    ),
    _employee_text_column(
        "jabatan_kind",
        _("Jenis jabatan"),
        # SIMPEG's Eselon (II.b, III.a, Non Eselon) says it too, with the post's name
        ("JENIS JABATAN", "JNS JABATAN", "KATEGORI JABATAN", "JENIS JABATAN NAMA", "ESELON"),
        help=_(
            "Boleh tidak ada bila nama jabatan menunjukkannya (Kepala Seksi …, … Ahli Pertama, "
            "Guru …, Pengadministrasi …)."
        ),
    ),
    _employee_text_column(
        "jabatan_name",
        _("Nama jabatan"),
        ("NAMA JABATAN", "JABATAN", "NM JABATAN", "JABATAN AKHIR", "JABATAN NAMA"),
        required=True,
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
        parse=_field_education,
        help=_(
            "Boleh tidak ada: pegawai tanpa pendidikan tidak dihitung dalam IP ASN (dimensi "
            "kualifikasi) sampai pendidikannya diimpor."
        ),
    ),
    _employee_text_column(
        "unit_code",
        _("Kode unit"),
        ("KODE UNIT", "KODE UNIT KERJA", "KODE OPD", "KODE UNOR", "UNOR ID"),
    ),
    _employee_text_column(
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
    ),
    _employee_text_column(
        "sub_unit_name",
        _("Sub unit kerja"),
        SUB_UNIT_HEADERS,
        help=_(
            "Bila daftar memuat tiga tingkat (SKPD › Unit Kerja › Sub Unit Kerja): pegawai "
            "ditempatkan di sub unitnya, di bawah unit kerjanya."
        ),
    ),
    _employee_text_column(
        "parent_unit_name",
        _("Unit induk"),
        # SIMPEG's SKPD is the OPD above its "Unit Kerja"
        ("UNIT INDUK", "UNOR INDUK", "UNOR INDUK NAMA", "SKPD", "NAMA SKPD", "PERANGKAT DAERAH"),
    ),
    imp.Field(
        "supervisor_nip",
        _("NIP atasan"),
        ("NIP ATASAN", "NIP ATASAN LANGSUNG", "ATASAN NIP"),
        parse=columns.nip,
    ),
    _employee_text_column("email", _("Surel"), ("EMAIL", "SUREL", "ALAMAT EMAIL", "E-MAIL")),
    _employee_text_column(
        "phone", _("Telepon"), ("TELEPON", "NO HP", "NOMOR HP", "HP", "NO TELP", "TELP")
    ),
    imp.Field(
        "remark",
        _("Keterangan"),
        ("KETERANGAN", "KET", "KET.", "CATATAN"),
        parse=_field_remark,
        help=_(
            "Dibaca hanya bila menyebut pensiun, meninggal, diberhentikan, mutasi keluar atau "
            "pindah ke instansi lain (dengan tanggalnya bila ada), dan tidak ada kolom Aktif: "
            "pegawainya dicatat tidak aktif sejak tanggal itu. Catatan lain diabaikan."
        ),
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


def importer(ctx: imp.Context) -> User | None:
    """Who imported the rows: the run's user when pending rows are retried later (by whoever
    imports next), so that a pengelola's rows stay inside their subtree."""
    run = ctx.run
    if run is not None and getattr(run, "user_id", None):
        user: User = run.user
        return user
    return ctx.user


class EmployeesImport(imp.Declaration):
    """Employees (data pegawai ASN) from SIASN, the Kompeten template or similar sheets."""

    key = DECLARATION_KEY
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
            scope=import_scope(importer(ctx)),
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
        # the chosen rows alone: the file's problems are in the rows left out, its units made
        subset = replace(plan, rows=chosen, problems=[], unit_plan=None)
        result = do_import_employees(subset, actor=ctx.user, progress=ctx.progress)
        c = result.counts
        return {
            gettext_noop("baru"): c["new"],
            gettext_noop("berubah"): c["changed"],
            gettext_noop("tetap"): c["unchanged"],
        }


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
    return {r.unit_to_create: ids[row_ref(r.unit_to_create[-1])] for r in rows if r.unit_to_create}


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
