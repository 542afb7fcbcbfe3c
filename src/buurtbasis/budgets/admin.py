"""Budget rounds and plans in the Django admin (/beheer/), for platform admins.

Phases, assessments and outcomes change through the site, where every step is checked
and recorded; here they are shown read-only.
"""

from django.contrib import admin

from .models import (
    PHASE_ORDER,
    Assessment,
    AssessmentCriterion,
    BudgetRound,
    CategoryBudget,
    Phase,
    PhaseKind,
    Plan,
    PlanCostLine,
)
from .services import LOCKED_AFTER_VOTING


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ("kind", "starts_at", "ends_at")


class CategoryBudgetInline(admin.TabularInline):
    model = CategoryBudget
    extra = 0
    fields = ("category", "amount_cents")


class CriterionInline(admin.TabularInline):
    model = AssessmentCriterion
    extra = 0
    fields = ("position", "text")


@admin.register(BudgetRound)
class BudgetRoundAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "organisation",
        "phase",
        "is_public",
        "budget_cents",
        "ballot_type",
        "rule",
        "count_status",
        "created_at",
    )
    list_filter = ("phase", "is_public", "ballot_type", "rule", "count_status", "organisation")
    search_fields = ("title", "slug", "description")
    date_hierarchy = "created_at"
    filter_horizontal = ("areas",)
    raw_id_fields = ("created_by",)
    # The phase moves forwards through the site (checked and logged), the count and
    # the seed belong to the outcome: never typed in here.
    readonly_fields = (
        "phase",
        "tie_break_seed",
        "count_status",
        "count_request",
        "count_error",
        "count_requested_at",
        "count_started_at",
        "count_finished_at",
        "created_at",
        "updated_at",
    )
    inlines = [PhaseInline, CriterionInline, CategoryBudgetInline]
    list_select_related = ("organisation",)

    def get_readonly_fields(self, request, obj=None):
        """Once voting has started, what decides the outcome is locked here as on the site
        (``services.LOCKED_AFTER_VOTING``); so are the areas and the category limits."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and voting_started(obj):
            fields += sorted(LOCKED_AFTER_VOTING) + ["areas"]
        return fields

    def get_inlines(self, request, obj):
        if obj is not None and voting_started(obj):
            return [PhaseInline, CriterionInline]  # the limits count: not changed any more
        return super().get_inlines(request, obj)


def voting_started(budget_round: BudgetRound) -> bool:
    return budget_round.phase_index() >= PHASE_ORDER.index(PhaseKind.VOTING)


class CostLineInline(admin.TabularInline):
    model = PlanCostLine
    extra = 0
    fields = ("description", "amount_cents")


class AssessmentInline(admin.TabularInline):
    model = Assessment
    fk_name = "plan"
    extra = 0
    fields = ("created_at", "assessor", "status", "public_reason", "cost_after_cents")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "budget_round", "status", "cost_cents", "area", "created_at")
    list_filter = ("status", "category", "budget_round", "area")
    search_fields = ("title", "summary", "description", "submitted_by__email")
    list_select_related = ("budget_round", "area")
    raw_id_fields = ("submitted_by", "initiative", "partner_organisation", "merged_into", "area")
    # The status changes through the assessment (with a public reason and the audit trail).
    readonly_fields = ("status", "merged_into", "assessed_at", "created_at", "updated_at")
    inlines = [CostLineInline, AssessmentInline]

    def get_readonly_fields(self, request, obj=None):
        """The cost is on the ballot and counted: locked once voting has started."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and voting_started(obj.budget_round):
            fields += ["cost_cents", "submitted_cost_cents", "budget_round"]
        return fields

    def get_inlines(self, request, obj):
        if obj is not None and voting_started(obj.budget_round):
            return [AssessmentInline]
        return super().get_inlines(request, obj)
