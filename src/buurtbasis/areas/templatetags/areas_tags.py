from django import template

from buurtbasis.areas.maps import describe_value, format_value
from buurtbasis.areas.services import missing_label

register = template.Library()


@register.filter
def figure(value, indicator=None):
    """An IndicatorValue as text: grouped digits, the indicator's decimals, no sentinel."""
    if value is None or value.value is None:
        return missing_label(value)
    return format_value(value.value, indicator or value.indicator)


@register.filter
def figure_with_unit(value, indicator):
    """Like ``figure`` plus the unit (except plain counts)."""
    return describe_value(value, indicator)


@register.filter
def percent(number):
    """A share such as Decimal('3.2') as ``3,2%`` in Dutch."""
    if number is None:
        return ""
    return f"{format_value(number, _OneDecimal)}%"


class _OneDecimal:
    decimals = 1
