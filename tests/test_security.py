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
