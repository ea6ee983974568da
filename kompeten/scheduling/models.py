"""Duty calendars, staffing rules, peak periods, planner runs and calendar feed tokens."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompeten.core.models import Instansi, user_ref
from kompeten.people.models import Employee, Unit

WEEKDAY_NAMES = [
    _("Senin"),
    _("Selasa"),
    _("Rabu"),
    _("Kamis"),
    _("Jumat"),
    _("Sabtu"),
    _("Minggu"),
]


def weekdays_display(code: str) -> str:
    return ", ".join(str(WEEKDAY_NAMES[int(ch)]) for ch in sorted(set(code)) if ch in "0123456")


class DutyKind(models.TextChoices):
    SHIFT = "shift", _("Jaga loket/shift")
    LEAVE = "cuti", _("Cuti")
    TRAVEL = "dinas_luar", _("Perjalanan dinas")
    OTHER = "lainnya", _("Tidak tersedia (lainnya)")


class DutyEntry(models.Model):
    """A span in which the employee cannot train; repeated weekly until `repeat_until` if set."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="duties", verbose_name=_("pegawai")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=DutyKind.choices)
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    repeat_until = models.DateField(
        _("berulang mingguan sampai"), null=True, blank=True, help_text=_("Kosong: tidak berulang.")
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    created_by = user_ref()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = verbose_name_plural = _("kalender tugas")
        indexes = [models.Index(fields=["employee", "start"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.start:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("scheduling:duty_list") + f"?employee={self.employee_id}"

    @property
    def whole_days(self) -> tuple[date, date] | None:
        """The first and last day of an entry of whole days (midnight to midnight, local
        time), as a leave list writes it (2 to 6 March for 2 March 00:00 to 7 March 00:00);
        None for any other span."""
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        if start.time() == end.time() == time.min and end > start:
            return start.date(), (end - timedelta(days=1)).date()
        return None


class WeekdaysMixin:
    """A row whose ``weekdays`` code lists the days it holds on (0 = Senin … 6 = Minggu)."""

    weekdays: str

    @property
    def weekdays_display(self) -> str:
        return weekdays_display(self.weekdays)


class WorkPattern(WeekdaysMixin, models.Model):
    """The days and hours an employee works (e.g. a Tuesday–Saturday puskesmas rota)."""

    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, related_name="work_pattern", verbose_name=_("pegawai")
    )
    weekdays = models.CharField(
        _("hari kerja"), max_length=7, default="01234", help_text=_("0 = Senin … 6 = Minggu")
    )
    start_time = models.TimeField(_("jam mulai"))
    end_time = models.TimeField(_("jam selesai"))
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["employee_id"]
        verbose_name = verbose_name_plural = _("pola kerja")

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.weekdays_display} {self.start_time}–{self.end_time}"


class StaffingRule(WeekdaysMixin, models.Model):
    """At least `min_present` of the unit's staff are present and not in training."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="staffing_rules", verbose_name=_("unit")
    )
    label = models.CharField(_("nama aturan"), max_length=120)
    weekdays = models.CharField(_("hari"), max_length=7, default="01234")
    start_time = models.TimeField(_("jam mulai"))
    end_time = models.TimeField(_("jam selesai"))
    min_present = models.PositiveIntegerField(_("minimal hadir"))
    valid_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "start_time", "id"]
        verbose_name = verbose_name_plural = _("aturan minimal petugas")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("scheduling:rule_list")


class PeakPeriod(models.Model):
    """A busy period to avoid (soft): e.g. the first week of the school year for Disdik."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="peak_periods",
        verbose_name=_("unit"),
        help_text=_("Kosong: berlaku untuk semua unit."),
    )
    label = models.CharField(_("nama"), max_length=120)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    penalty = models.PositiveIntegerField(_("bobot penghindaran"), default=10)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = verbose_name_plural = _("masa sibuk")

    def __str__(self) -> str:
        return self.label


class PlanStatus(models.TextChoices):
    QUEUED = "antre", _("Menunggu")
    RUNNING = "berjalan", _("Berjalan")
    DONE = "selesai", pgettext_lazy("status", "Selesai")
    FAILED = "gagal", _("Gagal")
    APPLIED = "diterapkan", _("Diterapkan")


class PlanRun(models.Model):
    """One run of the planner: the instance built from the database, and the plan it returned."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.QUEUED
    )
    batch_ids = models.JSONField(_("angkatan"), default=list)
    base_run = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replans",
        verbose_name=_("rencana asal"),
    )
    time_limit = models.PositiveIntegerField(_("batas waktu (detik)"), default=20)
    instance = models.JSONField(default=dict)
    plan = models.JSONField(null=True, blank=True)
    skipped = models.JSONField(_("angkatan dilewati"), default=list)
    objective = models.IntegerField(null=True, blank=True)
    bound = models.IntegerField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    clashes_avoided = models.PositiveIntegerField(_("bentrok yang dihindari"), default=0)
    n_employees = models.PositiveIntegerField(default=0)
    n_needs = models.PositiveIntegerField(default=0)
    n_windows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = user_ref()
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = verbose_name_plural = _("rencana jadwal")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scheduling:plan_detail", args=[self.pk])


class FeedKind(models.TextChoices):
    EMPLOYEE = "pegawai", _("Jadwal saya sebagai peserta")
    TRAINER = "fasilitator", _("Jadwal saya sebagai fasilitator")


class CalendarFeed(models.Model):
    """A secret URL for an iCalendar feed; revoking it makes the URL answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=FeedKind.choices)
    token = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = verbose_name_plural = _("umpan kalender")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("scheduling:ical_feed", args=[self.token])
