"""Saohei settings: every value comes from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name) or default
    if required and not value:
        raise ImproperlyConfigured(
            f"The setting {name} is required: set it in the environment (see .env.example)."
        )
    return value or ""


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from .env without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _sep, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


_load_dotenv(Path(os.environ.get("SAOHEI_ENV_FILE", str(Path.cwd() / ".env"))))

DEBUG = env_bool("SAOHEI_DEBUG", False)
SECRET_KEY = env("SAOHEI_SECRET_KEY", required=True)
ALLOWED_HOSTS = [h.strip() for h in env("SAOHEI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("SAOHEI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Reporter identity is encrypted with this key; it never enters the database.
SAOHEI_IDENTITY_KEY = env("SAOHEI_IDENTITY_KEY", required=True)
# Receipt codes are stored only as an HMAC under this key.
SAOHEI_RECEIPT_KEY = env("SAOHEI_RECEIPT_KEY", required=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "saohei.core",
    "saohei.audit",
    "saohei.orgs",
    "saohei.intake",
    "saohei.signoff",
    "saohei.clues",
    "saohei.cases",
    "saohei.analytics",
    "saohei.figures",
    "saohei.api",
    "saohei.portal",
    "saohei.demo",
]

# Which parts this server serves: "workbench" (staff), "portal" (the public site), or both. The public
# portal can run on its own host with SAOHEI_SERVE=portal; there it is served at "/".
SAOHEI_SERVE = {part.strip() for part in env("SAOHEI_SERVE", "workbench,portal").split(",") if part.strip()}
if not SAOHEI_SERVE or not SAOHEI_SERVE.issubset({"workbench", "portal"}):
    raise ImproperlyConfigured("SAOHEI_SERVE lists workbench, portal or both (comma separated).")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, no-referrer and no-store on the portal, HSTS over TLS, log scrubbing (saohei/portal/security.py).
    "saohei.portal.security.PortalSecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "saohei.core.middleware.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "saohei.core.middleware.RejectNulBytesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "saohei" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "saohei.core.context_processors.workbench",
            ],
        },
    }
]

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{Path.cwd() / 'saohei.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The figures' aggregate queries are short; PostgreSQL's JIT compiler, triggered by the row estimates
    # of a large subtree, spent longer compiling one of them than running it (benchmarks/RESULTS.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "saohei" / "locale"]
TIME_ZONE = env("SAOHEI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("SAOHEI_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "saohei" / "static", ("vendor", BASE_DIR / "node_modules")]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("SAOHEI_MEDIA_ROOT", str(Path.cwd() / "media")))

TASKS = {
    "default": {
        "BACKEND": env("SAOHEI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SAOHEI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# "no-referrer" makes browsers send `Origin: null` on form posts, which CSRF checks refuse.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

DJANGO_TABLES2_TEMPLATE = "core/table.html"

SAOHEI_PAGE_SIZE = int(env("SAOHEI_PAGE_SIZE", "50"))
SAOHEI_EXPORT_MAX_ROWS = int(env("SAOHEI_EXPORT_MAX_ROWS", "200000"))
SAOHEI_IMPORT_MAX_ROWS = int(env("SAOHEI_IMPORT_MAX_ROWS", "50000"))
SAOHEI_IMPORT_MAX_BYTES = int(env("SAOHEI_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = SAOHEI_IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SAOHEI_API_TOKEN_DAYS = int(env("SAOHEI_API_TOKEN_DAYS", "365"))
# Files a reporter may attach to one report or message: how many, bytes each, bytes together.
SAOHEI_PORTAL_MAX_FILES = int(env("SAOHEI_PORTAL_MAX_FILES", "5"))
SAOHEI_PORTAL_MAX_FILE_BYTES = int(env("SAOHEI_PORTAL_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
SAOHEI_PORTAL_MAX_TOTAL_BYTES = int(env("SAOHEI_PORTAL_MAX_TOTAL_BYTES", str(50 * 1024 * 1024)))


# --- Portal abuse defences and hardening (saohei/portal/abuse, saohei/portal/security.py) ---
def cache_from_url(url: str) -> dict[str, object]:
    """locmem:// (one process), db:// (shared through the database) or redis://HOST:PORT/DB."""
    scheme, _sep, rest = url.partition("://")
    options = {"MAX_ENTRIES": 200_000}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "saohei",
                "OPTIONS": options}
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest or "saohei_cache",
                "OPTIONS": options}
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured("SAOHEI_CACHE_URL is locmem://, db:// or redis://HOST:PORT/DB.")


CACHES = {"default": cache_from_url(env("SAOHEI_CACHE_URL", "locmem://"))}
# Submissions one client may send per 10 minutes, and all clients together per minute (0 = no limit).
# Accepted portal submissions are registered in intake by the worker; it is woken at most once per this many
# seconds per server process (0 = after every submission).
SAOHEI_PORTAL_DRAIN_EVERY = int(env("SAOHEI_PORTAL_DRAIN_EVERY", "2"))
SAOHEI_PORTAL_SUBMIT_PER_CLIENT = int(env("SAOHEI_PORTAL_SUBMIT_PER_CLIENT", "10"))
SAOHEI_PORTAL_SUBMIT_PER_MINUTE = int(env("SAOHEI_PORTAL_SUBMIT_PER_MINUTE", "600"))
# Submissions per minute (all clients) above which the form asks for the offline challenge;
# 0 = always, -1 = never. Difficulty of the proof of work in leading zero bits of SHA-256.
SAOHEI_PORTAL_CHALLENGE_AT = int(env("SAOHEI_PORTAL_CHALLENGE_AT", "60"))
SAOHEI_PORTAL_POW_BITS = int(env("SAOHEI_PORTAL_POW_BITS", "18"))
# Wrong receipts one client, and all clients together, may try per 15 minutes (0 = no limit).
SAOHEI_PORTAL_RECEIPT_FAILURES_PER_CLIENT = int(env("SAOHEI_PORTAL_RECEIPT_FAILURES_PER_CLIENT", "10"))
SAOHEI_PORTAL_RECEIPT_FAILURES_GLOBAL = int(env("SAOHEI_PORTAL_RECEIPT_FAILURES_GLOBAL", "1000"))
# Reverse proxies in front of the server that append to X-Forwarded-For (0 = use the socket address).
SAOHEI_PORTAL_PROXY_COUNT = int(env("SAOHEI_PORTAL_PROXY_COUNT", "0"))
# Strict-Transport-Security max-age sent on requests that arrived over TLS (0 = no HSTS header).
SAOHEI_PORTAL_HSTS_SECONDS = int(env("SAOHEI_PORTAL_HSTS_SECONDS", "31536000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Portal requests never leave an address or report text in the logs (see docs/threat-model.md).
    "filters": {"portal_scrub": {"()": "saohei.portal.security.PortalLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["portal_scrub"]}},
    "root": {"handlers": ["console"], "level": env("SAOHEI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

_ = _  # gettext_lazy is imported for translators reading settings
