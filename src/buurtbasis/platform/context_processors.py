from django.conf import settings


def site(request):
    """Values every template may use."""
    return {"SITE_NAME": "Buurtbasis", "SITE_URL": settings.SITE_URL}


def notifications(request):
    """``unread_notifications``: the unread count for the page header.

    A callable, so the COUNT query only runs when a template shows it, and at most
    once per request.
    """

    def unread() -> int:
        if not hasattr(request, "_unread_notifications"):
            from .notifications import unread_count

            request._unread_notifications = unread_count(getattr(request, "user", None))
        return request._unread_notifications

    return {"unread_notifications": unread}
