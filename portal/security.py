"""HTTP security: headers on every response (no framing, no sniffing, only local assets), the
session cookie marked Secure whenever the request came over HTTPS, and input cleaned of
control characters before any view sees it."""

import re
import time

from flask import has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask.wrappers import Request
from itsdangerous import BadSignature
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

# C0 control characters but tab, line feed and carriage return, and DEL. Nobody types them;
# NUL cannot even be stored in PostgreSQL text (it was a 500 there, found by tests/test_fuzz).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(values: ImmutableMultiDict) -> ImmutableMultiDict:
    if not any(_CONTROL.search(k) or _CONTROL.search(v) for k, v in values.items(multi=True)):
        return values
    return ImmutableMultiDict([(_CONTROL.sub("", k), _CONTROL.sub("", v))
                               for k, v in values.items(multi=True)])


class PortalRequest(Request):
    """Flask's request, with control characters dropped from query and form values."""

    @cached_property
    def args(self) -> ImmutableMultiDict:
        return _clean(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _clean(self.__dict__["form"])


# Per process, at most this many verified session cookies are remembered (see open_session).
VERIFIED_KEPT = 4096
_PLAIN = (str, int, float, bool, type(None))


class PortalSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is Secure when configured, or when this request
    came over HTTPS (behind a proxy: X-Forwarded-Proto through ``TRUSTED_PROXIES``)."""

    def get_cookie_secure(self, app) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)

    def open_session(self, app, request):
        """Flask's session, but a cookie this process verified before is not verified again:
        a browser sends the same cookie with every request until the session changes, and
        checking its signature (and decoding it) took a twentieth of a page kept until
        anything changes. The same value always verifies alike, so what is remembered is
        the value's contents and when it was signed; its age is checked on every request,
        as Flask does (``PERMANENT_SESSION_LIFETIME``). Only sessions of plain values (the
        signed-in user, the CSRF token, the language) are remembered: each request gets its
        own copy, and flashed messages (lists) are read afresh."""
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            return super().open_session(app, request)
        verified = app.extensions.setdefault("portal.verified_sessions", {})
        max_age = int(app.permanent_session_lifetime.total_seconds())
        entry = verified.get(value)
        if entry is not None:
            signed_at, items = entry
            if 0 <= int(time.time()) - signed_at <= max_age:  # itsdangerous' own test
                return self.session_class(items)
            verified.pop(value, None)
            return self.session_class()  # expired, as Flask answers it
        try:
            data, signed = self.get_signing_serializer(app).loads(
                value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(type(item) in _PLAIN for item in data.values()):
            if len(verified) >= VERIFIED_KEPT:
                verified.clear()
            verified[value] = (int(signed.timestamp()), dict(data))
        return self.session_class(data)


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # Bootstrap draws its small icons as data: SVGs
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response):
    """After each request: add the headers above unless a view set its own."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app) -> None:
    app.request_class = PortalRequest
    app.session_interface = PortalSessionInterface()
    app.after_request(add_security_headers)
