"""The signed-in user's loading (auth.operations.load_user): the session says the role, and the
user comes with the organisation that role needs, in the one statement; a session whose role
is missing or out of date still works, reading the organisation when it is used."""

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import User

from .factories import PASSWORD
from .review.test_query_counts import page_and_statements

PAGES = {"regulator": "/review/queue?lang=en", "ent-admin": "/enterprise/outlets/new?lang=en",
         "admin": "/admin/?lang=en"}


def signed_in(app, username):
    client = app.test_client()
    assert client.post("/auth/login", data={"username": username,
                                            "password": PASSWORD}).status_code == 302
    return client


def reads(seen, table):
    return [s for s in seen if re.search(rf'\bFROM "?{table}"? ', s + " ")]


def session_id(client) -> str:
    with client.session_transaction() as session:
        return session["_user_id"]


@pytest.mark.parametrize(("username", "loaded", "not_loaded"), [
    ("regulator", "bureau", "enterprise"), ("ent-admin", "enterprise", "bureau"),
    ("admin", None, None)])
def test_the_session_names_the_role_and_the_user_comes_with_its_organisation(
        app, world, username, loaded, not_loaded):
    client = signed_in(app, username)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert session_id(client) == f"{user.id}:{user.session_nonce}:{user.role.value}"
    seen = page_and_statements(app, client, PAGES[username])[1]
    user_statement = next(s for s in seen if s.startswith("SELECT"))  # (after SQLite's BEGIN)
    assert re.search(r'FROM "?user"? ', user_statement)
    if loaded:
        # Loaded with the user (a join in its statement), not read by a statement of its own.
        assert f"JOIN {loaded} " in user_statement
        assert not reads([s for s in seen if s is not user_statement], loaded)
        assert f"JOIN {not_loaded} " not in user_statement
    else:
        assert "JOIN bureau " not in user_statement and "JOIN enterprise " not in user_statement


@pytest.mark.parametrize("stale", ["", ":enterprise_staff", ":nonsense"])
def test_a_session_without_its_role_or_with_another_still_works(app, world, stale):
    """A session signed in before the role was kept (``id:nonce``), or whose role changed
    since: the page is the same, the bureau read when needed."""
    client = signed_in(app, "regulator")
    page = client.get(PAGES["regulator"]).get_data(as_text=True)
    user_id, nonce, _role = session_id(client).split(":")
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:{nonce}{stale}"
    assert client.get(PAGES["regulator"]).get_data(as_text=True) == page
    assert client.get("/review/?lang=en").status_code == 200


def test_a_changed_nonce_still_ends_the_session(app, world):
    client = signed_in(app, "regulator")
    user_id, _nonce, role = session_id(client).split(":")
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:0000000000000000:{role}"
    response = client.get(PAGES["regulator"])
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
