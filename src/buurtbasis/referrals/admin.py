"""The social map in the admin. Referrals are not here on purpose: their details are for
the receiving organisation's professionals only (see docs/referrals.md)."""

from django.contrib import admin

from .models import Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "domain", "municipality_code", "active")
    list_filter = ("municipality_code", "domain", "active")
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("areas",)
