"""A lost database: every page that needs it answers a translated 503, /healthz answers 503
JSON, and the portal recovers by itself when the database is back."""

import logging
import time

import psycopg
import pytest
from sqlalchemy.engine import make_url

from portal.extensions import db

from .factories import USERNAMES

LEAK = "no route to the database server at 10.9.8.7"


class Outage:
    """Makes every new database connection of the app fail, as a stopped server does."""

    def __init__(self, app, monkeypatch):
        self.app, self.monkeypatch = app, monkeypatch
        with app.app_context():
            db.session.remove()
            self.engine = db.engine

    def start(self):
        error = self.engine.dialect.loaded_dbapi.OperationalError(LEAK)

        def refuse(*_args, **_kwargs):
            raise error

        self.monkeypatch.setattr(self.engine.pool, "connect", refuse)

    def stop(self):
        self.monkeypatch.undo()


@pytest.fixture
def outage(app, monkeypatch):
    return Outage(app, monkeypatch)


def assert_unavailable(response, text_expected):
    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert text_expected in text
    assert LEAK not in text and "OperationalError" not in text and "Traceback" not in text


def sign_in_attempt(client):
    return client.post("/auth/login", data={"username": "someone", "password": "x-12345678"})


def test_pages_answer_503_in_both_languages_and_recover(world, client, login, outage):
    other = client.application.test_client()
    assert login(USERNAMES["regulator"]).status_code == 302
    assert client.get("/review/").status_code == 200

    outage.start()
    assert_unavailable(client.get("/review/"), "暂时无法访问")
    assert_unavailable(client.get("/review/?lang=en"), "Temporarily unavailable")
    assert_unavailable(sign_in_attempt(other), "暂时无法访问")
    assert_unavailable(other.post("/auth/login?lang=en", data={"username": "a", "password": "b"}),
                       "The portal cannot reach its database right now.")
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "error", "database": "unreachable"}

    outage.stop()
    assert client.get("/review/?lang=zh").status_code == 200
    assert sign_in_attempt(other).status_code == 200  # the form again: wrong password
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_an_outage_logs_one_warning_without_the_error_text(world, client, outage, caplog):
    outage.start()
    with caplog.at_level(logging.WARNING):
        assert sign_in_attempt(client).status_code == 503
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "database" in warnings[0].getMessage()
    assert LEAK not in warnings[0].getMessage()


def test_connections_the_server_dropped_are_replaced_without_an_error(
        app, world, client, login, database_url):
    """PostgreSQL restarted: the pooled connections are dead; the next request must not fail."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("pooled connections to a server only exist on PostgreSQL")
    assert login(USERNAMES["regulator"]).status_code == 302
    assert client.get("/review/").status_code == 200
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        # As after a restart, the old sessions are gone before the next request (the pool
        # sees their closed sockets; a connection closed in the very millisecond it is lent
        # out is what the 503 page is for).
        for _ in range(500):
            if conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND pid <> pg_backend_pid()").fetchone()[0] == 0:
                break
            time.sleep(0.01)
    assert client.get("/review/").status_code == 200
    assert client.get("/healthz").status_code == 200
