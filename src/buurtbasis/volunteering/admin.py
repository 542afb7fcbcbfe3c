from django.contrib import admin

from .models import HoursEntry, KeyRole, Shift, Task


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "initiative", "area", "is_open", "created_at"]
    list_filter = ["is_open"]
    search_fields = ["title", "initiative__name"]
    raw_id_fields = ["initiative", "area", "created_by"]
    inlines = [ShiftInline]


@admin.register(KeyRole)
class KeyRoleAdmin(admin.ModelAdmin):
    list_display = ["initiative", "role", "user", "since", "until"]
    list_filter = ["role"]
    raw_id_fields = ["initiative", "user", "recorded_by"]


@admin.register(HoursEntry)
class HoursEntryAdmin(admin.ModelAdmin):
    list_display = ["initiative", "user", "date", "minutes", "state"]
    list_filter = ["state"]
    raw_id_fields = ["initiative", "user", "shift", "entered_by", "confirmed_by"]
