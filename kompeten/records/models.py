"""Registry records the IP ASN needs: yearly SKP ratings and disciplinary sanctions."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompeten.core.models import Instansi, user_ref
from kompeten.people.models import Employee
from kompeten.standards.skp import Predikat, Rating


class RatingChoice(models.TextChoices):
    DI_ATAS = Rating.DI_ATAS.value, _("Di Atas Ekspektasi")
    SESUAI = Rating.SESUAI.value, _("Sesuai Ekspektasi")
    DI_BAWAH = Rating.DI_BAWAH.value, _("Di Bawah Ekspektasi")


class PredikatChoice(models.TextChoices):
    SANGAT_BAIK = Predikat.SANGAT_BAIK.value, _("Sangat Baik")
    BAIK = Predikat.BAIK.value, _("Baik")
    BUTUH_PERBAIKAN = Predikat.BUTUH_PERBAIKAN.value, _("Butuh Perbaikan")
    KURANG = Predikat.KURANG.value, _("Kurang/Misconduct")
    SANGAT_KURANG = Predikat.SANGAT_KURANG.value, _("Sangat Kurang")


class EmployeeRecord:
    """A record shown on its employee's records page, which is its address."""

    employee_id: int

    def get_absolute_url(self) -> str:
        return reverse("records:employee", args=[self.employee_id])


class SkpRating(EmployeeRecord, models.Model):
    """An employee's yearly SKP (PermenPANRB 6/2022): two ratings and the derived predikat.

    ``score`` keeps an old numeric SKP (PP 46/2011) when the year was rated that way. The
    predikat is derived by :func:`kompeten.standards.skp.predikat` when the two ratings are
    known; a year known only by its predikat (a recap listing the predikat alone) keeps it as
    written, with the two ratings blank.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="skp_ratings")
    year = models.PositiveSmallIntegerField(_("tahun"))
    hasil_kerja = models.CharField(
        _("hasil kerja"), max_length=10, choices=RatingChoice.choices, blank=True
    )
    perilaku = models.CharField(
        _("perilaku kerja"), max_length=10, choices=RatingChoice.choices, blank=True
    )
    predikat = models.CharField(
        _("predikat"), max_length=16, choices=PredikatChoice.choices, blank=True
    )
    score = models.DecimalField(
        _("nilai SKP lama"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "employee_id"]
        verbose_name = verbose_name_plural = _("penilaian SKP")
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="skp_one_per_year"),
        ]
        indexes = [models.Index(fields=["instansi", "year"])]

    def __str__(self) -> str:
        return f"SKP {self.year} {self.employee_id}: {self.predikat or self.score}"


class DisciplineLevel(models.TextChoices):
    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


class DisciplineRecord(EmployeeRecord, models.Model):
    """A disciplinary sanction (hukuman disiplin) imposed on an employee on a date."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="discipline_records"
    )
    date = models.DateField(_("tanggal"))
    level = models.CharField(_("tingkat"), max_length=8, choices=DisciplineLevel.choices)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = _("hukuman disiplin")
        indexes = [models.Index(fields=["employee", "date"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.level}"


class IpAsnTableVersion(models.Model):
    """An instansi's edited copy of the IP ASN scoring table (``standards.ip_asn.IpAsnTable``).

    The newest version whose ``effective_from`` is on or before the as-of date applies; without
    one, the built-in ``IP_ASN_2019`` table applies.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    effective_from = models.DateField(_("berlaku mulai"))
    data = models.JSONField(_("tabel"))
    note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = user_ref()

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = verbose_name_plural = _("tabel IP ASN")

    def __str__(self) -> str:
        return f"IP ASN {self.effective_from}"
