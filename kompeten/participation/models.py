"""Enrolment, attendance, the JP ledger, incentives, certificates and in-app notifications."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompeten.core.models import Instansi, user_ref
from kompeten.learning.models import LearningMode
from kompeten.people.models import Employee


class EnrolmentStatus(models.TextChoices):
    INVITED = "diundang", _("Diundang")
    ACCEPTED = "diterima", _("Diterima")
    DECLINED = "ditolak", _("Ditolak")
    WAITLISTED = "daftar_tunggu", _("Daftar tunggu")
    CANCELLED = "dibatalkan", _("Dibatalkan")


ACTIVE_STATUSES = (EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED)


class DeclineReason(models.TextChoices):
    WORKLOAD = "beban_kerja", _("Beban kerja")
    DUTY_CLASH = "bentrok_tugas", _("Bentrok dengan tugas")
    NOT_RELEVANT = "tidak_relevan", _("Tidak relevan")
    PERSONAL = "pribadi", _("Alasan pribadi")
    OTHER = "lainnya", _("Lainnya")


class EnrolmentSource(models.TextChoices):
    PLAN = "perencana", _("Perencana jadwal")
    MANUAL = "manual", _("Manual")
    SELF = "pilihan_sendiri", _("Pilihan pegawai")
    HELD = "terlaksana", _("Pelatihan yang sudah terlaksana")


class Enrolment(models.Model):
    """One employee in one batch: invitation, response, waitlist and completion."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("pegawai")
    )
    batch = models.ForeignKey(
        "learning.Batch",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("angkatan"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, db_index=True
    )
    source = models.CharField(
        _("sumber"), max_length=20, choices=EnrolmentSource.choices, default=EnrolmentSource.MANUAL
    )
    plan_ref = models.PositiveIntegerField(_("rencana"), null=True, blank=True)
    invited_at = models.DateTimeField(_("diundang pada"))
    responded_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    decline_reason = models.CharField(
        _("alasan menolak"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("keterangan"), max_length=300, blank=True)
    posttest_done_at = models.DateTimeField(_("post-test selesai"), null=True, blank=True)
    learning_gain = models.DecimalField(
        _("gain belajar"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    attendance_pct = models.DecimalField(
        _("kehadiran (%)"), max_digits=9, decimal_places=5, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-invited_at", "-id"]
        verbose_name = verbose_name_plural = _("kepesertaan")
        constraints = [
            models.UniqueConstraint(fields=["employee", "batch"], name="enrolment_unique"),
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return f"{self.employee_id} → {self.batch_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("participation:enrolment_detail", args=[self.pk])


class CompletionRule(models.Model):
    """When a participant of a programme counts as finished (default: ≥ 80 % and post-test)."""

    programme = models.OneToOneField(
        "learning.Programme", on_delete=models.CASCADE, related_name="completion_rule"
    )
    min_attendance_pct = models.DecimalField(
        _("kehadiran minimal (%)"), max_digits=6, decimal_places=2, default=Decimal("80")
    )
    requires_posttest = models.BooleanField(_("wajib post-test"), default=True)

    class Meta:
        ordering = ["programme_id"]
        verbose_name = verbose_name_plural = _("aturan kelulusan")

    def __str__(self) -> str:
        return f"{self.programme_id}: ≥ {self.min_attendance_pct} %"


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("Pindai QR")
    MANUAL = "manual", _("Presensi manual")


class AttendanceMark(models.TextChoices):
    """The panitia's mark for one day: present, or absent sick, with leave, or without word."""

    HADIR = "hadir", _("Hadir")
    SAKIT = "sakit", _("Sakit")
    IZIN = "izin", pgettext_lazy("attendance mark", "Izin")
    ALPA = "alpa", _("Alpa")


class Attendance(models.Model):
    """Presence of one participant at one session, with late arrival and early leave."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(
        "learning.Session", on_delete=models.PROTECT, related_name="attendance"
    )
    present = models.BooleanField(_("hadir"), default=True)
    mark = models.CharField(
        _("keterangan"), max_length=8, choices=AttendanceMark.choices, blank=True, default=""
    )
    method = models.CharField(_("cara"), max_length=10, choices=AttendanceMethod.choices)
    checked_in_at = models.DateTimeField(_("waktu datang"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("terlambat (menit)"), default=0)
    left_early_minutes = models.PositiveIntegerField(_("pulang awal (menit)"), default=0)
    recorded_by = user_ref()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session_id", "enrolment_id"]
        verbose_name = verbose_name_plural = _("presensi")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.session_id}: {'hadir' if self.present else 'absen'}"


class JpSource(models.TextChoices):
    COMPLETION = "penyelesaian", _("Penyelesaian program")
    EXTERNAL = "sertifikat_eksternal", _("Sertifikat eksternal")


class JpEntry(models.Model):
    """One line of the JP ledger. Stored in minutes (exact): JP = minutes / 45 (standards.jp)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="jp_entries")
    year = models.PositiveSmallIntegerField(_("tahun"), db_index=True)
    date = models.DateField(_("tanggal"))
    minutes = models.DecimalField(_("menit"), max_digits=12, decimal_places=4)
    group = models.CharField(_("kelompok"), max_length=12, choices=LearningMode.choices)
    form = models.CharField(_("bentuk"), max_length=40)
    title = models.CharField(_("kegiatan"), max_length=250)
    source = models.CharField(_("sumber"), max_length=30, choices=JpSource.choices)
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="jp_entry"
    )
    external = models.OneToOneField(
        "ExternalCertificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jp_entry",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("catatan JP")
        verbose_name_plural = _("buku JP")
        indexes = [models.Index(fields=["employee", "year"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year} {self.minutes} menit"


class ReviewStatus(models.TextChoices):
    SUBMITTED = "diajukan", _("Diajukan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")


class ExternalCertificate(models.Model):
    """A certificate from outside Kompeten, uploaded by the employee, approved by the pengelola."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="external_certificates"
    )
    title = models.CharField(_("nama kegiatan"), max_length=250)
    organiser = models.CharField(_("penyelenggara"), max_length=200)
    form = models.CharField(_("bentuk pengembangan"), max_length=40)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    amount = models.DecimalField(_("jumlah"), max_digits=9, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=10)
    minutes = models.DecimalField(_("menit setara"), max_digits=12, decimal_places=4)
    file = models.FileField(_("berkas"), upload_to="sertifikat-eksternal/%Y/")
    content_type = models.CharField(max_length=40)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReviewStatus.choices,
        default=ReviewStatus.SUBMITTED,
        db_index=True,
    )
    reviewed_by = user_ref()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("catatan pemeriksa"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = verbose_name_plural = _("sertifikat eksternal")

    def __str__(self) -> str:
        return self.title


class PointPolicy(models.Model):
    """The instansi's incentive policy: points per JP, completion, attendance, gain, co-design."""

    instansi = models.OneToOneField(Instansi, on_delete=models.CASCADE, related_name="+")
    per_jp = models.DecimalField(_("poin per JP"), max_digits=6, decimal_places=2, default=1)
    completion = models.DecimalField(
        _("poin menyelesaikan program"), max_digits=6, decimal_places=2, default=10
    )
    full_attendance = models.DecimalField(
        _("poin hadir penuh"), max_digits=6, decimal_places=2, default=5
    )
    high_gain = models.DecimalField(
        _("poin gain belajar tinggi"), max_digits=6, decimal_places=2, default=10
    )
    high_gain_threshold = models.DecimalField(
        _("ambang gain tinggi"), max_digits=6, decimal_places=3, default=Decimal("0.5")
    )
    per_proposal = models.DecimalField(
        _("poin per usulan topik"), max_digits=6, decimal_places=2, default=3
    )
    per_vote = models.DecimalField(_("poin per suara"), max_digits=6, decimal_places=2, default=1)
    per_comment = models.DecimalField(
        _("poin per komentar"), max_digits=6, decimal_places=2, default=1
    )
    badge_min_points = models.DecimalField(
        _("poin minimal lencana ASN Pembelajar"), max_digits=8, decimal_places=2, default=50
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instansi_id"]
        verbose_name = verbose_name_plural = _("kebijakan poin")

    def __str__(self) -> str:
        return f"Kebijakan poin {self.instansi_id}"


class PointKind(models.TextChoices):
    JP = "jp", _("JP")
    COMPLETION = "penyelesaian", _("Menyelesaikan program")
    FULL_ATTENDANCE = "hadir_penuh", _("Hadir penuh")
    HIGH_GAIN = "gain_tinggi", _("Gain belajar tinggi")
    CODESIGN = "desain_bersama", _("Kontribusi desain bersama")


class PointAward(models.Model):
    """Points earned; one row per (employee, kind, reference) so recomputing never doubles."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="points")
    year = models.PositiveSmallIntegerField(_("tahun"), db_index=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=PointKind.choices)
    reference = models.CharField(_("rujukan"), max_length=60)
    points = models.DecimalField(_("poin"), max_digits=8, decimal_places=2)
    description = models.CharField(_("keterangan"), max_length=250, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = verbose_name_plural = _("poin")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "kind", "reference"], name="point_award_unique"
            ),
        ]
        indexes = [models.Index(fields=["instansi", "year"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.points}"


class CertificateKind(models.TextChoices):
    COMPLETION = "penyelesaian", _("Sertifikat penyelesaian")
    BADGE = "asn_pembelajar", _("Lencana ASN Pembelajar")


class Certificate(models.Model):
    """A certificate Kompeten issued; anyone can verify its number at /sertifikat/<number>/."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor"), max_length=40, unique=True)
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(_("jenis"), max_length=20, choices=CertificateKind.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    title = models.CharField(_("judul"), max_length=250)
    minutes = models.DecimalField(
        _("menit JP"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="certificate"
    )
    issued_at = models.DateTimeField(_("diterbitkan"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = verbose_name_plural = _("sertifikat")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year"],
                condition=models.Q(kind="asn_pembelajar"),
                name="one_badge_per_year",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("certificate_verify", args=[self.number])


class Notification(models.Model):
    """An in-app notification (the same text also goes out by e-mail where an address exists)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=80, blank=True, db_index=True)
    created = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = verbose_name_plural = _("notifikasi")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class CertificateSettings(models.Model):
    """Per instansi: the logo and the signatory printed on its certificates.

    The logo is the one the admin uploads on the report settings page (kept here as well, so
    that certificates, which sit below the reports in the layers, can print it)."""

    instansi = models.OneToOneField(Instansi, on_delete=models.CASCADE, related_name="+")
    logo = models.FileField(_("logo Pemda"), upload_to="sertifikat/logo/", blank=True)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=120, blank=True)
    signatory_nip = models.CharField(_("NIP penanda tangan"), max_length=18, blank=True)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    signature = models.FileField(_("gambar tanda tangan"), upload_to="sertifikat/ttd/", blank=True)
    place = models.CharField(_("tempat penerbitan"), max_length=80, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("pengaturan sertifikat")

    def __str__(self) -> str:
        return f"Pengaturan sertifikat {self.instansi_id}"
