"""Culture Hub settings.

Every value that differs between machines comes from the environment, read here and nowhere else.
Development: DEBUG=1 and nothing else. Production: DEBUG unset, SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL set (see docs/decisions/0002-settings-from-environment.md).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
DATA_DIR = Path(os.environ.get("CULTUREHUB_DATA_DIR", PROJECT_DIR / "var"))


def _development_secret_key() -> str:
    """A per-checkout key kept in the data folder, so sessions survive restarts in development."""
    key_file = DATA_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and linked into place: a second process starting at the same moment (the test
        # runs on both databases do) reads either no file or the whole key, never a half-written one.
        draft = key_file.with_name(f"{key_file.name}.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: still never half-written
            os.replace(draft, key_file)
        finally:
            draft.unlink(missing_ok=True)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for development."
        )
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "culturehub.core",
    "culturehub.accounts",
    "culturehub.vocabulary",
    "culturehub.places",
    "culturehub.directory",
    "culturehub.registers",
    "culturehub.opportunities",
    "culturehub.outcomes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "culturehub.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "culturehub.config.urls"
WSGI_APPLICATION = "culturehub.config.wsgi.application"
ASGI_APPLICATION = "culturehub.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "culturehub.core.context_processors.site",
            ],
        },
    },
]

# SQLite (WAL) by default; DATABASE_URL switches to PostgreSQL.
_sqlite_path = DATA_DIR / "culturehub.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_sqlite_path}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # A 64 MB page cache and memory-mapped reads keep searches of a large directory off the disk.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
    }
}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: email sign-in with verification, rate-limited, TOTP two-factor.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Culture Hub] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "culturehub.accounts.adapter.AccountAdapter"
# Our subclasses only change wording and GOV.UK styling; allauth keeps the behaviour.
ACCOUNT_FORMS = {
    "login": "culturehub.accounts.forms.LoginForm",
    "signup": "culturehub.accounts.forms.SignupForm",
    "add_email": "culturehub.accounts.forms.AddEmailForm",
    "change_password": "culturehub.accounts.forms.ChangePasswordForm",
    "set_password": "culturehub.accounts.forms.SetPasswordForm",
    "reset_password": "culturehub.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "culturehub.accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "culturehub.accounts.forms.ReauthenticateForm",
}
MFA_ADAPTER = "culturehub.accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "culturehub.accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "culturehub.accounts.forms.MFAReauthenticateForm",
    "activate_totp": "culturehub.accounts.forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Culture Hub"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
# `create_demo_users` (sign-ins with printed passwords and authenticator keys) runs only in development.
# A setting of its own because Django's test runner turns settings.DEBUG off.
DEMO_SIGN_INS_ENABLED = DEBUG

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Culture Hub <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static_build"] if (PACKAGE_DIR / "static_build").exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security headers and cookies. Production values are the defaults; DEBUG relaxes only what
# cannot work over plain http on a developer's machine.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if not DEBUG:
    # The __Host- prefix makes browsers refuse these cookies unless they are Secure, for this host
    # only and for every path: no subdomain can set or shadow them. It needs https, so not in
    # development.
    SESSION_COOKIE_NAME = "__Host-culturehub-session"
    CSRF_COOKIE_NAME = "__Host-culturehub-csrf"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# API throttling identifies clients by address: trust X-Forwarded-For only from our own proxies, or
# anyone could dodge the limit by sending the header.
NINJA_NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "1" if env_bool("BEHIND_TLS_PROXY") else "0"))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Audit trail: who changed what, and when (django-auditlog).
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each step of every PDF it makes at INFO.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Culture Hub's own settings.
FINGERTIPS_API_URL = os.environ.get("FINGERTIPS_API_URL", "https://fingertips.phe.org.uk/api")
DEMO_DATA_DIR = PACKAGE_DIR / "demo_data"
# The licensed Warwick-Edinburgh item wording, supplied by the operator (see docs/decisions/0007).
OUTCOMES_WEMWBS_WORDING_FILE = os.environ.get("OUTCOMES_WEMWBS_WORDING_FILE", "")
# Opportunities' scheduled jobs (culturehub.opportunities.tasks): live imports run only when switched on,
# so development, the demo and tests never reach the notice services.
OPPORTUNITIES_LIVE_IMPORT = env_bool("OPPORTUNITIES_LIVE_IMPORT", False)
OPPORTUNITIES_IMPORT_INTERVAL_MINUTES = int(os.environ.get("OPPORTUNITIES_IMPORT_INTERVAL_MINUTES", "60"))
OPPORTUNITIES_ALERTS_INTERVAL_MINUTES = int(os.environ.get("OPPORTUNITIES_ALERTS_INTERVAL_MINUTES", "15"))
OPPORTUNITIES_DIGEST_WEEKDAY = int(os.environ.get("OPPORTUNITIES_DIGEST_WEEKDAY", "0"))  # Monday
OPPORTUNITIES_DIGEST_TIME = os.environ.get("OPPORTUNITIES_DIGEST_TIME", "07:00")  # UK time
OPPORTUNITIES_ALERT_MAX_ATTEMPTS = int(os.environ.get("OPPORTUNITIES_ALERT_MAX_ATTEMPTS", "5"))
SAVED_SEARCHES_PER_PERSON = int(os.environ.get("SAVED_SEARCHES_PER_PERSON", "50"))
OUTCOMES_RETENTION_TIME = os.environ.get("OUTCOMES_RETENTION_TIME", "03:30")  # UK time, the daily sweep
