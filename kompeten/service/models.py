"""Public service: service units and jenis layanan, the SKM survey and its rollups, complaints.

Glossary: SKM = Survei Kepuasan Masyarakat (the public satisfaction survey), IKM = Indeks Kepuasan
Masyarakat (its index, PermenPANRB 14/2017), unsur = a questionnaire element, NRR = nilai
rata-rata per unsur. Complaints follow SP4N-LAPOR! (PermenPANRB 62/2018).

Dashboards never read :class:`SkmResponse`: they read :class:`SkmRollup` (answer counts per
unit, service, month, questionnaire version and unsur) and :class:`SkmProfileRollup`
(respondent profile counts). A public-form response is counted by the fold within seconds of
being accepted (one watermark, :class:`SkmFoldState`); bulk imports count in their own
transaction; ``kompeten rollup rebuild`` recounts everything.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompeten.core.models import Instansi, user_ref
from kompeten.people.models import Employee, Sex, Unit


def _kiosk_key() -> str:
    """The default of the kiosk key that was part of the kiosk address (migration 0001 names
    it); kiosks are now enrolled devices (:class:`KioskDevice`)."""
    return secrets.token_urlsafe(12)


class Regulation(models.TextChoices):
    SKM_2017 = "SKM_2017", _("PermenPANRB 14/2017 (9 unsur)")
    SKM_2004 = "SKM_2004", _("Kepmenpan 25/2004 (14 unsur)")


class Questionnaire(models.Model):
    """A versioned SKM questionnaire: the official set (2017 or 2004) or a unit's own set.

    ``extra_unsur`` lists unsur added to the base set (``[{"slug", "name", "labels"}]``) and
    ``weights`` maps every unsur slug to its weight (strings such as ``"1/10"``); both empty means
    the official set with equal weights. The engine version id is ``Q<pk>`` for a custom set.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    base = models.CharField(
        _("regulasi"), max_length=10, choices=Regulation.choices, default=Regulation.SKM_2017
    )
    extra_unsur = models.JSONField(_("unsur tambahan"), default=list, blank=True)
    weights = models.JSONField(_("bobot"), default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = _("versi kuesioner SKM")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "code"], name="skm_questionnaire_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def version_id(self) -> str:
        if not self.extra_unsur and not self.weights:
            return str(self.base)
        return f"Q{self.pk}"


class ServiceUnit(models.Model):
    """A public-service unit (unit penyelenggara pelayanan) attached to an OPD unit.

    ``code`` is the public key in ``/survei/<code>/``. ``population`` is the yearly number of
    service users, for the Krejcie–Morgan sample size. Counter tablets answer in kiosk mode once
    enrolled (:class:`KioskDevice`). With ``requires_ticket`` only registered receipt numbers may answer, once each.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="service_units", verbose_name=_("unit kerja")
    )
    code = models.SlugField(_("kode survei"), max_length=40, unique=True)
    name = models.CharField(_("nama unit layanan"), max_length=200)
    population = models.PositiveIntegerField(
        _("populasi pengguna layanan per tahun"), null=True, blank=True
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_units",
        verbose_name=_("kuesioner"),
    )
    requires_ticket = models.BooleanField(_("wajib nomor tiket layanan"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = _("unit layanan")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("service:ikm_unit", args=[self.pk])

    @property
    def version_id(self) -> str:
        if self.questionnaire is None:
            return str(Regulation.SKM_2017)
        return self.questionnaire.version_id


class Service(models.Model):
    """A jenis layanan of a service unit (KTP-el, Kartu Keluarga, perizinan …)."""

    service_unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="services")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("jenis layanan"), max_length=200)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = _("jenis layanan")
        constraints = [
            models.UniqueConstraint(fields=["service_unit", "code"], name="service_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AgeGroup(models.TextChoices):
    U20 = "<20", _("Di bawah 20 tahun")
    A20 = "20-29", _("20–29 tahun")
    A30 = "30-39", _("30–39 tahun")
    A40 = "40-49", _("40–49 tahun")
    A50 = "50+", _("50 tahun ke atas")


class RespondentEducation(models.TextChoices):
    SD = "SD", _("SD ke bawah")
    SMP = "SMP", _("SMP")
    SMA = "SMA", _("SMA/SMK")
    DIPLOMA = "D1-D3", _("D1–D3")
    S1 = "D4-S1", _("D4/S1")
    S2 = "S2+", _("S2 ke atas")


class Occupation(models.TextChoices):
    ASN = "asn", _("PNS/TNI/Polri")
    SWASTA = "swasta", _("Pegawai swasta")
    WIRASWASTA = "wiraswasta", _("Wiraswasta")
    PELAJAR = "pelajar", _("Pelajar/Mahasiswa")
    LAINNYA = "lainnya", _("Lainnya")


class Source(models.TextChoices):
    FORM = "form", _("Formulir daring")
    KIOSK = "kiosk", _("Kios di loket")
    IMPORT = "import", _("Impor")
    DEMO = "demo", _("Data demo")


class ServiceTicket(models.Model):
    """A one-time service ticket (the number on the service receipt): one ticket, one response."""

    service_unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="tickets")
    number = models.CharField(_("nomor tiket"), max_length=40)
    issued = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["service_unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["service_unit", "number"], name="ticket_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class SkmResponse(models.Model):
    """One anonymous SKM questionnaire. Nothing about the respondent beyond what is asked: no IP
    address, no user agent, no session. ``scores`` maps unsur slug → 1..4 (unanswered unsur are
    absent). ``month`` is the Asia/Jakarta month of ``submitted``, the rollup period."""

    service_unit = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, related_name="responses"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    version = models.CharField(max_length=20)
    submitted = models.DateTimeField()
    month = models.DateField()
    scores = models.JSONField()
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    age_group = models.CharField(max_length=6, choices=AgeGroup.choices, blank=True)
    education = models.CharField(max_length=6, choices=RespondentEducation.choices, blank=True)
    occupation = models.CharField(max_length=12, choices=Occupation.choices, blank=True)
    suggestion = models.TextField(blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    ticket = models.OneToOneField(
        ServiceTicket, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    # Set only for a submission that was spooled to disk while the database was down
    # (kompeten/service/spool.py): replaying the spool twice cannot record it twice.
    spool_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The scores of the first 21 unsur in questionnaire order, 3 bits each (0 = unanswered):
    # one integer the rollup fold and rebuild read faster than the JSON (bench/bench_ikm.py).
    # See kompeten.service.actions.rollups.pack_scores.
    packed = models.BigIntegerField(null=True, blank=True, editable=False)
    # True when the row's rollup counts were added in the transaction that inserted it (bulk
    # imports, demo); False for the public form, whose counts the fold adds within seconds.
    rolled_on_insert = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-submitted", "-id"]
        verbose_name = verbose_name_plural = _("jawaban SKM")
        indexes = [models.Index(fields=["service_unit", "month"], name="skm_response_unit_month")]

    def __str__(self) -> str:
        return f"SKM #{self.pk} {self.service_unit_id} {self.month:%Y-%m}"


class SkmRollup(models.Model):
    """Answer counts of one unsur for (service unit, jenis layanan, month, questionnaire version).

    ``service_key`` is the service id, or 0 for answers without a jenis layanan (a key column
    that is never NULL, so the upsert has a plain unique key). n = c1+…+c4, Σx = c1+2c2+3c3+4c4,
    Σx² = c1+4c2+9c3+16c4.

    ``shard`` stripes a counter over several rows (rows written before the fold existed, when
    each accepted response added to a random stripe); the fold, imports and rebuilds write
    stripe 0. Readers always sum over shards.
    """

    service_unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="+")
    service_key = models.BigIntegerField(default=0)
    month = models.DateField()
    version = models.CharField(max_length=20)
    unsur = models.CharField(max_length=60)
    shard = models.PositiveSmallIntegerField(default=0)
    c1 = models.BigIntegerField(default=0)
    c2 = models.BigIntegerField(default=0)
    c3 = models.BigIntegerField(default=0)
    c4 = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["service_unit", "month", "service_key", "unsur"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_unit", "service_key", "month", "version", "unsur", "shard"],
                name="skm_rollup_key_shard",
            ),
        ]
        indexes = [models.Index(fields=["month"], name="skm_rollup_month")]

    def __str__(self) -> str:
        return f"{self.service_unit_id}/{self.service_key}/{self.month:%Y-%m}/{self.unsur}"


class SkmFoldState(models.Model):
    """The fold's watermark (one row, ``name="skm"``): every public-form response with
    ``id <= last_id`` is counted in the rollups; the fold adds newer ones and moves the mark in
    the same transaction (kompeten.service.actions.rollups.do_fold_skm_responses)."""

    name = models.CharField(max_length=20, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    folded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ≤ {self.last_id}"


class SkmProfileRollup(models.Model):
    """Respondent counts per profile value for (service unit, jenis layanan, month, version).

    ``dimension`` is ``total`` (every response; ``value`` empty), ``sex``, ``age_group``,
    ``education`` or ``occupation``; an unanswered question counts under value ``""``.
    """

    service_unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="+")
    service_key = models.BigIntegerField(default=0)
    month = models.DateField()
    version = models.CharField(max_length=20)
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=20, blank=True)
    count = models.BigIntegerField(default=0)
    shard = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service_unit", "month", "dimension", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "service_unit",
                    "service_key",
                    "month",
                    "version",
                    "dimension",
                    "value",
                    "shard",
                ],
                name="skm_profile_rollup_key_shard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_unit_id}/{self.month:%Y-%m}/{self.dimension}={self.value}"


class SkmPublishedSummary(models.Model):
    """A published per-unsur result (NRR and n) from before Kompeten, per unit and period."""

    service_unit = models.ForeignKey(
        ServiceUnit, on_delete=models.CASCADE, related_name="published"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.CharField(max_length=20)
    unsur = models.CharField(max_length=60)
    nrr = models.DecimalField(max_digits=12, decimal_places=6)
    n = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["service_unit", "period_start", "unsur"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_unit", "period_start", "period_end", "unsur"],
                name="skm_summary_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_unit_id} {self.period_start}–{self.period_end} {self.unsur}"


class ComplaintStatus(models.TextChoices):
    DITERIMA = "diterima", pgettext_lazy("complaint status", "Diterima")
    DIVERIFIKASI = "diverifikasi", _("Diverifikasi")
    DIDISPOSISI = "didisposisi", _("Didisposisi")
    DITINDAKLANJUTI = "ditindaklanjuti", _("Ditindaklanjuti")
    SELESAI = "selesai", pgettext_lazy("complaint status", "Selesai")
    DIARSIPKAN = "diarsipkan", _("Diarsipkan")


CLOSED_STATUSES = (ComplaintStatus.SELESAI, ComplaintStatus.DIARSIPKAN)


class ComplaintCategory(models.TextChoices):
    """SLA tiers (slugs of :data:`kompeten.standards.sla.LAPOR_SLA`)."""

    INFORMASI = "informasi", _("Permintaan informasi atau pengaduan sederhana")
    TANPA = "tanpa_pemeriksaan_lapangan", _("Pengaduan tanpa pemeriksaan lapangan")
    DENGAN = "dengan_pemeriksaan_lapangan", _("Pengaduan dengan pemeriksaan lapangan")


# a LAPOR! tracking number: digits after "#" (the "#" and spaces are how it is written)
_LAPOR_NUMBER = re.compile(r"#? ?(\d+)")


class Complaint(models.Model):
    """A public complaint (pengaduan) handled by an OPD unit, manual or imported from
    SP4N-LAPOR!. Moments are timezone-aware; working-day durations are computed by queries
    with the instansi's :class:`~kompeten.standards.workdays.WorkCalendar`."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("unit kerja")
    )
    tracking_number = models.CharField(_("nomor pelacakan"), max_length=60)
    subject = models.CharField(_("perihal"), max_length=300, blank=True)
    topic = models.CharField(_("topik"), max_length=120, blank=True)
    category = models.CharField(_("kategori SLA"), max_length=40, choices=ComplaintCategory.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.DITERIMA,
    )
    officer = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_handled",
        verbose_name=_("petugas penanganan"),
    )
    received_at = models.DateTimeField(_("diterima"))
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("didisposisi"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    citizen_rating = models.PositiveSmallIntegerField(
        _("penilaian pelapor (1–5)"), null=True, blank=True
    )
    reopened_count = models.PositiveSmallIntegerField(_("dibuka kembali"), default=0)
    escalated = models.BooleanField(_("dieskalasi"), default=False)
    substantive = models.BooleanField(
        _("ditindaklanjuti secara substantif"),
        null=True,
        blank=True,
        help_text=_("Kosong selama belum selesai; 'tidak' bila ditutup tanpa tindak lanjut nyata."),
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    created = models.DateTimeField(auto_now_add=True)
    created_by = user_ref()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = verbose_name_plural = _("pengaduan")
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "tracking_number"], name="complaint_tracking_unique"
            ),
        ]
        indexes = [models.Index(fields=["unit", "received_at"], name="complaint_unit_received")]

    def __str__(self) -> str:
        return self.tracking_number

    def get_absolute_url(self) -> str:
        return reverse("service:complaint_detail", args=[self.pk])

    @staticmethod
    def canonical_number(written: str) -> str:
        """A tracking number as stored: SP4N-LAPOR!'s own ``#5886753``, however a file writes
        it (``5886753`` in a recap or a re-saved sheet, ``# 5886753``), so that a later export
        updates the same complaint; any other numbering with its white space collapsed."""
        text = " ".join(str(written).split())
        match = _LAPOR_NUMBER.fullmatch(text)
        return f"#{match.group(1)}" if match else text

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class ComplaintEvent(models.Model):
    """One step of a complaint's lifecycle (append-only)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices)
    at = models.DateTimeField()
    actor = user_ref()
    note = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, default="status")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.status} {self.at:%Y-%m-%d}"


class CutiBersama(models.Model):
    """A cuti bersama (or regional day off) the instansi adds to the national list."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=120)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "date"], name="cuti_bersama_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SlaSetting(models.Model):
    """An instansi's override of one SLA limit (working days), e.g. a stricter local rule."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=40)
    working_days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "category"], name="sla_setting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.working_days}"


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: (None if getattr(obj, f) is None else str(getattr(obj, f))) for f in fields}


class KioskDevice(models.Model):
    """A counter tablet enrolled as the kiosk of one service unit.

    The unit's admin issues a one-time enrolment code (valid :data:`ENROL_HOURS`); the tablet
    opens ``/survei/daftar-kios/``, types it, and receives the device token in a cookie — never
    in an address, so nobody reads it off the address bar or an access log. Only SHA-256 hashes
    of the code and the token are kept. Each device has its own rate limit; a revoked device is
    refused at once.
    """

    ENROL_HOURS = 24

    service_unit = models.ForeignKey(
        ServiceUnit, on_delete=models.CASCADE, related_name="kiosk_devices"
    )
    name = models.CharField(_("nama perangkat"), max_length=100)
    enrol_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    enrol_expires = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    enrolled_at = models.DateTimeField(_("terdaftar"), null=True, blank=True)
    last_seen = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = user_ref()

    class Meta:
        ordering = ["-created"]
        verbose_name = verbose_name_plural = _("perangkat kios")

    def __str__(self) -> str:
        return f"{self.name} ({self.service_unit_id})"

    def get_absolute_url(self) -> str:
        return reverse("service:manage_kiosks", args=[self.service_unit_id])

    @property
    def is_active(self) -> bool:
        return self.token_hash is not None and self.revoked_at is None
