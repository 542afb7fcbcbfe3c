"""Admin pages of the ground floor: the audit trail (read-only), failed background tasks,
and the municipalities (tenants)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from buurtbasis.platform.models import (
    AuditEvent,
    FailedTask,
    ScheduledJobRun,
    Tenant,
    TenantHost,
)
from buurtbasis.platform.tasks import requeue_failed


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through their services (ballots, the ledger): the
    admin shows them and never adds, changes or deletes one."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequeuedFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "requeued"

    def lookups(self, request, model_admin):
        return [("no", _("Waiting for action")), ("yes", _("Enqueued again"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(requeued_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(requeued_at__isnull=False)
        return queryset


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    """Tasks that used up their attempts, with their error; admins can enqueue them again."""

    list_display = (
        "task_name",
        "failed_at",
        "attempts",
        "exception_class_path",
        "message",
        "requeued_at",
    )
    list_filter = (RequeuedFilter, "task_path", "queue_name")
    search_fields = ("task_path", "exception_class_path", "message")
    actions = ["enqueue_again"]
    readonly_fields = (
        "task_path",
        "args_kwargs",
        "queue_name",
        "backend_name",
        "priority",
        "attempts",
        "failed_at",
        "exception_class_path",
        "message",
        "formatted_traceback",
        "requeued_at",
        "requeued_by",
        "requeued_result_id",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("task"))
    def task_name(self, obj: FailedTask) -> str:
        return obj.task_name

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj: FailedTask) -> str:
        return format_html("<pre>{}</pre>", obj.traceback or "-")

    @admin.action(description=_("Enqueue the selected tasks again"), permissions=["requeue"])
    def enqueue_again(self, request, queryset):
        done = 0
        for failed in queryset:
            try:
                requeue_failed(failed, actor=request.user)
            except ValueError as exc:
                self.message_user(
                    request,
                    _("%(task)s was not enqueued again: %(reason)s")
                    % {"task": failed, "reason": exc},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d task enqueued again.", "%(count)d tasks enqueued again.", done)
                % {"count": done},
                messages.SUCCESS,
            )

    def has_requeue_permission(self, request) -> bool:
        return request.user.has_perm("platform.requeue_failedtask")


@admin.register(ScheduledJobRun)
class ScheduledJobRunAdmin(admin.ModelAdmin):
    """When each scheduled job was last enqueued (by manage.py enqueue_scheduled)."""

    list_display = ("name", "last_enqueued_at", "last_result_id")
    readonly_fields = list_display
    fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only: nobody adds, changes or deletes entries here."""

    list_display = ["created_at", "action", "actor", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_type", "object_id", "object_repr"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TenantHostInline(admin.TabularInline):
    model = TenantHost
    extra = 1


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    """The municipalities this installation serves, with their host names."""

    list_display = ["name", "cbs_code", "slug", "is_active"]
    search_fields = ["name", "cbs_code", "slug", "hosts__host"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TenantHostInline]
