"""The one settings module. Everything that differs between the embedded run, CI and
production comes from environment variables, read once here through config.env."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from config.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key_from_file,
    storages_from_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ADVOCASE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# "development" is the embedded run (make run / make test); "production" turns on every
# transport-security setting and refuses to start without the variables it needs.
DJANGO_ENV = env_str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

# Off unless asked for, the embedded run included: Django's debug pages show settings,
# queries and the data on the page to whoever hits an error (a partner user, say), and
# without them the app's own 403/404/500 pages are the ones people see.
DEBUG = env_bool("DJANGO_DEBUG", default=False)
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
else:
    SECRET_KEY = env_str("SECRET_KEY") or secret_key_from_file(VAR_DIR / "secret_key")

if PRODUCTION:
    # Without it every request would be a bare 400: refuse to start instead.
    env_str("ALLOWED_HOSTS", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
else:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# A form whose security token expired: a page in the reader's language, not Django's.
CSRF_FAILURE_VIEW = "casework.views.errors.csrf_failure"

INSTALLED_APPS = [
    # Django's admin, whose ModelAdmins register when the URLconf loads (config/apps.py).
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "casework",
    "advocacy",
    "accountability",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "casework.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language cookie, then Accept-Language; a signed-in account's own choice wins below.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the membership in the query that reads the account (casework.request_user).
    "casework.request_user.MembershipAuthenticationMiddleware",
    # django-otp's, reading the verified device by a query compiled once (casework.request_user).
    "casework.request_user.CompiledOTPMiddleware",
    # request.user unwrapped from the two lazy objects above (casework.request_user).
    "casework.request_user.EvaluatedUserMiddleware",
    "casework.languages.AccountLanguageMiddleware",
    "casework.security.SessionAbsoluteTimeoutMiddleware",
    "casework.security.SessionIdleRefreshMiddleware",
    "casework.security.SecondFactorRequiredMiddleware",
    "casework.security.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'advocase.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so a real Celery worker process in the tests sees the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    # A process keeps its PostgreSQL connection between requests: a connection per request
    # is a new server process whose caches start cold, 7-13 ms of server CPU on each of
    # bench_load's pages. Checked before reuse, so a restarted server costs no error page.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out username/IP never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's own four (the common-password list is 20,000 passwords drawn from breaches; no
# maintained package ships a bigger offline list, see the README), and no password that
# contains the account's name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "casework.passwords.PasswordContainsNameValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# Each language in its own name, as the switch in the header shows it. Kazakh falls back to
# Russian, then English, for a string it has no translation of (casework.languages).
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
# The project's catalogue, then advocacy's own: listed here (not only found as an app's) so
# that its words beat a third-party app's for the same English ("now", "Remove", "Filter").
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "advocacy" / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The embedded run serves static files straight from the apps' folders (no collectstatic
# step), through WhiteNoise as in production, whatever DEBUG says.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG and not PRODUCTION
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded spreadsheets, what an import keeps beside them, attachments and the files a
# backup copies go through Django's storage API (common/storage.py): the local MEDIA_ROOT
# folder, or with STORAGE_URL (s3://bucket/prefix?endpoint=…) an S3-compatible bucket that
# every web process and worker on every machine shares.
STORAGE_URL = env_str("STORAGE_URL")
STORAGES: dict[str, dict[str, Any]] = {
    **storages_from_url(
        STORAGE_URL,
        access_key=env_str("AWS_ACCESS_KEY_ID"),
        secret_key=env_str("AWS_SECRET_ACCESS_KEY"),
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Backups (manage.py backup / restore): where archives go, and the Fernet key that seals
# them (unset: archives are written unencrypted, for a disk that is itself encrypted).
BACKUP_DIR = Path(env_str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_ENCRYPTION_KEY = env_str("BACKUP_ENCRYPTION_KEY")

# --- Partner spreadsheet imports: limits that a hostile file cannot get past.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", default=200)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", default=10_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", default=200)
# Above this many rows a confirmed import runs in a Celery task with a progress bar.
IMPORT_ASYNC_ROWS = env_int("IMPORT_ASYNC_ROWS", default=2_000)
# Uploaded spreadsheets (and what an import keeps beside them) are encrypted at rest with this
# Fernet key; empty: a key derived from SECRET_KEY. An upload nobody confirms is deleted
# after IMPORT_UNCONFIRMED_MINUTES.
IMPORT_FILES_KEY = env_str("IMPORT_FILES_KEY", default="")
IMPORT_UNCONFIRMED_MINUTES = env_int("IMPORT_UNCONFIRMED_MINUTES", default=60)

# --- django-import-export (casework/resources.py, advocacy/resources.py): in the admin,
# importing a vocabulary needs the right to change it and exporting the right to view it;
# every import is all or nothing. Exported cells are cleaned by the Resources themselves.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# --- Sessions: the idle timeout is renewed at most once a minute by
# casework.security.SessionIdleRefreshMiddleware (not on every request: that would write the
# session row and COMMIT on every page); the absolute timeout is checked by middleware too.
# Sessions live in the database, read on every request by casework.sessions (Django's
# store, without rebuilding the same query each time).
SESSION_ENGINE = "casework.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env_int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers (production adds transport security below).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Permissions-Policy (casework.security.PermissionsPolicyMiddleware): the browser features
# a page may use, here none. The list is every feature Chromium knows (document.featurePolicy
# .features(), tests/browser/test_security.py) except client hints, which are not
# capabilities, and aria-notify, an accessibility announcement API.
PERMISSIONS_POLICY_DENIED = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "captured-surface-control",
    "clipboard-read",
    "clipboard-write",
    "compute-pressure",
    "cross-origin-isolated",
    "deferred-fetch",
    "deferred-fetch-minimal",
    "digital-credentials-create",
    "digital-credentials-get",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "identity-credentials-get",
    "idle-detection",
    "interest-cohort",
    "keyboard-map",
    "language-detector",
    "language-model",
    "local-fonts",
    "local-network",
    "local-network-access",
    "loopback-network",
    "magnetometer",
    "media-playback-while-not-visible",
    "microphone",
    "midi",
    "on-device-speech-recognition",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "private-state-token-issuance",
    "private-state-token-redemption",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "speaker-selection",
    "storage-access",
    "summarizer",
    "sync-xhr",
    "translator",
    "unload",
    "usb",
    "window-management",
    "xr-spatial-tracking",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Secure-sessionid"
    CSRF_COOKIE_NAME = "__Secure-csrftoken"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# --- Sign-in throttling (django-axes). Lock on username + IP; the client IP comes from
# REMOTE_ADDR unless a trusted proxy count is configured, so a spoofed X-Forwarded-For
# cannot give each attempt a fresh address.
# The failures and lockouts are rows in the database (axes' database handler), so every web
# process on every machine counts the same attempts; no cache or process memory holds them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", default=30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# django-ipware is not installed, so axes' AXES_IPWARE_* settings would be ignored; this
# callable applies TRUSTED_PROXY_COUNT itself (counting from the right of X-Forwarded-For).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "casework.security.client_ip_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env_str("OTP_ISSUER", default="Advocase")

# --- Email: console in the embedded run; a file folder or SMTP by environment.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", default=str(VAR_DIR / "sent-mail"))
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Advocase <advocase@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- The cache: Redis when REDIS_URL is set, so every process on every machine sees the
# same entries (the detection index's generation, advocacy/detection/index.py); otherwise a
# folder under var/ that the embedded run's processes on this one machine share.
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "advocase",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery. With REDIS_URL unset, kombu's filesystem transport under var/ needs no server.
# Processes of the embedded run with var/ folders of their own share this one.
BROKER_DIR = Path(env_str("ADVOCASE_BROKER_DIR", default=str(VAR_DIR / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"visibility_timeout": 3600}
else:
    for folder in ("out", "processed", "results", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        # The filesystem transport polls; at the default 1 s a worker idles up to a second
        # between messages, which a batch of reminders should not wait for.
        "polling_interval": 0.1,
        # Broadcast (control) messages would otherwise land in ./control under the cwd.
        "control_folder": str(BROKER_DIR / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{BROKER_DIR / 'results'}"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery closes the worker's database connection around every task unless told to reuse it;
# a new PostgreSQL connection per batch of reminders cost more than the batch's own queries.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if REDIS_URL:
    # Several machines: beat keeps when each periodic task last ran in Redis (RedBeat), not
    # in a file on its own disk, and holds a lock there, so a second beat started on another
    # machine stands by instead of sending every periodic task twice.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_REDIS_OPTIONS: dict[str, Any] = {}
    CELERY_REDBEAT_KEY_PREFIX = "advocase:beat:"
    # Beat wakes at least every 30 s and renews its lock then; a beat killed without
    # releasing it holds up its successor 90 s at most (RedBeat's default would be 25 min).
    CELERY_BEAT_MAX_LOOP_INTERVAL = 30
    CELERY_REDBEAT_LOCK_TIMEOUT = 90
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {}
# Beat only wakes the database-backed work up; the due moments live in Reminder rows, so
# nothing is parked on the broker with a long countdown.
# Every minute by default; the due moments live in Reminder rows, so the interval only bounds
# how late a reminder can be (the beat integration test makes it one second).
REMINDER_DISPATCH_INTERVAL_SECONDS = env_int("REMINDER_DISPATCH_INTERVAL_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["reminders-dispatch-due"] = {
    "task": "casework.tasks.reminders_dispatch_task",
    "schedule": float(REMINDER_DISPATCH_INTERVAL_SECONDS),
    "options": {"expires": max(1, REMINDER_DISPATCH_INTERVAL_SECONDS - 5)},
}
CELERY_BEAT_SCHEDULE["reminders-plan-digests"] = {
    "task": "casework.tasks.reminders_plan_digests_task",
    "schedule": 3600.0,
    "options": {"expires": 3500},
}
CELERY_BEAT_SCHEDULE["imports-purge-abandoned-uploads"] = {
    "task": "casework.tasks.import_uploads_purge_task",
    "schedule": 600.0,
    "options": {"expires": 590},
}
CELERY_TIMEZONE = TIME_ZONE

# --- The REST API (casework/api/, advocacy/api/). Its throttle counts live in a cache every
# worker shares: Redis when there is one, else a folder under var/.
API_CACHE_ALIAS = "api"
# Requests a token (or a signed-in session) may make, per casework.api.throttling.
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", default="600/minute")
# Beside the default cache (above), never in place of it.
CACHES[API_CACHE_ALIAS] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "api-cache"),
    }
)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casework.api.authentication.ApiTokenAuthentication",
        "casework.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["casework.api.permissions.TokenScopePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["casework.api.throttling.ApiTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_PAGINATION_CLASS": "casework.api.pagination.RecentFirstCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "casework.api.parsers.JSONTextParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "casework.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Advocase API",
    "DESCRIPTION": (
        "Cases, people, timelines, documents, follow-ups, imports, vocabularies and "
        "notifications, as the signed-in user may see and change them; people also as "
        "FollowTheMoney entities. Authenticate with a personal token: "
        "`Authorization: Bearer <token>` (made on the account page)."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Sensitive fields are left out for partner users, so no field of a response is promised.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "casework.models.choices.Status",
        "DatePrecisionEnum": "casework.partial_dates.Precision",
        # Several models have a field "kind", each with its own choices: one name each.
        "DocumentKindEnum": "advocacy.models.Document.Kind",
        "TimelineEntryKindEnum": "casework.api.serializers.ENTRY_KINDS",
    },
}

# --- Follow-up reminders (casework/reminders/). Local hours are in each recipient's timezone.
# Where links in emails point (no trailing slash).
# Links in emails; by default the address `make run` serves on (ADVOCASE_ADDRESS).
SITE_URL = env_str(
    "SITE_URL", default=f"http://{env_str('ADVOCASE_ADDRESS', default='127.0.0.1:8000')}"
).rstrip("/")
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", default=3)
REMINDER_MAX_OVERDUE = env_int("REMINDER_MAX_OVERDUE", default=7)
REMINDER_ESCALATE_AFTER_DAYS = env_int("REMINDER_ESCALATE_AFTER_DAYS", default=3)
REMINDER_HOUR_LOCAL = env_int("REMINDER_HOUR_LOCAL", default=9)
REMINDER_DIGEST_WEEKDAY = env_int("REMINDER_DIGEST_WEEKDAY", default=0)  # Monday
REMINDER_DIGEST_HOUR_LOCAL = env_int("REMINDER_DIGEST_HOUR_LOCAL", default=8)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", default=5)
REMINDER_RETRY_BACKOFF_CAP_MINUTES = env_int("REMINDER_RETRY_BACKOFF_CAP_MINUTES", default=60)
REMINDER_QUEUED_TIMEOUT_MINUTES = env_int("REMINDER_QUEUED_TIMEOUT_MINUTES", default=10)
REMINDER_DISPATCH_BATCH = env_int("REMINDER_DISPATCH_BATCH", default=500)

# Every line goes through the one console handler and its filters (config/log_filters.py):
# query strings (searched names) are cut from every path, and a refused request (403, 404)
# is one line, not a traceback. Django's own "django" logger keeps no handler of its own
# (its debug console and mail to ADMINS would bypass the filters): it reaches the console
# through the root. runserver's request lines (django.server, `make run`) likewise.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_query_strings": {"()": "config.log_filters.QueryStringRedactingFilter"},
        "client_errors_without_traceback": {
            "()": "config.log_filters.ClientErrorWithoutTracebackFilter"
        },
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_query_strings", "client_errors_without_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
