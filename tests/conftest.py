"""Fixtures: one app and schema per session, rows cleaned after every test.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names another
(``make test`` runs the suite a second time on PostgreSQL).
"""

import os
import re
import uuid
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import make_url

from portal import create_app
from portal.admin import operations
from portal.extensions import db
from portal.filings import tally
from portal.kept import forget_until_changed
from portal.models import CatalogueStamp, FilingEvent

from . import factories

DEMO_PASSWORD = "First-demo-123"


def worker_suffix(config) -> str:
    """"" in a plain run; "_gw0", "_gw1" … in each process of a parallel run (pytest -n)."""
    workerinput = getattr(config, "workerinput", None)
    return f"_{workerinput['workerid']}" if workerinput else ""


def sibling_database(url: str, suffix: str) -> str:
    """A PostgreSQL database named after *url*'s plus *suffix*, created when missing."""
    if not suffix:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}{suffix}"
    server = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return sibling_database(url, worker_suffix(request.config))
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
        # Dashboard figures counted on every view: tests change filings between views.
        "DASHBOARD_STATISTICS_SECONDS": 0,
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


def row_counts() -> dict[str, int]:
    """Table name -> number of rows (in the current app context)."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def delete_rows(app):
    """Delete every row but the regions and the catalogue stamp, which moves on: what the
    app's process keeps of the catalogues (portal.kept.per_catalogue) is read again, as
    after any change the ORM does not see. What it keeps until anything changes
    (portal.kept.until_changed) is dropped: the audit log starts again, and on SQLite its ids
    with it."""
    forget_until_changed(app)
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in ("region", "catalogue_stamp"):
                    conn.execute(delete(table))
            stamp = CatalogueStamp.__table__
            conn.execute(update(stamp).values(generation=stamp.c.generation + 1))


@pytest.fixture(scope="session")
def demo_app(app, app_config, database_url, tmp_path_factory):
    """A second app on its own database holding `seed-demo` run twice (password First-demo-123).

    The demo tests only read it (or check that seeding again adds nothing), so the seeding, the
    slowest fixture there is, happens once. After the first run it keeps the number of rows of
    every table (``demo_app.rows_after_first_seed``) and each filing event's time
    (``demo_app.events_after_first_seed``), to show that re-seeding adds and moves nothing.
    """
    if make_url(database_url).get_backend_name() == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    else:
        url = sibling_database(database_url, "_demo")
    demo = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url})
    with demo.app_context():
        db.drop_all()
        db.create_all()
        operations.load_regions()
        db.session.commit()
    runner = demo.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
    assert result.exit_code == 0, result.output
    with demo.app_context():
        demo.events_after_first_seed = dict(
            db.session.execute(select(FilingEvent.id, FilingEvent.created_at)).all())
        demo.rows_after_first_seed = row_counts()
    result = runner.invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
    assert result.exit_code == 0, result.output
    yield demo
    with demo.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_rows(request):
    """Delete every row but the regions after each test that used the app.

    Tests on a `shared_world` are left alone: that fixture cleans up after its class. Every
    test also checks that the filings' running counts match the filings.
    """
    yield
    if "app" not in request.fixturenames or "shared_world" in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        # Whatever the test did to filings, their running counts kept up (filings/tally.py).
        assert tally.drift() == {}, "filing_tally differs from the filings"
        # Every meeting's copy of its filing's status kept up (models/filings.py).
        assert tally.stale_meeting_statuses() == {}, "a meeting's filing_status is stale"
    delete_rows(app)


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


@pytest.fixture(scope="class")
def shared_world(app):
    """The `world`, built once for a class of tests that only read (GET requests).

    It saves building eight users and their filings for each of hundreds of cases; the rows
    are deleted when the class is done.
    """
    with app.app_context():
        world = factories.make_world()
        db.session.commit()
    yield world
    delete_rows(app)


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


@contextmanager
def fresh_database(database_url: str, folder, prefix: str):
    """A brand-new empty database of the test database's kind (a SQLite file in *folder*, or a
    PostgreSQL database named *prefix* + a random suffix, dropped afterwards); yields its URL."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{folder / 'fresh.sqlite3'}"
        return
    name = f"{prefix}{uuid.uuid4().hex[:8]}"
    dsn = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
