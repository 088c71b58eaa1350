"""Settings, read from the environment and validated at start (see suban.env and README "Configuration")."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from suban.env import env_bool, env_choice, env_float, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SUBAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105 (DEBUG only)
# Key for encrypted personal fields (phone numbers). Separate from SECRET_KEY so the latter can rotate.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", "")
if not FIELD_ENCRYPTION_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is required when DEBUG is off")
    FIELD_ENCRYPTION_KEY = "insecure-development-field-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("SITE_NAME", "诉办 Suban")

INSTALLED_APPS = [
    "suban.admin_apps.SubanAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "suban.admin_apps.AxesConfig",
    "csp",
    "huey.contrib.djhuey",
    "suban.org",
    "suban.accounts",
    "suban.audit",
    "suban.workdays",
    "suban.catalogue",
    "suban.cases",
    "suban.masterdata",
    "suban.demo",
    "suban.web",
    "suban.api",
    "ninja",
    "suban.notify",
    "suban.h5",
    "suban.console",
    "suban.gridwork",
    "suban.intel",
    "suban.knowledge",
    "suban.mediation",
    "suban.open311",
    "suban.assess",
    "suban.citysync",
    "suban.exchange",
    "suban.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "suban.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "suban.web.errors.ErrorPagesMiddleware",
    # Last, so that it runs just before the view: after the URL is resolved, with the CSRF check done.
    "suban.web.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "suban.urls"
WSGI_APPLICATION = "suban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "suban" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "suban.web.context.site",
            ],
        },
    },
]

# --- Database: SQLite file by default, anything dj-database-url understands via DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'suban.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids "database is locked"
    # on upgrade from a read to a write lock inside a transaction.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _db["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must be sqlite:// or postgres://")
else:
    _db["CONN_HEALTH_CHECKS"] = True
    # JIT compilation pays off for long analytic queries, not for the platform's short ones: on a large
    # table it spent 350 ms compiling a 20-row page. Reports that want it can SET jit = on themselves.
    _db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis (optional): cache and the background queue use it when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "suban", "url": REDIS_URL, "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "suban",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

# --- Files: local folder by default, S3-compatible storage when S3_BUCKET is set.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [
    (prefix, BASE_DIR / "node_modules" / path)
    for prefix, path in [("vendor/htmx", "htmx.org/dist"), ("vendor/echarts", "echarts/dist")]
    if (BASE_DIR / "node_modules" / path).is_dir()
]
S3_BUCKET = env_str("S3_BUCKET", "")
_media_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if S3_BUCKET:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("S3_ACCESS_KEY", ""),
            "secret_key": env_str("S3_SECRET_KEY", ""),
            "default_acl": None,
            "querystring_auth": True,
        },
    }
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Accounts, login and the 等保 level 3 rules.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "suban.accounts.backends.RoleBackend",
    # Citizens have no password: they log in with a code sent by SMS (suban.accounts.sms_login).
    "suban.accounts.backends.CitizenSmsBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "suban.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "suban.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "suban.accounts.passwords.NotTheCurrentPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_ENGINE = "suban.accounts.sessions"  # the database's, refusing a key that holds a NUL
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout: every request extends it
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
# Lock an account at the address the failures came from, not everywhere: otherwise anyone who knows a user name
# locks its owner out. Not the address alone either: a street office shares one public IP. Failures against one
# account from all addresses are added up as well (suban.accounts.lockout): at LOGIN_ACCOUNT_FAILURE_LIMIT the
# account is under attack, only addresses it has logged in from may still try, and the security admins are told.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20, minimum=AXES_FAILURE_LIMIT + 1)
AXES_HANDLER = "suban.accounts.lockout.LockoutHandler"
# A refused attempt checks no password: it neither counts as a failure nor prolongs the lock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client's address as the audit log records it (behind a proxy: the address the proxy received from).
AXES_CLIENT_IP_CALLABLE = "suban.audit.services.client_ip"

HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Behind one reverse proxy that sets X-Forwarded-Proto and appends the client's address to X-Forwarded-For.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Served over HTTPS, browsers are told to keep to it for a year (a plain-HTTP link or a downgrade is refused);
# set SECURE_HSTS_SECONDS=0 to turn it off, or a short time while trying HTTPS out.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0, minimum=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, images, media and requests from this site only, no
# inline script, style attribute or eval anywhere (the templates hold none: behaviour lives in static files,
# htmx is told not to inject its indicator styles nor to evaluate). Photos and recordings the pages preview
# before sending are blob: and data: URLs; everything uploaded is served through the site's own views.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The nightly purge removes audit entries older than this (等保: kept at least 6 months; the database itself
# refuses to delete younger than 180 days).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180, minimum=180)
# When set, new audit entries are sealed with HMAC-SHA256 under this key, which the database does not hold:
# whoever has only the database cannot rewrite the chain unnoticed (README, "Audit").
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY", "")
if AUDIT_HMAC_KEY and len(AUDIT_HMAC_KEY) < 32:
    raise ImproperlyConfigured("AUDIT_HMAC_KEY must be at least 32 characters")
# `manage.py flush` empties every table, the audit log too, which it may only in development (and in the
# tests' teardown, tests/conftest.py); with DEBUG off it refuses.
AUDIT_LOG_FLUSHABLE = DEBUG
# seed_demo: backdated cases of the past year (suban.demo.history) behind the dashboard and the rankings.
DEMO_HISTORY_CASES = env_int("DEMO_HISTORY_CASES", 3000, minimum=0)
# seed_demo: disputes of the past year at the mediation centre, made of real messages (suban.demo.seed_mediation),
# besides those of the demo's cases.
DEMO_DISPUTES = env_int("DEMO_DISPUTES", 150, minimum=0)
# seed_demo: train the demo's routing model (suban.demo.seed_model) and compute the hotspots after loading.
DEMO_MODEL = env_bool("DEMO_MODEL", True)
# How often a process checks whether master data it caches (grid index, address names, calendar) changed.
CACHE_CHECK_SECONDS = env_int("CACHE_CHECK_SECONDS", 5, minimum=0)
# How many days ahead the console and the admin warn of a year whose working days nobody has entered.
CALENDAR_WARN_DAYS = env_int("CALENDAR_WARN_DAYS", 60, minimum=0)
# API rate limits per account (a hotline system pushing work orders may need more than a person).
API_READ_RATE = env_rate("API_READ_RATE", "300/min")
API_WRITE_RATE = env_rate("API_WRITE_RATE", "60/min")

# --- Notifications (suban.notify): SMS through a gateway, email through SMTP.
# SMS_GATEWAY=log writes each SMS (login codes too, when DEBUG) to the log: for development. webhook POSTs
# {idempotency_key, to, template, text} as JSON to SMS_WEBHOOK_URL, signed in X-Suban-Signature with
# SMS_WEBHOOK_SECRET, the key again in Idempotency-Key (a message may be sent twice: suban.notify.sending).
SMS_GATEWAY = env_choice("SMS_GATEWAY", "log", {"log", "webhook"})
SMS_WEBHOOK_URL = env_str("SMS_WEBHOOK_URL", "")
SMS_WEBHOOK_SECRET = env_str("SMS_WEBHOOK_SECRET", "")
if SMS_GATEWAY == "webhook":
    if not SMS_WEBHOOK_URL.startswith(("https://", "http://")):
        raise ImproperlyConfigured("SMS_WEBHOOK_URL must be an http(s):// URL when SMS_GATEWAY=webhook")
    if not SMS_WEBHOOK_SECRET:
        raise ImproperlyConfigured("SMS_WEBHOOK_SECRET is required when SMS_GATEWAY=webhook")
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
NOTIFY_KEEP_DAYS = env_int("NOTIFY_KEEP_DAYS", 90, minimum=1)
# How long an H5 form's key is kept to recognise a retried submission (then purged every night).
H5_SUBMIT_KEY_DAYS = env_int("H5_SUBMIT_KEY_DAYS", 7, minimum=1)
# A citizen's request with the same title and text as one of theirs of the last REPEAT_WINDOW_MINUTES is that
# request again (sent twice after going back): it gives back the first case. 0: never.
REPEAT_WINDOW_MINUTES = env_int("REPEAT_WINDOW_MINUTES", 10, minimum=0)
# How long a 12345 file checked but not imported is kept (it holds citizens' phone numbers).
EXCHANGE_UPLOAD_HOURS = env_int("EXCHANGE_UPLOAD_HOURS", 24, minimum=1)
# Email goes over SMTP when EMAIL_HOST is set; otherwise it is printed on the console (development).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other; set one")
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "suban@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)

# --- Intelligence (suban.intel). The matter model: this file, or else the newest VAR_DIR/models/matter-*.joblib.
# A new accepted case whose first suggestion reaches INTEL_AUTO_ROUTE (0..1) is dispatched by the worker;
# INTEL_AUTO_ROUTE=1 keeps every case for a person. Hotspots cover the last INTEL_HOTSPOT_DAYS days.
INTEL_MATTER_MODEL = env_str("INTEL_MATTER_MODEL", "")
INTEL_AUTO_ROUTE = env_float("INTEL_AUTO_ROUTE", 0.9, minimum=0.0, maximum=1.0)
INTEL_HOTSPOT_DAYS = env_int("INTEL_HOTSPOT_DAYS", 30, minimum=1)

# --- Language and time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "suban" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # Own handler, so that run_huey does not add a second one and print every line twice.
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
