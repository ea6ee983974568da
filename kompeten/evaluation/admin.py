from django.contrib import admin

from kompeten.evaluation.models import (
    BankItem,
    Benefit,
    HourlyCostRate,
    HourlyCostTable,
    Instrument,
    Item,
)


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = [
        "order",
        "section",
        "kind",
        "text",
        "options",
        "correct",
        "points",
        "aspect",
        "roi_role",
        "required",
    ]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "phase", "form_label", "version", "status"]
    list_filter = ["kind", "status"]
    inlines = [ItemInline]


@admin.register(BankItem)
class BankItemAdmin(admin.ModelAdmin):
    list_display = ["text", "programme", "kind", "points", "is_active"]


class RateInline(admin.TabularInline):
    model = HourlyCostRate
    extra = 0


@admin.register(HourlyCostTable)
class HourlyCostTableAdmin(admin.ModelAdmin):
    list_display = ["name", "effective_from", "source", "confidence"]
    inlines = [RateInline]


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "kind", "isolation"]
