"""Template helpers of expenses: the named access predicates, never ad-hoc checks."""

from django import template

from buurtbasis.hosting import access

register = template.Library()


@register.simple_tag(takes_context=True)
def is_finance_officer(context, host) -> bool:
    """``{% is_finance_officer host as officer %}``: may the visitor pay for this host?"""
    request = context.get("request")
    return request is not None and access.is_finance_officer(request.user, host)
