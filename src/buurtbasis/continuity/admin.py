"""Admin: read-only. Searches, responses and hand-overs change through their services
(every decision is audited; completing a hand-over changes the initiators)."""

from django.contrib import admin

from buurtbasis.platform.admin import ReadOnlyAdmin

from .models import HandOver, Succession


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "is_open", "created_at", "closed_at"]
    list_filter = ["is_open"]
    list_select_related = ["initiative"]
    exclude = ["reason"]  # private to the initiators and the community worker


@admin.register(HandOver)
class HandOverAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "role_title", "status", "started_at", "completed_at"]
    list_filter = ["status"]
    list_select_related = ["initiative"]
