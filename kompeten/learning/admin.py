"""Read-mostly admin for the learning app (writes go through the app's own pages and actions)."""

from django.contrib import admin

from kompeten.learning import models


@admin.register(models.Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group", "instansi", "is_active")
    list_filter = ("group", "instansi")
    search_fields = ("code", "name")


@admin.register(models.AkpCampaign)
class AkpCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "opens_at", "closes_at", "status", "instansi")
    list_filter = ("status", "instansi")


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "learning_type", "total_jp", "status", "instansi")
    list_filter = ("status", "learning_type", "instansi")
    search_fields = ("code", "title")


@admin.register(models.Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("title", "campaign", "vote_count", "comment_count", "status")
    list_filter = ("status", "campaign")
    search_fields = ("title",)
    readonly_fields = ("vote_count", "comment_count")


@admin.register(models.Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "programme", "start_date", "end_date", "status")
    list_filter = ("status",)


@admin.register(models.Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "institution", "is_active")
    list_filter = ("kind",)
