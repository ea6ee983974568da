"""Evaluation reports: cycles, recommendations and their follow-up, narratives, stored files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kompeten.core.models import Instansi, User, user_ref
from kompeten.learning.models import Programme
from kompeten.people.models import Unit


class CycleKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Triwulan")
    SEMESTER = "semester", _("Semester")
    YEARLY = "yearly", _("Tahunan")


class CycleStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    READY = "ready", _("Siap")
    FAILED = "failed", _("Gagal")


class ReportSettings(models.Model):
    """Per instansi: the logo on the report cover and which evaluation cycles run."""

    instansi = models.OneToOneField(Instansi, on_delete=models.CASCADE, related_name="+")
    logo = models.FileField(_("logo Pemda"), upload_to="laporan/logo/", blank=True)
    cycle_kinds = models.JSONField(_("siklus evaluasi"), default=list, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("pengaturan laporan")

    def __str__(self) -> str:
        return f"Pengaturan laporan {self.instansi_id}"

    @property
    def kinds(self) -> list[str]:
        return (
            list(self.cycle_kinds) if self.cycle_kinds else [CycleKind.SEMESTER, CycleKind.YEARLY]
        )


class ReportCycle(models.Model):
    """A city-wide evaluation report over one period (triwulan, semester or year).

    ``data`` is the assembled report, frozen when generated: its figures stay locked.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=CycleKind.choices)
    code = models.CharField(_("periode"), max_length=10)  # 2026, 2026-S1, 2026-Q3
    period_start = models.DateField(_("mulai"))
    period_end = models.DateField(_("selesai"))
    status = models.CharField(
        _("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.PENDING
    )
    generated_at = models.DateTimeField(_("dibuat"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_end", "kind"]
        verbose_name = verbose_name_plural = _("siklus evaluasi")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "code"], name="report_cycle_code_unique")
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("reports:cycle", args=[self.code])


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
    DONE = "done", pgettext_lazy("status", "Selesai")
    DROPPED = "dropped", _("Dibatalkan")


# a recommendation's subject (the OPD, unit or item a rule's finding is about), as stored
SUBJECT_MAX = 120


class Recommendation(models.Model):
    """A recommendation a rule produced, with the numbers that triggered it and its follow-up."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(
        ReportCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="recommendations"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rule_id = models.CharField(_("aturan"), max_length=60)
    subject = models.CharField(_("pokok"), max_length=SUBJECT_MAX, blank=True)
    text = models.TextField(_("rekomendasi"))
    evidence = models.JSONField(_("bukti"), default=dict)
    owner_user = user_ref()
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "-created", "id"]
        verbose_name = verbose_name_plural = _("rekomendasi")
        indexes = [models.Index(fields=["instansi", "status"])]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("reports:recommendation", args=[self.pk])

    @classmethod
    def finding(cls, hit: Mapping[str, Any]) -> tuple[str, str]:
        """(rule, subject) of a rule's hit as a recommendation stores it (the subject cut to
        its column): what tells a finding already tracked from a new one."""
        return hit["rule_id"], hit["subject"][:SUBJECT_MAX]

    @property
    def shown_text(self) -> str:
        """The recommendation in the reader's language, written from its evidence; the stored
        text (in the site's language) for a row stored before its evidence held every figure."""
        from kompeten.reports.rules import sentence  # the rules read the impact estimator

        return sentence(self.rule_id, self.evidence) or self.text

    @property
    def shown_subject(self) -> str:
        from kompeten.reports.rules import subject_text

        return subject_text(self.rule_id, self.subject)

    @property
    def owner_label(self) -> str:
        if self.owner_user_id and self.owner_user is not None:
            return str(self.owner_user)
        if self.owner_unit_id and self.owner_unit is not None:
            return self.owner_unit.display_name
        return ""


# the history note of a recommendation a rule created (stored as is, shown translated)
RULE_NOTE = "Dibuat oleh aturan"


class RecommendationEvent(models.Model):
    """History of a recommendation: status, owner and due-date changes, with a note."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="history"
    )
    status = models.CharField(max_length=12, choices=RecommendationStatus.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    actor = user_ref()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.status}"

    @property
    def shown_note(self) -> str:
        return gettext("Dibuat oleh aturan") if self.note == RULE_NOTE else self.note


class ReportNarrative(models.Model):
    """An admin's paragraph for one section of a report; every edit is a new version."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=40)  # "programme:12" or "cycle:2026-S1"
    section = models.CharField(_("bagian"), max_length=30)
    version = models.PositiveIntegerField(default=1)
    text = models.TextField(_("paragraf"))
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scope", "section", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "scope", "section", "version"], name="narrative_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.section} v{self.version}"


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class GeneratedReport(models.Model):
    """A rendered report file, with the SHA-256 of its bytes (so a copy can be verified)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=40)
    format = models.CharField(max_length=5, choices=ReportFormat.choices)
    file = models.FileField(upload_to="laporan/%Y/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    data_hash = models.CharField(max_length=64)
    generated_at = models.DateTimeField(auto_now_add=True)
    generated_by = user_ref()

    class Meta:
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["instansi", "scope", "format"])]

    def __str__(self) -> str:
        return f"{self.scope}.{self.format} {self.sha256[:12]}"


class DashboardSnapshot(models.Model):
    """The leadership dashboard's figures, computed by the worker from the rollups."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "year"], name="dashboard_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"Dasbor {self.year} ({self.computed_at:%Y-%m-%d %H:%M})"
