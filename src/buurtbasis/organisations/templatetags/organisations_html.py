"""Render user-written descriptions safely."""

import nh3
from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise_html(value: str) -> str:
    """Keep simple formatting and links; drop scripts, styles and event handlers.

    >>> sanitise_html('<p onclick="x()">Hoi <script>alert(1)</script><b>buurt</b></p>')
    '<p>Hoi <b>buurt</b></p>'
    """
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@register.filter
def rich_text(value: str) -> str:
    """Plain text becomes paragraphs; HTML is sanitised."""
    value = value or ""
    if "<" not in value:
        return linebreaks_filter(value, autoescape=True)
    return mark_safe(sanitise_html(value))  # noqa: S308 - sanitised by nh3 above
