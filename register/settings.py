"""Settings of the register, read from the environment (see README, "Configuration")."""

from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from register.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    env_timezone,
    env_url,
    local_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production). "
            "For a local run, set DEBUG=true and a key is generated under var/."
        )
    SECRET_KEY = local_secret_key(VAR_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (production).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies of our own stand in front of the app (0: trust REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, maximum=5)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_countries",
    "django_htmx",
    "django_celery_beat",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "register",
    "signals",
    "casework",
    "controls",
    "reporting",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "register.middleware.RequestIdMiddleware",
    # Outside everything that can refuse a request, so the API's refusals are all JSON.
    "register.middleware.ApiErrorsAsJsonMiddleware",
    "register.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Early, so no view, filter or lookup ever sees a NUL or another control character.
    "register.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "register.middleware.SessionLimitsMiddleware",
    "register.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "register.middleware.NoStoreForAuthenticatedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "register.urls"
# Every required field visibly marked (*) and with aria-required (register/ui.py).
FORM_RENDERER = "register.ui.FormRenderer"
WSGI_APPLICATION = "register.wsgi.application"

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
                "register.context_processors.navigation",
            ],
            # {{ row|label:"field" }}: choice labels looked up once per language and process.
            "builtins": ["register.templatetags.labels"],
        },
    },
]

# Database: PostgreSQL in production and CI, a SQLite file under var/ for a bare machine.
_database_url = env_url("DATABASE_URL", {"postgres", "postgresql", "sqlite"})
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # The register's queries are short lookups; PostgreSQL's JIT compiler, tuned for long
        # analytic queries, spent more compiling them than running them (bench/).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "register.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "register.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, the organisation read with the user (register.accounts_backend).
    # Sessions signed in before it came in ask to sign in again (they idle out in 30 minutes).
    "register.accounts_backend.AccountBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "register.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 30 minutes idle (every request renews the cookie), 12 hours at most, never
# readable by scripts. Sensitive actions ask for the password again after 5 minutes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_MAX_SECONDS = 12 * 3600
REAUTH_SECONDS = 5 * 60
SESSION_SAVE_EVERY_REQUEST = True  # the stores skip a write that only moves the expiry
# ... by less than this (register/sessions/): the idle limit holds to the minute.
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# HTTPS in production: everything is served over TLS behind the proxy in docker-compose.
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Languages: Dutch first (the default), English, Papiamentu.
LANG_INFO["pap"] = {
    "bidi": False,
    "code": "pap",
    "name": "Papiamentu",
    "name_local": "Papiamentu",
}
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English")), ("pap", _("Papiamentu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["register.formats"]
USE_I18N = True
TIME_ZONE = env_timezone("TIME_ZONE", "America/Kralendijk")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # cytoscape's built file from node_modules (npm ci in `make install`), and nothing else.
    "register.browser_libraries.BrowserLibraryFinder",
]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploaded files live outside the web root and are only served by an authorising view.
MEDIA_ROOT = VAR_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 10, minimum=1, maximum=100) * 1024 * 1024
ATTACHMENTS_PER_SIGNAL = env_int("ATTACHMENTS_PER_SIGNAL", 10, minimum=1, maximum=50)
# Files kept for a user's refused forms, all forms together, until sent or purged.
STAGED_UPLOAD_QUOTA_BYTES = env_int("STAGED_UPLOAD_QUOTA_MB", 50, minimum=1,
                                    maximum=1000) * 1024 * 1024
# Bulk import of past signals (casework/imports): the file's size, its rows and columns.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 20, minimum=1, maximum=200) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000, minimum=10, maximum=200_000)
IMPORT_MAX_COLUMNS = 300
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# More is a 400. The signal form with every row it allows (signals/limits.py) and every box
# ticked sends about 1,160 fields, which Django's default of 1,000 would refuse.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# An API body: a full signal with every list at its maximum is well under 1 MB. Deeper JSON
# than any request of the API needs is refused before it can exhaust the decoder's stack.
API_JSON_MAX_BYTES = 2 * 1024 * 1024
API_JSON_MAX_DEPTH = 32

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "register.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["register.api.permissions.HasRegisterRole"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "register.api.pagination.RegisterPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only, bounded in size and depth, NUL refused; the API takes no forms or files.
    "DEFAULT_PARSER_CLASSES": ["register.api.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "register.api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Themaregister mensenhandel en mensensmokkel CN - API",
    "DESCRIPTION": (
        "Intake API for partner systems of the thematic register on human trafficking and "
        "people smuggling for the Caribbean Netherlands. Authenticate with "
        "`Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema describes the contract, not data, but it is still behind a login.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation declares its error answers too (400, 401, 403, 404, 429, 413, 415).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "register.api.schema.declare_error_answers",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SignalStatusEnum": "signals.vocab.SignalStatus",
        "DossierStatusEnum": "register.models.dossiers.Dossier.Status",
        "ExploitationFormEnum": "register.vocab.ExploitationForm",
        "ControlIslandEnum": "controls.models.CONTROL_ISLANDS",
        "IslandEnum": "signals.vocab.Island",
        # Named, because the stored shapes in the signal's answer share them (signals/api/views.py)
        "PersonRoleEnum": "signals.vocab.PersonRole",
        "VehicleKindEnum": "signals.vocab.VehicleKind",
    },
}

# Login throttling (register/login_throttle.py): failures lock the pair (account, address) at
# AXES_FAILURE_LIMIT, the account from any address at LOGIN_FAILURES_PER_ACCOUNT, and one
# address at LOGIN_FAILURES_PER_ADDRESS; counted on the real client address only.
AXES_HANDLER = "register.login_throttle.ScopedLoginThrottle"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 20, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 100, minimum=1)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Wrong passwords sent while locked do not count: otherwise one client hammering one account
# would run on past the pair's limit into the account's and the address's, and lock the
# account everywhere or a whole office behind one address.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "register.client_ip.client_ip"
AXES_VERBOSE = False

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport under var/.
REDIS_URL = env_url("REDIS_URL", {"redis", "rediss"})
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A request that queues a task must not hang when Redis is gone or silent: connect and
    # answer within seconds, retry briefly, then give up (register.tasks_queue logs it and
    # the reports' sweep queues what could not be handed over).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600, "socket_connect_timeout": 3, "socket_timeout": 5,
        "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1,
    }
else:
    _queue_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        # Broadcast exchanges (the worker's control messages): without this kombu writes a
        # "control" folder into whatever directory the process was started from.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3

# Sessions (register/sessions/): read from Redis when there is one, written at most once a
# minute unless they changed; the database keeps a copy so an account's sessions can be
# found and ended. Without Redis (the embedded default) they live in the database only.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "register-session",
            # A page must not hang on a silent Redis: the store then reads the database.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    SESSION_ENGINE = "register.sessions.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
else:
    SESSION_ENGINE = "register.sessions.db"
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ROUTES = {"reporting.tasks.make_report": {"queue": "pdf"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "themaregister@localhost")
# The register's own address, for links in e-mails (never with personal data in them).
# Without it, production links go to its first allowed host over HTTPS: a silent fallback to
# 127.0.0.1 would send every welcome mail with a link that works nowhere.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else
                   f"https://{ALLOWED_HOSTS[0].lstrip('.')}").rstrip("/")

OTP_TOTP_ISSUER = "Themaregister CN"

# The register's own rules, adjustable per deployment.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365, minimum=1, maximum=3650)
# Where the nightly check records the newest audit event, outside the database, so that cutting
# off the newest events or rewriting the whole chain is noticed. Put it on other storage.
AUDIT_CHECKPOINT_PATH = env_str("AUDIT_CHECKPOINT_PATH", str(VAR_DIR / "audit-checkpoint.json"))
SIGNAL_REFERENCE_PREFIX = "MH"
# Shown when a reporter says someone may be in immediate danger.
EMERGENCY_NUMBER = env_str("EMERGENCY_NUMBER", "911")
STALE_UPLOAD_HOURS = 24
# Police data is kept only as long as needed: years after the last processing.
RETENTION_YEARS = env_int("RETENTION_YEARS", 5, minimum=1, maximum=30)
# "All signals must be followed up": days after which a signal without follow-up stands out.
FOLLOW_UP_DAYS = env_int("FOLLOW_UP_DAYS", 30, minimum=1, maximum=365)
# Unusual reading (register.services.reading_alerts): an account of a role opening more
# distinct persons and dossiers in a day than its role's threshold, and more than
# READING_USUAL_FACTOR times its own usual day (the mean of the previous 28 days with reads);
# any read between READING_NIGHT_START and READING_NIGHT_END o'clock (local time); or this
# many name searches on a day without opening a dossier or person.
READING_DAILY_THRESHOLDS = {"analyst": env_int("READING_THRESHOLD_ANALYST", 150, minimum=1,
                                               maximum=100000),
                            "coordinator": env_int("READING_THRESHOLD_COORDINATOR", 50,
                                                   minimum=1, maximum=100000),
                            "manager": env_int("READING_THRESHOLD_MANAGER", 50, minimum=1,
                                               maximum=100000)}
READING_USUAL_FACTOR = env_int("READING_USUAL_FACTOR", 3, minimum=1, maximum=100)
READING_NIGHT_START = env_int("READING_NIGHT_START", 22, minimum=0, maximum=23)
READING_NIGHT_END = env_int("READING_NIGHT_END", 6, minimum=0, maximum=23)
READING_NAME_SEARCHES = env_int("READING_NAME_SEARCHES", 30, minimum=1, maximum=100000)
# A list export is a disclosure to the analyst's own organisation, kept this many days.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 90, minimum=1, maximum=3650)
# A bulk import's uploaded file and report (personal data of the partner's registrations) are
# deleted this many days after the import finished, or after an upload left unconfirmed.
IMPORT_FILE_KEEP_DAYS = env_int("IMPORT_FILE_KEEP_DAYS", 30, minimum=1, maximum=3650)
# Counts from 1 up to this threshold leave the register only as "<5", so that no victim can
# be recognised in a report.
SUPPRESS_BELOW = env_int("SUPPRESS_BELOW", 5, minimum=1, maximum=100)
# The anonymised research release (reporting.research_release): every released combination
# of age band, sex, citizenship, form, year and island occurs at least this many times.
RESEARCH_RELEASE_K = env_int("RESEARCH_RELEASE_K", 11, minimum=2, maximum=100)
# The marking on every page of a report. Empty: "Departementaal vertrouwelijk", translated
# into the report's language.
REPORT_CLASSIFICATION = env_str("REPORT_CLASSIFICATION", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "register.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Request lines can carry query strings; the register never puts personal data there,
    # and 4xx warnings from django.request are kept but never include request bodies.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"},
                # pypdf warns about damaged files, sometimes quoting what it read.
                "pypdf": {"level": "ERROR"}},
}
