"""Example instance configuration. Copy to instance/config.py and adjust; it is git-ignored.

Environment variables (DATABASE_URL, SECRET_KEY, UPLOAD_MAX_MB, PORTAL_ENV, …) override
what is set here.
"""

# PORTAL_ENV = "production"            # refuses to start without SECRET_KEY
# SECRET_KEY = "a long random string"  # python -c "import secrets; print(secrets.token_hex(32))"
# SQLALCHEMY_DATABASE_URI = "postgresql://portal@db.example.internal/portal"
# SESSION_COOKIE_SECURE = True          # when served over HTTPS
# UPLOAD_MAX_MB = 20
# LOGIN_MAX_FAILURES = 5
# LOGIN_LOCK_MINUTES = 15
# PASSWORD_MIN_LENGTH = 10
# HUEY_URL = "redis://redis.example.internal:6379/0"   # task queue; default: SQLite in instance/
# MAIL_SERVER = "smtp.example.internal"                 # without it e-mail goes to the log
# MAIL_PORT = 587
# MAIL_USE_TLS = True
# MAIL_USERNAME = "portal"
# MAIL_PASSWORD = "…"
# MAIL_SENDER = "直销合规监管平台 <noreply@example.internal>"
# PORTAL_BASE_URL = "https://portal.example.internal/"  # links in e-mails
