"""Headers and assets: every page carries the security headers and loads nothing from elsewhere."""

import re
import time

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


def test_a_verified_session_cookie_is_not_verified_again_but_still_expires(world, app, client,
                                                                          login, monkeypatch):
    """security.PortalSessionInterface remembers what a verified cookie holds: the next
    request with the same cookie is not checked again, a tampered cookie signs nobody in,
    and a remembered cookie still expires after PERMANENT_SESSION_LIFETIME."""
    from itsdangerous import URLSafeTimedSerializer

    login("regulator")
    for _ in range(2):  # the first view adds the CSRF token: a new cookie, verified once
        assert client.get("/review/queue").status_code == 200
    checked = []
    real_loads = URLSafeTimedSerializer.loads
    monkeypatch.setattr(URLSafeTimedSerializer, "loads",
                        lambda self, *a, **k: checked.append(1) or real_loads(self, *a, **k))
    assert client.get("/review/queue").status_code == 200
    assert client.get("/review/queue").status_code == 200
    assert checked == []  # remembered
    cookie = next(c for c in client._cookies.values() if c.key == "session")
    tampered = app.test_client()
    tampered.set_cookie("session", cookie.value[:-2] + ("AA" if cookie.value[-2:] != "AA"
                                                        else "BB"), domain=cookie.domain)
    assert tampered.get("/review/queue").status_code == 302  # to the sign-in page
    assert checked == [1]
    # Eight hours and a second later the same cookie is refused, remembered or not.
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/review/queue").status_code == 302
    assert client.get("/review/queue").status_code == 302


def test_a_session_with_flashed_messages_is_read_afresh(world, app, client, login):
    """Flashed messages are a list: such a session is not remembered, so each request reads
    (and pops) its own copy."""
    login("regulator")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "消息一")]
    assert "消息一" in client.get("/review/queue").get_data(as_text=True)
    assert "消息一" not in client.get("/review/queue").get_data(as_text=True)
    assert not any(isinstance(items.get("_flashes"), list) for _signed, items in
                   app.extensions.get("portal.verified_sessions", {}).values())
