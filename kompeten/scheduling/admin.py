from django.contrib import admin

from kompeten.scheduling import models


@admin.register(models.DutyEntry)
class DutyEntryAdmin(admin.ModelAdmin):
    list_display = ["employee", "kind", "start", "end", "repeat_until"]
    list_filter = ["kind"]
    raw_id_fields = ["employee"]


@admin.register(models.StaffingRule)
class StaffingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "unit",
        "weekdays",
        "start_time",
        "end_time",
        "min_present",
        "is_active",
    ]


@admin.register(models.PeakPeriod)
class PeakPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "unit", "start_date", "end_date", "penalty"]


@admin.register(models.PlanRun)
class PlanRunAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "objective", "bound", "gap", "created"]
    exclude = ["instance", "plan"]
