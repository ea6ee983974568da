from django.contrib import admin

from kompeten.participation import models


@admin.register(models.Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["employee", "batch", "status", "source", "invited_at", "completed_at"]
    list_filter = ["status", "source", "decline_reason"]
    search_fields = ["employee__nip", "employee__name"]
    raw_id_fields = ["employee", "batch"]


@admin.register(models.CompletionRule)
class CompletionRuleAdmin(admin.ModelAdmin):
    list_display = ["programme", "min_attendance_pct", "requires_posttest"]


@admin.register(models.JpEntry)
class JpEntryAdmin(admin.ModelAdmin):
    list_display = ["employee", "year", "date", "minutes", "group", "form", "source"]
    list_filter = ["year", "group", "source"]
    raw_id_fields = ["employee", "enrolment", "external"]


@admin.register(models.ExternalCertificate)
class ExternalCertificateAdmin(admin.ModelAdmin):
    list_display = ["employee", "title", "status", "created"]
    list_filter = ["status"]
    raw_id_fields = ["employee"]


@admin.register(models.PointPolicy)
class PointPolicyAdmin(admin.ModelAdmin):
    list_display = ["instansi", "per_jp", "completion", "badge_min_points"]


@admin.register(models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "employee", "kind", "year", "issued_at"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "employee__nip"]
    raw_id_fields = ["employee", "enrolment"]
