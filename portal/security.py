"""HTTP security: headers on every response (no framing, no sniffing, only local assets), the
session cookie marked Secure whenever the request came over HTTPS, and input cleaned of
control characters before any view sees it."""

import re

from flask import has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask.wrappers import Request
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


class PortalSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is Secure when configured, or when this request
    came over HTTPS (behind a proxy: X-Forwarded-Proto through ``TRUSTED_PROXIES``)."""

    def get_cookie_secure(self, app) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


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
