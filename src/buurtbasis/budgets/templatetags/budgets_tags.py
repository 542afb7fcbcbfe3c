from django import template
from django.utils.translation import get_language

from buurtbasis.platform.money import format_euros

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
    """The buurtbudget block of "my dashboard" (see ``budgets.dashboard``).

    Usage in a template: ``{% load budgets_tags %}{% budgets_dashboard %}``
    """
    from ..dashboard import my_budget_block

    return {"block": my_budget_block(context["request"], limit=limit) or {}}
