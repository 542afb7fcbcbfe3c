from django.conf import settings
from django.utils import translation


class DutchFirstLocaleMiddleware:
    """Dutch unless the visitor chose another language with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language header; a
    municipal platform is Dutch by default, so only the language cookie (set by
    the switch in the page header) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class ContentSecurityPolicyMiddleware:
    """Send ``settings.CONTENT_SECURITY_POLICY`` with every response.

    Scripts and styles come only from our own static files: no inline ``<script>``,
    no ``on...=`` handlers, no ``style=`` attributes (tests/test_content_security_policy.py
    scans the templates). htmx runs with ``allowEval`` and its injected indicator
    styles switched off (the ``htmx-config`` meta tag in base.html). A view that needs
    another policy sets the header itself; it is then left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = "; ".join(
            f"{name} {value}".strip()
            for name, value in settings.CONTENT_SECURITY_POLICY.items()
            if value is not None
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Content-Security-Policy", self.header)
        return response
