from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from buurtbasis.accounts.admin import UserAdmin
from buurtbasis.accounts.models import User
from buurtbasis.platform.audit import Origin, record_event

from .models import Membership, Organisation, Role


def audit_membership(request, membership, action: str) -> None:
    """Granting and removing roles is recorded: least privilege needs a trail."""
    record_event(
        action=action,
        target=membership.organisation,
        details={"user_id": membership.user_id, "role": membership.role},
        origin=Origin.from_request(request),
    )


class AuditedMembershipFormsetMixin:
    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for membership in formset.deleted_objects:
            audit_membership(request, membership, "organisations.role_removed")
            membership.delete()
        for membership in instances:
            is_new = membership.pk is None
            membership.save()
            audit_membership(
                request,
                membership,
                "organisations.role_granted" if is_new else "organisations.role_changed",
            )
        formset.save_m2m()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedMembershipFormsetMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "member_count", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "email"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    filter_horizontal = ["areas"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__display_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = "organisations.role_changed" if change else "organisations.role_granted"
        audit_membership(request, obj, action)

    def delete_model(self, request, obj):
        audit_membership(request, obj, "organisations.role_removed")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            audit_membership(request, membership, "organisations.role_removed")
        super().delete_queryset(request, queryset)


# --- Roles on the user admin (accounts sits below organisations) -------------------------


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(memberships__role=self.value()).distinct()
        return queryset


class UserMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "created_at"]
    readonly_fields = ["created_at"]


class UserWithRolesAdmin(AuditedMembershipFormsetMixin, UserAdmin):
    """The user admin of accounts, with the person's memberships and a role filter."""

    list_filter = [RoleFilter, *UserAdmin.list_filter]
    inlines = [*UserAdmin.inlines, UserMembershipInline]


admin.site.unregister(User)
admin.site.register(User, UserWithRolesAdmin)
