"""The duty calendar import (kalender tugas: shifts, leave, official travel), declared for the
import engine (``kompeten.core.importing``): ``kompeten import duties FILE`` and
``/impor/duties/``.

Columns: ``NIP``, ``Jenis`` (shift/jaga/loket, cuti, dinas luar, lainnya — or the labels the
duty list's export writes), ``Mulai`` and ``Selesai`` (a date, or a date and time:
``2026-03-02 08:00``, ``02/03/2026 08.00``, Excel dates; a date alone is midnight, and where
both are dates alone, as leave lists write them, the last day is whole: ``Selesai`` is the next
day's midnight; a roster's hours alone, ``Jam Mulai`` ``07:30``, on its ``Tanggal``, a night
shift's end on the next day),
``Berulang sampai`` (optional: repeated weekly until that date) and ``Keterangan``. The duty
list's own export (``NIP, Nama, Unit kerja, Jenis, Mulai, Selesai, Berulang sampai,
Keterangan``) is read back as it is. An admin imports for the whole instansi, a pengelola OPD
for the employees of its subtree (an employee elsewhere is as unknown to it as a NIP nobody
has). A row whose NIP is not registered (yet), or was damaged by Excel and matches no one, is
kept pending and completes by itself once the employee exists. An entry already
stored is not added twice.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kompeten.core import importing as imp
from kompeten.core.importing import columns
from kompeten.core.models import User
from kompeten.people.imports.declaration import import_scope, importer
from kompeten.people.models import Employee
from kompeten.scheduling.actions.duties import (
    DutyInput,
    DutyItem,
    do_bulk_create_duties,
    validate_duty,
)
from kompeten.scheduling.models import DutyKind

PERSON_UNKNOWN = "person_unknown"
NIP_DAMAGED = "nip_damaged"

KINDS = columns.choice_vocabulary(
    gettext_lazy("jenis tugas"),
    DutyKind,
    {
        DutyKind.SHIFT: (
            "jaga",
            "loket",
            "jaga loket",
            "piket",
            # a roster's shifts by their part of the day
            "pagi",
            "siang",
            "sore",
            "malam",
            "shift pagi",
            "shift siang",
            "shift sore",
            "shift malam",
        ),
        DutyKind.TRAVEL: ("dinas luar", "DL", "perjalanan dinas", "tugas luar"),
        # the kinds of cuti of PP 11/2017 (Pasal 310) as leave lists write them
        DutyKind.LEAVE: (
            "cuti tahunan",
            "cuti sakit",
            "cuti besar",
            "cuti melahirkan",
            "cuti bersalin",
            "cuti karena alasan penting",
            "cuti alasan penting",
            "cuti bersama",
            "cuti di luar tanggungan negara",
            "CLTN",
        ),
        DutyKind.OTHER: ("izin", "tidak tersedia", "diklat"),
    },
    labels={
        DutyKind.SHIFT: "shift / jaga / loket / piket",
        DutyKind.LEAVE: "cuti",
        DutyKind.TRAVEL: "dinas_luar / dinas luar / perjalanan dinas",
        DutyKind.OTHER: "lainnya / izin / tidak tersedia",
    },
)
MOMENT_FORMATS = (
    "yyyy-mm-dd HH:MM",
    "dd/mm/yyyy HH:MM",
    "dd-mm-yyyy",
    "sel tanggal Excel",
    "HH:MM (jam saja, dengan kolom Tanggal)",
)
_CLOCK = re.compile(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)(?:[:.]([0-5]\d))?\s*(?:WIB)?\s*", re.I)


def _clock(value: Any) -> time | None:
    """A cell that writes a time of day alone (a roster's Jam Mulai: ``07:30``, ``07.30 WIB``,
    an Excel time cell or its fraction of a day), else None."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, float) and 0 <= value < 1:
        seconds = round(value * 86400)
        return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    if isinstance(value, str) and (match := _CLOCK.fullmatch(value)):
        return time(int(match[1]), int(match[2]), int(match[3] or 0))
    return None


def _moment(value: Any, ctx: imp.Context) -> datetime | time:
    """The moment written, or the time of day alone (for the row's Tanggal to date); a cell
    that writes a date alone (no time) is remembered in ``ctx.lookups["date_alone"]``, so that
    a leave list's inclusive last day is read whole."""
    if (clock := _clock(value)) is not None:
        return clock
    try:
        moment = imp.parse_moment(value, default_time=time.min)
        serial = isinstance(value, int | float) and not isinstance(value, bool)
        if (serial and float(value).is_integer()) or moment != imp.parse_moment(
            value, default_time=time(12)
        ):  # a date cell, a whole Excel serial or a date written without its time
            ctx.lookups.setdefault("date_alone", set()).add(value)
    except ValueError:
        raise imp.FieldError(
            _("Tanggal-waktu {value} tidak dapat dibaca.").format(value=repr(str(value).strip())),
            accepted=MOMENT_FORMATS,
        ) from None
    return moment


def _day(value: Any, ctx: imp.Context) -> date:
    try:
        parsed = imp.parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise imp.FieldError(
            _("Tanggal {value} tidak dapat dibaca.").format(value=repr(str(value).strip())),
            accepted=("yyyy-mm-dd", "dd/mm/yyyy", "dd-mm-yyyy", "sel tanggal Excel"),
        )
    return parsed


_moment_column = columns.ColumnKind(parse=_moment)


def _dated(row: imp.Row) -> tuple[datetime, datetime] | None:
    """The row's start and end: a time of day alone (a roster's Jam Mulai, Jam Selesai) is on
    the row's Tanggal, and an end at or before its start on the next day (a night shift,
    22:00–06:00). None, with the problem on the row, for a time without a date."""
    start, end = row.values["start"], row.values["end"]
    day = row.get("day")
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, time) and day is None:
            row.problem(
                name,
                _(
                    "Jam {value} tanpa tanggal: isi kolom Tanggal, atau tulis tanggal dan jamnya."
                ).format(value=value.strftime("%H:%M")),
            )
    if row.problems:
        return None
    zone = timezone.get_default_timezone()
    if isinstance(start, time):
        start = datetime.combine(day, start, tzinfo=zone)
    if isinstance(end, time):
        end = datetime.combine(start.astimezone(zone).date(), end, tzinfo=zone)
        if end <= start:
            end += timedelta(days=1)
    return start, end


class DutiesImport(imp.Declaration):
    key = "duties"
    label = gettext_lazy("Kalender tugas")
    description = gettext_lazy(
        "Jadwal jaga/shift, cuti dan perjalanan dinas pegawai: NIP, Jenis, Mulai, Selesai, "
        "Berulang sampai (opsional, mingguan), Keterangan. Berkas ekspor daftar kalender tugas "
        "dapat diimpor kembali."
    )
    fields = (
        columns.nip_column(("NIP", "NIP Baru", "NIP Pegawai"), required=True),
        imp.Field(
            "kind",
            gettext_lazy("Jenis"),
            aliases=(
                "Jenis",
                "Jenis Tugas",
                "Jenis Kegiatan",
                "Kegiatan",
                "Tugas",
                "Shift",
                "Jadwal",
            ),
            required=True,
            vocabulary=KINDS,
        ),
        _moment_column(
            "start",
            gettext_lazy("Mulai"),
            (
                "Mulai",
                "Tanggal Mulai",
                "Waktu Mulai",
                "Dari",
                "Dari Tanggal",
                "Jam Mulai",
                "Jam Masuk",
            ),
            required=True,
        ),
        _moment_column(
            "end",
            gettext_lazy("Selesai"),
            (
                "Selesai",
                "Tanggal Selesai",
                "Waktu Selesai",
                "Sampai",
                "Sampai Tanggal",
                "Jam Selesai",
                "Jam Pulang",
                "Jam Keluar",
            ),
            required=True,
        ),
        imp.Field(
            "day",
            gettext_lazy("Tanggal"),
            aliases=("Tanggal", "Hari/Tanggal", "Hari, Tanggal", "Tanggal Tugas", "Tanggal Jaga"),
            parse=_day,
            help=gettext_lazy(
                "Bila Mulai dan Selesai ditulis sebagai jam saja (jadwal jaga: 07:30, 14:00): "
                "tanggalnya. Selesai sebelum Mulai berarti keesokan harinya (jaga malam)."
            ),
        ),
        imp.Field(
            "repeat_until",
            gettext_lazy("Berulang sampai"),
            aliases=("Berulang Sampai", "Berulang_sampai", "Ulang Sampai", "Diulang Sampai"),
            parse=_day,
        ),
        columns.text_column("note", gettext_lazy("Keterangan"), ("Keterangan", "Catatan", "Ket")),
    )

    def permission(self, user: User) -> bool:
        return bool(
            user.is_authenticated
            and user.instansi_id is not None
            and (user.is_admin or (user.is_pengelola and user.managed_unit_id is not None))
        )

    def prepare(self, ctx: imp.Context) -> None:
        rows: list[imp.Row] = ctx.lookups["rows"]
        nips = sorted(
            {
                r.values["nip"].digits
                for r in rows
                if isinstance(r.values.get("nip"), imp.NipValue) and r.values["nip"].ok
            }
        )
        # a NIP Excel damaged (15 digits kept) matches the one employee whose NIP starts so
        prefixes = sorted(
            {
                r.values["nip"].prefix
                for r in rows
                if isinstance(r.values.get("nip"), imp.NipValue)
                and r.values["nip"].status == "damaged"
                and len(r.values["nip"].prefix) >= 15
            }
        )
        wanted = Q(nip__in=nips)
        for prefix in prefixes:
            wanted |= Q(nip__startswith=prefix)
        scope = import_scope(importer(ctx))  # a pengelola's subtree, or None: everyone
        employees: dict[str, tuple[int, bool]] = {}
        by_prefix: dict[str, list[str]] = {}
        found = Employee.objects.filter(wanted, instansi=ctx.instansi)
        if scope is not None:
            # a pengelola sees only its subtree: an employee elsewhere is as unknown as a NIP
            # nobody has (the file must not tell where a NIP belongs)
            found = found.filter(unit__path__startswith=scope.path)
        for nip, pk, active in found.values_list("nip", "pk", "is_active"):
            employees[nip] = (pk, active)
            by_prefix.setdefault(nip[:15], []).append(nip)
        ctx.lookups["employees"] = employees
        ctx.lookups["by_prefix"] = by_prefix
        ctx.lookups["scoped"] = scope is not None

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        nip: imp.NipValue = row.values["nip"]
        moments = _dated(row)
        if moments is None:
            return
        start, end = moments
        alone = ctx.lookups.get("date_alone", set())
        if all(row.cells.get(row.columns[name]) in alone for name in ("start", "end")):
            # "Cuti 02/03/2026 s.d. 06/03/2026": dates alone name whole days, the last one too
            end += timedelta(days=1)
        data = DutyInput(
            kind=row.values["kind"],
            start=start,
            end=end,
            repeat_until=row.get("repeat_until"),
            note=row.get("note", ""),
        )
        field_of = {"kind": "kind", "end": "end", "repeat_until": "repeat_until"}
        for name, message in validate_duty(data).items():
            row.problem(field_of.get(name, "start"), message)
        digits = nip.digits
        if nip.status == "damaged":
            same = ctx.lookups["by_prefix"].get(nip.prefix, []) if len(nip.prefix) >= 15 else []
            if len(same) != 1:
                row.pending(NIP_DAMAGED, nip.message or _("NIP rusak oleh Excel."))
                return
            digits = same[0]
            row.warn(
                _("NIP {written} rusak oleh Excel; dicocokkan dengan pegawai NIP {nip}.").format(
                    written=nip.digits, nip=digits
                )
            )
        elif not nip.ok:
            row.problem("nip", nip.message or _("NIP tidak sah."))
            return
        found = ctx.lookups["employees"].get(digits)
        if found is None:
            message = (
                _(
                    "NIP {nip} tidak dikenal di OPD Anda; baris ini selesai sendiri setelah "
                    "pegawainya terdaftar di OPD Anda."
                )
                if ctx.lookups["scoped"]
                else _(
                    "Pegawai dengan NIP {nip} belum terdaftar; baris ini selesai sendiri setelah "
                    "pegawainya diimpor."
                )
            )
            row.pending(PERSON_UNKNOWN, message.format(nip=digits))
            return
        employee_id, active = found
        if not active:
            row.problem("nip", _("Pegawai dengan NIP {nip} sudah nonaktif.").format(nip=digits))
        row.result = DutyItem(employee_id=employee_id, data=data)

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        created, present = do_bulk_create_duties(
            instansi=ctx.instansi, items=[r.result for r in rows], actor=ctx.user
        )
        return {gettext_noop("entri baru"): created, gettext_noop("entri sudah ada"): present}
