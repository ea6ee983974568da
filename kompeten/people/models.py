"""The registry: the OPD tree and the employees (ASN) in it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompeten.core.models import Instansi


class UnitKind(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    SATPOL = "satpol", _("Satuan Polisi Pamong Praja")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    UPT = "upt", _("UPT/UPTD")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    RSUD = "rsud", _("RSUD")
    BAGIAN = "bagian", _("Bagian/Bidang")
    OTHER = "lainnya", _("Lainnya")


class Unit(models.Model):
    """An OPD or unit kerja. A tree; `path` is a materialised path for fast subtree queries."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = _("unit kerja")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "code"], name="unit_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:unit_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


def opd_depth(units: Iterable[Unit]) -> int:
    """The depth of the OPDs in an instansi's tree (``units``: all of it, or at least its top
    levels): the children of a single root (a tree under the Pemda's own unit), else the roots
    themselves (a SIASN tree: every OPD at the top)."""
    depths = [u.depth for u in units]
    if not depths:
        return 0
    top = min(depths)
    return top + 1 if depths.count(top) == 1 else top


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class EmployeeStatus(models.TextChoices):
    PNS = "PNS", _("PNS")
    PPPK = "PPPK", _("PPPK")


class JabatanKind(models.TextChoices):
    """Jabatan (UU 20/2023): managerial (JPT, administrator, pengawas) and non-managerial."""

    JPT = "jpt", _("Jabatan Pimpinan Tinggi")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    FUNGSIONAL = "fungsional", _("Fungsional")
    PELAKSANA = "pelaksana", _("Pelaksana")


class Education(models.TextChoices):
    SD = "SD", _("SD")
    SMP = "SMP", _("SMP")
    SLTA = "SLTA", _("SLTA/SMA/SMK")
    D1 = "D-I", _("D-I")
    D2 = "D-II", _("D-II")
    D3 = "D-III", _("D-III")
    D4 = "D-IV", _("D-IV")
    S1 = "S-1", _("S-1")
    S2 = "S-2", _("S-2")
    S3 = "S-3", _("S-3")


GOLONGAN_CHOICES = [
    (f"{g}/{r}", f"{g}/{r}")
    for g, rs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for r in rs
]
PPPK_GRADE_CHOICES = [(str(i), str(i)) for i in range(1, 18)]


class EndReason(models.TextChoices):
    MUTASI = "mutasi", _("Mutasi keluar")
    PENSIUN = "pensiun", _("Pensiun")
    BERHENTI = "berhenti", _("Berhenti")
    MENINGGAL = "meninggal", _("Meninggal dunia")
    KONTRAK_SELESAI = "kontrak_selesai", _("Kontrak berakhir")


class Employee(models.Model):
    """An ASN (PNS or PPPK). Deactivated, never deleted: history stays."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="employees")
    # Unique per instansi (constraint below), not across the server: an ASN who moves to another
    # instansi on the same server is registered there too, and one instansi cannot probe another's.
    nip = models.CharField(_("NIP"), max_length=18, db_index=True)
    name = models.CharField(_("nama"), max_length=150)
    front_title = models.CharField(_("gelar depan"), max_length=40, blank=True)
    back_title = models.CharField(_("gelar belakang"), max_length=60, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    status = models.CharField(_("status"), max_length=4, choices=EmployeeStatus.choices)
    golongan = models.CharField(
        _("golongan/ruang"), max_length=6, choices=GOLONGAN_CHOICES, blank=True
    )
    pppk_grade = models.CharField(
        _("golongan PPPK"), max_length=3, choices=PPPK_GRADE_CHOICES, blank=True
    )
    jabatan_kind = models.CharField(_("jenis jabatan"), max_length=20, choices=JabatanKind.choices)
    jabatan_name = models.CharField(_("nama jabatan"), max_length=200)
    # blank: not known yet (a SIMPEG list without it); IP ASN leaves such an employee out
    education = models.CharField(
        _("pendidikan"), max_length=6, choices=Education.choices, blank=True
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("unit kerja")
    )
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("atasan langsung"),
    )
    email = models.EmailField(_("surel"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True, db_index=True)
    end_reason = models.CharField(
        _("alasan nonaktif"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_date = models.DateField(_("tanggal nonaktif"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "nip"]
        verbose_name = verbose_name_plural = _("pegawai")
        indexes = [
            # Serves the employee list: ORDER BY name, nip walks this index (no sort) and the
            # is_active filter and COUNT read it without touching the table. SQLite compiles
            # filter(is_active=True) to a bare column test, so is_active must come last.
            models.Index(fields=["instansi", "name", "nip", "is_active"], name="employee_list_idx"),
            models.Index(fields=["unit", "is_active"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "nip"], name="employee_nip_per_instansi"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:employee_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        name = self.name
        if self.front_title:
            name = f"{self.front_title} {name}"
        if self.back_title:
            name = f"{name}, {self.back_title}"
        return name

    @property
    def nip_display(self) -> str:
        n = self.nip
        if len(n) == 18:
            return f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}"
        return n

    @property
    def rank_display(self) -> str:
        if self.status == EmployeeStatus.PPPK:
            return f"PPPK {self.pppk_grade}" if self.pppk_grade else "PPPK"
        return self.golongan


class EmploymentEvent(models.Model):
    """History of an employee's position: mutasi, promotion, retirement, reactivation."""

    class Kind(models.TextChoices):
        JOINED = "masuk", pgettext_lazy("employment event", "Masuk")
        MOVED = "mutasi", _("Pindah unit")
        POST = "jabatan", _("Ganti jabatan")
        RANK = "pangkat", _("Naik pangkat")
        ENDED = "nonaktif", _("Nonaktif")
        REACTIVATED = "aktif_kembali", _("Aktif kembali")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = _("riwayat kepegawaian")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.date}"
