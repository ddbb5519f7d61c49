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
