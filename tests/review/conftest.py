"""Fixtures for the review workbench: the reasons catalogue and signed-in clients."""

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ReviewReason, User
from portal.review.reasons import load_review_reasons

from ..factories import PASSWORD


@pytest.fixture
def reasons(app, world):
    """The default reasons catalogue, as {Chinese text: id}."""
    with app.app_context():
        load_review_reasons()
        db.session.commit()
        return {r.text_zh: r.id for r in db.session.scalars(select(ReviewReason))}


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def signed_in(app, username):
    """A new test client signed in as *username*."""
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def version_on(html: str, action: str) -> str:
    """The version the decision form for *action* carries."""
    match = re.search(r'action="/review/filings/\d+/' + action
                      + r'">\s*<input[^>]*csrf_token[^>]*>\s*<input type="hidden" name="version" '
                        r'value="(\d+)"', html)
    assert match, f"no {action} form on the page"
    return match.group(1)
