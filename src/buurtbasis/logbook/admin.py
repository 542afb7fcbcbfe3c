"""Admin: departments are kept here; the logbook and signals change through their services
only (the logbook is append-only, every status change is audited), so they are read-only."""

from django.contrib import admin

from buurtbasis.platform.admin import ReadOnlyAdmin

from .models import Department, LogEntry, Signal


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality_code"]
    list_filter = ["municipality_code"]
    search_fields = ["name"]


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ["happened_on", "kind", "title", "area", "audience", "for_handover"]
    list_filter = ["kind", "audience", "municipality_code"]
    search_fields = ["title", "body"]
    list_select_related = ["area"]


@admin.register(Signal)
class SignalAdmin(ReadOnlyAdmin):
    list_display = ["title", "area", "department", "status", "urgency", "due_at"]
    list_filter = ["status", "urgency", "municipality_code"]
    search_fields = ["title"]
    list_select_related = ["area", "department"]
    exclude = ["stories"]  # shown on the signal's page, only as visible, masked stories
