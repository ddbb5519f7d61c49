"""Language and time zone: Chinese first, English second, always Asia/Shanghai.

The locale chain: ``?lang=`` (remembered in a cookie and, when signed in, on the user), the
user's saved preference, the cookie, the browser's Accept-Language, then Chinese.
"""

import re
from collections.abc import Mapping
from functools import lru_cache, partial
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_date_format, get_datetime_format, get_time_format
from flask import current_app, request
from flask_babel import format_number, get_locale, get_timezone
from flask_login import current_user

from .extensions import db

# Short code used in URLs and cookies -> Babel locale of the catalogue.
LANGUAGES = {"zh": "zh_Hans_CN", "en": "en"}
COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def _requested_language() -> str | None:
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else None


def select_locale() -> str:
    """Flask-Babel locale selector, following the chain in the module docstring."""
    lang = _requested_language()
    if lang is None and current_user and current_user.is_authenticated:
        lang = current_user.locale if current_user.locale in LANGUAGES else None
    if lang is None:
        cookie = request.cookies.get(COOKIE_NAME)
        lang = cookie if cookie in LANGUAGES else None
    if lang is None:
        lang = request.accept_languages.best_match(list(LANGUAGES)) or "zh"
    return LANGUAGES[lang]


def current_language() -> str:
    """``zh`` or ``en`` for the active request."""
    return "en" if str(get_locale()) == "en" else "zh"


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
    """The current page's URL with ``lang`` set, keeping its other query arguments."""
    return url_with_args(lang=lang)


def url_with_args(**changes) -> str:
    """The current page's URL with some query arguments changed (pagination, filters); an
    argument changed to None is left out."""
    args = request.args.to_dict(flat=False)
    args.update({key: [value] for key, value in changes.items()})
    args = {key: value for key, value in args.items() if value != [None]}
    return f"{request.path}?{urlencode(args, doseq=True)}"


def localized(obj, field: str = "name") -> str:
    """The English ``<field>_en`` in English pages when filled in, else the Chinese name.

    *obj* is a model or a mapping (a snapshot such as a notice's cited provisions)."""
    get = obj.get if isinstance(obj, Mapping) else partial(getattr, obj)
    zh = get(f"{field}_zh", None) or get(field, "")
    if current_language() == "en":
        return get(f"{field}_en", None) or zh
    return zh


_FIELDS = {
    "y": lambda d, _: str(d.year), "yy": lambda d, _: f"{d.year % 100:02d}",
    "yyyy": lambda d, _: f"{d.year:04d}", "M": lambda d, _: str(d.month),
    "MM": lambda d, _: f"{d.month:02d}", "d": lambda d, _: str(d.day),
    "dd": lambda d, _: f"{d.day:02d}", "H": lambda d, _: str(d.hour),
    "HH": lambda d, _: f"{d.hour:02d}", "h": lambda d, _: str(d.hour % 12 or 12),
    "hh": lambda d, _: f"{d.hour % 12 or 12:02d}", "mm": lambda d, _: f"{d.minute:02d}",
    "a": lambda d, periods: periods[d.hour >= 12],
}
_TOKEN = re.compile(r"'[^']*'|([a-zA-Z])\1*|[^a-zA-Z']+")


@lru_cache(maxsize=32)
def _compiled_datetime_format(locale_name: str, width: str):
    """Babel's *width* date-time pattern of the locale as a list of fast field functions, or
    None when it uses a field this fast path does not know (then Babel formats)."""
    locale = Locale.parse(locale_name)
    pattern = (str(get_datetime_format(width, locale)).replace("'", "")
               .replace("{1}", get_date_format(width, locale).pattern)
               .replace("{0}", get_time_format(width, locale).pattern))
    periods = (locale.day_periods["format"]["abbreviated"]["am"],
               locale.day_periods["format"]["abbreviated"]["pm"])
    parts = []
    for match in _TOKEN.finditer(pattern):
        token = match.group(0)
        if match.group(1):
            if token not in _FIELDS:
                return None
            parts.append((_FIELDS[token], periods))
        else:
            text = token.strip("'") if token.startswith("'") else token
            parts.append((lambda _d, text: text, text))
    return parts


def datetime_formatter(width: str = "short"):
    """A function formatting aware datetimes like the ``datetimeformat`` filter (Babel, the
    request's locale, Asia/Shanghai) but without Babel's per-call cost, for long lists."""
    locale, zone = str(get_locale()), get_timezone()
    parts = _compiled_datetime_format(locale, width)
    if parts is None:
        return lambda value: babel_format_datetime(value, width, tzinfo=zone, locale=locale)

    def format_(value):
        local = value.astimezone(zone)
        return "".join(field(local, arg) for field, arg in parts)

    return format_


def init_app(app) -> None:
    """Register the language hooks and template helpers."""
    app.before_request(save_language_choice)
    app.after_request(remember_language_cookie)
    app.jinja_env.globals.update(
        current_language=current_language,
        switch_language_url=switch_language_url,
        url_with_args=url_with_args,
        datetime_formatter=datetime_formatter,
    )
    app.jinja_env.filters["format_number"] = format_number
    app.jinja_env.filters["localized"] = localized
