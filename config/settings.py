"""Settings, all from the environment (django-environ).

Embedded default (no variables set): SQLite under var/ and a SQLite-backed Celery broker, so
`make run` needs no server. Deployment sets DATABASE_URL (PostgreSQL) and REDIS_URL.
"""
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# Where the embedded default keeps its files (database, broker, cache, beat schedule, media, mail).
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-change-me-in-production-0123456789abcdef")
else:
    SECRET_KEY = env.str("SECRET_KEY")  # required in production
# Rotation: put the old key here while sessions re-sign with the new one (docs/operations.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "core",
    "accounts",
    "sla",
    "complaints",
    "notifications",
    "reports",
    "outages",
    "risk",
    "knowledge",
    "phrases",
]

MIDDLEWARE = [
    "core.middleware.DatabaseErrorMiddleware",  # outermost: covers the session and user reads too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.headers.SecurityHeadersMiddleware",  # after whitenoise: static files keep their long cache
    "core.badinput.BadInputMiddleware",  # control characters in the query string: 400 before any view
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionIdleRenewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.LoginThrottleMiddleware",
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
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server, worker and beat share the file without "database is locked".
    # IMMEDIATE: a transaction takes the write lock when it begins and waits for it (timeout), instead
    # of failing with "database is locked" when a reader upgrades to a writer under load.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20,
                                       "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env.str("REDIS_URL", default="")
# --- Resilience (issue 13): the cache may live in another Redis database than the broker (CACHE_URL);
# short socket timeouts, and core.cache answers as a miss while Redis is down.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": CACHE_URL,
                          "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.grants.CachedModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions end after this much inactivity (activity renews them, see accounts.middleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False  # accounts.middleware renews it at most once a minute
SESSION_COOKIE_HTTPONLY = True

# Login throttling: a username is locked only together with the IP it is attacked from, so an
# attacker elsewhere cannot lock an agent out mid-shift; administrators unlock in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# The number of reverse proxies in front (nginx: 1). One answer for the client address
# (core.clientip.client_ip, through django-ipware) for axes, the login throttle and the logs;
# DRF's throttles read the same count. 0: X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
# ...and one address trying many usernames is refused after this many failures per window
# (core.middleware.LoginThrottleMiddleware; successful sign-ins do not count).
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=30)
LOGIN_IP_WINDOW_SECONDS = env.int("LOGIN_IP_WINDOW_SECONDS", default=60)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"  # attachments are served only through the access-checked view
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

REST_FRAMEWORK = {
    # Token first: an unauthenticated request then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle",
                                 "rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_RATE_USER", default="600/min"),
        "anon": env.str("API_RATE_ANON", default="60/min"),
        "login": env.str("API_RATE_LOGIN", default="10/min"),
    },
}
# API tokens: django-rest-knox, SHA-512 digests only. Lifetime per user: accounts.tokens.lifetime.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
MIGRATION_MODULES = {"knox": None}  # its own AuthToken is swapped out: no table for it
REST_KNOX = {"TOKEN_LIMIT_PER_USER": 10, "AUTO_REFRESH": False}
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)  # the OpenAPI schema and Swagger UI for anyone
SPECTACULAR_SETTINGS = {
    "TITLE": "供电服务投诉工单系统 API",
    "DESCRIPTION": "95598 / 12398 投诉工单受理、派发、处理、审核、回访、归档的 REST 接口。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["core.api.DocsPermission"],  # signed-in users, unless API_DOCS_PUBLIC
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TicketKindEnum": "complaints.models.Kind",
        "UnitKindEnum": "accounts.models.UnitKind",
        "SupervisionKindEnum": "complaints.models.SupervisionOrder.OrderKind",
        "LinkKindEnum": "complaints.models.TicketLink.LinkKind",
        "CallbackResultEnum": "complaints.models.CallResult",
        "OutageKindEnum": "outages.models.OutageKind",
    },
}

# --- Resilience (issue 13): the broker --------------------------------------------------------
# Embedded default: kombu's SQLAlchemy transport on its own SQLite file. A consumer claims a
# message in one write transaction (BEGIN IMMEDIATE), so a reader never sees a half-written one
# (the filesystem transport's reader/writer race killed the worker after ~30 minutes).
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
CELERY_BROKER_CONNECTION_TIMEOUT = 2  # a user's request never waits long on a dead broker
# Without max_retries kombu retries a refused connection until its timeout, and that timeout is
# measured on a clock a frozen test clock (or a stalled host) never advances: one retry at once
# (kombu would first sleep 2 s inside the user's request), then the caller's own fallback
# (core.tasks.enqueue leaves the work for beat). The worker's own reconnecting is not affected.
BROKER_RETRY = {"max_retries": 1, "interval_start": 0}
REDIS_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, **BROKER_RETRY}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
else:
    # Passed to create_engine but for the retry options, which kombu takes out (so no
    # "polling_interval": the worker polls once a second).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"connect_args": {"timeout": 20}, **BROKER_RETRY}
# --- end resilience block ---------------------------------------------------------------------
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "core.tasks.heartbeat_task", "schedule": 60.0},
    "sla-sweep": {"task": "complaints.tasks.sweep_clocks_task", "schedule": 60.0},
    "supervision-sweep": {"task": "complaints.tasks.supervision_sweep_task", "schedule": 60.0},
    "outbox-deliver": {"task": "notifications.tasks.deliver_outbox_task", "schedule": 30.0},
    "reports-export-pickup": {"task": "reports.tasks.export_pickup_task", "schedule": 60.0},
    "reports-warm-dashboard": {"task": "reports.tasks.warm_dashboard_task", "schedule": 240.0},
    # Monthly, the 1st at 03:30: personal data of archived tickets past the retention period.
    "purge-personal-data": {"task": "complaints.tasks.purge_personal_data_task",
                            "schedule": crontab(day_of_month="1", hour="3", minute="30")},
    "risk-sweep": {"task": "risk.tasks.risk_sweep_task", "schedule": 600.0},
    "risk-interview-list": {"task": "risk.tasks.interview_list_task", "schedule": crontab(hour="8", minute="0")},
    "investigation-overdue": {"task": "complaints.tasks.investigation_overdue_task", "schedule": 600.0},
}
REPORTS_EXPORT_ASYNC_THRESHOLD = env.int("REPORTS_EXPORT_ASYNC_THRESHOLD", default=5000)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="95598-complaints@localhost")
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.LoggingSmsBackend")

# Content Security Policy: no inline script anywhere; every asset is served from here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "INFO"}, "security": {"level": "INFO"}},
}
