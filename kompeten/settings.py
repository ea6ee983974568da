"""Kompeten settings: configuration comes from the environment only.

Every variable is read through a small typed helper that raises ImproperlyConfigured on a bad
value, so a typo in production fails at start-up instead of silently falling back.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kompeten.core.secret_key import SecretKeyFileError, ensure_secret_key, read_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KOMPETEN_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_choice(name: str, default: str, choices: dict[str, str]) -> str:
    """One of ``choices`` (value → what it means, for the error message), case-insensitive."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        allowed = ", ".join(f"{key} ({meaning})" for key, meaning in choices.items())
        raise ImproperlyConfigured(f"{name} must be one of {allowed}; got {raw!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Declared by the test run (kompeten/testing_plugin.py), never guessed from what is imported.
TESTING = env_bool("KOMPETEN_TESTING", False)
# Static analysis (mypy's Django plugin) imports settings too; it needs no real secret.
ANALYSING = "mypy" in sys.modules
_DEV_SECRET = "insecure-development-key-change-me-by-setting-SECRET_KEY-0123456789"  # noqa: S105 - only with DEBUG or tests
# The environment wins; tests use the development key (whatever var/ holds); else the instance's
# kept key (var/secret_key, written by the first start or `kompeten setup`, mode 0600); else the
# development key with DEBUG; else a new kept key is generated now (docs/operations.md).
try:
    SECRET_KEY = env_str("SECRET_KEY", "") or (_DEV_SECRET if TESTING else "")
    SECRET_KEY = SECRET_KEY or read_secret_key(VAR_DIR) or ""
    if not SECRET_KEY and (DEBUG or ANALYSING):
        SECRET_KEY = _DEV_SECRET
    if not SECRET_KEY:
        SECRET_KEY, _created = ensure_secret_key(VAR_DIR)
except SecretKeyFileError as exc:
    raise ImproperlyConfigured(f"SECRET_KEY is not set and the kept key failed: {exc}") from None
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "ninja",  # templates and static files of the API docs (Swagger UI, no CDN)
    "django_tasks",
    "django_tasks_db",
    "kompeten.core",
    "kompeten.people",
    "kompeten.records",
    "kompeten.learning",
    "kompeten.scheduling",
    "kompeten.participation",
    "kompeten.evaluation",
    "kompeten.service",
    "kompeten.reports",
    "kompeten.api",
    "kompeten.demo",
]

MIDDLEWARE = [
    # Outermost: a database outage anywhere below becomes a 503 page, not a 500.
    "kompeten.core.outage.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kompeten.core.language.IndonesianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in a query string or form is a 400 (PostgreSQL cannot compare one).
    "kompeten.core.middleware_security.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign out after KOMPETEN_SESSION_IDLE_MINUTES idle; no-store on signed-in responses and
    # downloads (static files are answered by WhiteNoise above and keep caching).
    "kompeten.core.middleware_security.IdleSessionMiddleware",
    "kompeten.core.middleware_security.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "kompeten.core.accounts.ForcePasswordChangeMiddleware",
]

ROOT_URLCONF = "kompeten.urls"
WSGI_APPLICATION = "kompeten.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kompeten.core.context_processors.navigation",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'kompeten.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_sqlite)
_scheme = urlsplit(DATABASE_URL).scheme
if _scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {_scheme!r} is not supported (sqlite, postgres)"
    )
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 600)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = (
        {"NAME": str(VAR_DIR / "test.sqlite3")}
        if env_bool("KOMPETEN_TEST_SQLITE_FILE", False)
        else {}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kompeten.core.auth_backends.NipOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create thousands of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
# Lockout per account from one client, per client and per account (kompeten/core/lockout.py,
# docs/security.md "Accounts and passwords"); the login is counted in its normalised spelling.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "kompeten.core.lockout.PerParameterLimitHandler"
AXES_USERNAME_CALLABLE = "kompeten.core.accounts.axes_username"
KOMPETEN_LOCKOUT_CLIENT_LIMIT = env_int("KOMPETEN_LOCKOUT_CLIENT_LIMIT", 20)
KOMPETEN_LOCKOUT_ACCOUNT_LIMIT = env_int("KOMPETEN_LOCKOUT_ACCOUNT_LIMIT", 20)
PASSWORD_RESET_TIMEOUT = 72 * 3600  # e-mailed reset links, like the admin-issued ones
# Reset e-mails per client address and per e-mail address, "count/seconds" (flooding a mailbox).
KOMPETEN_PASSWORD_RESET_RATE_LIMIT = env_str("KOMPETEN_PASSWORD_RESET_RATE_LIMIT", "5/3600")
AXES_RESET_ON_SUCCESS = True
# Tries refused by the lockout are not counted again: a client hammering an account it is locked
# out of neither extends its own lock nor pushes the account towards the all-clients limit.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The lockout counts the client's address as the rate limits do (kompeten/core/clientip.py).
AXES_CLIENT_IP_CALLABLE = "kompeten.core.clientip.client_ip"

# --- i18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["kompeten.formats"]
# The language of the command line (`kompeten …`, kompeten/cli.py): its messages, help and
# figures. Bahasa Indonesia unless KOMPETEN_LANGUAGE=en; LANG/LC_ALL are not followed (servers
# commonly run with LANG=en_US.UTF-8). The web's language is each user's choice, not this.
KOMPETEN_LANGUAGE = env_choice("KOMPETEN_LANGUAGE", LANGUAGE_CODE, dict(LANGUAGES))

# --- static -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- uploads ------------------------------------------------------------------------------
KOMPETEN_MAX_UPLOAD_BYTES = env_int("KOMPETEN_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
# the import engine's reader (kompeten.core.importing.reader; docs/imports.md)
KOMPETEN_IMPORT_MAX_CELLS = env_int("KOMPETEN_IMPORT_MAX_CELLS", 6_000_000)
KOMPETEN_IMPORT_MEMORY_BYTES = env_int("KOMPETEN_IMPORT_MEMORY_BYTES", 1024 * 1024 * 1024)
KOMPETEN_IMPORT_SECONDS = env_int("KOMPETEN_IMPORT_SECONDS", 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files (scanned certificates, logos) hold personal data: owner-only, whatever the umask.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- e-mail -------------------------------------------------------------------------------
EMAIL_URL = env_str("EMAIL_URL", "console://")
_email = urlsplit(EMAIL_URL)
if _email.scheme == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email.scheme == "locmem":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
elif _email.scheme in {"smtp", "smtps", "submission"}:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 587)
    EMAIL_HOST_USER = _email.username or ""
    EMAIL_HOST_PASSWORD = _email.password or ""
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email.scheme == "submission"
else:
    raise ImproperlyConfigured(f"EMAIL_URL scheme {_email.scheme!r} is not supported")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kompeten@localhost")

# --- background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("KOMPETEN_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- cache (rate-limit counters of the survey, the API and certificate checks) ---------------
# CACHE_URL: redis://host:6379/0 (several machines), file:///path (several processes on one
# machine; the default is file under var/cache), db://table (the database; run
# `kompeten createcachetable`), locmem:// (one process; the default under tests).
# The counters must be shared by every gunicorn process or each counts on its own.
CACHE_URL = env_str("CACHE_URL", "locmem://" if TESTING else f"file://{VAR_DIR / 'cache'}")
_cache = urlsplit(CACHE_URL)
_cache_backend: dict[str, object]
if _cache.scheme in {"redis", "rediss"}:
    _cache_backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
    }
elif _cache.scheme == "file":
    _cache_backend = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": _cache.path or str(VAR_DIR / "cache"),
        # one small file per client and window; beyond this a third are dropped at random
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
    }
elif _cache.scheme == "db":
    _cache_backend = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": (_cache.netloc or _cache.path.strip("/")) or "kompeten_cache",
    }
elif _cache.scheme == "locmem":
    _cache_backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL scheme {_cache.scheme!r} is not supported (redis, file, db, locmem)"
    )
CACHES = {"default": {**_cache_backend, "TIMEOUT": 3600, "KEY_PREFIX": "kompeten"}}

# --- public SKM survey ----------------------------------------------------------------------
# Rate limit of the public form per client and unit, "count/seconds" (0/… disables it), counted
# once an answer is valid; exact across processes (kompeten/core/counters.py).
KOMPETEN_SKM_RATE_LIMIT = env_str("KOMPETEN_SKM_RATE_LIMIT", "10/600")
KOMPETEN_SKM_KIOSK_RATE_LIMIT = env_str("KOMPETEN_SKM_KIOSK_RATE_LIMIT", "120/600")  # per device
# Tries of a kiosk enrolment code per client address (guessing codes).
KOMPETEN_KIOSK_ENROL_RATE_LIMIT = env_str("KOMPETEN_KIOSK_ENROL_RATE_LIMIT", "10/600")

# --- trusted proxies (docs/security.md) ------------------------------------------------------
# X-Forwarded-For is believed only from these addresses/networks (comma-separated IPs or CIDRs),
# e.g. "127.0.0.1,::1" behind nginx on the same machine. Empty: the header is ignored.
KOMPETEN_TRUSTED_PROXIES = env_list("KOMPETEN_TRUSTED_PROXIES", [])
for _proxy in KOMPETEN_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"KOMPETEN_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None

# While the database is down, validated survey answers are appended here (one JSON line each,
# fsync'd) and replayed by the worker or `kompeten spool replay` (docs/operations.md).
KOMPETEN_SPOOL_DIR = Path(env_str("KOMPETEN_SPOOL_DIR", str(VAR_DIR / "spool")))
# Seconds a client is told to wait (Retry-After) by the 503 page during a database outage.
KOMPETEN_OUTAGE_RETRY_AFTER = env_int("KOMPETEN_OUTAGE_RETRY_AFTER", 30)

# --- security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session lasts a working day at most (hours) and ends after minutes without a request
# (0 turns the idle limit off); docs/security.md.
SESSION_COOKIE_AGE = env_int("KOMPETEN_SESSION_HOURS", 10) * 3600
KOMPETEN_SESSION_IDLE_MINUTES = env_int("KOMPETEN_SESSION_IDLE_MINUTES", 30)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # NIPs, e-mail addresses and phone numbers are masked in every log record (UU PDP).
    "filters": {
        "mask_personal_data": {"()": "kompeten.core.logging.PersonalDataFilter"},
        "quiet_refusals": {"()": "kompeten.core.logging.QuietRefusalFilter"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
        # runserver's access log, as Django's default but with NIPs in URLs masked.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_data"],
        },
    },
    "loggers": {
        # A 403 is one WARNING line (user id, path, reason), not a traceback.
        "django.request": {"filters": ["quiet_refusals", "mask_personal_data"]},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- API ----------------------------------------------------------------------------------
# Requests per minute per API token (0 disables); exact across processes
# (kompeten/core/counters.py: Redis when CACHE_URL is Redis, else the database).
KOMPETEN_API_RATE_LIMIT = env_int("KOMPETEN_API_RATE_LIMIT", 600)
# Unknown, revoked or expired tokens per client address, "count/seconds" (guessing tokens).
KOMPETEN_API_AUTH_FAILURE_RATE_LIMIT = env_str("KOMPETEN_API_AUTH_FAILURE_RATE_LIMIT", "30/60")

# --- personal data retention (UU PDP; days, 0 = keep forever; docs/privacy.md) --------------
KOMPETEN_RETENTION_DAYS = {
    "audit_log": env_int("KOMPETEN_RETENTION_AUDIT_LOG_DAYS", 1826),
    "login_attempts": env_int("KOMPETEN_RETENTION_LOGIN_ATTEMPTS_DAYS", 90),
    "login_attempt_counters": env_int("KOMPETEN_RETENTION_LOGIN_ATTEMPTS_DAYS", 90),
    "login_log": env_int("KOMPETEN_RETENTION_LOGIN_ATTEMPTS_DAYS", 90),
    "finished_tasks": env_int("KOMPETEN_RETENTION_FINISHED_TASKS_DAYS", 30),
    "inactive_employee_contacts": env_int("KOMPETEN_RETENTION_INACTIVE_CONTACTS_DAYS", 730),
    "revoked_api_tokens": env_int("KOMPETEN_RETENTION_REVOKED_TOKENS_DAYS", 365),
}
