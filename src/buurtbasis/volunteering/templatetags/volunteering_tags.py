"""Show minutes as hours ("2,5" in Dutch, "2.5" in English)."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """``150|hours`` → "2,5"; whole hours without decimals."""
    try:
        minutes = int(minutes or 0)
    except (TypeError, ValueError):
        return ""
    if minutes % 60 == 0:
        return number_format(minutes // 60)
    return number_format(round(minutes / 60, 1), decimal_pos=1)


@register.filter
def hour_count(minutes) -> int:
    """The count that picks the singular or plural form for a number of hours: 1 only
    for exactly one hour ("1 hour", "één uur"), otherwise the plural ("1,5 uur")."""
    try:
        return 1 if int(minutes or 0) == 60 else 2
    except (TypeError, ValueError):
        return 2
