"""The direct-selling compliance supervision portal (直销合规监管平台).

``create_app`` only assembles: configuration, extensions, blueprints, CLI and error pages.
"""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    charts,
    cli,
    errors,
    i18n,
    labels,
    mail,  # noqa: F401  (registers the send_email task)
    navigation,
    notifications,
    security,
    tasks,
    widgets,
)
from .admin.views import bp as admin_bp
from .auth import bp as auth_bp
from .auth.operations import load_user
from .config import load_config
from .core import bp as core_bp
from .database import configure_engine
from .enterprise import bp as enterprise_bp
from .extensions import babel, bootstrap, csrf, db, login_manager, migrate
from .filings import tally
from .filings.views import bp as filings_bp
from .i18n import lazy_gettext as _l
from .inspections.views import bp as inspections_bp
from .meetings.feed import bp as calendar_bp
from .meetings.views import bp as meetings_bp
from .notices.views import bp as notices_bp
from .notifications.views import bp as notifications_bp
from .outlets.views import bp as outlets_bp
from .policies.views import bp as policies_bp
from .policies.views import versions_bp as policy_versions_bp
from .public.views import bp as public_bp
from .reports.views import bp as reports_bp
from .review.views import bp as review_bp
from .supervision.views import bp as supervision_bp
from .trainers.views import bp as trainers_bp


def create_app(config_overrides: dict | None = None) -> Flask:
    """Build the portal application. *config_overrides* win over every other setting."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("PORTAL_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    load_config(app, config_overrides)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    configure_extensions(app)
    register_blueprints(app)
    errors.init_app(app)
    cli.init_app(app)
    navigation.init_app(app)
    labels.init_app(app)
    charts.init_app(app)
    security.init_app(app)
    notifications.init_app(app)
    tally.init_app(app)
    widgets.init_app(app)
    return app


def configure_extensions(app: Flask) -> None:
    """Bind the extensions made unbound in :mod:`portal.extensions`."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Lend the connection returned last: a worker keeps reusing one connection, whose
        # statements psycopg has prepared (database._read_outside_transactions), and the rest
        # of the pool can go idle, instead of cycling through every connection it ever opened.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_use_lifo": True, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    db.init_app(app)
    configure_engine(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, os.pardir, "migrations"))
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    # Registers the tasks of the modules imported above (mail, notifications.reminders).
    tasks.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Each area under its own URL prefix."""
    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(enterprise_bp, url_prefix="/enterprise")
    app.register_blueprint(filings_bp, url_prefix="/filings")
    app.register_blueprint(outlets_bp, url_prefix="/enterprise/outlets")
    app.register_blueprint(policies_bp, url_prefix="/enterprise/policies")
    app.register_blueprint(policy_versions_bp, url_prefix="/filings/policies")
    app.register_blueprint(trainers_bp, url_prefix="/enterprise/trainers")
    app.register_blueprint(meetings_bp, url_prefix="/enterprise/meetings")
    app.register_blueprint(calendar_bp, url_prefix="/calendar")
    app.register_blueprint(review_bp, url_prefix="/review")
    app.register_blueprint(supervision_bp, url_prefix="/supervision")
    app.register_blueprint(inspections_bp, url_prefix="/inspections")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(notices_bp, url_prefix="/notices")
    app.register_blueprint(public_bp, url_prefix="/public")
    app.register_blueprint(reports_bp, url_prefix="/reports")
