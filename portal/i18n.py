"""Language and time zone: Chinese first, English second, always Asia/Shanghai.

The locale chain: ``?lang=`` (remembered in a cookie and, when signed in, on the user), the
user's saved preference, the cookie, the browser's Accept-Language, then Chinese.
"""

import re
from collections.abc import Mapping
from functools import lru_cache, partial
from urllib.parse import parse_qsl, quote_plus, unquote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import flask_babel
from babel import Locale
from babel.dates import TIMEDELTA_UNITS, get_date_format, get_datetime_format, get_time_format
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_timedelta as babel_format_timedelta
from babel.numbers import get_group_symbol, get_minus_sign_symbol
from babel.support import NullTranslations
from flask import current_app, g, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

try:  # markupsafe's C escaper, returning a plain string (markupsafe 3)
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover  (a build without the C speedups)
    from markupsafe._native import _escape_inner
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from .extensions import db


def html_text(value) -> str:
    """*value* as text escaped for HTML (``&<>"'``), as a plain string: what
    ``markupsafe.escape`` writes, without building a Markup object for it (which costs ten
    times as much), for the writers of long lists that put many values into one row string."""
    return _escape_inner(value if type(value) is str else str(value))

# Short code used in URLs and cookies -> Babel locale of the catalogue.
LANGUAGES = {"zh": "zh_Hans_CN", "en": "en"}
COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


_NO_TRANSLATIONS = NullTranslations()


def _catalogue():
    """The active locale's catalogue: Flask-Babel's, remembered beside its locale on the
    request, so a lookup costs a dictionary access instead of Flask-Babel's half a dozen
    context-local lookups per string (a page looks up about a hundred strings). It follows
    ``force_locale`` and ``refresh``, which replace the locale object Flask-Babel keeps."""
    try:
        state = g._get_current_object().__dict__.get("_flask_babel")
    except RuntimeError:  # outside an application context
        return _NO_TRANSLATIONS
    locale = getattr(state, "babel_locale", None)
    if locale is None:  # not chosen yet in this request (or context): let Flask-Babel choose
        return flask_babel.get_translations()
    remembered = getattr(state, "portal_catalogue", None)
    if remembered is not None and remembered[0] is locale:
        return remembered[1]
    catalogue = flask_babel.get_translations()
    state.portal_catalogue = (locale, catalogue)
    return catalogue


def gettext(string: str, **variables) -> str:
    """Translate *string* into the request's language (Flask-Babel's ``gettext``, faster);
    named ``%(…)s`` placeholders are filled from *variables*."""
    translated = _catalogue().gettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The plural-aware :func:`gettext`; ``%(num)s`` is the number."""
    variables.setdefault("num", num)
    return _catalogue().ngettext(singular, plural, num) % variables


@pass_eval_context
def _template_gettext(eval_ctx, string: str, /, **variables):
    """``_()`` and ``gettext()`` in templates: what Jinja's "newstyle" gettext does (the
    translation is markup when autoescaping, the variables are escaped into it, ``%%`` is a
    percent sign) in one call instead of Jinja's two context calls per string."""
    translated = _catalogue().gettext(string)
    if eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704  (our catalogue, as Jinja trusts it)
    return translated % variables if variables or "%" in translated else translated


@pass_eval_context
def _template_ngettext(eval_ctx, singular: str, plural: str, num: int, /, **variables):
    """``ngettext()`` in templates, as Jinja's newstyle one (``%(num)s`` is the number)."""
    variables.setdefault("num", num)
    translated = _catalogue().ngettext(singular, plural, num)
    if eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704  (our catalogue, as Jinja trusts it)
    return translated % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """:func:`gettext` when the string is used, for module-level labels and form classes."""
    return LazyString(gettext, string, **variables)


def _requested_language() -> str | None:
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else None


# Parsed once: Babel's Locale.parse looks for the locale's data file on every call.
_LOCALES = {code: Locale.parse(name) for code, name in LANGUAGES.items()}


def select_locale() -> Locale:
    """Flask-Babel locale selector, following the chain in the module docstring."""
    lang = _requested_language()
    if lang is None and current_user and current_user.is_authenticated:
        lang = current_user.locale if current_user.locale in LANGUAGES else None
    if lang is None:
        cookie = request.cookies.get(COOKIE_NAME)
        lang = cookie if cookie in LANGUAGES else None
    if lang is None:
        lang = request.accept_languages.best_match(list(LANGUAGES)) or "zh"
    return _LOCALES[lang]


def current_language() -> str:
    """``zh`` or ``en`` for the active request."""
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "zh"


def list_separator() -> str:
    """What separates the items of an enumeration (names, regions): 、 in Chinese, a comma
    in English."""
    return ", " if current_language() == "en" else "、"


def clause_separator() -> str:
    """What separates longer items (an agenda's sessions, a decision's reasons): the
    full-width semicolon in Chinese, a semicolon in English."""
    return "; " if current_language() == "en" else "；"


def label_colon() -> str:
    """What stands between a label and its value: the full-width colon in Chinese."""
    return ": " if current_language() == "en" else "："


def save_language_choice() -> None:
    """Before each request: store an explicit ``?lang=`` on the signed-in user."""
    lang = _requested_language()
    if lang and current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang
        db.session.commit()


def remember_language_cookie(response):
    """After each request: remember an explicit ``?lang=`` in a cookie."""
    lang = _requested_language()
    if lang:
        response.set_cookie(
            COOKIE_NAME,
            lang,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure,
        )
    return response


def switch_language_url(lang: str) -> str:
    """The current page's URL with ``lang`` set, keeping its other query arguments.

    A page that answers a post to an address taking only posts (a decision's form error, a
    conflict) has no address of its own to show again: its language link goes to the page
    the form was sent from (the referrer, when it is this portal's), else to the home page."""
    req = request._get_current_object()
    rule = req.url_rule
    if rule is None or not rule.methods or "GET" in rule.methods:
        return url_with_args(lang=lang)
    back = _page_of(req.referrer or "", req)
    if back is not None:
        path, query = back
        args = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang"]
        return f"{path}?{urlencode([*args, ('lang', lang)])}"
    return f"{url_for('core.index')}?{urlencode([('lang', lang)])}"


def _page_of(referrer: str, req) -> tuple[str, str] | None:
    """The path and query of *referrer* when it is a page of this portal that answers GET
    (same host, under the portal's root, a rule of its own taking GET), else None."""
    try:
        back = urlsplit(referrer)
    except ValueError:
        return None
    root = req.script_root
    path = back.path
    if (back.netloc.lower() != req.host.lower() or "\\" in path
            or not path.startswith(f"{root}/") or path.startswith(f"{root}//")):
        return None
    try:
        current_app.create_url_adapter(req).match(unquote(path[len(root):]), method="GET")
    except RequestRedirect:
        pass  # the page answers GET at a neighbouring address (a trailing slash)
    except HTTPException:
        return None
    return path, back.query


def url_with_args(**changes) -> str:
    """The current page's URL with some query arguments changed (pagination, filters); an
    argument changed to None is left out. (What ``urlencode(args, doseq=True)`` writes; a
    list page asks for a dozen of these, so the request's own arguments are encoded once.)"""
    req = request._get_current_object()
    encoded = req.__dict__.get("_portal_encoded_args")
    if encoded is None:
        encoded = req._portal_encoded_args = {
            key: "&".join(f"{quote_plus(key)}={quote_plus(value)}" for value in values)
            for key, values in req.args.lists()
        }
    parts = dict(encoded)
    for key, value in changes.items():
        parts[key] = None if value is None else f"{quote_plus(key)}={quote_plus(str(value))}"
    query = "&".join(part for part in parts.values() if part is not None)
    return f"{req.script_root}{req.path}?{query}"


def localized(obj, field: str = "name") -> str:
    """The English ``<field>_en`` in English pages when filled in, else the Chinese name.

    *obj* is a model or a mapping (a snapshot such as a notice's cited provisions)."""
    get = obj.get if isinstance(obj, Mapping) else partial(getattr, obj)
    zh = get(f"{field}_zh", None) or get(field, "")
    if current_language() == "en":
        return get(f"{field}_en", None) or zh
    return zh


# Babel's date and time fields as str.format fields of (value, year % 100, hour on a 12-hour
# clock, day period): a compiled pattern is one format string, written in one call.
_FIELDS = {
    "y": "{0.year}", "yy": "{1:02d}", "yyyy": "{0.year:04d}", "M": "{0.month}",
    "MM": "{0.month:02d}", "d": "{0.day}", "dd": "{0.day:02d}", "H": "{0.hour}",
    "HH": "{0.hour:02d}", "h": "{2}", "hh": "{2:02d}", "mm": "{0.minute:02d}",
    "ss": "{0.second:02d}", "a": "{3}",
}
_TOKEN = re.compile(r"'[^']*'|([a-zA-Z])\1*|[^a-zA-Z']+")


@lru_cache(maxsize=32)
def _compiled_datetime_format(locale_name: str, width: str):
    """Babel's *width* date-time pattern of the locale as (format string, day periods) for
    :data:`_FIELDS`, or None when it uses a field this fast path does not know (then Babel
    formats)."""
    locale = Locale.parse(locale_name)
    pattern = (str(get_datetime_format(width, locale)).replace("'", "")
               .replace("{1}", get_date_format(width, locale).pattern)
               .replace("{0}", get_time_format(width, locale).pattern))
    periods = (locale.day_periods["format"]["abbreviated"]["am"],
               locale.day_periods["format"]["abbreviated"]["pm"])
    template = _compile(pattern, _FIELDS.get)
    return None if template is None else (template, periods)


def _compile(pattern: str, field_of) -> str | None:
    """*pattern* as a str.format string: literal text as is (braces doubled), each field as
    ``field_of(token)`` says; None when *field_of* does not know a field (then Babel
    formats)."""
    parts = []
    for match in _TOKEN.finditer(pattern):
        token = match.group(0)
        if match.group(1):
            part = field_of(token)
            if part is None:
                return None
            parts.append(part)
        else:
            text = token.strip("'") if token.startswith("'") else token
            parts.append(text.replace("{", "{{").replace("}", "}}"))
    return "".join(parts)


def datetime_formatter(width: str = "short"):
    """A function formatting aware datetimes like the ``datetimeformat`` filter (Babel, the
    request's locale, Asia/Shanghai) but without Babel's per-call cost, for long lists."""
    locale, zone = str(get_locale()), get_timezone()
    compiled = _compiled_datetime_format(locale, width)
    if compiled is None:
        return lambda value: babel_format_datetime(value, width, tzinfo=zone, locale=locale)
    template, periods = compiled
    fast_zone = ZoneInfo(zone.zone)  # the same zone; converting with zoneinfo is faster

    def format_(value):
        local = value.astimezone(fast_zone)
        hour = local.hour
        return template.format(local, local.year % 100, hour % 12 or 12, periods[hour >= 12])

    return format_


def date_formatter(width: str = "long"):
    """A function formatting dates like the ``dateformat`` filter (Babel, the request's
    locale) but without Babel's per-call cost, for long lists."""
    locale = str(get_locale())
    compiled = _compiled_date_format(locale, width)
    if compiled is None:
        return lambda value: babel_format_date(value, width, locale=locale)
    template, months = compiled
    if months is None:
        return lambda value: template.format(value, value.year % 100)
    return lambda value: template.format(value, value.year % 100, None, None,
                                         months[value.month])


@lru_cache(maxsize=32)
def _compiled_date_format(locale_name: str, width: str):
    """Babel's *width* date pattern of the locale as (format string, month names or None)
    for :data:`_FIELDS` (a month's name is field 4), or None when it uses a field this fast
    path does not know."""
    locale = Locale.parse(locale_name)
    names = {"MMMM": dict(locale.months["format"]["wide"]),
             "MMM": dict(locale.months["format"]["abbreviated"])}
    months = []

    def field_of(token):
        if token in names:
            if months and months[0] is not names[token]:
                return None  # two kinds of month names in one pattern: Babel writes it
            months[:] = [names[token]]
            return "{4}"
        if token not in _FIELDS or token[0] in "hHmsa":
            return None
        return _FIELDS[token]

    template = _compile(get_date_format(width, locale).pattern, field_of)
    return None if template is None else (template, months[0] if months else None)


def timedelta_formatter(threshold: float = 0.85):
    """A function writing a duration like Flask-Babel's ``format_timedelta`` (long form, no
    direction, the request's locale) at a dictionary lookup's cost: the unit and whole
    number are chosen as Babel chooses them, and Babel writes each (unit, number) once."""
    locale = str(get_locale())

    def format_(delta):
        seconds = abs(delta.total_seconds())
        for unit, per_unit in TIMEDELTA_UNITS:
            value = seconds / per_unit
            if value >= threshold or unit == "second":
                if unit == "second" and value > 0:
                    value = max(1, value)
                return _duration_text(locale, unit, int(round(value)))
        return ""  # not reached: the last unit is the second

    return format_


@lru_cache(maxsize=1024)
def _duration_text(locale: str, unit: str, value: int) -> str:
    """Babel's words for *value* whole *unit*s (its granularity makes it use that unit)."""
    return babel_format_timedelta(value * dict(TIMEDELTA_UNITS)[unit], granularity=unit,
                                  threshold=float("inf"), locale=locale)


@lru_cache(maxsize=8)
def _integer_symbols(locale: Locale) -> tuple[str, str] | None:
    """The locale's group and minus symbols when its number pattern groups by threes (both
    of ours do), else None (then Babel formats)."""
    if locale.decimal_formats.get(None).grouping != (3, 3):
        return None
    return get_group_symbol(locale), get_minus_sign_symbol(locale)


def format_number(value) -> str:
    """Flask-Babel's ``format_number`` for the request's locale; integers (the counts on every
    list) by the locale's own symbols without Babel's per-call pattern work."""
    if type(value) is int:
        locale = get_locale()
        symbols = _integer_symbols(locale) if locale is not None else None
        if symbols is not None:
            text = f"{abs(value):,}"
            if symbols[0] != ",":
                text = text.replace(",", symbols[0])
            return symbols[1] + text if value < 0 else text
    return flask_babel.format_number(value)


def init_app(app) -> None:
    """Register the language hooks and template helpers."""
    # Templates translate through the same fast path as the code (after Babel's own set-up):
    # newstyle gettext (``{% trans %}`` passes its variables to the function, which formats),
    # with ``_`` the function itself rather than Jinja's alias that looks it up on each call.
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(gettext=_template_gettext, _=_template_gettext,
                                 ngettext=_template_ngettext)
    app.before_request(save_language_choice)
    app.after_request(remember_language_cookie)
    app.jinja_env.globals.update(
        current_language=current_language,
        list_separator=list_separator,
        clause_separator=clause_separator,
        label_colon=label_colon,
        switch_language_url=switch_language_url,
        url_with_args=url_with_args,
        datetime_formatter=datetime_formatter,
        date_formatter=date_formatter,
    )
    app.jinja_env.filters["format_number"] = format_number
    app.jinja_env.filters["localized"] = localized
