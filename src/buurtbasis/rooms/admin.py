from django.contrib import admin

from .models import AvailabilityWindow, Blackout, Booking, Room


class WindowInline(admin.TabularInline):
    model = AvailabilityWindow
    extra = 0


class BlackoutInline(admin.TabularInline):
    model = Blackout
    extra = 0


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "area", "capacity", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "address", "organisation__name"]
    inlines = [WindowInline, BlackoutInline]
    raw_id_fields = ["organisation", "area"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-only: decisions go through the site (and its audit trail)."""

    list_display = ["title", "room", "initiative", "starts_at", "status"]
    list_filter = ["status"]
    search_fields = ["title", "room__name", "initiative__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
