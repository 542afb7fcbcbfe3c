"""Ground-floor views: the per-municipality theme stylesheet."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .context_processors import theme_for_request


@require_GET
def theme_css(request):
    """The municipality's colours as CSS custom properties (design tokens).

    A stylesheet instead of an inline ``<style>``, so a strict Content-Security-Policy
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
