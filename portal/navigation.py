"""Role-aware navigation and each role's home page."""

from flask import current_app, render_template, request, session, url_for
from flask.globals import _cv_request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from .extensions import bootstrap
from .i18n import current_language, switch_language_url
from .i18n import lazy_gettext as _l
from .kept import kept
from .models import Role
from .notifications import unread_notifications

HOME_ENDPOINTS = {
    Role.ENTERPRISE_STAFF: "enterprise.home",
    Role.ENTERPRISE_ADMIN: "enterprise.home",
    Role.REGULATOR: "review.home",
    Role.INSPECTOR: "inspections.home",
    Role.ADMIN: "admin.home",
}

# (endpoint, label, roles that see it)
NAV_ITEMS = [
    ("enterprise.home", _l("Overview"), {Role.ENTERPRISE_STAFF, Role.ENTERPRISE_ADMIN}),
    ("filings.list_filings", _l("Filings"), {Role.ENTERPRISE_STAFF, Role.ENTERPRISE_ADMIN}),
    ("trainers.list_trainers", _l("Trainers"), {Role.ENTERPRISE_STAFF, Role.ENTERPRISE_ADMIN}),
    ("meetings.list_meetings", _l("Training meetings"),
     {Role.ENTERPRISE_STAFF, Role.ENTERPRISE_ADMIN}),
    ("policies.list_versions", _l("Return policies"),
     {Role.ENTERPRISE_STAFF, Role.ENTERPRISE_ADMIN}),
    ("notices.list_notices", _l("Notices"), {Role.ENTERPRISE_STAFF, Role.ENTERPRISE_ADMIN}),
    ("enterprise.list_staff", _l("Staff accounts"), {Role.ENTERPRISE_ADMIN}),
    ("review.home", _l("Overview"), {Role.REGULATOR}),
    ("review.review_queue", _l("Review queue"), {Role.REGULATOR}),
    ("review.list_enterprises", _l("Enterprises"), {Role.REGULATOR}),
    ("supervision.list_supervisions", _l("On-site supervision"), {Role.REGULATOR}),
    ("inspections.list_plans", _l("Spot checks"), {Role.REGULATOR}),
    ("inspections.target_roster", _l("Rosters"), {Role.REGULATOR}),
    ("notices.list_notices", _l("Notices"), {Role.REGULATOR}),
    ("reports.annual", _l("Annual report"), {Role.REGULATOR}),
    ("review.list_claim_phrases", _l("Claim phrases"), {Role.REGULATOR}),
    ("inspections.home", _l("My checks"), {Role.INSPECTOR}),
    ("supervision.my_supervisions", _l("My supervisions"), {Role.INSPECTOR}),
    ("inspections.list_recusals", _l("My recusals"), {Role.INSPECTOR}),
    ("admin.home", _l("Overview"), {Role.ADMIN}),
    ("admin.list_bureaus", _l("Bureaus"), {Role.ADMIN}),
    ("admin.list_enterprises", _l("Enterprises"), {Role.ADMIN}),
    ("admin.list_users", _l("Users"), {Role.ADMIN}),
    ("admin.list_reasons", _l("Review reasons"), {Role.ADMIN}),
    ("review.list_claim_phrases", _l("Claim phrases"), {Role.ADMIN}),
    ("admin.list_check_items", _l("Check items"), {Role.ADMIN}),
    ("admin.list_provisions", _l("Provisions"), {Role.ADMIN}),
    ("admin.list_audit", _l("Audit log"), {Role.ADMIN}),
    ("inspections.list_recusals", _l("Recusals"), {Role.ADMIN}),
]


def home_url(user) -> str:
    """Where *user* lands after signing in."""
    return url_for(HOME_ENDPOINTS[user.role])


# What everyone sees before signing in: the public disclosure pages.
PUBLIC_NAV = [
    ("public.list_enterprises", _l("Licensed enterprises")),
    ("public.list_checks", _l("Spot-check results")),
    ("public.return_helper", _l("Returning a product")),
]


NAV_BY_ROLE = {role: [(ep, label) for ep, label, roles in NAV_ITEMS if role in roles]
               for role in Role}


def nav_items():
    """The navigation entries for the current user, as (endpoint, label) pairs."""
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return PUBLIC_NAV
    return NAV_BY_ROLE[user.role]


# Every page links the navigation's pages, the account's pages and the stylesheet: about twenty
# ``url_for`` calls a page, each a route build. Their URLs change with nothing but the script
# root the server mounts the portal under, so each is built once per script root and app.
URLS_KEPT = 1024


def page_url_for(endpoint: str, /, **values) -> str:
    """Templates' ``url_for``: Flask's, with the URL of an endpoint that takes no values (or
    of a static file) kept per app and script root once built in a request."""
    ctx = _cv_request.get(None)
    if (ctx is None or endpoint[:1] == "."
            or (values and (endpoint != "static" or values.keys() != {"filename"}))):
        return url_for(endpoint, **values)
    kept = ctx.app.extensions.setdefault("portal_page_urls", {})
    key = (ctx.request.script_root, endpoint, values.get("filename"))
    url = kept.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(kept) >= URLS_KEPT:  # script roots a proxy made up: start again
            kept.clear()
        kept[key] = url
    return url


# How long a process keeps a page header. What it shows is in its key; only the sign-out form's
# CSRF token was signed when it was rendered, and stays valid for WTF_CSRF_TIME_LIMIT (hours).
HEADER_SECONDS = 300


def page_header() -> Markup:
    """The page's header (templates/_header.html), kept by the process per language, endpoint,
    language link and signed-in user (id, role, name, unread notifications and the session's
    CSRF token, which the sign-out form carries): every page rendered it, a tenth of a page
    that is kept until anything changes. What the header shows changes with nothing else, so
    it is kept whatever is filed or decided meanwhile."""
    req = request._get_current_object()
    language_url = switch_language_url("zh" if current_language() == "en" else "en")
    user = current_user._get_current_object()
    who = None
    if user.is_authenticated:
        field = current_app.config["WTF_CSRF_FIELD_NAME"]
        if field not in session:
            generate_csrf()  # the session's token, made now: the key needs it
        who = (user.id, user.role, user.display_name, unread_notifications(), session[field])
    key = (str(get_locale()), req.endpoint, language_url, who)
    return kept("page_header", key, HEADER_SECONDS, lambda: Markup(render_template(  # noqa: S704  (a rendered template)
        "_header.html", language_url=language_url)))


def bootstrap_assets(kind: str) -> Markup:
    """Bootstrap's stylesheet (``css``) or script (``js``) tags, served by the portal itself
    (BOOTSTRAP_SERVE_LOCAL): built once per script root instead of on every page."""
    script_root = request.script_root
    return kept("bootstrap_assets", (kind, script_root), HEADER_SECONDS, lambda: (
        bootstrap.load_css() if kind == "css" else bootstrap.load_js()))


def init_app(app) -> None:
    app.jinja_env.globals.update(nav_items=nav_items, home_url=home_url, url_for=page_url_for,
                                 page_header=page_header, bootstrap_assets=bootstrap_assets)
