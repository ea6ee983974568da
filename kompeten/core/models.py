"""Tenancy, users, roles and the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Instansi(models.Model):
    """One Pemda (kota, kabupaten or provinsi): the tenant every other row belongs to."""

    class Kind(models.TextChoices):
        KOTA = "kota", _("Kota")
        KABUPATEN = "kabupaten", _("Kabupaten")
        PROVINSI = "provinsi", _("Provinsi")

    name = models.CharField(_("nama"), max_length=200)
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.KOTA)
    bps_code = models.CharField(_("kode BPS"), max_length=10, blank=True)
    province = models.CharField(_("provinsi"), max_length=100, blank=True)
    is_synthetic = models.BooleanField(
        _("data sintetis"), default=False, help_text=_("Organisasi dan orang fiktif untuk demo.")
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin BKPSDM")
    PENGELOLA = "pengelola", _("Pengelola OPD")
    FASILITATOR = "fasilitator", _("Fasilitator")
    PIMPINAN = "pimpinan", _("Pimpinan")
    PEGAWAI = "pegawai", pgettext_lazy("role", "Pegawai")


class User(AbstractUser):
    """A login. ASN log in with their NIP as username; the atasan role is derived, not stored."""

    instansi = models.ForeignKey(
        Instansi, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.PEGAWAI)
    employee = models.OneToOneField(
        "people.Employee",
        on_delete=models.SET_NULL,
        related_name="user",
        null=True,
        blank=True,
        verbose_name=_("pegawai"),
    )
    managed_unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.SET_NULL,
        related_name="managers",
        null=True,
        blank=True,
        verbose_name=_("OPD yang dikelola"),
    )
    must_change_password = models.BooleanField(
        _("wajib ganti kata sandi"),
        default=False,
        help_text=_("Kata sandi diberikan orang lain: pengguna wajib menggantinya saat masuk."),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_pimpinan(self) -> bool:
        return self.role == Role.PIMPINAN

    @property
    def is_pengelola(self) -> bool:
        return self.role == Role.PENGELOLA and self.managed_unit_id is not None

    @property
    def is_fasilitator(self) -> bool:
        return self.role == Role.FASILITATOR


def user_ref(**options: Any) -> models.ForeignKey[User | None, User | None]:
    """The user who created, changed or answers for a row (``created_by``, ``actor``,
    ``reviewed_by`` …): optional, NULL once the account is deleted, no reverse accessor."""
    return models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", **options
    )


class AppendOnlyQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only")


class AuditLog(models.Model):
    """Append-only record of who changed what (before and after)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, null=True, blank=True)
    actor = user_ref()
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = verbose_name_plural = _("jejak audit")

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("audit_log") + f"?object_type={self.object_type}&object_id={self.object_id}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only")


class WorkerHeartbeat(models.Model):
    """Last sign of life of each background worker process (read by /health)."""

    worker_id = models.CharField(max_length=64, unique=True)
    last_seen = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class PeriodicRun(models.Model):
    """When each periodic job was last enqueued by the worker's scheduler."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- the import engine (kompeten.core.importing) ------------------------------------------


class ImportRun(models.Model):
    """One committed import: who ran which declaration on which file, with what mapping."""

    class Status(models.TextChoices):
        DONE = "done", pgettext_lazy("import run", "Selesai")
        PARTIAL = "partial", _("Sebagian (ada baris tertunda)")

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    user = user_ref()
    declaration = models.CharField(_("jenis impor"), max_length=40, db_index=True)
    filename = models.CharField(_("nama berkas"), max_length=255)
    source = models.CharField(_("sumber"), max_length=40, blank=True)
    options = models.JSONField(default=dict, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    # the file's column headers in the file's order: a JSON object's keys keep no order on
    # PostgreSQL (jsonb), and the pending-row page shows the cells as the file had them
    headers = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DONE)
    counts = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = verbose_name_plural = _("impor")

    def __str__(self) -> str:
        return f"{self.declaration}: {self.filename}"


class PendingRow(models.Model):
    """A row kept aside by an import (a unit not in the tree, a NIP damaged by Excel, a
    problem): never lost, completed by hand or automatically when the missing piece arrives."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="pending_rows")
    row_number = models.PositiveIntegerField(_("baris"))
    values = models.JSONField(_("isi baris"), default=dict)
    reason = models.CharField(_("alasan"), max_length=40, db_index=True)
    message = models.TextField(_("keterangan"), blank=True)
    # the record the row stands for, as its declaration names it (a complaint's tracking
    # number): a later import's row of the same key replaces this one
    key = models.CharField(max_length=100, blank=True, default="")
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolved_by = user_ref()

    class Meta:
        ordering = ["run_id", "row_number", "id"]
        verbose_name = verbose_name_plural = _("baris tertunda")

    def __str__(self) -> str:
        return f"{self.run_id}:{self.row_number} {self.reason}"


class ImportMapping(models.Model):
    """The column mapping last confirmed for an instansi, a declaration and a source."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    declaration = models.CharField(max_length=40)
    source = models.CharField(max_length=40, blank=True)
    mapping = models.JSONField(default=dict)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["declaration", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "declaration", "source"], name="import_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.declaration}/{self.source or '-'}"


class PasswordLink(models.Model):
    """A one-time link to set a password: an account's activation or an admin-issued reset.

    Only the SHA-256 of the link's secret is kept; the secret is shown once, when issued.
    """

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Aktivasi akun")
        RESET = "reset", _("Atur ulang sandi")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_links")
    purpose = models.CharField(_("keperluan"), max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(_("berlaku sampai"))
    used = models.DateTimeField(_("dipakai"), null=True, blank=True)
    issued_by = user_ref()

    class Meta:
        ordering = ["-created"]
        verbose_name = verbose_name_plural = _("tautan kata sandi")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.user_id}"


class RateCounter(models.Model):
    """One fixed-window rate-limit counter (kompeten.core.counters): a salted hash of the bucket
    (never an address), the window it counts, the count, and when it may be deleted (Unix
    seconds). Written only by one atomic upsert per hit."""

    key = models.CharField(max_length=40, primary_key=True)
    period = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.count} in window {self.period}"
