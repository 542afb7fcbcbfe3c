from django.contrib import admin

from .models import Area, Indicator, IndicatorValue


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "year", "parent")
    list_filter = ("level", "year")
    search_fields = ("name", "code", "slug")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    readonly_fields = ("boundary",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("key", "title_nl", "title_en", "unit_nl", "decimals", "kind", "table_id")
    list_filter = ("kind", "table_id")
    search_fields = ("key", "title_nl", "title_en")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("area", "indicator", "year", "value", "missing_reason", "source")
    list_filter = ("year", "missing_reason", "indicator")
    search_fields = ("area__name", "area__code", "indicator__key")
    list_select_related = ("area", "indicator")
    raw_id_fields = ("area", "indicator")
