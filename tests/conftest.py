"""Fixtures: one app and schema per session, rows cleaned after every test.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names another
(``make test`` runs the suite a second time on PostgreSQL).
"""

import os
import re

import pytest
from sqlalchemy import delete

from portal import create_app
from portal.admin import operations
from portal.extensions import db

from . import factories


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory):
    return str(tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="session")
def app_config(database_url):
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": "portal.test",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Background tasks run at once, in the test's thread (in-memory queue).
        "HUEY_IMMEDIATE": True,
    }


@pytest.fixture(scope="session")
def app(app_config, instance_path):
    os.environ["PORTAL_INSTANCE_PATH"] = instance_path
    app = create_app(app_config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        operations.load_regions()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_rows(request):
    """Delete every row but the regions after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name != "region":
                    conn.execute(delete(table))


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_enabled(app):
    """Turn CSRF protection on for one test (it is off elsewhere to keep tests short)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def world(app):
    """Two bureaus in two cities and two enterprises, one user per role (see factories.World)."""
    with app.app_context():
        world = factories.make_world()
        db.session.commit()
        return world


@pytest.fixture
def login(client):
    """``login(username)`` signs the test client in and returns the response."""

    def do_login(username, password=factories.PASSWORD, follow=False):
        return client.post(
            "/auth/login",
            data={"username": username, "password": password},
            follow_redirects=follow,
        )

    return do_login


def csrf_token_from(html: str) -> str:
    """The CSRF token embedded in a rendered page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "page has no CSRF token"
    return match.group(1)
