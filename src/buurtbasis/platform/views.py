"""The ground floor's own pages: the error pages (handler403/404/500 in the root URLconf),
the notification list, the notification preferences, the follow button and the
municipality's theme stylesheet."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import notifications as service
from .context_processors import theme_for_request
from .forms import NotificationPreferencesForm
from .models import Notification, TenantHost
from .ratelimit import hit

PER_PAGE = 20


def _list_url(request) -> str:
    url = reverse("platform:notifications")
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url


@login_required
def notification_list(request):
    rows = Notification.objects.filter(recipient=request.user).only(
        "title", "text", "link", "created_at", "read_at", "kind"
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "platform/notifications/list.html",
        {"page_obj": page, "notifications": page.object_list},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    if not service.mark_read(user=request.user, notification_id=pk):
        raise Http404
    return redirect(_list_url(request))


@login_required
@require_POST
def mark_all_read(request):
    count = service.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(_list_url(request))


@login_required
def open_notification(request, pk: int):
    """Mark a notification read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    service.mark_read(user=request.user, notification_id=notification.pk)
    target = notification.link
    hosts = {request.get_host()}
    if "://" in target:
        # A municipality with a host name of its own gets absolute links (see notify()).
        port = urlsplit(target).port
        for host in TenantHost.objects.values_list("host", flat=True):
            hosts |= {host, f"{host}:{port}"} if port else {host}
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=hosts):
        return redirect("platform:notifications")
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = NotificationPreferencesForm(
        request.POST or None,
        initial_preferences=service.preferences_of(request.user),
        language=service.language_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        service.set_preferences(request.user, form.deliveries())
        service.set_language(request.user, form.cleaned_data["language"])
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("platform:notification-preferences")
    return render(request, "platform/notifications/preferences.html", {"form": form})


@require_POST
def toggle_follow(request):
    """Follow or stop following the object in ``target`` (``app_label.model:pk``)."""
    key = request.POST.get("target", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if not hit("follow", str(request.user.pk), limit=60, window=60):
        return HttpResponse(_("Too many requests. Please wait a minute."), status=429)
    try:
        obj = service.resolve_followable(key, request.user)
    except service.NotFollowable:
        raise Http404 from None
    if request.POST.get("action") == "unfollow":
        service.unfollow(user=request.user, obj=obj)
        following = False
    else:
        service.follow(user=request.user, obj=obj)
        following = True
    if getattr(request, "htmx", False):
        return render(
            request,
            "platform/_follow_button.html",
            {"target": key, "following": following, "next": next_url, "authenticated": True},
        )
    if following:
        messages.success(request, _("You are now following this. You will hear about changes."))
    else:
        messages.success(request, _("You no longer follow this."))
    return redirect(next_url)


# --- Error pages --------------------------------------------------------------------


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


@require_GET
def theme_css(request):
    """The municipality's colours as CSS custom properties (design tokens).

    A stylesheet instead of a style element in the page, so a strict Content-Security-Policy
    (``style-src 'self'``) holds. Colours are validated before they get here (``#rrggbb`` only),
    so nothing from the tenant's settings can break out of the declaration. Pages link it with
    ``?v=<version>``, so it may be cached for a day.
    """
    theme = theme_for_request(request)
    body = (
        "/* Buurtbasis: colours of this municipality. */\n"
        ":root {\n"
        f"  --bb-colour-primary: {theme.primary_colour};\n"
        f"  --bb-colour-primary-dark: {theme.primary_colour_dark};\n"
        "}\n"
    )
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    response["Vary"] = "Host"
    return response
