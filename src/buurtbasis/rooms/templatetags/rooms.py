from django import template
from django.utils.translation import get_language

from buurtbasis.platform.money import format_euros

register = template.Library()


@register.filter
def euros(cents):
    """Integer cents as an amount in euros in the page's language."""
    if cents in (None, ""):
        return ""
    return format_euros(int(cents), language=get_language() or "nl")
