"""``{% follow_button obj %}``: follow or stop following an object, on any page.

A plain POST form (works without JavaScript, CSRF-protected), swapped in place by
htmx when it is there. The object's model must be registered with
``notifications.register_followable``.
"""

from django import template

from ..notifications import followable_key, is_following

register = template.Library()


@register.inclusion_tag("platform/_follow_button.html", takes_context=True)
def follow_button(context, obj, label=""):
    request = context.get("request")
    user = getattr(request, "user", None)
    authenticated = bool(getattr(user, "is_authenticated", False))
    return {
        "csrf_token": context.get("csrf_token"),
        "target": followable_key(obj),
        "following": authenticated and is_following(user, obj),
        "authenticated": authenticated,
        "next": request.get_full_path() if request is not None else "/",
        "label": label or str(obj),
    }
