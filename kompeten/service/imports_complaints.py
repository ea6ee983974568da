"""The SP4N-LAPOR! complaints import, declared for the import engine (the engine's first user).

Reads the LAPOR! admin export as it comes (``No, ID Tracking, Tanggal Laporan, Judul Laporan,
Isi Laporan, Klasifikasi, Kategori, Sumber, Instansi Terdisposisi, Status, Tanggal Selesai``)
and other complaint lists with the same meaning. Units are matched as people write them
(``Dinas Kependudukan dan Pencatatan Sipil Kota Sawahlunto`` → Disdukcapil); a row for a unit
not in the tree is kept pending and completes by itself once the unit exists.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kompeten.core import importing as imp
from kompeten.core.importing import columns
from kompeten.people.models import Employee
from kompeten.service.models import Complaint, ComplaintStatus

S = ComplaintStatus

# Every status SP4N-LAPOR! (and people retyping it) writes → the Complaint lifecycle.
LAPOR_STATUSES: dict[str, str] = {
    "Baru": S.DITERIMA,
    "Diterima": S.DITERIMA,
    "Laporan Masuk": S.DITERIMA,
    "Belum Diverifikasi": S.DITERIMA,
    "Belum Terverifikasi": S.DITERIMA,
    "Menunggu Verifikasi": S.DITERIMA,
    "Diverifikasi": S.DIVERIFIKASI,
    "Terverifikasi": S.DIVERIFIKASI,
    "Sudah Diverifikasi": S.DIVERIFIKASI,
    "Didisposisi": S.DIDISPOSISI,
    "Disposisi": S.DIDISPOSISI,
    "Diteruskan": S.DIDISPOSISI,
    "Belum Ditindaklanjuti": S.DIDISPOSISI,
    "Belum Ditanggapi": S.DIDISPOSISI,
    "Menunggu Tindak Lanjut": S.DIDISPOSISI,
    "Menunggu Tanggapan": S.DIDISPOSISI,
    "Proses": S.DITINDAKLANJUTI,
    "Diproses": S.DITINDAKLANJUTI,
    "Sedang Diproses": S.DITINDAKLANJUTI,
    "Dalam Proses": S.DITINDAKLANJUTI,
    "Ditindaklanjuti": S.DITINDAKLANJUTI,
    "Sedang Ditindaklanjuti": S.DITINDAKLANJUTI,
    "Tindak Lanjut": S.DITINDAKLANJUTI,
    "Ditanggapi": S.DITINDAKLANJUTI,
    "Proses Tindak Lanjut": S.DITINDAKLANJUTI,
    "Dalam Proses Tindak Lanjut": S.DITINDAKLANJUTI,
    "Selesai": S.SELESAI,
    "Ditutup": S.SELESAI,
    "Tuntas": S.SELESAI,
    "Selesai Ditindaklanjuti": S.SELESAI,
    "Tindak Lanjut Selesai": S.SELESAI,
    "Laporan Selesai": S.SELESAI,
    "Selesai (Ditutup)": S.SELESAI,
    "Diarsipkan": S.DIARSIPKAN,
    "Diarsip": S.DIARSIPKAN,
    "Arsip": S.DIARSIPKAN,
    "Ditolak": S.DIARSIPKAN,
    "Tidak Dapat Ditindaklanjuti": S.DIARSIPKAN,
}
# the statuses a problem lists as accepted (not each spelled-out form below)
LAPOR_STATUS_NAMES = tuple(LAPOR_STATUSES)
# "Telah Selesai", "Sudah Ditindaklanjuti", "Masih Diproses": a status as a recap spells it out
_REACHED = (S.DIVERIFIKASI, S.DIDISPOSISI, S.DITINDAKLANJUTI, S.SELESAI, S.DIARSIPKAN)
_ONGOING = ("Proses", "Diproses", "Ditindaklanjuti", "Tindak Lanjut")
LAPOR_STATUSES |= {
    f"{word} {status}": value
    for status, value in list(LAPOR_STATUSES.items())
    if value in _REACHED and status.split()[0] not in ("Belum", "Menunggu", "Sedang", "Dalam")
    for word in ("Telah", "Sudah")
} | {f"{word} {status}": S.DITINDAKLANJUTI for status in _ONGOING for word in ("Sedang", "Masih")}
STATUS_VOCABULARY = imp.Vocabulary(
    name=gettext_lazy("status pengaduan"),
    mapping={**LAPOR_STATUSES, **{s.value: s.value for s in S}, **{s.label: s.value for s in S}},
    labels={k: k for k in LAPOR_STATUS_NAMES},
)
YES_NO = imp.Vocabulary(
    name=gettext_lazy("ya/tidak"),
    mapping={"ya": True, "y": True, "1": True, "true": True, "benar": True,
             "tidak": False, "t": False, "0": False, "false": False, "n": False, "salah": False},
    labels={True: "Ya", False: "Tidak"},
)  # fmt: skip


def _moment(value: Any, ctx: imp.Context) -> Any:
    try:
        return imp.parse_moment(value)
    except ValueError:
        raise imp.FieldError(
            _("Tanggal {value} tidak dapat dibaca.").format(value=repr(str(value))),
            accepted=("dd/mm/yyyy HH:MM", "yyyy-mm-dd HH:MM", "24 Juni 2025"),
        ) from None


def _count(value: Any, ctx: imp.Context) -> int:
    number = imp.parse_number(value)
    if number is None or number != number.to_integral_value() or number < 0:
        raise imp.FieldError(_("Harus bilangan bulat 0 atau lebih."))
    return int(number)


def _nip(value: Any, ctx: imp.Context) -> str:
    nip = imp.parse_nip(value)
    if not nip.ok:
        raise imp.FieldError(nip.message)
    return nip.digits


# the kinds of column the import reads more than once
_moment_column = columns.ColumnKind(parse=_moment)
_count_column = columns.ColumnKind(parse=_count)
_yes_no_column = columns.ColumnKind(vocabulary=YES_NO)

LAPOR_SOURCE = imp.Source(
    key="lapor",
    label="SP4N-LAPOR! (ekspor admin)",
    signature=(
        "ID Tracking",
        "Tanggal Laporan",
        "Judul Laporan",
        "Klasifikasi",
        "Instansi Terdisposisi",
        "Status",
    ),
    aliases={
        "tracking_number": ("ID Tracking",),
        "unit": ("Instansi Terdisposisi",),
        "topic": ("Kategori",),
    },
    vocabularies={"status": STATUS_VOCABULARY},
)


def _tracking_number(value: Any, ctx: imp.Context) -> str:
    return Complaint.canonical_number(columns.text(value, ctx))


# "#5886753" as LAPOR! writes it, "5886753" as a recap does: one complaint
_tracking_column = columns.ColumnKind(parse=_tracking_number)


class ComplaintsImport(imp.Declaration):
    key = "complaints"
    label = gettext_lazy("Pengaduan (SP4N-LAPOR!)")
    description = gettext_lazy(
        "Ekspor laporan SP4N-LAPOR! atau daftar pengaduan: nomor pelacakan, tanggal, unit "
        "tujuan, status, tanggal selesai."
    )
    sources = (LAPOR_SOURCE,)
    fields = (
        _tracking_column(
            "tracking_number",
            gettext_lazy("Nomor pelacakan"),
            (
                "ID Tracking",
                "No Tracking",
                "No. Tracking",
                "Nomor Tracking",
                "Tracking ID",
                "ID Laporan",
                "Nomor Laporan",
                "Nomor Pelacakan",
                "Tracking",
                "No Tiket",
                "Nomor Tiket",
            ),
            required=True,
        ),
        _moment_column(
            "received_at",
            gettext_lazy("Tanggal laporan"),
            (
                "Tanggal Laporan",
                "Tanggal Diterima",
                "Diterima",
                "Waktu Laporan",
                "Tanggal Masuk",
                "Tanggal Pengaduan",
                "Tgl Laporan",
                "Waktu Lapor",
                "Tanggal Lapor",
                "Tgl Lapor",
            ),
            required=True,
        ),
        columns.text_column(
            "unit",
            gettext_lazy("Unit tujuan"),
            # most specific first: a recap's "Instansi" beside its "Unit Kerja" names the Pemda
            (
                "Instansi Terdisposisi",
                "Instansi Tujuan",
                "Unit Tujuan",
                "Instansi/Unit Tujuan",
                "Unit Kerja Tujuan",
                "OPD Tujuan",
                "Unit Kerja",
                "Unit",
                "OPD",
                "Perangkat Daerah",
                "Kode Unit",
                "Instansi",
            ),
            required=True,
        ),
        imp.Field(
            "status",
            gettext_lazy("Status"),
            aliases=("Status", "Status Laporan", "Status Tindak Lanjut"),
            vocabulary=STATUS_VOCABULARY,
        ),
        _moment_column(
            "closed_at",
            gettext_lazy("Tanggal selesai"),
            (
                "Tanggal Selesai",
                "Selesai",
                "Tanggal Ditutup",
                "Ditutup",
                "Tgl Selesai",
                "Tanggal Penyelesaian",
                "Waktu Selesai",
                "Tanggal Tutup",
            ),
        ),
        columns.text_column(
            "subject", gettext_lazy("Judul"), ("Judul Laporan", "Judul", "Perihal")
        ),
        columns.text_column(
            "classification", gettext_lazy("Klasifikasi"), ("Klasifikasi", "Jenis Laporan")
        ),
        columns.text_column(
            "topic", gettext_lazy("Kategori (topik)"), ("Kategori", "Topik", "Kategori Laporan")
        ),
        columns.text_column(
            "category", gettext_lazy("Kategori SLA"), ("Kategori SLA", "Jenis Pengaduan")
        ),
        _moment_column(
            "verified_at",
            gettext_lazy("Tanggal verifikasi"),
            ("Tanggal Verifikasi", "Diverifikasi", "Waktu Verifikasi"),
        ),
        _moment_column(
            "forwarded_at",
            gettext_lazy("Tanggal disposisi"),
            ("Tanggal Disposisi", "Didisposisi", "Tanggal Diteruskan", "Diteruskan"),
        ),
        _moment_column(
            "first_response_at",
            gettext_lazy("Tanggal tanggapan pertama"),
            ("Tanggal Tanggapan Pertama", "Tanggapan Pertama", "Tanggal Tindak Lanjut"),
        ),
        imp.Field(
            "officer_nip",
            gettext_lazy("NIP petugas"),
            aliases=("NIP Petugas", "NIP Penanggung Jawab", "Petugas NIP"),
            parse=_nip,
        ),
        _count_column(
            "citizen_rating",
            gettext_lazy("Penilaian pelapor"),
            ("Rating", "Penilaian", "Penilaian Pelapor", "Kepuasan Pelapor"),
        ),
        _count_column(
            "reopened_count",
            gettext_lazy("Dibuka kembali"),
            ("Dibuka Kembali", "Jumlah Dibuka Kembali", "Reopen"),
        ),
        _yes_no_column("escalated", gettext_lazy("Dieskalasi"), ("Eskalasi", "Dieskalasi")),
        _yes_no_column(
            "substantive",
            gettext_lazy("Tindak lanjut substantif"),
            ("Tindak Lanjut Substantif", "Substantif"),
        ),
    )

    def prepare(self, ctx: imp.Context) -> None:
        from kompeten.service.actions.complaints import unit_index

        rows = ctx.lookups["rows"]
        ctx.lookups["units"] = unit_index(ctx.instansi)
        numbers = {r.values["tracking_number"] for r in rows if r.values.get("tracking_number")}
        ctx.lookups["existing"] = set(
            Complaint.objects.filter(
                instansi=ctx.instansi, tracking_number__in=numbers
            ).values_list("tracking_number", flat=True)
        )
        nips = {r.values["officer_nip"] for r in rows if r.values.get("officer_nip")}
        ctx.lookups["officers"] = (
            dict(
                Employee.objects.filter(instansi=ctx.instansi, nip__in=nips).values_list(
                    "nip", "id"
                )
            )
            if nips
            else {}
        )
        ctx.lookups["seen"] = {}
        ctx.lookups["now"] = timezone.now()

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        from kompeten.service.actions.complaints import complaint_from_row, validate_complaint

        number = row.values["tracking_number"]
        seen: dict[str, int] = ctx.lookups["seen"]
        if number in seen:
            row.problem(
                "tracking_number",
                _("Nomor pelacakan {number} sudah ada di baris {row}.").format(
                    number=number, row=seen[number]
                ),
            )
            return
        seen[number] = row.number
        unit_id = ctx.lookups["units"].find(row.values["unit"])
        item = complaint_from_row(row.values, unit_id or -1)
        row.result = item
        errors = validate_complaint(
            item,
            officers=ctx.lookups["officers"],
            unit_ids={unit_id} if unit_id else set(),
            now=ctx.lookups["now"],
        )
        field_of = {"officer": "officer_nip"}
        for name, message in errors.items():
            if name == "unit":
                continue
            if name == "closed_at" and not row.columns.get("closed_at"):
                message = _(
                    "Pengaduan berstatus selesai perlu tanggal selesai, tetapi kolom tanggal "
                    "selesai tidak ditemukan di berkas; {how}."
                ).format(how=ctx.how_to_map("closed_at"))
            row.problem(field_of.get(name, name), message)
        if unit_id is None and not row.problems:
            row.pending(
                "unit_unknown",
                _(
                    "Unit kerja tidak dikenal: {unit} belum ada di pohon OPD. Baris disimpan "
                    "dan selesai sendiri setelah unitnya dibuat."
                ).format(unit=repr(row.values["unit"])),
            )

    def pending_key(self, row: imp.Row) -> str:
        # "#5886753" in LAPOR!'s export and "5886753" in a recap wait as one complaint
        return str(row.values.get("tracking_number") or "")

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        from kompeten.service.actions.complaints import do_bulk_upsert_complaints

        added, updated = do_bulk_upsert_complaints(
            ctx.instansi, [r.result for r in rows], actor=ctx.user
        )
        return {
            gettext_noop("pengaduan baru"): added,
            gettext_noop("pengaduan diperbarui"): updated,
        }
