from django.contrib import admin

from kompeten.service.models import (
    Complaint,
    CutiBersama,
    Questionnaire,
    Service,
    ServiceUnit,
    SlaSetting,
)


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0


@admin.register(ServiceUnit)
class ServiceUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "unit", "population", "requires_ticket", "is_active")
    search_fields = ("name", "code")
    inlines = [ServiceInline]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "base")


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("tracking_number", "unit", "category", "status", "received_at")
    list_filter = ("status", "category")
    search_fields = ("tracking_number",)
    raw_id_fields = ("officer", "unit")

    def has_change_permission(self, request, obj=None):
        return False  # writes go through the actions (lifecycle, audit log)


admin.site.register(CutiBersama)
admin.site.register(SlaSetting)
