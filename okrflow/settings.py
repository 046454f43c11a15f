"""Settings for okrflow, read from environment variables.

The embedded shape (default) needs nothing set: a SQLite file in the working directory.
The scaled shape sets OKRFLOW_DATABASE_URL (PostgreSQL), OKRFLOW_REDIS_URL and the rest.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("OKRFLOW_DATA_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable; a wrong value stops the start with its name."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not “{value}”.") from None


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("OKRFLOW_DEBUG", False)
# The embedded default key is public: only for a local demo. okrflow.wsgi (gunicorn, runserver)
# refuses to serve with it when debug is off; commands that serve no one (migrate, okrs, check)
# still run with it.
DEMO_SECRET_KEY = "okrflow-embedded-demo-key-change-me-in-production"
SECRET_KEY = os.environ.get("OKRFLOW_SECRET_KEY", "").strip() or DEMO_SECRET_KEY
ALLOWED_HOSTS = env_list("OKRFLOW_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("OKRFLOW_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "okrflow.audit",
    "okrflow.org",
    "okrflow.cycles",
    "okrflow.okrs",
    "okrflow.checkins",
    "okrflow.insights",
    "okrflow.library",
    "okrflow.front",
    "okrflow.administration",
    "okrflow.account",
    "okrflow.signin",
    "okrflow.demo",
    "okrflow.backup",
    "okrflow.api",
    # django-ninja's templates and static files: the API docs page is served from them, no CDN.
    "ninja",
    "okrflow.background",
    "okrflow.webhooks",
    "okrflow.notifications",
    "okrflow.comments",
    "okrflow.datasources",
    "okrflow.strategy",
    "okrflow.kpis",
    "okrflow.dependencies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "okrflow.api.middleware.ApiBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "okrflow.front.middleware.CleanInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "okrflow.front.middleware.ActivateUserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "okrflow.urls"
WSGI_APPLICATION = "okrflow.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "okrflow.front.context_processors.access",
                "okrflow.administration.context_processors.administration",
                "okrflow.notifications.context_processors.notifications",
            ],
        },
    },
]

if "OKRFLOW_DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DATABASE_URL = os.environ.get("OKRFLOW_DATABASE_URL", f"sqlite:///{DATA_DIR / 'okrflow.sqlite3'}")
# Persistent connections in the scaled shape (a database server): each worker keeps its
# connection for OKRFLOW_DB_CONN_MAX_AGE seconds instead of opening one per request (a trivial
# signed-in page: 112 → 281 requests/s at 10,000 people), and checks a kept connection before
# a request reuses it, so a restarted database costs a reconnect, not an error. Off for SQLite
# (opening a file is cheap) and under the test runner (its threads would hold test databases).
DATABASE_ON_SERVER = not DATABASE_URL.startswith("sqlite")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int(
            "OKRFLOW_DB_CONN_MAX_AGE",
            600 if DATABASE_ON_SERVER and "pytest" not in sys.modules else 0,
        ),
        conn_health_checks=env_bool("OKRFLOW_DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements, on by default with PostgreSQL: psycopg sends the parameters apart
    # from the statement (server-side binding) and, from a statement's N-th run on a connection
    # (5, psycopg's usual), runs it prepared: PostgreSQL parses and plans it once per
    # connection, not on every run (a check-in's statements with persistent connections: about
    # half the database's CPU). 0 turns it off (Django's default: the parameters are put into
    # the statement's text by psycopg and nothing is prepared), as a pooler in transaction mode
    # that cannot keep prepared statements needs (PgBouncer before 1.21, or without
    # max_prepared_statements). The test suite runs with the default on PostgreSQL.
    threshold = env_int("OKRFLOW_DB_PREPARE_THRESHOLD", 5)
    if threshold > 0:
        options = DATABASES["default"].setdefault("OPTIONS", {})  # the URL's own come first
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", threshold)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer work at once; IMMEDIATE makes a write
    # transaction take the lock up front instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if "pytest" in sys.modules:
        # Test databases are thrown away: skip the fsyncs that durability would need.
        DATABASES["default"]["OPTIONS"]["init_command"] = (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
        )
    # A file, not Django's shared in-memory default: the browser tests' live server and the
    # page's own htmx requests write at the same time, and only a file database waits for a
    # lock instead of failing with "database table is locked".
    # One file per process, so that two test runs in one checkout never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"okrflow-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("OKRFLOW_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# --- HTTPS, behind a proxy or not --------------------------------------------------------
# Production (debug off) is served over HTTPS by default: plain-HTTP requests are redirected,
# cookies are sent only over HTTPS and browsers are told to stay on HTTPS (HSTS).
# OKRFLOW_HTTPS=0 serves plain HTTP (a trial on a private network). The test suite talks plain
# HTTP to Django's test client and live server, so under pytest the default is off too.
HTTPS = env_bool("OKRFLOW_HTTPS", not DEBUG and "pytest" not in sys.modules)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# A year, subdomains included, preloadable; OKRFLOW_HSTS_SECONDS=0 turns HSTS off.
SECURE_HSTS_SECONDS = env_int("OKRFLOW_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Behind nginx (or another proxy) that ends TLS and sets X-Forwarded-Proto / X-Forwarded-For.
# Only set it when the proxy overwrites those headers: otherwise a client could forge them.
BEHIND_TLS_PROXY = env_bool("OKRFLOW_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Content-Security-Policy (django-csp), on in every mode -------------------------------
# Scripts only from okrflow's own static files (no inline script, no eval: htmx's hx-on and
# js: values are not used). Style sheets only from static files too; style *attributes* stay
# allowed because progress bars set their width inline. htmx's own indicator <style> is
# switched off in base.html (htmx-config) and lives in okrflow.css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Failed sign-ins (django-axes) --------------------------------------------------------
# Three counters, each with its own limit (okrflow.front.sign_in.SignInThrottleHandler):
# - one username from one address: OKRFLOW_SIGN_IN_FAILURE_LIMIT wrong passwords in a row
#   pause that pair, so one person's typos do not lock out a whole office behind one address;
# - one username from anywhere: OKRFLOW_SIGN_IN_ACCOUNT_FAILURE_LIMIT (higher) pauses the
#   account, against guessing spread over many addresses;
# - one address, any username: OKRFLOW_SIGN_IN_ADDRESS_FAILURE_LIMIT (higher still) pauses the
#   address, against one password tried on many accounts.
# Each pause lasts OKRFLOW_SIGN_IN_LOCKOUT_MINUTES; a successful sign-in resets its own pair.
# A sign-in by email counts against the account's username (AXES_USERNAME_CALLABLE).
AUTHENTICATION_BACKENDS = [
    "okrflow.front.sign_in.SignInThrottleBackend",
    "okrflow.signin.backends.EmailOrUsernameBackend",
]
AXES_HANDLER = "okrflow.front.sign_in.SignInThrottleHandler"
AXES_FAILURE_LIMIT = env_int("OKRFLOW_SIGN_IN_FAILURE_LIMIT", 5)
OKRFLOW_SIGN_IN_ACCOUNT_FAILURE_LIMIT = env_int("OKRFLOW_SIGN_IN_ACCOUNT_FAILURE_LIMIT", 20)
OKRFLOW_SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("OKRFLOW_SIGN_IN_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("OKRFLOW_SIGN_IN_LOCKOUT_MINUTES", 15))
# The order matters: SignInThrottleHandler reads the counters as pair, account, address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The lockout lasts from the last counted failure; retries while locked do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Password-reset links a person may ask for each hour, per email and per client address.
OKRFLOW_RESET_LINKS_PER_EMAIL = env_int("OKRFLOW_RESET_LINKS_PER_EMAIL", 3)
OKRFLOW_RESET_LINKS_PER_ADDRESS = env_int("OKRFLOW_RESET_LINKS_PER_ADDRESS", 10)
AXES_LOCKOUT_CALLABLE = "okrflow.front.sign_in.locked_out"
AXES_CLIENT_IP_CALLABLE = "okrflow.front.sign_in.client_ip"
AXES_USERNAME_CALLABLE = "okrflow.front.sign_in.client_username"
# Successful sign-ins are not logged: the failures are what the throttle needs.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["okrflow.formats"]  # one way to write dates and numbers per language
USE_I18N = True
TIME_ZONE = os.environ.get("OKRFLOW_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True

STATIC_URL = "static/"
# Only the scaled shape runs collectstatic; the embedded one serves from the installed apps.
STATIC_ROOT = os.environ.get("OKRFLOW_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the installed apps so the embedded shape needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get(
    "OKRFLOW_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("OKRFLOW_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("OKRFLOW_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("OKRFLOW_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("OKRFLOW_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("OKRFLOW_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("OKRFLOW_EMAIL_FROM", "okrflow <okrflow@localhost>")
OKRFLOW_BASE_URL = os.environ.get("OKRFLOW_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long an invitation's link lets a person set their password.
OKRFLOW_INVITATION_DAYS = env_int("OKRFLOW_INVITATION_DAYS", 7)
# A password-reset link works for 24 hours (the emails and pages say so).
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# --- Single sign-on with OpenID Connect (mozilla-django-oidc) ------------------------------
# Off unless OKRFLOW_OIDC_CLIENT_ID and either OKRFLOW_OIDC_ISSUER or the explicit endpoints
# are set. Nothing is fetched at start: the issuer's discovery document is read on first use.
from okrflow.signin.sso.config import read_sso_config  # noqa: E402

SSO = read_sso_config(os.environ)
if SSO.enabled:
    AUTHENTICATION_BACKENDS.append("okrflow.signin.sso.backend.SingleSignOnBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OKRFLOW_LOG_LEVEL", "WARNING")},
}

# Cycles up to this many key results refresh their stored insights while a page loads; larger
# ones are refreshed by `okrflow refresh-insights` (cron) and right after each change.
OKRFLOW_INSIGHTS_LIVE_LIMIT = env_int("OKRFLOW_INSIGHTS_LIVE_LIMIT", 2000)
# Processes computing `okrflow refresh-insights` (PostgreSQL; SQLite in WAL mode) (1: one);
# 0, the default: as many as the CPUs, at most 8 (`insights.parallel_refresh`).
OKRFLOW_REFRESH_PROCESSES = env_int("OKRFLOW_REFRESH_PROCESSES", 0)

# --- REST API (/api/v1/) --------------------------------------------------------------------
# Requests per minute for one token (or one signed-in person calling from the pages).
OKRFLOW_API_RATE_PER_MINUTE = env_int("OKRFLOW_API_RATE_PER_MINUTE", 300)
# The largest request body the API reads; a larger one is answered 413 before it is read.
OKRFLOW_API_MAX_BODY_BYTES = env_int("OKRFLOW_API_MAX_BODY_BYTES", 1024 * 1024)

# --- Task queue (Celery) and outgoing webhooks (issue #12) ---------------------------------
# A worker and celery beat run beside the web server. The scaled shape points them at Redis
# (OKRFLOW_BROKER_URL=redis://…); the embedded shape needs no server: kombu's filesystem
# transport keeps each message as a file under the data directory. Either way the database
# stays the record of what must be done (webhook deliveries, reports), so a message lost with
# a killed worker is found again by the periodic sweep.
BROKER_URL = os.environ.get("OKRFLOW_BROKER_URL", "").strip()
# Whether a change's update of the stored insights of a large cycle is left to the task worker
# (after the commit) or done by the request that made the change: the worker's whenever a broker
# is configured, and in the embedded shape when `dev.py run` starts its worker beside the server.
INSIGHTS_REFRESH_QUEUED = env_bool("OKRFLOW_INSIGHTS_REFRESH_QUEUED", bool(BROKER_URL))
QUEUE_DIR = Path(os.environ.get("OKRFLOW_QUEUE_DIR", DATA_DIR / "queue"))
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("OKRFLOW_QUEUE_NAME", "okrflow")
# Key prefix on Redis, so several okrflow installations (or test runs) share one server.
CELERY_REDIS_KEY_PREFIX = os.environ.get("OKRFLOW_QUEUE_KEY_PREFIX", "")
REPORTS_DIR = Path(os.environ.get("OKRFLOW_REPORTS_DIR", DATA_DIR / "reports"))
EMAIL_FILE_PATH = os.environ.get("OKRFLOW_EMAIL_FILE_PATH", str(DATA_DIR / "sent-emails"))

# Webhooks: delays between attempts of a failing delivery (seconds), how many failed attempts
# in a row pause a subscription, the HTTP timeout (connect and read), and whether URLs may
# point at private or loopback addresses (off: a subscription cannot probe the inner network).
WEBHOOK_RETRY_DELAYS = [
    int(part) for part in env_list("OKRFLOW_WEBHOOKS_RETRY_DELAYS", "60,300,1800,7200,43200")
]
WEBHOOK_PAUSE_AFTER_FAILURES = env_int("OKRFLOW_WEBHOOKS_PAUSE_AFTER", 10)
WEBHOOK_TIMEOUT_SECONDS = env_int("OKRFLOW_WEBHOOKS_TIMEOUT_SECONDS", 5)
WEBHOOK_ALLOW_PRIVATE = env_bool("OKRFLOW_WEBHOOKS_ALLOW_PRIVATE", False)
# How often beat sweeps for deliveries whose message was lost (seconds).
WEBHOOK_SWEEP_SECONDS = env_int("OKRFLOW_WEBHOOKS_SWEEP_SECONDS", 60)

# --- Data sources of key results (issue #13) -----------------------------------------------
# Fernet key for the sources' stored secrets (headers, database URLs); empty: derived from
# SECRET_KEY. Changing either makes stored secrets unreadable until they are typed again.
DATA_SOURCE_KEY = os.environ.get("OKRFLOW_SOURCES_KEY", "").strip()
# Caps on one read: seconds (connect + answer, or the query), and bytes of an HTTP answer.
DATA_SOURCE_TIMEOUT_SECONDS = env_int("OKRFLOW_SOURCES_TIMEOUT_SECONDS", 10)
DATA_SOURCE_MAX_BYTES = env_int("OKRFLOW_SOURCES_MAX_BYTES", 5 * 1024 * 1024)
# Folders a CSV file or a SQLite database of a source may be read from (no other file is).
DATA_SOURCE_FILE_DIRS = env_list("OKRFLOW_SOURCES_FILE_DIRS", str(DATA_DIR / "sources"))
# Whether sources may reach this machine's own addresses (127.0.0.1, ::1).
DATA_SOURCE_ALLOW_LOOPBACK = env_bool("OKRFLOW_SOURCES_ALLOW_LOOPBACK", True)
# How often beat looks for sources whose turn has come (seconds).
DATA_SOURCE_SWEEP_SECONDS = env_int("OKRFLOW_SOURCES_SWEEP_SECONDS", 300)
# How many due sources one worker task reads in a row (fewer messages through the broker).
DATA_SOURCE_BATCH = env_int("OKRFLOW_SOURCES_BATCH", 20)
