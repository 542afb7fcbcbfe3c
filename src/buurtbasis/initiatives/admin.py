from django.contrib import admin

from .models import Initiative, StatusChange, TargetGroup, Theme


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ("changed_on", "from_status", "to_status", "changed_by", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # The lifecycle is changed through the site, so that every step is recorded.
        return False


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "host_organisation", "is_public", "updated_at")
    list_filter = ("status", "is_public", "needs_host", "needs_money", "themes", "areas")
    search_fields = ("name", "pitch", "description", "contact_email")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("areas", "themes", "target_groups", "members")
    raw_id_fields = ("created_by",)
    readonly_fields = ("status", "started_on", "ended_on", "created_at", "updated_at")
    inlines = [StatusChangeInline]


@admin.register(Theme, TargetGroup)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "name", "slug")
    search_fields = ("name", "slug")
