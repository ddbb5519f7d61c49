"""Headers and assets: every page carries the security headers and loads nothing from elsewhere."""

import re

import pytest

from .factories import USERNAMES

PAGES = ["/auth/login", "/admin/", "/review/", "/enterprise/", "/inspections/", "/no-such-page"]
OWNER = {"/admin/": "admin", "/review/": "regulator", "/enterprise/": "enterprise_staff",
         "/inspections/": "inspector"}


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_security_headers_and_only_local_assets(world, client, login, path):
    if path in OWNER:
        login(USERNAMES[OWNER[path]])
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    html = response.get_data(as_text=True)
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
    assert external == [], f"assets from another host: {external}"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert " style=" not in html, "inline style attribute"


def test_static_assets_are_served_by_the_portal(app, client):
    page = client.get("/auth/login").get_data(as_text=True)
    for asset in re.findall(r'(?:src|href)="(/[^"]+\.(?:css|js))"', page):
        assert client.get(asset).status_code == 200, asset


def test_session_cookie_is_httponly_and_samesite(world, client, login):
    response = login(USERNAMES["regulator"])
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_over_https_and_only_there(world, app):
    for base, secure in (("https://portal.example", True), ("http://portal.example", False)):
        client = app.test_client()
        response = client.post("/auth/login?lang=en", base_url=base,
                               data={"username": USERNAMES["regulator"],
                                     "password": "Correct-horse-42"})
        assert response.status_code == 302
        cookies = response.headers.getlist("Set-Cookie")
        for name in ("session=", "lang="):
            cookie = next(h for h in cookies if h.startswith(name))
            assert ("; Secure" in cookie) is secure, (base, cookie)


def test_control_characters_are_dropped_from_what_users_send(world, app, client):
    """A NUL byte could not be stored in PostgreSQL (a 500, found by tests/test_fuzz.py)."""
    response = client.post("/auth/login", data={"username": "regu\x00lator\x07",
                                                 "password": "Correct-horse-42"})
    assert response.status_code == 302  # signed in as "regulator"
    page = client.get("/public/enterprises?q=%00%1b&lang=en")
    assert page.status_code == 200
    with app.test_request_context("/?q=a%00b%09c", method="POST",
                                  data={"x": "1\x002", "y": "line\nbreak\x7f"}):
        from flask import request

        assert request.args["q"] == "ab\tc"
        assert request.form["x"] == "12" and request.form["y"] == "line\nbreak"
