from django.contrib import admin

from .models import Tenant, TenantHost


class TenantHostInline(admin.TabularInline):
    model = TenantHost
    extra = 1


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "slug", "is_active"]
    search_fields = ["name", "cbs_code", "slug", "hosts__host"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TenantHostInline]
