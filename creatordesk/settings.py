"""CreatorDesk settings: one module, driven by environment variables, runs with none set (SQLite).

Every variable is documented in docs/configuration.md.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from creatordesk.lib.env import EnvError, env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CREATORDESK_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("CREATORDESK_DEBUG", False)


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise keep a generated key in var/ so sessions survive restarts."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Earlier keys, comma-separated, after a rotation: sessions, signed links and stored platform
# credentials made with them stay valid (creatordesk/performance/connections.py).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The start of links in emails and webhooks, e.g. https://desk.example.com. Unset, links start with the
# address of the request that caused them (creatordesk/djangolib/links.py); `serve` sets it.
SITE_URL = env_str("SITE_URL").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ninja",
    # Shared template filters (numbers) live in djangolib/templatetags.
    "creatordesk.djangolib",
    "creatordesk.accounts",
    "creatordesk.creators",
    "creatordesk.campaigns",
    "creatordesk.reviews",
    "creatordesk.performance",
    "creatordesk.notifications",
    "creatordesk.shop",
    "creatordesk.placements",
    "creatordesk.visuals",
    "creatordesk.dashboard",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "creatordesk.accounts.middleware.PermissionsPolicyMiddleware",
    "creatordesk.accounts.middleware.PortalNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "creatordesk.djangolib.links.RequestBaseMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "creatordesk.accounts.middleware.UserLanguageMiddleware",
    "creatordesk.accounts.middleware.WorkspaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "creatordesk.accounts.middleware.SessionIdleTimeoutMiddleware",
    # Last, so a locked-out sign-in is turned into the login page with the lockout message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "creatordesk.urls"
WSGI_APPLICATION = "creatordesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "creatordesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "creatordesk.accounts.context_processors.workspace",
            ],
        },
    },
]

# SQLite by default (WAL and a busy timeout so the web server and the task worker can share it);
# DATABASE_URL switches to PostgreSQL, the production database.
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {
            "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
        }
    except ValueError as exc:
        raise EnvError(f"DATABASE_URL is not a usable database URL: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "creatordesk.sqlite3"),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            # A file, not memory: the browser tests' live server and task worker use it from other threads.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "creatordesk" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "creatordesk" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Hashed file names (cache-busting) once `collectstatic` has written its manifest; before that
# (tests, a first start) files are served by name straight from the app folders.
_static_manifest = (STATIC_ROOT / "staticfiles.json").exists()
# Uploaded media: the local folder by default, any S3-compatible object store when S3_BUCKET is set.
_s3_bucket = env_str("S3_BUCKET")
_default_storage: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if _s3_bucket:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _static_manifest and not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve straight from the app folders when collectstatic has not run (tests, first start).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST  # configuration lives in MAILERS; the old EMAIL_* settings are deprecated
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CreatorDesk <noreply@localhost>")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Creator portal links are signed and expire; a creator can be sent a fresh one at any time.
CREATOR_LINK_MAX_AGE_DAYS = env_int("CREATOR_LINK_MAX_AGE_DAYS", 30, minimum=1)
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 14, minimum=1)

# Uploads stream to a temporary file (never into memory) and are probed before anything else runs.
FILE_UPLOAD_HANDLERS = [
    "creatordesk.reviews.uploads.MaxSizeUploadHandler",
    "creatordesk.reviews.uploads.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(exist_ok=True)
REVIEW_MAX_UPLOAD_BYTES = env_int("REVIEW_MAX_UPLOAD_BYTES", 2 * 1024**3, minimum=1)
REVIEW_MAX_DURATION_S = env_int("REVIEW_MAX_DURATION_S", 600, minimum=1)
REVIEW_SLA_HOURS = env_int("REVIEW_SLA_HOURS", 24, minimum=1)
# A running analysis whose heartbeat is older than this is taken to have lost its worker.
REVIEW_STALL_SECONDS = env_int("REVIEW_STALL_SECONDS", 180, minimum=10)
REVIEW_MAX_ATTEMPTS = env_int("REVIEW_MAX_ATTEMPTS", 3, minimum=1)
# How often the recovery task (creatordesk/dashboard/tasks.py) looks for work and files that a dead
# worker left behind, and how old a scratch file must be before it counts as left behind even when
# no dead process can be named (uploads cut off mid-request; see docs/deployment.md).
RECOVERY_INTERVAL_SECONDS = env_int("RECOVERY_INTERVAL_SECONDS", 60, minimum=1)
SCRATCH_MAX_AGE_MINUTES = env_int("SCRATCH_MAX_AGE_MINUTES", 360, minimum=1)

# Webhooks and platform APIs reach only public addresses; internal ones must be listed here
# (host, host:port, IP, IP:port or CIDR), see creatordesk/lib/outbound.py.
OUTBOUND_ALLOWED_HOSTS = env_list("OUTBOUND_ALLOWED_HOSTS", [])

# Installation-wide platform API credentials and endpoints (docs/performance.md), for workspaces
# without their own connection; read here once so a poll never depends on the worker's environment.
# Unset values are left out and the connector's public default applies.
PLATFORM_CONNECTORS: dict[str, dict[str, str]] = {
    kind: {field: value for field, name in names.items() if (value := env_str(name))}
    for kind, names in {
        "tiktok_business": {
            "access_token": "TIKTOK_BUSINESS_ACCESS_TOKEN",
            "business_id": "TIKTOK_BUSINESS_ID",
            "base_url": "TIKTOK_BUSINESS_API_URL",
        },
        "tiktok_shop": {
            "app_key": "TIKTOK_SHOP_APP_KEY",
            "app_secret": "TIKTOK_SHOP_APP_SECRET",
            "access_token": "TIKTOK_SHOP_ACCESS_TOKEN",
            "shop_cipher": "TIKTOK_SHOP_CIPHER",
            "base_url": "TIKTOK_SHOP_API_URL",
        },
        "meta_graph": {
            "access_token": "META_GRAPH_ACCESS_TOKEN",
            "base_url": "META_GRAPH_API_URL",
            "version": "META_GRAPH_API_VERSION",
        },
        "meta_ads": {
            "access_token": "META_ADS_ACCESS_TOKEN",
            "ad_account_id": "META_ADS_ACCOUNT_ID",
            "app_secret": "META_ADS_APP_SECRET",
            "base_url": "META_ADS_API_URL",
        },
    }.items()
}
CONNECTOR_RETRY_ATTEMPTS = env_int("CONNECTOR_RETRY_ATTEMPTS", 4, minimum=1)
CONNECTOR_RETRY_DELAY_S = env_float("CONNECTOR_RETRY_DELAY_S", 1.0, minimum=0)
CONNECTOR_RETRY_MAX_DELAY_S = env_float("CONNECTOR_RETRY_MAX_DELAY_S", 30.0, minimum=0)
# How often the figures of every post are polled, and every connected workspace is synced with the
# TikTok Shop Affiliate Center.
METRICS_POLL_MINUTES = env_int("METRICS_POLL_MINUTES", 60, minimum=5)
SHOP_SYNC_MINUTES = env_int("SHOP_SYNC_MINUTES", 60, minimum=5)
# Campaign images: larger files or pixel counts are refused before any check decodes them.
VISUALS_MAX_BYTES = env_int("VISUALS_MAX_BYTES", 40 * 1024**2, minimum=1024)
VISUALS_MAX_PIXELS = env_int("VISUALS_MAX_PIXELS", 60_000_000, minimum=10_000)
# Meta's asynchronous Insights reports are polled this often until done (a report may take an hour).
INSIGHTS_POLL_SECONDS = env_float("INSIGHTS_POLL_SECONDS", 10.0, minimum=0)

# Spreadsheet imports (creators, metrics): limits checked before and while a file is parsed, so a small
# upload that expands to millions of rows or one huge string is refused instead of exhausting the server.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024**2, minimum=1)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024**2, minimum=1)
IMPORT_MAX_SHARED_STRINGS_BYTES = env_int("IMPORT_MAX_SHARED_STRINGS_BYTES", 30 * 1024**2, minimum=1)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100, minimum=2)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200, minimum=1)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 10_000, minimum=1)
# Files up to this many rows are checked and imported within the request; larger ones by the worker.
IMPORT_INLINE_ROWS = env_int("IMPORT_INLINE_ROWS", 2_000, minimum=0)
IMPORT_CHUNK_ROWS = env_int("IMPORT_CHUNK_ROWS", 500, minimum=1)
IMPORT_STALL_SECONDS = env_int("IMPORT_STALL_SECONDS", 120, minimum=10)
IMPORT_MAX_ATTEMPTS = env_int("IMPORT_MAX_ATTEMPTS", 3, minimum=1)

# Behind TLS (production) every cookie is secure and HSTS is on; plain http stays usable locally.
HTTPS = env_bool("CREATORDESK_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Sign-in throttling, sessions, API tokens and browser policies (OWASP ASVS 4.0 V2.2, V3.3, V14.4).
# django-axes counts failed sign-ins in the database (shared by every worker); an IPv6 client counts
# as its /64. An account is locked for one client address after LOGIN_FAILURE_LIMIT failures; an
# address as a whole after LOGIN_IP_FAILURE_LIMIT failures over any accounts; an account for every
# address it never signed in from after LOGIN_ACCOUNT_FAILURE_LIMIT failures over all addresses (see
# accounts/throttling.py). Admins unlock in the admin (Axes → Access attempts) or with
# `creatordesk axes_reset_username <email>`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 50, minimum=1)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "creatordesk.accounts.throttling.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "creatordesk.accounts.views.login_locked_out"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_USERNAME_CALLABLE = "creatordesk.accounts.throttling.login_username"
AXES_RESET_ON_SUCCESS = False  # a success would also clear the per-address count an attacker builds up
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "creatordesk.accounts.throttling.client_address"
# Behind a proxy every connection comes from the proxy: the client is the address it appended.
# Without it, a loopback address (a local proxy's) is exempt from the limits per client address.
TRUST_X_FORWARDED_FOR = env_bool("BEHIND_PROXY", False)
# Reset mails sent (not requests): per inbox, per inbox from one client address, per client address.
PASSWORD_RESET_EMAIL_LIMIT = env_int("PASSWORD_RESET_EMAIL_LIMIT", 10, minimum=1)
PASSWORD_RESET_EMAIL_CLIENT_LIMIT = env_int("PASSWORD_RESET_EMAIL_CLIENT_LIMIT", 3, minimum=1)
PASSWORD_RESET_IP_LIMIT = env_int("PASSWORD_RESET_IP_LIMIT", 10, minimum=1)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1)
# Sessions end after SESSION_IDLE_TIMEOUT_MINUTES without a request, and at the latest after
# SESSION_COOKIE_AGE (two weeks) from sign-in, however active.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 240, minimum=1)
SESSION_COOKIE_AGE = 14 * 24 * 3600
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90, minimum=1)
# No inline script or eval anywhere; HTMX reads its config from a <meta> tag. Inline style
# *attributes* stay allowed: the review timeline positions its markers with them, and a style
# attribute cannot run script (style elements and style sheets from elsewhere stay blocked).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "media-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
