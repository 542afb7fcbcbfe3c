from django import template
from django.utils.translation import get_language

from ..money import format_euros

register = template.Library()


@register.filter
def euros(cents):
    """Show integer cents as euros in the current language: ``{{ plan.cost_cents|euros }}``."""
    if cents in (None, ""):
        return ""
    return format_euros(int(cents), language=get_language() or "nl")


@register.filter
def percent_of(part, whole):
    """``{{ spent|percent_of:budget }}`` → a whole percentage (0 when whole is 0)."""
    try:
        return round(100 * int(part) / int(whole)) if int(whole) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dicts keyed by strings or ints."""
    if not mapping:
        return None
    if key in mapping:
        return mapping[key]
    return mapping.get(str(key))


@register.inclusion_tag("budgets/_dashboard.html", takes_context=True)
def budgets_dashboard(context, limit: int = 10):
    """The buurtbudget part of "my dashboard": my plans with status and reason, and
    (for civil servants) the rounds I manage. Two or three queries, whatever the counts.

    Usage in a template: ``{% load budgets_tags %}{% budgets_dashboard %}``
    """
    from django.db.models import Q

    from buurtbasis.platform.tenancy import get_tenant

    from ..access import municipalities_managed_by
    from ..models import BudgetRound, Plan

    user = context["request"].user
    if not user.is_authenticated:
        return {"plans": [], "rounds": []}
    code = get_tenant(context["request"]).cbs_code
    in_tenant = BudgetRound.objects.in_municipality(code).values("pk")
    plans = (
        Plan.objects.filter(Q(submitted_by=user) | Q(initiative__members=user))
        .filter(budget_round__in=in_tenant)
        .distinct()
        .select_related("budget_round", "merged_into")
        .order_by("-updated_at")[:limit]
    )
    managed = [o.pk for o in municipalities_managed_by(user)]
    rounds = (
        BudgetRound.objects.filter(organisation_id__in=managed)
        .in_municipality(code)
        .order_by("-created_at")[:limit]
        if managed
        else []
    )
    return {"plans": plans, "rounds": rounds, "request": context["request"]}
