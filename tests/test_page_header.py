"""The page header each process keeps (navigation.page_header): it must show what a freshly
rendered one would, for every user, session, page and language, and never hand one session's
sign-out token to another."""

import re

import pytest
from flask import template_rendered
from sqlalchemy import select

from portal.extensions import db
from portal.models import Notification, NotificationKind, User, utcnow

from . import factories
from .conftest import csrf_token_from


def sign_in(app, username):
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username,
                                                "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def header(client, url="/review/queue?lang=en") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.get_data(as_text=True)
    return page[page.index("<header>"):page.index("</header>")]


@pytest.fixture
def headers_rendered(app):
    rendered = []

    def count(_sender, template, context, **_extra):
        if template.name == "_header.html":
            rendered.append(1)

    template_rendered.connect(count, app)
    yield rendered
    template_rendered.disconnect(count, app)


def test_a_header_is_rendered_once_and_then_kept(app, world, headers_rendered):
    regulator = sign_in(app, "regulator")
    first = header(regulator)
    assert len(headers_rendered) == 1
    assert header(regulator) == first and len(headers_rendered) == 1
    # Another page, another language: another header.
    assert 'aria-current="page"' in header(regulator, "/review/?lang=en")
    assert len(headers_rendered) == 2


def test_each_session_signs_out_with_its_own_token(app, world, csrf_enabled):
    """Two sessions of one user: each header carries its own session's token, and each
    sign-out form works."""
    first, second = sign_in_with_csrf(app), sign_in_with_csrf(app)
    token_1, token_2 = csrf_token_from(header(first)), csrf_token_from(header(second))
    assert token_1 != token_2
    # Again from the kept headers: still each session's own.
    assert csrf_token_from(header(first)) == token_1
    assert csrf_token_from(header(second)) == token_2
    assert second.post("/auth/logout", data={"csrf_token": token_1}).status_code == 400
    for client, token in ((first, token_1), (second, token_2)):
        assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
        assert client.get("/review/queue").status_code == 302  # signed out


def sign_in_with_csrf(app):
    client = app.test_client()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"username": "regulator", "csrf_token": token,
                                                "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def test_unread_notifications_and_a_new_name_show_on_the_next_page(app, world):
    regulator = sign_in(app, "regulator")
    before = re.search(r'text-bg-warning">(\d+)<span class="visually-hidden"> unread',
                       header(regulator))
    unread = int(before.group(1)) if before else 0
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "regulator"))
        db.session.add(Notification(user_id=user.id, kind=NotificationKind.FILING_SUBMITTED,
                                    message="test", params={}, created_at=utcnow()))
        db.session.commit()
    shown = header(regulator)
    assert f'text-bg-warning">{unread + 1}<span class="visually-hidden"> unread' in shown
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "regulator")).display_name = "新名字"
        db.session.commit()
    assert "新名字" in header(regulator)


def test_the_language_link_and_the_current_page_follow_the_address(app, world):
    regulator = sign_in(app, "regulator")
    queue = header(regulator, "/review/queue?lang=en&status=all")
    assert 'href="/review/queue?lang=zh&amp;status=all"' in queue
    assert re.search(r'active"\s+aria-current="page"\s+href="/review/queue"', queue)
    chinese = header(regulator, "/review/queue?lang=zh&status=all")
    assert 'href="/review/queue?lang=en&amp;status=all"' in chinese and "审查队列" in chinese
    other = header(regulator, "/review/queue?lang=en&status=approved")
    assert 'href="/review/queue?lang=zh&amp;status=approved"' in other


def test_each_role_sees_its_own_navigation(app, world):
    enterprise = header(sign_in(app, "ent-admin"), "/enterprise/?lang=en")
    regulator = header(sign_in(app, "regulator"), "/review/?lang=en")
    assert "Staff accounts" in enterprise and "Review queue" not in enterprise
    assert "Review queue" in regulator and "Staff accounts" not in regulator
    public = header(app.test_client(), "/public/enterprises?lang=en")
    assert "Sign in" in public and "Sign out" not in public
