"""Django settings, read from the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from safespaces.config import (
    SettingError,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_secret,
    env_str,
    secret_from_data_dir,
)

PACKAGE_DIR = Path(__file__).resolve().parent

# --- Mode and data directory ------------------------------------------------------------------
SAFESPACES_PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)
SAFESPACES_DATA_DIR = Path(env_str("DATA_DIR", "var")).expanduser().resolve()

# Outside production the secrets are generated once in the data directory (mode 0600); in
# production they must be given, and the system checks in safespaces.checks refuse to start.
_generate = not SAFESPACES_PRODUCTION
SECRET_KEY = env_secret("SECRET_KEY") or secret_from_data_dir(
    SAFESPACES_DATA_DIR, "secret.key", _generate
)
if SECRET_KEY is None:
    SECRET_KEY = ""  # refused by the safespaces.E001 system check, with a message
# The master key wraps every data key of the vault; its keyring lives in the data directory
# unless SAFESPACES_MASTER_KEY(_FILE) gives it.
SAFESPACES_MASTER_KEY = env_secret("MASTER_KEY")
SAFESPACES_MASTER_KEY_DIR = SAFESPACES_DATA_DIR / "keys"
# One key for the keyed hashes: blind index of phone numbers, audit chain, rate-limit buckets.
SAFESPACES_HMAC_KEY = env_secret("HMAC_KEY") or secret_from_data_dir(
    SAFESPACES_DATA_DIR, "hmac.key", _generate
)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if SAFESPACES_PRODUCTION else ["127.0.0.1", "localhost"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SAFESPACES_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "safespaces.geo",
    "safespaces.vault",
    "safespaces.audit",
    "safespaces.accounts",
    "safespaces.outbox",
    "safespaces.reports",
    "safespaces.places",
    "safespaces.safety",
    "safespaces.cases",
    "safespaces.insights",
    "safespaces.conversations",
    "safespaces.api",
    "safespaces.web",
]

MIDDLEWARE = [
    "safespaces.web.middleware.SecurityHeadersMiddleware",
    "safespaces.api.middleware.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Gateways' callbacks (/hooks/) go straight to their views from here.
    "safespaces.web.webhook_path.WebhookPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safespaces.accounts.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "safespaces.urls"
WSGI_APPLICATION = "safespaces.wsgi.application"

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
                "safespaces.web.context.site",
                "safespaces.web.staff.navigation.staff_nav",
            ],
        },
    },
]

# --- Database and cache -----------------------------------------------------------------------
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except Exception as error:  # dj_database_url raises several types for one mistake
        raise SettingError(f"DATABASE_URL cannot be understood: {error}") from None
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, with writers queueing fairly (safespaces/db/sqlite3).
            "ENGINE": "safespaces.db.sqlite3",
            "NAME": str(SAFESPACES_DATA_DIR / "safespaces.sqlite3"),
            # Opening a connection costs more than most requests (pragmas, and closing the
            # last one checkpoints the write-ahead log): each thread keeps its own open.
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database is the cache: one service fewer, shared by every web process and worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "safespaces_cache",
    }
}

# --- Accounts, passwords, sessions --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Django's list of 20,000 passwords taken from breaches; checked offline.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"

SAFESPACES_SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)
SAFESPACES_SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 10, minimum=1, maximum=24 * 7)
SAFESPACES_LOGIN_ATTEMPTS = env_int("LOGIN_ATTEMPTS", 5, minimum=1)
SAFESPACES_LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)

_secure_cookies = env_bool("SECURE_COOKIES", SAFESPACES_PRODUCTION)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "safespaces_staff"
# The staff session cookie never travels with a public page.
SESSION_COOKIE_PATH = "/staff/"
SESSION_COOKIE_AGE = SAFESPACES_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_NAME = "safespaces_csrf"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SECURE = _secure_cookies
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- HTTP security --------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000 if SAFESPACES_PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", False)
# Joining browsers' HSTS preload list is a deployment's own, lasting decision (deployment.md).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Set when a reverse proxy terminates TLS and sets X-Forwarded-Proto.
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Number of trusted proxies in front of us: used only to bucket requests for rate limits.
SAFESPACES_PROXY_HOPS = env_int("PROXY_HOPS", 0, minimum=0, maximum=5)

# --- Languages -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = SAFESPACES_DATA_DIR / "static"
if not SAFESPACES_PRODUCTION:
    # WhiteNoise serves from the apps' folders here, but wants its root to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names need `collectstatic`, which `serve` runs; outside production WhiteNoise
    # serves straight from the apps' static folders.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if SAFESPACES_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not SAFESPACES_PRODUCTION
WHITENOISE_AUTOREFRESH = False

# --- Web server (`safespaces serve`) ----------------------------------------------------------
SAFESPACES_WEB_WORKERS = env_int("WEB_WORKERS", 2, minimum=1, maximum=64)
SAFESPACES_WEB_THREADS = env_int("WEB_THREADS", 4, minimum=1, maximum=64)

# --- Messaging -----------------------------------------------------------------------------------
# Gateways used for each channel, first one tried first (see docs/gateways.md).
SAFESPACES_SMS_GATEWAYS = env_list("SMS_GATEWAYS", ["console"])
SAFESPACES_EMAIL_GATEWAYS = env_list("EMAIL_GATEWAYS", ["console"])
SAFESPACES_SMTP_HOST = env_str("SMTP_HOST", "localhost")
SAFESPACES_SMTP_PORT = env_int("SMTP_PORT", 25, minimum=1, maximum=65535)
SAFESPACES_SMTP_USER = env_str("SMTP_USER", "")
SAFESPACES_SMTP_PASSWORD = env_secret("SMTP_PASSWORD") or ""
SAFESPACES_SMTP_SECURITY = env_choice("SMTP_SECURITY", "starttls", ("none", "starttls", "tls"))
SAFESPACES_SMTP_TIMEOUT = env_float("SMTP_TIMEOUT", 20.0, minimum=1.0)
SAFESPACES_EMAIL_FROM = env_str("EMAIL_FROM", "SafeSpaces <safespaces@localhost>")
SAFESPACES_OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
SAFESPACES_WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 120, minimum=10)
# A claimed message returns to the queue if its worker has not finished it within the lease.
SAFESPACES_OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300, minimum=1)
# Retry delays double from the first to the cap, plus jitter.
SAFESPACES_OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 30, minimum=1)
SAFESPACES_OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600, minimum=1)
# How long an idle worker waits before looking for work again.
SAFESPACES_WORKER_POLL_SECONDS = env_float("WORKER_POLL_SECONDS", 2.0, minimum=0.05)

# --- Phone gateways (docs/gateways.md) ----------------------------------------------------------
# Each may instead be set by a coordinator in the console (stored encrypted), which wins.
# The default region reads national numbers ("0100 123 4567") from gateways that send them.
SAFESPACES_PHONE_REGION = env_str("PHONE_REGION", "EG").upper()
# The address providers call back (https://example.org): signatures cover the full URL.
SAFESPACES_PUBLIC_URL = env_str("PUBLIC_URL", "").rstrip("/")
# Language of replies to a number that has not chosen one, unless its gateway sets its own.
SAFESPACES_SMS_LANGUAGE = env_choice("SMS_LANGUAGE", "en", ("en", "ar", "fr", "es"))
SAFESPACES_TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
SAFESPACES_TWILIO_AUTH_TOKEN = env_secret("TWILIO_AUTH_TOKEN") or ""
SAFESPACES_TWILIO_NUMBER = env_str("TWILIO_NUMBER", "")
SAFESPACES_TWILIO_WHATSAPP_NUMBER = env_str("TWILIO_WHATSAPP_NUMBER", "")
SAFESPACES_TWILIO_LANGUAGE = env_str("TWILIO_LANGUAGE", "")
SAFESPACES_TWILIO_API_URL = env_str("TWILIO_API_URL", "https://api.twilio.com")
SAFESPACES_AFRICASTALKING_USERNAME = env_str("AFRICASTALKING_USERNAME", "")
SAFESPACES_AFRICASTALKING_API_KEY = env_secret("AFRICASTALKING_API_KEY") or ""
SAFESPACES_AFRICASTALKING_SHORTCODE = env_str("AFRICASTALKING_SHORTCODE", "")
SAFESPACES_AFRICASTALKING_HOOK_TOKEN = env_secret("AFRICASTALKING_HOOK_TOKEN") or ""
SAFESPACES_AFRICASTALKING_LANGUAGE = env_str("AFRICASTALKING_LANGUAGE", "")
SAFESPACES_AFRICASTALKING_API_URL = env_str(
    "AFRICASTALKING_API_URL", "https://api.africastalking.com"
)
SAFESPACES_SMSSYNC_SECRET = env_secret("SMSSYNC_SECRET") or ""
SAFESPACES_SMSSYNC_LANGUAGE = env_str("SMSSYNC_LANGUAGE", "")
SAFESPACES_FRONTLINESMS_SECRET = env_secret("FRONTLINESMS_SECRET") or ""
SAFESPACES_FRONTLINESMS_URL = env_str("FRONTLINESMS_URL", "")
SAFESPACES_FRONTLINESMS_API_KEY = env_secret("FRONTLINESMS_API_KEY") or ""
SAFESPACES_FRONTLINESMS_LANGUAGE = env_str("FRONTLINESMS_LANGUAGE", "")
SAFESPACES_WEBHOOK_SECRET = env_secret("WEBHOOK_SECRET") or ""
SAFESPACES_WEBHOOK_URL = env_str("WEBHOOK_URL", "")
SAFESPACES_WEBHOOK_LANGUAGE = env_str("WEBHOOK_LANGUAGE", "")
SAFESPACES_GATEWAY_TIMEOUT_SECONDS = env_float("GATEWAY_TIMEOUT_SECONDS", 15.0, minimum=1.0)
# Consecutive temporary failures on one gateway before a message moves to the next one.
SAFESPACES_OUTBOX_FAILOVER_ATTEMPTS = env_int("OUTBOX_FAILOVER_ATTEMPTS", 3, minimum=1)
# Minutes an unfinished SMS dialog (a report missing its place, say) waits for an answer.
SAFESPACES_DIALOG_TIMEOUT_MINUTES = env_int("DIALOG_TIMEOUT_MINUTES", 30, minimum=1)
# Days inbound message bodies are kept (encrypted) for staff to read the thread.
SAFESPACES_MESSAGE_RETENTION_DAYS = env_int("MESSAGE_RETENTION_DAYS", 90, minimum=1)
# Numbers the hotline's option 3 dials, in order, until the duty roster (alerts) provides one.
SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = env_list("HOTLINE_COUNSELLOR_NUMBERS", [])
# Days a hotline recording is kept (encrypted) before retention deletes it.
SAFESPACES_RECORDING_RETENTION_DAYS = env_int("RECORDING_RETENTION_DAYS", 90, minimum=1)

# --- Alerts and check-ins (docs/safety.md) ------------------------------------------------------
# An open alert repeats to everyone alerted this often (minutes) until acknowledged.
SAFESPACES_ALERT_REPEAT_MINUTES = env_int("ALERT_REPEAT_MINUTES", 5, minimum=1, maximum=24 * 60)
# Minutes after a check-in deadline before the ladder starts (a plan may set its own).
SAFESPACES_CHECKIN_GRACE_MINUTES = env_int("CHECKIN_GRACE_MINUTES", 15, minimum=0, maximum=24 * 60)
# Hours a live alert page link sent to a contact works (and only while the alert is open).
SAFESPACES_ALERT_LINK_HOURS = env_int("ALERT_LINK_HOURS", 24, minimum=1, maximum=24 * 30)
# Where the daily self-test goes: one of the platform's own inbound numbers, so it comes back.
SAFESPACES_CANARY_NUMBER = env_str("CANARY_NUMBER", "")
SAFESPACES_CANARY_EMAIL = env_str("CANARY_EMAIL", "")

# --- Safe-space network (docs/safe-spaces.md) --------------------------------------------------
# A venue counts as a safe space only with at least this many staff whose training is current.
SAFESPACES_MIN_TRAINED_STAFF = env_int("MIN_TRAINED_STAFF", 2, minimum=0)
# Public holidays (YYYY-MM-DD, comma-separated) for the "PH" rule of opening hours.
SAFESPACES_PUBLIC_HOLIDAYS = env_list("PUBLIC_HOLIDAYS", [])
# Hours after which a venue's live status ("open", "full") counts for less, then for nothing.
SAFESPACES_LIVE_STATUS_FRESH_HOURS = env_int("LIVE_STATUS_FRESH_HOURS", 6, minimum=1)
# Flags and proposed edits each client (a keyed hash of its address) may send in an hour.
SAFESPACES_VENUE_FEEDBACK_PER_HOUR = env_int("VENUE_FEEDBACK_PER_HOUR", 5, minimum=1)

# --- API ---------------------------------------------------------------------------------------
# Requests per minute for each token (or each client, hashed, where no token is needed).
SAFESPACES_API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120, minimum=1)

# --- Reports -------------------------------------------------------------------------------------
# Category presets loaded for this deployment (see docs/reports.md), in the order given.
SAFESPACES_REPORT_PRESETS = env_list("REPORT_PRESETS", ["street_harassment"])
# Reports each client (a keyed hash of its address) may send through /report/ in an hour.
SAFESPACES_WEB_REPORTS_PER_HOUR = env_int("WEB_REPORTS_PER_HOUR", 20, minimum=1)
# Days after a report is received before the reporter's contact for follow-up is deleted.
SAFESPACES_REPORT_CONTACT_RETENTION_DAYS = env_int("REPORT_CONTACT_RETENTION_DAYS", 90, minimum=1)
# Photos a reporter may attach to one report, and the largest photo file accepted, in bytes.
SAFESPACES_REPORT_MAX_PHOTOS = env_int("REPORT_MAX_PHOTOS", 3, minimum=0)
SAFESPACES_REPORT_PHOTO_MAX_BYTES = env_int("REPORT_PHOTO_MAX_BYTES", 8 * 1024 * 1024, minimum=1)
# Public export downloads (/map/export.*) each client (a keyed hash of its address) may make
# in an hour: each one reads every published report.
SAFESPACES_PUBLIC_EXPORTS_PER_HOUR = env_int("PUBLIC_EXPORTS_PER_HOUR", 30, minimum=1)
# The largest gazetteer file a coordinator may upload in the console; larger: import-places.
SAFESPACES_GAZETTEER_UPLOAD_MAX_BYTES = env_int(
    "GAZETTEER_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024
)

# --- Public site ---------------------------------------------------------------------------------
SAFESPACES_SITE_NAME = env_str("SITE_NAME", "SafeSpaces")
# Where the quick-exit control sends a visitor: a neutral, common site.
SAFESPACES_QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.bbc.com/weather")
SAFESPACES_HELPLINE = env_str("HELPLINE", "")

# --- Location privacy (SECURITY.md 7) ---------------------------------------------------------
# Mean distance a published report's point moves (planar Laplace; epsilon = 2 / mean).
SAFESPACES_LOCATION_MEAN_DISPLACEMENT_METRES = env_float(
    "LOCATION_MEAN_DISPLACEMENT_METRES", 500.0, minimum=50.0
)
# k: a public map cell or aggregate with fewer reports than this is not shown.
SAFESPACES_MAP_MIN_COUNT = env_int("MAP_MIN_COUNT", 5, minimum=2)

# --- Public map tiles (docs/map.md) -----------------------------------------------------------
# The upstream our tile proxy fetches from, with {z}, {x} and {y}; empty: a plain background.
SAFESPACES_TILE_URL = env_str("TILE_URL", "")
if SAFESPACES_TILE_URL and (
    not SAFESPACES_TILE_URL.startswith(("https://", "http://"))
    or not all(part in SAFESPACES_TILE_URL for part in ("{z}", "{x}", "{y}"))
):
    raise SettingError("SAFESPACES_TILE_URL must be an http(s) address with {z}, {x} and {y}.")
# The credit the upstream's licence asks for, shown on the map (e.g. OpenStreetMap's).
SAFESPACES_TILE_ATTRIBUTION = env_str("TILE_ATTRIBUTION", "")
SAFESPACES_TILE_MAX_AGE_DAYS = env_int("TILE_MAX_AGE_DAYS", 7, minimum=1)
SAFESPACES_TILE_TIMEOUT_SECONDS = env_float("TILE_TIMEOUT_SECONDS", 10.0, minimum=1.0)

# --- Logging: never a client address, user agent or message body ------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        # Django's request loggers attach the request object; our handler prints only messages.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
    },
}
