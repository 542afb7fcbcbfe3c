"""Read-only admin: the ledger is changed through its services only (append-only)."""

from django.contrib import admin

from buurtbasis.platform.admin import ReadOnlyAdmin

from .models import Grant, HostingAgreement, LedgerEntry, LedgerTransaction


@admin.register(HostingAgreement)
class HostingAgreementAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "host", "state", "start_date", "fee_basis_points"]
    list_filter = ["state"]
    search_fields = ["initiative__name", "host__name"]


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["label", "initiative", "host", "source", "budget_cents"]
    list_filter = ["source"]
    search_fields = ["label", "initiative__name"]


class EntryInline(admin.TabularInline):
    model = LedgerEntry
    fields = ["account", "amount_cents"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["date", "description", "kind", "initiative", "earmark_delta_cents"]
    list_filter = ["kind"]
    search_fields = ["description", "initiative__name"]
    inlines = [EntryInline]
