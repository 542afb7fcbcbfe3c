"""Production settings for the benchmark server, with one difference: static files
are served from the source folders (no collectstatic run before every benchmark).
Everything else (DEBUG off, cached templates, middleware, database) is as deployed."""

from buurtbasis.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
