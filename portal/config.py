"""Configuration: defaults, then instance/config.py, then environment variables, then overrides.

Nothing here runs at import time; :func:`load_config` is called by the factory.
"""

import os
import secrets
from pathlib import Path


class Defaults:
    """Settings every deployment starts from. Each can be changed in instance/config.py."""

    PORTAL_ENV = "development"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_RECORD_QUERIES = False
    # Babel: Chinese first, every time shown in China Standard Time.
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    # Front-end assets come from the portal itself, never from a CDN.
    BOOTSTRAP_SERVE_LOCAL = True
    # Cookies: HttpOnly and SameSite always; Secure when served over HTTPS (set in production).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # Uploads (MB); MAX_CONTENT_LENGTH is derived from it.
    UPLOAD_MAX_MB = 20
    # Sign-in throttling: after this many failures the name is locked for this many minutes.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  (a hash algorithm, not a password)
    PAGE_SIZE = 25
    OUTLET_IMPORT_MAX_ROWS = 2000  # outlets in one imported CSV/XLSX file, at most
    EXPORT_MAX_ROWS = 100_000  # rows in one review-queue export, at most
    # Trainers must have worked for the enterprise this many years (DSR Art. 19).
    TRAINER_MIN_SERVICE_YEARS = 1
    # Number of reverse proxies in front of the portal whose X-Forwarded-* headers to trust.
    TRUSTED_PROXIES = 0
    # Return and exchange policies (DSR Art. 25): shortest return windows (consumers, direct
    # sellers) and longest refund or exchange time, in days.
    POLICY_MIN_RETURN_DAYS = 30
    POLICY_MIN_SELLER_RETURN_DAYS = 30
    POLICY_MAX_REFUND_DAYS = 7
    # Background tasks (Huey): empty HUEY_URL = SQLite queue file in the instance folder;
    # redis://… in production. HUEY_IMMEDIATE runs tasks in the caller (tests).
    HUEY_URL = ""
    HUEY_IMMEDIATE = False
    # Outgoing e-mail. Without MAIL_SERVER (development) messages are written to the log.
    MAIL_SERVER = ""
    MAIL_PORT = 0  # 0: 465 with MAIL_USE_SSL, else 25
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USE_SSL = False  # TLS from the start (SMTPS)
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SENDER = "直销合规监管平台 <noreply@localhost>"
    # Where the portal is reached, for links in e-mails (sent outside any web request).
    PORTAL_BASE_URL = "http://127.0.0.1:5000/"
    # Reminders: meetings starting within this many days still undecided (regulators);
    # returned filings not corrected after this many days (enterprises).
    REMINDER_MEETING_DAYS = 3
    REMINDER_RETURNED_DAYS = 7
    # served rectification notices due within this many days (enterprises).
    REMINDER_NOTICE_DAYS = 3
    # The bureau dashboard's statistics (decisions per week, the twelve months' charts) are
    # kept this many seconds per bureau and language before they are counted again; 0 counts
    # them on every view. The page says when they were counted.
    DASHBOARD_STATISTICS_SECONDS = 300
    # What a process keeps until anything changes (the review queue's list, the bureau
    # dashboard, most of a filing's page; portal.kept.until_changed: rendered again after any
    # change recorded in the audit log) is kept at most this many seconds: changes made
    # outside the portal, and times shown relative to now ("starts in 2 hours"), are seen
    # within it. 0 renders it on every view.
    KEPT_UNTIL_CHANGED_SECONDS = 60


def _flag(value: str) -> bool:
    return value.lower() in {"1", "true", "yes"}


ENV_SETTINGS = {
    # environment variable -> (setting, converter)
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "PORTAL_ENV": ("PORTAL_ENV", str),
    "UPLOAD_MAX_MB": ("UPLOAD_MAX_MB", int),
    "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", _flag),
    "LOGIN_MAX_FAILURES": ("LOGIN_MAX_FAILURES", int),
    "LOGIN_LOCK_MINUTES": ("LOGIN_LOCK_MINUTES", int),
    "TRUSTED_PROXIES": ("TRUSTED_PROXIES", int),
    "EXPORT_MAX_ROWS": ("EXPORT_MAX_ROWS", int),
    "DASHBOARD_STATISTICS_SECONDS": ("DASHBOARD_STATISTICS_SECONDS", int),
    "KEPT_UNTIL_CHANGED_SECONDS": ("KEPT_UNTIL_CHANGED_SECONDS", int),
    "HUEY_URL": ("HUEY_URL", str),
    "PORTAL_BASE_URL": ("PORTAL_BASE_URL", str),
    "MAIL_SERVER": ("MAIL_SERVER", str),
    "MAIL_PORT": ("MAIL_PORT", int),
    "MAIL_USE_TLS": ("MAIL_USE_TLS", _flag),
    "MAIL_USE_SSL": ("MAIL_USE_SSL", _flag),
    "MAIL_USERNAME": ("MAIL_USERNAME", str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "MAIL_SENDER": ("MAIL_SENDER", str),
}


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key(instance: Path) -> str:
    """Read the development secret key from the instance folder, creating it once."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(app, overrides: dict | None) -> None:
    """Fill ``app.config`` in order: defaults, instance/config.py, environment, overrides.

    :raise RuntimeError: in production without a SECRET_KEY.
    """
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_object(Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'portal.sqlite3'}"
    app.config.from_pyfile("config.py", silent=True)
    for name, (setting, convert) in ENV_SETTINGS.items():
        if os.environ.get(name):
            app.config[setting] = convert(os.environ[name])
    app.config.update(overrides or {})

    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["UPLOAD_MAX_MB"]) * 1024 * 1024
    if not app.config.get("SECRET_KEY"):
        if app.config["PORTAL_ENV"] == "production":
            raise RuntimeError(
                "SECRET_KEY is not set. In production set the SECRET_KEY environment variable "
                "or SECRET_KEY in instance/config.py."
            )
        app.config["SECRET_KEY"] = _secret_key(instance)
